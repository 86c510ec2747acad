"""The stop and search mapping: searches counted by force area, UK-time month and the equality
dimensions; each search a resource with a deterministic URI; both police.uk vocabularies; blank
cells counted, not dropped; figures equal to counts over the source rows; bad input refused."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from linkeddata.cli import main
from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.reference.graphs import write_reference
from linkeddata.settings import resource_dir
from linkeddata.store import open_store
from linkeddata.uris import Minter

from dataset_checks import assert_refused, build, observations, one_problem, write_table
from shared import BASE, assert_isomorphic

HEADER = ["Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude",
          "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation",
          "Object of search", "Outcome", "Outcome linked to object of search",
          "Removal of more than just outer clothing"]
DRUGS = "Misuse of Drugs Act 1971 (section 23)"
ROWS = [  # real rows of the Metropolitan Police's June 2016 file (the first two are its first lines)
    ["Person search", "2016-05-31T23:01:00+00:00", "False", "", "51.455989", "-0.043536", "Male", "10-17",
     "Black or Black British - African (B2)", "Black", DRUGS, "Controlled drugs", "Nothing found - no further action", "", ""],
    ["Person and Vehicle search", "2016-05-31T23:05:00+00:00", "False", "", "51.475561", "-0.075330", "Male", "",
     "Not Stated (NS)", "Black", DRUGS, "Controlled drugs", "Suspect arrested", "", ""],
    # the new vocabulary (2023), and the blanks police.uk leaves: outcome, officer-defined
    # ethnicity, coordinates
    ["Person search", "2016-06-30T12:00:00+00:00", "", "", "", "", "Female", "over 34",
     "Black/African/Caribbean/Black British - African", "", DRUGS, "Controlled drugs", "", "True", "False"],
    ["Person search", "2016-06-30T12:00:00+00:00", "", "", "", "", "Female", "over 34",
     "Black/African/Caribbean/Black British - African", "", DRUGS, "Controlled drugs", "Arrest", "True", "False"],
]
MET = "2016-06-metropolitan-stop-and-search.csv"
POLICE = resource_dir("data") / "policeuk"
SAMPLES = sorted(POLICE.glob("*-stop-and-search.csv"))
SHARED = Path("/work/shared/data/policeuk-stop-search")
REAL = [SHARED / f"{m}-metropolitan-stop-and-search.csv" for m in ("2016-06", "2023-07")]
EQ = f"{BASE}/def/equality/"


def table(tmp_path: Path, rows: list[list[str]] = ROWS, name: str = MET, header: list[str] = HEADER) -> Path:
    return write_table(tmp_path / name, header, rows)


def test_a_stop_late_on_31_may_utc_is_a_june_stop_in_uk_time(tmp_path):
    # 23:01 UTC on 31 May 2016 is 00:01 BST on 1 June: police.uk's June file holds it, and so
    # does our June. In winter UK time is UTC, so 23:30 on 31 January stays in January.
    winter = [list(ROWS[0])]
    winter[0][1] = "2016-01-31T23:30:00+00:00"
    june = table(tmp_path, ROWS[:1])
    january = table(tmp_path, winter, "2016-01-metropolitan-stop-and-search.csv")
    store = _published([june, january], tmp_path)
    months = {r["t"].value: r["m"].value.rsplit("/", 1)[1] for r in store.query(
        f"SELECT ?t ?m WHERE {{ ?s <{EQ}searchDateTime> ?t ; <{EQ}searchMonth> ?m }}")}
    assert months == {"2016-05-31T23:01:00Z": "2016-06", "2016-01-31T23:30:00Z": "2016-01"}  # (oxigraph writes Z)
    stamps = list(store.query(f"SELECT ?t WHERE {{ ?s <{EQ}searchDateTime> ?t }}"))
    assert {str(r["t"].datatype.value) for r in stamps} == {str(XSD.dateTime)}  # UTC, as given


def test_each_search_is_a_resource_with_its_point_as_precise_as_the_source(tmp_path):
    result, graph = build("stop-and-search", table(tmp_path), tmp_path)
    assert result.errors == [] and result.records == 4
    (search,) = graph.subjects(URIRef(f"{EQ}searchDateTime"), Literal("2016-05-31T23:01:00+00:00", datatype=XSD.dateTime))
    assert str(search).startswith(f"{BASE}/id/stop-and-search/2016-06/metropolitan/")
    got = Graph()
    for triple in graph.triples((search, None, None)):
        got.add(triple)
    for triple in graph.triples((URIRef(f"{search}/geometry"), None, None)):
        got.add(triple)
    expected = f"""
        @prefix equality: <{EQ}> .
        @prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
        @prefix geosparql: <http://www.opengis.net/ont/geosparql#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{search}> a equality:StopAndSearch ;
            rdfs:label "Person search, Metropolitan Police Service, 31 May 2016, 23:01 UTC"@en ;
            equality:policeForce <{BASE}/id/police-force/metropolitan> ;
            sdmx-dimension:refArea <{BASE}/id/police-force-area/E23000001> ;
            equality:searchMonth <{BASE}/id/month/2016-06> ;
            equality:searchDateTime "2016-05-31T23:01:00+00:00"^^xsd:dateTime ;
            equality:searchType <{EQ}stop-search-type/person-search> ;
            equality:partOfPolicingOperation false ;
            equality:gender <{EQ}stop-search-gender/male> ;
            equality:ageRange <{EQ}stop-search-age-range/10-17> ;
            equality:selfDefinedEthnicity <{EQ}stop-search-ethnicity/b2> ;
            equality:officerDefinedEthnicity <{EQ}ethnicity/black> ;
            equality:legislation <{EQ}stop-search-legislation/misuse-of-drugs-act-1971-section-23> ;
            equality:objectOfSearch <{EQ}stop-search-object/controlled-drugs> ;
            equality:searchOutcome <{EQ}stop-search-outcome/no-further-action> ;
            geo:lat "51.455989"^^xsd:decimal ; geo:long "-0.043536"^^xsd:decimal ;
            geosparql:hasGeometry <{search}/geometry> .
        <{search}/geometry> a geosparql:Geometry ;
            geosparql:asWKT "POINT(-0.043536 51.455989)"^^geosparql:wktLiteral .
    """
    assert_isomorphic(got, Graph().parse(data=expected, format="turtle"))


def test_blank_outcome_ethnicity_and_coordinates_are_counted_and_left_off_the_search(tmp_path):
    result, graph = build("stop-and-search", table(tmp_path), tmp_path)
    obs = observations(graph)
    not_recorded = URIRef(f"{EQ}stop-search-outcome/not-recorded")
    not_reported = URIRef(f"{EQ}ethnicity/unknown")
    # the cube counts them under "Not recorded" / "Not reported" ...
    assert sum(int(obs.value(o, URIRef("http://purl.org/linked-data/sdmx/2009/measure#obsValue")))
               for o in obs.subjects(URIRef(f"{EQ}searchOutcome"), not_recorded)) == 1
    assert len(set(obs.subjects(URIRef(f"{EQ}officerDefinedEthnicity"), not_reported))) == 2
    # ... and the search itself says nothing it was not given: no outcome, no point
    blank = [s for s in graph.subjects(URIRef(f"{EQ}selfDefinedEthnicity"), URIRef(f"{EQ}stop-search-ethnicity/black-african"))
             if (s, URIRef(f"{EQ}searchOutcome"), None) not in graph]
    assert len(blank) == 1
    assert (blank[0], URIRef(f"{EQ}officerDefinedEthnicity"), None) not in graph
    assert (blank[0], URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat"), None) not in graph


def test_search_uris_are_deterministic_and_identical_rows_are_two_searches(tmp_path):
    twice = [*ROWS, ROWS[0]]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    first, graph = build("stop-and-search", table(tmp_path / "a", twice), tmp_path / "a")
    _, graph_again = build("stop-and-search", table(tmp_path / "b", twice), tmp_path / "b")
    searches = {s for s in graph.subjects(URIRef(f"{EQ}searchDateTime"), None)}
    assert len(searches) == 5 and first.records == 5  # the repeated row is a search of its own
    assert searches == {s for s in graph_again.subjects(URIRef(f"{EQ}searchDateTime"), None)}


def test_old_and_new_outcome_wordings_are_one_code_where_they_mean_the_same(tmp_path):
    _, graph = build("stop-and-search", table(tmp_path), tmp_path)
    outcomes = Counter(str(graph.value(s, URIRef(f"{EQ}searchOutcome"))).rsplit("/", 1)[-1]
                       for s in graph.subjects(URIRef(f"{EQ}searchDateTime"), None))
    assert outcomes["arrest"] == 2  # "Suspect arrested" (2016) and "Arrest" (2023)
    codes = Graph()
    for path in write_reference(tmp_path, Minter(BASE)).values():
        if "stop-search" in path.name:
            codes.parse(path, format="nt")
    arrest = URIRef(f"{EQ}stop-search-outcome/arrest")
    assert set(codes.objects(arrest, SKOS.altLabel)) == {Literal("Suspect arrested", lang="en")}
    # kept apart where the old wording means less: summonses only, not charges by post
    summonsed = URIRef(f"{EQ}stop-search-outcome/suspect-summonsed-to-court")
    assert codes.value(summonsed, SKOS.broader) == URIRef(f"{EQ}stop-search-outcome/summons-or-charged-by-post")
    # each self-defined ethnicity rolls up to the ONS 5+1 group use of force counts by; the
    # 2001 classification's Chinese is Asian in the 2011 groups
    broader = {str(c).rsplit("/", 1)[1]: str(codes.value(c, SKOS.broader)).rsplit("/", 1)[1]
               for c in codes.subjects(SKOS.inScheme, URIRef(f"{EQ}stop-search-ethnicity"))}
    assert broader["b2"] == broader["black-african"] == "black"
    assert broader["o1"] == broader["asian-chinese"] == "asian"
    assert broader["ns"] == broader["not-stated"] == broader["not-recorded"] == "unknown"
    assert set(broader.values()) == {"white", "mixed", "asian", "black", "other", "unknown"}


def test_every_label_of_the_real_files_is_known():
    """Both vocabularies: every value of every real file (bundled, and the shared full files
    when present) is a code; an unknown label would be an error."""
    mapping = load_mapping(find_mapping("stop-and-search"), BASE)
    files = SAMPLES + [p for p in REAL if p.is_file()]
    from linkeddata.reference.kinds import Resolver
    from linkeddata.tabular import Row
    resolver = Resolver(Minter(BASE))
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for line, values in enumerate(csv.DictReader(handle), start=2):
                row = Row(str(path), line, values, {h: i + 1 for i, h in enumerate(HEADER)})
                for spec in mapping.fields.values():
                    if spec.codelist:
                        resolver.parse(spec, row)  # raises Problems on an unknown label


def _published(files: list[Path], tmp_path: Path) -> pyoxigraph.Store:
    """The files built by the mapping, loaded into an in-memory store to count from."""
    from linkeddata.cube import build_dataset
    mapping = load_mapping(find_mapping("stop-and-search"), BASE)
    result = build_dataset(mapping, files, Minter(BASE), tmp_path / "s.nt", modified="2026-01-01T00:00:00Z")
    assert result.errors == []
    store = pyoxigraph.Store()
    for path in result.files:
        if path.exists():
            store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _source_counts(files: list[Path]) -> Counter:
    """Searches per (month, self-defined ethnicity label) counted straight from the CSV rows;
    the month is the file's (police.uk files each search in its UK-time month)."""
    counts: Counter = Counter()
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                counts[(path.name[:7], row["Self-defined ethnicity"] or "Not recorded")] += 1
    return counts


