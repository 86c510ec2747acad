"""Generate realistic police.uk street-level crime files for benchmarks.

    python bench/generate.py OBSERVATIONS OUT_FOLDER

Writes one CSV per month in the police.uk layout whose rows fall in exactly OBSERVATIONS cube
cells (LSOA x month x crime type x reporting force), over the real 34,753 LSOAs of England and
Wales, their territorial forces, the 14 crime types and consecutive months. Rows per cell follow
a skewed distribution (most cells hold one or two crimes), crimes other than anti-social
behaviour get a Crime ID, and about 1% of rows have no location, as in the real files.
"""

from __future__ import annotations

import csv
import hashlib
import random
import sys
from pathlib import Path

from linkeddata.reference import tables

HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
          "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]
STREETS = ["High Street", "Station Road", "Church Lane", "Park Avenue", "Mill Lane", "Sports/Recreation Area",
           "Supermarket", "Parking Area", "Nightclub", "Petrol Station", "Shopping Area", "Bus Station"]


def street_row(rng: random.Random, crime_id: str, month: str, force, lsoa, point: tuple[float, float],
               crime_type: str, outcomes: list[str], located: bool) -> list[str]:
    """One police.uk street row; `point` is the LSOA's corner, jittered as police.uk's anonymised points are."""
    lon, lat = point
    return [
        crime_id, month, force.name, force.name,
        f"{lon + rng.random() / 100:.6f}" if located else "",
        f"{lat + rng.random() / 100:.6f}" if located else "",
        f"On or near {rng.choice(STREETS)}" if located else "No location",
        lsoa.code if located else "", lsoa.name if located else "",
        crime_type, "" if not crime_id else rng.choice(outcomes), "",
    ]


def generate(observations: int, folder: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    force_by_area = {f.area: f for f in tables.police_forces() if f.area}
    lsoas = [a for a in tables.lsoas().values() if a.police_force_area in force_by_area]
    types = [c.label for c in tables.code_list("crime-type")]
    outcomes = [c.label for c in tables.code_list("outcome-category")][:12]
    cells_per_month = min(observations, len(lsoas) * len(types) // 3)
    months = max(1, -(-observations // cells_per_month))
    files, made, serial = [], 0, 0
    for m in range(months):
        month = f"{2019 + m // 12}-{m % 12 + 1:02d}"
        path = folder / f"{month}-generated-street.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(HEADER)
            target = min(cells_per_month, observations - made)
            cells = set()
            while len(cells) < target:
                cells.add((rng.randrange(len(lsoas)), rng.randrange(len(types))))
            for lsoa_index, type_index in sorted(cells):
                lsoa, crime_type = lsoas[lsoa_index], types[type_index]
                force = force_by_area[lsoa.police_force_area]
                lon = -5.5 + (lsoa_index % 997) / 997 * 7
                lat = 50.0 + (lsoa_index % 991) / 991 * 5
                for _ in range(min(1 + int(rng.expovariate(0.9)), 40)):
                    serial += 1
                    asb = crime_type == "Anti-social behaviour"
                    crime_id = "" if asb else hashlib.sha256(f"{seed}:{serial}".encode()).hexdigest()
                    located = rng.random() > 0.01
                    out.writerow(street_row(rng, crime_id, month, force, lsoa, (lon, lat), crime_type, outcomes, located))
            made += target
        files.append(path)
    return files


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    written = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print("\n".join(str(p) for p in written))
