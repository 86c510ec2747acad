"""Generate a national police.uk month: one street file per force, as the monthly archive holds.

    python bench/national.py MONTH OUT_FOLDER [ROWS]      e.g. 2024-01 /tmp/national 500000

Writes `OUT_FOLDER/MONTH/MONTH-{force}-street.csv` for each territorial force of England and
Wales (and British Transport Police), about ROWS rows in all (default 500,000, police.uk's
national monthly size), shared between forces by their number of LSOAs. Crime types follow
police.uk's national mix; crimes other than anti-social behaviour get a 64-hex Crime ID unique
to (seed, month, row); about 1.5% of rows have no location, as in the real files. The same
arguments always give the same files.
"""

from __future__ import annotations

import csv
import hashlib
import random
import sys
import zlib
from pathlib import Path

from linkeddata.reference import tables

sys.path.insert(0, str(Path(__file__).parent))
from generate import HEADER, street_row  # noqa: E402
# police.uk's national mix of a month (England and Wales, 2023), as shares of all rows.
MIX = {
    "Violence and sexual offences": 0.335, "Anti-social behaviour": 0.16, "Public order": 0.09,
    "Criminal damage and arson": 0.082, "Other theft": 0.066, "Shoplifting": 0.062,
    "Vehicle crime": 0.057, "Burglary": 0.043, "Drugs": 0.031, "Other crime": 0.024,
    "Theft from the person": 0.017, "Robbery": 0.013, "Bicycle theft": 0.012,
    "Possession of weapons": 0.008,
}
BTP_SHARE = 0.01


def generate_month(month: str, folder: Path, rows: int = 500_000, seed: int = 11) -> list[Path]:
    rng = random.Random(f"{seed}:{month}")
    forces = {f.area: f for f in tables.police_forces() if f.area}
    btp = next(f for f in tables.police_forces() if f.slug == "btp")
    by_force: dict[str, list[tables.Area]] = {}
    for lsoa in tables.lsoas().values():
        if lsoa.police_force_area in forces:
            by_force.setdefault(lsoa.police_force_area, []).append(lsoa)
    total_lsoas = sum(len(v) for v in by_force.values())
    types, weights = list(MIX), list(MIX.values())
    outcomes = [c.label for c in tables.code_list("outcome-category")][:12]
    out_folder = folder / month
    out_folder.mkdir(parents=True, exist_ok=True)
    serial = 0
    written = []
    plan = [(forces[area], lsoas, round(rows * (1 - BTP_SHARE) * len(lsoas) / total_lsoas))
            for area, lsoas in sorted(by_force.items())]
    plan.append((btp, [a for v in by_force.values() for a in v], round(rows * BTP_SHARE)))
    for force, lsoas, count in plan:
        path = out_folder / f"{month}-{force.slug}-street.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(HEADER)
            for _ in range(count):
                serial += 1
                lsoa = lsoas[min(int(rng.expovariate(4.0 / len(lsoas))), len(lsoas) - 1)]
                crime_type = rng.choices(types, weights)[0]
                asb = crime_type == "Anti-social behaviour"
                crime_id = "" if asb else hashlib.sha256(f"{seed}:{month}:{serial}".encode()).hexdigest()
                located = rng.random() > 0.015
                index = zlib.crc32(lsoa.code.encode()) % 9973  # not hash(): the same files every run
                point = (-5.5 + (index % 997) / 997 * 7, 50.0 + (index % 991) / 991 * 5)
                out.writerow(street_row(rng, crime_id, month, force, lsoa, point, crime_type, outcomes, located))
        written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    files = generate_month(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else 500_000)
    print(f"{len(files)} files in {Path(sys.argv[2]) / sys.argv[1]}")
