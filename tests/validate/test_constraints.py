"""Every constraint the shapes claim: the valid cubes pass, and a copy broken in that one
way yields that code, by validate_graph and by validate_release alike."""

from __future__ import annotations

import pytest

from .conftest import Validator, load, reference_data, update

OBS1 = "<data/street-crime/E01000914/2019-01/bicycle-theft/city-of-london>"
OBS4 = "<data/street-crime/no-location/2019-01/burglary/city-of-london>"
DS = "<data/street-crime>"
OGL = "<http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/>"


def replace(subject: str, prop: str, value: str) -> str:
    return f"DELETE {{ {subject} {prop} ?old }} INSERT {{ {subject} {prop} {value} }} WHERE {{ {subject} {prop} ?old }}"


UNCATALOGUED = {"META-TITLE", "META-LABEL", "META-DESCRIPTION", "META-LICENCE", "META-PUBLISHER", "META-ISSUED",
                "META-MODIFIED", "META-PERIODICITY", "META-KEYWORD"}

# (name, graph it breaks, SPARQL Update, the codes expected: exactly these)
CUBE_CASES = [
    ("observation without data set", "cube", f"DELETE WHERE {{ {OBS1} qb:dataSet ?d }}", {"IC-1"}),
    # The spec's normalisation types what qb:dataSet names a qb:DataSet: one without a
    # structure (and, by our rules, without a catalogue entry)
    ("observation of an unknown data set", "cube", replace(OBS4, "qb:dataSet", "<data/nowhere>"),
     {"IC-2", *UNCATALOGUED}),
    ("observation of two data sets", "cube", f"INSERT DATA {{ {OBS4} qb:dataSet <data/other> }}",
     {"IC-1", "IC-2", *UNCATALOGUED}),
    ("data set without structure", "cube", f"DELETE WHERE {{ {DS} qb:structure ?s }}", {"IC-2"}),
    ("data set with two structures", "cube",
     f"INSERT DATA {{ {DS} qb:structure <data/street-crime/structure2> }} ;"
     "INSERT { <data/street-crime/structure2> ?p ?o } WHERE { sc:structure ?p ?o }", {"IC-2"}),
    ("structure without measure", "cube",
     "DELETE WHERE { sc:structure qb:component ?spec . ?spec qb:measure ?m }", {"IC-3"}),
    ("dimension without range", "reference",
     "INSERT DATA { <def/test/colour> a qb:DimensionProperty } ;"
     "DELETE WHERE { crime:reportingForce rdfs:range ?r }", {"IC-4"}),
    ("concept dimension without code list", "reference",
     "DELETE WHERE { crime:crimeType qb:codeList ?l }", {"IC-5"}),
    ("optional dimension", "cube", "INSERT DATA { <data/street-crime/structure/ref-area> qb:componentRequired false }",
     {"IC-6"}),
    ("missing dimension value", "cube", f"DELETE WHERE {{ {OBS4} crime:crimeType ?v }}", {"IC-11"}),
    ("duplicate observation", "cube",
     f"INSERT {{ <data/street-crime/copy> ?p ?o }} WHERE {{ {OBS1} ?p ?o }}", {"IC-12"}),
    ("missing required attribute", "cube",
     "INSERT DATA { sc:structure qb:component <data/street-crime/structure/unit> . "
     "<data/street-crime/structure/unit> qb:attribute sdmx-attribute:unitMeasure ; qb:componentRequired true }",
     {"IC-13"}),
    ("missing measure", "cube", f"DELETE WHERE {{ {OBS4} sdmx-measure:obsValue ?v }}", {"IC-14"}),
    ("crime type not in the code list", "cube", replace(OBS4, "crime:crimeType", "ct:jaywalking"), {"IC-19"}),
    ("force not in the code list", "reference",
     "DELETE WHERE { <id/police-force/city-of-london> skos:inScheme ?s }", {"IC-19"}),
    ("negative count", "cube", replace(OBS4, "sdmx-measure:obsValue", "-1"), {"OBS-VALUE"}),
    ("decimal count", "cube", replace(OBS4, "sdmx-measure:obsValue", '"3.5"^^xsd:decimal'), {"OBS-VALUE"}),
    ("text count", "cube", replace(OBS4, "sdmx-measure:obsValue", '"three"'), {"OBS-VALUE"}),
    ("two counts", "cube", f"INSERT DATA {{ {OBS4} sdmx-measure:obsValue 7 }}", {"OBS-VALUE"}),
    ("unknown area", "cube", replace(OBS4, "sdmx-dimension:refArea", "<id/lsoa/E99999999>"), {"DIM-AREA"}),
    ("unknown period", "cube", replace(OBS4, "sdmx-dimension:refPeriod", "<id/month/2019-13>"), {"DIM-PERIOD"}),
    ("no title", "cube", f"DELETE WHERE {{ {DS} dcterms:title ?t }}", {"META-TITLE"}),
    ("title not in English", "cube", replace(DS, "dcterms:title", '"Troseddau"@cy'), {"META-TITLE"}),
    ("no label", "cube", f"DELETE WHERE {{ {DS} rdfs:label ?t }}", {"META-LABEL"}),
    ("no description", "cube", f"DELETE WHERE {{ {DS} dcterms:description ?t }}", {"META-DESCRIPTION"}),
    ("no licence", "cube", f"DELETE WHERE {{ {DS} dcterms:license ?l }}", {"META-LICENCE"}),
    ("another licence", "cube",
     replace(DS, "dcterms:license", "<https://creativecommons.org/licenses/by/4.0/>"), {"META-LICENCE"}),
    ("a second licence", "cube",
     f"INSERT DATA {{ {DS} dcterms:license <https://creativecommons.org/licenses/by/4.0/> }}", {"META-LICENCE"}),
    ("no publisher", "cube", f"DELETE WHERE {{ {DS} dcterms:publisher ?p }}", {"META-PUBLISHER"}),
    ("issued not a date", "cube", replace(DS, "dcterms:issued", '"February 2019"'), {"META-ISSUED"}),
    ("no modified", "cube", f"DELETE WHERE {{ {DS} dcterms:modified ?m }}", {"META-MODIFIED"}),
    ("periodicity not a frequency", "cube",
     replace(DS, "dcterms:accrualPeriodicity", "<http://example.org/often>"), {"META-PERIODICITY"}),
    ("no periodicity", "cube", f"DELETE WHERE {{ {DS} dcterms:accrualPeriodicity ?p }}", {"META-PERIODICITY"}),
    ("no keywords", "cube", f"DELETE WHERE {{ {DS} dcat:keyword ?k }}", {"META-KEYWORD"}),
    # A cell the table marks missing or suppressed: a status and no value is valid (never a 0) ...
    ("a marked cell has a status and no value", "cube",
     "INSERT DATA { sc:structure qb:component <data/street-crime/structure/observation-status> . "
     "<data/street-crime/structure/observation-status> qb:attribute stat:observationStatus } ;"
     f"DELETE WHERE {{ {OBS4} sdmx-measure:obsValue ?v }} ;"
     f"INSERT DATA {{ {OBS4} stat:observationStatus <def/statistics/observation-status/suppressed> }}", set()),
    # ... but a status is no excuse where the structure does not declare it.
    ("a status the structure does not declare", "cube",
     f"DELETE WHERE {{ {OBS4} sdmx-measure:obsValue ?v }} ;"
     f"INSERT DATA {{ {OBS4} stat:observationStatus <def/statistics/observation-status/suppressed> }}", {"IC-14"}),
    ("additive over something that is not a dimension", "cube",
     "INSERT DATA { <data/street-crime/structure/obs-value> stat:additiveOver <def/crime/crimeTypo> }", {"MEASURE-ADDITIVE"}),
    ("additive over said on a dimension", "cube",
     "INSERT DATA { <data/street-crime/structure/ref-area> stat:additiveOver sdmx-dimension:refPeriod }", {"MEASURE-ADDITIVE"}),
    ("two codes for all values", "cube",
     "INSERT DATA { <data/street-crime/structure/crime-type> stat:allCode ct:burglary, ct:drugs }", {"TOTAL-CODE"}),
    ("a total code on the measure", "cube",
     "INSERT DATA { <data/street-crime/structure/obs-value> stat:totalCode ct:burglary }", {"TOTAL-CODE"}),
    ("a count below the disclosure threshold", "cube",
     f"INSERT DATA {{ {DS} stat:disclosureThreshold 1000 }}", {"DISCLOSURE"}),
]