@pytest.mark.parametrize("files", [
    pytest.param(SAMPLES, id="bundled"),
    pytest.param(REAL, id="real-met-2016-2023",
                 marks=pytest.mark.skipif(not all(p.is_file() for p in REAL), reason="the shared police.uk files are not here")),
])
def test_searches_per_ethnicity_per_month_equal_a_count_over_the_rows(files, tmp_path):
    store = _published(files, tmp_path)
    query = f"""
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX equality: <{EQ}>
        SELECT ?month ?ethnicity (SUM(?n) AS ?searches) WHERE {{
          ?obs qb:dataSet <{BASE}/data/stop-and-search> ; sdmx-dimension:refPeriod ?m ;
               equality:selfDefinedEthnicity ?code ; sdmx-measure:obsValue ?n .
          BIND(STRAFTER(STR(?m), "/id/month/") AS ?month)
          BIND(STRAFTER(STR(?code), "/stop-search-ethnicity/") AS ?ethnicity)
        }} GROUP BY ?month ?ethnicity"""
    published = {(r["month"].value, r["ethnicity"].value): int(r["searches"].value) for r in store.query(query)}
    labels = {}
    from linkeddata.reference import tables
    for code in tables.code_list("stop-search-ethnicity"):
        labels[code.label] = code.slug
    expected = {(month, labels[label]): n for (month, label), n in _source_counts(files).items()}
    assert published == expected
    searches = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{EQ}StopAndSearch> }}"))
    assert int(searches[0]["n"].value) == sum(expected.values())


