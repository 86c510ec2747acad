"""The Data Cube spec's own integrity constraint queries, run against what the demo publishes,
find nothing; and no IRI is both a dimension property and a code list."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.store import open_store
from linkeddata.store.base import Store

from shared import BASE

from .spec_queries import DATA_SETS, IC, IC_12_GROUPED, IC_17_GROUPED, P


@pytest.fixture(scope="module")
def published(bundled_store: Path):
    with open_store(bundled_store, BASE, read_only=True) as store:
        yield store


@pytest.mark.parametrize("code", sorted(set(IC) - {"IC-14"}))
def test_the_spec_query_finds_nothing(published: Store, code: str):
    assert published.ask(P + IC[code]) is False, code


def test_the_spec_ic_14_finds_only_cells_the_table_marks(published: Store):
    """Our one documented departure (shapes/README.md, IC-14): a cell the source table marks
    not available or suppressed is published with an observation status and no value, never
    an invented 0; the spec's IC-14 finds those, and nothing else."""
    status = "PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>\n"
    unmarked = IC["IC-14"].replace("FILTER NOT EXISTS { ?obs ?measure [] } }", """FILTER NOT EXISTS { ?obs ?measure [] }
        FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?s .
                            ?s rdfs:subPropertyOf* sdmx-attribute:obsStatus . ?obs ?s [] } }""")
    assert unmarked != IC["IC-14"]
    assert published.ask(P + status + unmarked) is False


def _dimensions(published: Store) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in published.select(P + DATA_SETS):
        found.setdefault(str(row["ds"]), []).append(str(row["dim"]))
    assert found, "the demo publishes data sets with dimensions"
    return found


def test_no_two_observations_share_a_cell(published: Store):
    for dataset, dims in _dimensions(published).items():
        pattern = "".join(f" ; <{d}> ?v{i}" for i, d in enumerate(dims))
        sparql = IC_12_GROUPED.format(dataset=dataset, dims=pattern, vars=" ".join(f"?v{i}" for i in range(len(dims))))
        assert published.select(P + sparql) == [], dataset


def test_every_cell_of_a_measure_dimension_cube_has_every_measure(published: Store):
    measure_type = "http://purl.org/linked-data/cube#measureType"
    for dataset, dims in _dimensions(published).items():
        if measure_type not in dims:
            continue
        measures = published.select(P + f"SELECT DISTINCT ?m WHERE {{ <{dataset}> qb:structure/qb:component/qb:measure ?m }}")
        others = [d for d in dims if d != measure_type]
        pattern = "".join(f" ; <{d}> ?v{i}" for i, d in enumerate(others))
        sparql = IC_17_GROUPED.format(dataset=dataset, dims=pattern, vars=" ".join(f"?v{i}" for i in range(len(others))),
                                      measures=len(measures))
        assert published.select(P + sparql) == [], dataset


def test_structures_name_each_component_with_qb_component_property(published: Store):
    assert published.ask(P + """ASK { ?dsd a qb:DataStructureDefinition ; qb:component ?spec .
        ?spec qb:dimension|qb:measure|qb:attribute ?p . FILTER NOT EXISTS { ?spec qb:componentProperty ?p } }""") is False


def test_no_iri_is_both_a_dimension_and_a_code_list(published: Store):
    both = published.select(P + "SELECT ?x WHERE { ?x a qb:DimensionProperty , skos:ConceptScheme }")
    assert both == []
    # the codes keep their IRIs; the lists are their own
    for scheme, code in (("equality/ethnicities", "equality/ethnicity/"), ("migration/nationalities", "migration/nationality/")):
        assert published.ask(P + f"""ASK {{ ?c skos:inScheme <{BASE}/def/{scheme}> .
            FILTER STRSTARTS(STR(?c), "{BASE}/def/{code}") }}"""), scheme
