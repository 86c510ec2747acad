"""`linkeddata validate --cube` on a third party's cube of a million observations.

    python bench/validate_cube.py [OBSERVATIONS] [--folder /tmp/validate-cube] [--break K]

Writes a Turtle cube (areas x months x sexes, one count each, three code lists, prefixed
names as people write them) of OBSERVATIONS (default 1,000,000), with K observations broken
(a code not in its list, a missing dimension value), then runs the command on it once with
GNU time and prints wall time, CPU use and peak RSS (of the command and anything it starts).
Needs /usr/bin/time (Debian's `time`).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

PREFIXES = """@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/bench/> .
@prefix area: <http://example.org/bench/area/> .
@prefix month: <http://example.org/bench/month/> .
@prefix sex: <http://example.org/bench/sex/> .
@prefix obs: <http://example.org/bench/obs/> .
"""

STRUCTURE = """
ex:cube a qb:DataSet ; rdfs:label "bench cube"@en ; qb:structure ex:structure .
ex:structure a qb:DataStructureDefinition ;
    qb:component [ qb:dimension ex:area ], [ qb:dimension ex:month ], [ qb:dimension ex:sex ], [ qb:measure ex:count ] .
ex:area a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList ex:areas .
ex:month a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList ex:months .
ex:sex a qb:DimensionProperty ; rdfs:range skos:Concept ; qb:codeList ex:sexes .
ex:count a qb:MeasureProperty ; rdfs:range xsd:integer .
ex:areas a skos:ConceptScheme . ex:months a skos:ConceptScheme . ex:sexes a skos:ConceptScheme .
"""

SEXES, MONTHS = 4, 50


def write_cube(path: Path, observations: int, broken: int) -> None:
    areas = -(-observations // (SEXES * MONTHS))
    with path.open("w", encoding="utf-8") as out:
        out.write(PREFIXES + STRUCTURE)
        for a in range(areas):
            out.write(f"area:a{a} a skos:Concept ; skos:inScheme ex:areas .\n")
        for m in range(MONTHS):
            out.write(f"month:m{m} a skos:Concept ; skos:inScheme ex:months .\n")
        for s in range(SEXES):
            out.write(f"sex:s{s} a skos:Concept ; skos:inScheme ex:sexes .\n")
        step = observations // (broken + 1)
        bad_area = {step * (i + 1) for i in range(broken)}  # IC-19
        no_sex = {step * (i + 1) + 1 for i in range(broken)}  # IC-11
        written = 0
        for a in range(areas):
            for m in range(MONTHS):
                for s in range(SEXES):
                    if written == observations:
                        return
                    area = f"area:nowhere{written}" if written in bad_area else f"area:a{a}"
                    sex = "" if written in no_sex else f" ; ex:sex sex:s{s}"
                    out.write(f"obs:o{written} qb:dataSet ex:cube ; ex:area {area} ; ex:month month:m{m}{sex} ; "
                              f"ex:count {written % 97} .\n")
                    written += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("observations", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/validate-cube"))
    parser.add_argument("--break", dest="broken", type=int, default=3, help="how many observations of each kind to break")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    cube = args.folder / f"cube-{args.observations}.ttl"
    started = time.monotonic()
    write_cube(cube, args.observations, args.broken)
    print(f"wrote {cube} ({cube.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - started:.1f} s")
    command = ["/usr/bin/time", "-f", "%e %P %M", sys.executable, "-m", "linkeddata.cli", "validate", "--cube", str(cube)]
    done = subprocess.run(command, capture_output=True, text=True)
    wall, cpu, peak = done.stderr.strip().splitlines()[-1].split()
    problems = [line for line in done.stdout.splitlines() if line.strip()]
    print(f"validate --cube: exit {done.returncode}, {len(problems)} problem(s), wall {float(wall):.1f} s, "
          f"CPU {cpu}, peak RSS {int(peak) / 1024:.0f} MB")
    for line in problems[:8]:
        print("  " + line[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