def test_the_bundled_june_2016_holds_the_13_stops_of_31_may_utc():
    with (POLICE / MET).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(r["Date"].startswith("2016-05-31T23:") for r in rows) == 13
    assert _source_counts([POLICE / MET]).keys() == {("2016-06", label) for label in
                                                    {r["Self-defined ethnicity"] or "Not recorded" for r in rows}}


# -- bad input, as a user would produce it -----------------------------------------------------

@pytest.mark.parametrize("column, bad, code, words", [
    ("Self-defined ethnicity", "Black or Black British - Afrcan (B2)", "VALUE-CODE", "Did you mean 'Black or Black British - African (B2)'"),
    ("Officer-defined ethnicity", "Blak", "VALUE-CODE", "not in the ethnicity code list"),
    ("Date", "31/05/2016 23:01", "VALUE-DATETIME", "like 2016-05-31T23:07:00+00:00"),
    ("Date", "2016-05-31T23:01:00", "VALUE-DATETIME", "with its offset from UTC"),
    ("Outcome", "Suspect arested", "VALUE-CODE", "Did you mean 'Suspect arrested'"),
    ("Latitude", "51,455989", "VALUE-DECIMAL", "not a decimal"),
])
def test_a_bad_cell_is_refused_at_its_line_and_column(tmp_path, column, bad, code, words):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index(column)] = bad
    path = table(tmp_path, rows)
    problem = one_problem(build("stop-and-search", path, tmp_path)[0])
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), 3, HEADER.index(column) + 1)
    assert words in problem.message


