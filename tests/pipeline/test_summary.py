"""The publish-time summary (made from the build's tally) says what the published data says.

Each figure is checked against the same figure aggregated with SPARQL over the published
graphs, for every bundled dataset, so a tally that drifts from what was written shows here.
"""

from __future__ import annotations

import pytest

from linkeddata.mapping import load_mapping, mapping_files
from linkeddata.namespaces import QB, SDO, SR, VOID
from linkeddata.store import open_store

from shared import BASE

DATASETS = sorted(load_mapping(path, BASE).dataset for path in mapping_files())


@pytest.fixture(scope="module")
def store(bundled_store):
    with open_store(bundled_store, BASE, read_only=True) as opened:
        yield opened


MAPPINGS = {m.dataset: m for m in (load_mapping(path, BASE) for path in mapping_files())}


def sums(dataset: str) -> bool:
    """Whether the summary may add the measure up: additive over every dimension, no total codes."""
    cube = MAPPINGS[dataset].cube
    return not cube.totals and set(cube.additive_over) >= {d.property for d in cube.dimensions}


def summary_of(store, ds: str, dimension: str, by: str) -> dict[str, tuple[int, int | None]]:
    """What the summary says per value (`by` rdf:value) or per containing area (`by` sr:within)."""
    rows = store.select(f"""
        SELECT ?v ?n ?t WHERE {{ GRAPH <{BASE}/graph/summary/{ds.rsplit('/', 1)[1]}> {{
          <{ds}> <{VOID.propertyPartition}> ?p . ?p <{VOID.property}> <{dimension}> ; <{VOID.subset}> ?s .
          ?s <{by}> ?v ; <{VOID.entities}> ?n OPTIONAL {{ ?s <{SDO.value}> ?t }} }} }}""")
    return {str(r["v"]): (int(r["n"]), int(r["t"]) if "t" in r else None) for r in rows}


@pytest.mark.parametrize("dataset", DATASETS)
def test_summary_matches_the_published_observations(store, dataset):
    ds = f"{BASE}/data/{dataset}"
    dimensions = [str(r["d"]) for r in store.select(
        f"SELECT ?d WHERE {{ <{ds}> <{QB.structure}>/<{QB.component}>/<{QB.dimension}> ?d }}")]
    measure = str(store.select(
        f"SELECT ?m WHERE {{ <{ds}> <{QB.structure}>/<{QB.component}>/<{QB.measure}> ?m }}")[0]["m"])
    # Over every published graph: a partitioned dataset's observations are in its partitions' graphs.
    observations = f"?o <{QB.dataSet}> <{ds}> ."
    value = f"OPTIONAL {{ ?o <{measure}> ?x }}"
    assert dimensions
    adds = sums(dataset)  # else the summary gives counts only: a sum would add what may not be added
    for dimension in dimensions:
        expected = {
            str(r["v"]): (int(r["n"]), int(r["t"]) if adds else None) for r in store.select(f"""
                SELECT ?v (COUNT(*) AS ?n) (SUM(COALESCE(?x, 0)) AS ?t) WHERE {{
                  {observations} ?o <{dimension}> ?v . {value}
                }} GROUP BY ?v""")
        }
        assert summary_of(store, ds, dimension, "http://www.w3.org/1999/02/22-rdf-syntax-ns#value") == expected
        within = {
            str(r["w"]): (int(r["n"]), int(r["t"]) if adds else None) for r in store.select(f"""
                SELECT ?w (COUNT(*) AS ?n) (SUM(COALESCE(?x, 0)) AS ?t) WHERE {{
                  {observations} ?o <{dimension}> ?v . {value}
                  ?v <{SR.within}> ?w }} GROUP BY ?w""")
        }
        assert summary_of(store, ds, dimension, str(SR.within)) == within
    total = store.select(f"SELECT (COUNT(*) AS ?n) (SUM(COALESCE(?x, 0)) AS ?t) WHERE {{ {observations} {value} }}")[0]
    said = store.select(f"""SELECT ?n ?t WHERE {{ GRAPH <{BASE}/graph/summary/{dataset}> {{
        <{ds}> <{VOID.entities}> ?n OPTIONAL {{ <{ds}> <{SDO.value}> ?t }} }} }}""")
    assert [(int(r["n"]), int(r["t"]) if "t" in r else None) for r in said] == [
        (int(total["n"]), int(total["t"]) if adds else None)]
    assert int(total["n"]) > 0