COUNT = "<data/arrests/E01000914/2019-01/count>"
MEASURE_CASES = [
    ("measure named by measure type missing", f"DELETE WHERE {{ {COUNT} sdmx-measure:obsValue ?v }}", {"IC-15"}),
    ("second measure on one observation", f"INSERT DATA {{ {COUNT} test:arrests 2 }}", {"IC-16"}),
    ("cell missing a measure", "DELETE WHERE { <data/arrests/E01000914/2019-02/arrests> ?p ?o }", {"IC-17"}),
]


def codes(problems: list) -> set[str]:
    return {p.code for p in problems}


def test_the_valid_cube_passes(validate: Validator):
    assert validate(load("cube.ttl"), reference_data()) == []


def test_the_valid_measure_dimension_cube_passes(validate: Validator):
    assert validate(load("measure-cube.ttl"), reference_data()) == []


@pytest.mark.parametrize("name, where, sparql, expected", CUBE_CASES, ids=[c[0] for c in CUBE_CASES])
def test_a_broken_cube_yields_its_code(validate: Validator, name: str, where: str, sparql: str, expected: set[str]):
    cube, reference = load("cube.ttl"), reference_data()
    update(cube if where == "cube" else reference, sparql)
    problems = validate(cube, reference)
    assert codes(problems) == expected, "\n".join(map(str, problems))
    for problem in problems:
        assert problem.message and problem.shape and problem.focus, problem


@pytest.mark.parametrize("name, sparql, expected", MEASURE_CASES, ids=[c[0] for c in MEASURE_CASES])
def test_a_broken_measure_dimension_cube_yields_its_code(validate: Validator, name: str, sparql: str, expected: set[str]):
    cube = update(load("measure-cube.ttl"), sparql)
    problems = validate(cube, reference_data())
    assert codes(problems) == expected, "\n".join(map(str, problems))