def test_a_renamed_column_is_refused_at_the_header(tmp_path):
    header = [h if h != "Self-defined ethnicity" else "Self defined ethnicity" for h in HEADER]
    problem = one_problem(build("stop-and-search", table(tmp_path, header=header), tmp_path)[0])
    assert (problem.code, problem.line) == ("SOURCE-COLUMNS", 1)
    assert "'Self-defined ethnicity'" in problem.message


@pytest.mark.parametrize("name, words", [
    ("2016-06-metropolitn-stop-and-search.csv", "Did you mean 'Metropolitan Police Service'"),
    ("stop-and-search-june.csv", "does not match"),
])
def test_a_misspelt_force_in_the_file_name_is_refused_once_naming_the_file(tmp_path, name, words):
    path = table(tmp_path, name=name)
    problem = one_problem(build("stop-and-search", path, tmp_path)[0])
    assert (problem.file, problem.column_name) == (str(path), "file name") and words in problem.message


def test_a_bad_file_publishes_nothing(tmp_path, capsys):
    rows = [list(r) for r in ROWS]
    rows[2][HEADER.index("Self-defined ethnicity")] = "Martian"
    bad = table(tmp_path, rows)
    assert_refused("stop-and-search", bad, tmp_path, f"{bad}:4:9 (Self-defined ethnicity): error VALUE-CODE", capsys)


def test_the_police_uk_archive_publishes_stop_and_search_with_street_crime(tmp_path):
    month = tmp_path / "archive" / "2019-01"
    month.mkdir(parents=True)
    for name in ("2019-01-city-of-london-street.csv", "2019-01-city-of-london-stop-and-search.csv"):
        shutil.copy(POLICE / name, month / name)
    assert main(["build", "--store", str(tmp_path / "store"), "--source", str(tmp_path / "archive")]) == 0
    with open_store(tmp_path / "store", BASE, read_only=True) as opened:
        graphs = opened.graphs()
    assert any(g.startswith(f"{BASE}/graph/dataset/stop-and-search/2019-01/") for g in graphs)
    assert any(g.startswith(f"{BASE}/graph/dataset/street-crime/2019-01/") for g in graphs)


# -- the mapping keys this dataset added, misused --------------------------------------------

SEARCH_MAPPING = find_mapping("stop-and-search").read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, why", [
    ("timezone: Europe/London", "timezone: Europe/Londn", "fields.month.timezone: 'Europe/Londn' is not a time zone"),
    ("{column: Type, kind: code, codelist: stop-search-type}", "{column: Type, kind: code, codelist: stop-search-type, timezone: UTC}",
     "only a month read from a date-time has a time zone"),
    ("missing: {read_as: Not reported}", "missing: {read_as: Not knwn}", "fields.officer_ethnicity.missing.read_as: 'Not knwn' is not in the ethnicity code list"),
    ("missing: {read_as: Not reported}", "missing: {read_ass: Not reported}", "did you mean 'read_as'"),
    ("file_name: '\\d{4}-\\d{2}-(.+)-stop-and-search\\.csv', kind: police-force}", "file_name: '\\d{4}-\\d{2}-.+-stop-and-search\\.csv', kind: police-force}",
     "has no group"),
    ("file_name: '\\d{4}-\\d{2}-(.+)-stop-and-search\\.csv', kind: police-force}", "file_name: '(.+', kind: police-force}",
     "is not a regular expression"),
    ("search:    {kind: row-digest}", "search:    {kind: row-digest, column: Date}", "is read from the whole row, so it names no column"),
])
def test_a_mistake_in_the_new_keys_exits_2_naming_file_key_and_value(tmp_path, capsys, old, new, why):
    assert old in SEARCH_MAPPING
    path = tmp_path / "stop-and-search.yaml"
    path.write_text(SEARCH_MAPPING.replace(old, new, 1), encoding="utf-8")
    assert main(["validate", str(path), "--source", str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(path) in err and why in err, err


def test_a_search_of_another_month_than_its_files_is_refused_at_its_date(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][HEADER.index("Date")] = "2016-06-30T23:30:00+00:00"  # 00:30 BST on 1 July
    path = table(tmp_path, rows)
    problem = one_problem(build("stop-and-search", path, tmp_path)[0])
    assert (problem.code, problem.line, problem.column) == ("VALUE-DISAGREES", 4, 2)
    assert "month 2016-07, file_month 2016-06" in problem.message and "UK time" in problem.message
