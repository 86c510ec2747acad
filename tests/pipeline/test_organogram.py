"""The organogram mappings: the bundled Cabinet Office files published, checked against the
files themselves; and the mistakes a person editing such a file makes, refused with where."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from linkeddata.cli import main
from linkeddata.reference import tables
from linkeddata.settings import resource_dir
from linkeddata.store import open_store
from linkeddata.uris import slug

from dataset_checks import publish_bundled, write_table
from shared import BASE

FOLDER = resource_dir("data") / "organogram"
ORG = "http://www.w3.org/ns/org#"
PREFIXES = f"""
    PREFIX org: <{ORG}>
    PREFIX qb: <http://purl.org/linked-data/cube#>
    PREFIX owl: <http://www.w3.org/2002/07/owl#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX organogram: <{BASE}/def/organogram/>
"""
WITHHELD = f"{BASE}/def/statistics/observation-status/withheld"


def rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def grade_slug(text: str) -> str:
    """The code a file's grade spelling is (an agency's "EO (GEO)" is EO), from the code list."""
    for code in tables.code_list("civil-service-grade"):
        if tables.normalise(text) in {tables.normalise(n) for n in (code.label, code.slug, *code.other_names)}:
            return code.slug
    raise AssertionError(f"{text!r} is in no grade's names")


def junior_sums(name: str) -> dict[tuple[str, str], Decimal]:
    """FTE by unit and grade as the file gives it, each row counted once however often it is repeated."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    seen = set()
    for row in rows(name):
        cells = tuple(row.values())
        if cells in seen:
            continue
        seen.add(cells)
        sums[slug(row["Unit"]), grade_slug(row["Grade"])] += Decimal(row["Number of Posts in FTE"])
    return sums


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return publish_bundled(tmp_path_factory, "organogram-senior-posts", "organogram-junior-posts")


@pytest.mark.parametrize("organisation,date,name", [
    ("home-office", "2012-09-30", "home_office-2012-09-30-junior.csv"),
    ("identity-passport-service", "2011-03-31", "identity_passport_service-2011-03-31-junior.csv"),
])
def test_junior_posts_per_unit_and_grade_are_the_files_sums(published, organisation, date, name):
    query = PREFIXES + f"""
        SELECT ?unit ?grade (SUM(?fte) AS ?total) WHERE {{
            ?obs qb:dataSet <{BASE}/data/organogram-junior-posts> ;
                 organogram:organisation <{BASE}/id/organisation/{organisation}> ;
                 organogram:snapshotDate <{BASE}/id/day/{date}> ;
                 organogram:unit ?unit ; organogram:grade ?grade ;
                 organogram:fullTimeEquivalent ?fte .
        }} GROUP BY ?unit ?grade"""
    with open_store(published, BASE) as store:
        got = {(str(r["unit"]).rsplit("/", 1)[-1], str(r["grade"]).rsplit("/", 1)[-1]): Decimal(str(r["total"]))
               for r in store.select(query)}
    assert got == junior_sums(name)


def test_each_senior_post_reports_to_the_post_the_file_names(published):
    query = PREFIXES + f"""
        SELECT ?ref ?boss ?same WHERE {{
            ?post a org:Post ; organogram:snapshotDate <{BASE}/id/day/2012-09-30> ;
                  skos:notation ?ref ; <http://purl.org/dc/terms/isVersionOf>/owl:sameAs ?same .
            OPTIONAL {{ ?post org:reportsTo/skos:notation ?boss }}
        }}"""
    with open_store(published, BASE) as store:
        got = {str(r["ref"]): (str(r["boss"]) if r.get("boss") else "XX", str(r["same"]))
               for r in store.select(query)}
    expected = {}
    for row in rows("home_office-2012-09-30-senior.csv"):
        expected.setdefault(row["Post Unique Reference"], (row["Reports to Senior Post"], row["URI"]))
    assert got == expected


def test_a_withheld_pay_band_is_withheld_not_zero(published):
    with open_store(published, BASE) as store:
        def pay(ref: str) -> tuple[str, str]:
            found = store.select(PREFIXES + f"""
                SELECT ?floor ?ceiling WHERE {{
                    <{BASE}/id/organisation/home-office/post/{ref}/2012-09-30>
                        organogram:payFloor ?floor ; organogram:payCeiling ?ceiling }}""")
            return str(found[0]["floor"]), str(found[0]["ceiling"])

        assert pay("1SIIG16") == (WITHHELD, WITHHELD)  # 0 and 0 in the file
        assert pay("2OSCT03") == ("80000", "84999")
        assert not store.ask(PREFIXES + "ASK { { ?p organogram:payFloor ?v } UNION { ?p organogram:payCeiling ?v } "
                                        "FILTER (isLiteral(?v) && ?v = 0) }")


def test_no_name_is_published(published):
    """Neither "N/D" nor the names some rows disclose: the organogram describes posts."""
    names = {row["Name"] for name in FOLDER.glob("*-senior.csv") for row in rows(name.name)} - {""}
    assert {"N/D", "Paul Pugh"} <= names
    with open_store(published, BASE) as store:
        literals = {str(r["o"]) for r in store.select("SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER isLiteral(?o) } }")}
    assert not names & literals


def test_each_post_and_its_units_and_department_are_org_resources(published):
    with open_store(published, BASE) as store:
        post = f"{BASE}/id/organisation/home-office/post/2OSCT03"
        assert store.ask(PREFIXES + f"""ASK {{
            <{post}> a org:Post ; owl:sameAs <http://reference.data.gov.uk/id/department/ho/post/2OSCT03> .
            <{post}/2012-09-30> a org:Post ; org:postIn ?unit ; organogram:organisation ?dept ;
                organogram:grade <{BASE}/def/organogram/civil-service-grade/scs2> .
            ?unit a org:OrganizationalUnit ; org:unitOf ?dept .
            ?dept a org:Organization }}""")


# -- bad input, as a person editing a file produces it ---------------------------------------

SENIOR_HEADER = next(csv.reader((FOLDER / "criminal_records_bureau-2011-03-31-senior.csv").open(encoding="utf-8")))
JUNIOR_HEADER = next(csv.reader((FOLDER / "criminal_records_bureau-2011-03-31-junior.csv").open(encoding="utf-8")))


def senior_row(ref: str, reports_to: str) -> list[str]:
    cells = dict.fromkeys(SENIOR_HEADER, "")
    cells.update({
        "Post Unique Reference": ref, "Name": "N/D", "Grade (or equivalent)": "SCS1", "Job Title": f"Director {ref}",
        "Parent Department": "Home Office", "Organisation": "Home Office", "Unit": "Strategy",
        "Reports to Senior Post": reports_to, "FTE": "1", "Actual Pay Floor (£)": "0", "Actual Pay Ceiling (£)": "0",
        "URI": f"http://reference.data.gov.uk/id/department/ho/post/{ref}",
    })
    return list(cells.values())


def refused(tmp_path: Path, capsys, mapping: str, source: Path, store: Path | None = None) -> str:
    store = store or tmp_path / "store"
    assert main(["build", "--store", str(store), mapping, "--source", str(source)]) != 0
    return capsys.readouterr().err


def published_graphs(store: Path) -> list[str]:
    with open_store(store, BASE) as opened:
        return [g for g in opened.graphs() if "/dataset/" in g]


def test_a_post_reporting_to_a_post_not_in_its_snapshot_is_refused(tmp_path, capsys):
    source = write_table(tmp_path / "home_office-2020-03-31-senior.csv", SENIOR_HEADER, [
        senior_row("4PS01", "XX"), senior_row("3DG01", "4PS01"), senior_row("1DD07", "2DIR09"),
    ])
    err = refused(tmp_path, capsys, "organogram-senior-posts", source)
    column = SENIOR_HEADER.index("Reports to Senior Post") + 1
    assert f"{source}:4:{column}" in err and "PARENT-MISSING" in err and "'2DIR09'" in err
    assert published_graphs(tmp_path / "store") == []


def test_a_cycle_in_the_reporting_tree_is_refused(tmp_path, capsys):
    source = write_table(tmp_path / "home_office-2020-03-31-senior.csv", SENIOR_HEADER, [
        senior_row("4PS01", "XX"), senior_row("2DIR01", "1DD01"), senior_row("1DD01", "2DIR01"),
    ])
    err = refused(tmp_path, capsys, "organogram-senior-posts", source)
    assert "PARENT-CYCLE" in err and "2DIR01" in err and "1DD01" in err
    assert f"{source}:3:" in err or f"{source}:4:" in err
    assert published_graphs(tmp_path / "store") == []


def test_a_junior_row_whose_parent_is_not_a_senior_post_is_refused(tmp_path, capsys):
    store = tmp_path / "store"
    senior = write_table(tmp_path / "home_office-2020-03-31-senior.csv", SENIOR_HEADER, [senior_row("4PS01", "XX")])
    assert main(["build", "--store", str(store), "organogram-senior-posts", "--source", str(senior)]) == 0
    capsys.readouterr()
    cells = {"Parent Department": "Home Office", "Organisation": "Home Office", "Unit": "Strategy",
             "Reporting Senior Post": "4PS01", "Grade": "EO", "Payscale Minimum (£)": "20000",
             "Payscale Maximum (£)": "25000", "Generic Job Title": "Policy officer", "Number of Posts in FTE": "2",
             "Professional/Occupational Group": "Policy", "source_file": "", "source_line": ""}
    junior = write_table(tmp_path / "home_office-2020-03-31-junior.csv", JUNIOR_HEADER, [
        [cells[h] for h in JUNIOR_HEADER], [{**cells, "Reporting Senior Post": "1NOPE01"}[h] for h in JUNIOR_HEADER],
    ])
    before = published_graphs(store)
    err = refused(tmp_path, capsys, "organogram-junior-posts", junior, store)
    column = JUNIOR_HEADER.index("Reporting Senior Post") + 1
    assert f"{junior}:3:{column}" in err and "RECORD-NOT-FOUND" in err and "organogram-senior-posts" in err
    assert published_graphs(store) == before


def test_a_renamed_column_is_refused_with_its_name(tmp_path, capsys):
    header = ["Reports To" if h == "Reports to Senior Post" else h for h in SENIOR_HEADER]
    source = write_table(tmp_path / "home_office-2020-03-31-senior.csv", header, [senior_row("4PS01", "XX")])
    err = refused(tmp_path, capsys, "organogram-senior-posts", source)
    assert "Reports to Senior Post" in err and str(source) in err


def test_a_file_not_named_by_its_date_is_refused(tmp_path, capsys):
    source = write_table(tmp_path / "home-office-senior-latest.csv", SENIOR_HEADER, [senior_row("4PS01", "XX")])
    err = refused(tmp_path, capsys, "organogram-senior-posts", source)
    assert "FILE-NAME" in err and "home-office-senior-latest.csv" in err


def test_a_malformed_fte_and_an_unknown_grade_are_refused_where_they_are(tmp_path, capsys):
    row = senior_row("4PS01", "XX")
    row[SENIOR_HEADER.index("FTE")] = "one"
    other = senior_row("3DG01", "4PS01")
    other[SENIOR_HEADER.index("Grade (or equivalent)")] = "SCS7"
    source = write_table(tmp_path / "home_office-2020-03-31-senior.csv", SENIOR_HEADER, [row, other])
    err = refused(tmp_path, capsys, "organogram-senior-posts", source)
    assert f"{source}:2:{SENIOR_HEADER.index('FTE') + 1}" in err
    assert f"{source}:3:{SENIOR_HEADER.index('Grade (or equivalent)') + 1}" in err and "SCS7" in err


def test_the_post_shapes_refuse_a_broken_post():
    """shapes/posts.ttl: a post reporting to nothing published, and a negative FTE."""
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import XSD

    from linkeddata.validate import validate_graph

    org, vocab = Namespace(ORG), Namespace(f"{BASE}/def/organogram/")
    post = URIRef(f"{BASE}/id/organisation/x/post/A/2020-03-31")
    graph = Graph()
    graph.add((post, RDF.type, org.Post))
    graph.add((post, org.reportsTo, URIRef(f"{BASE}/id/organisation/x/post/B/2020-03-31")))
    graph.add((post, vocab.fullTimeEquivalent, Literal("-1", datatype=XSD.decimal)))
    assert {p.code for p in validate_graph(graph, BASE)} >= {"POST-REPORTS-TO", "POST-FTE"}


def test_the_readme_query_gives_each_posts_junior_fte_as_the_file(published):
    import re

    readme = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")
    query = re.search(r"```sparql\n(# senior posts and the junior posts under them\n.*?)```", readme, re.S).group(1)
    with open_store(published, BASE) as store:
        got = {str(r["post"]).rsplit("/", 2)[-2]: Decimal(str(r["juniorPosts"])) for r in store.select(query)}
    expected: dict[str, Decimal] = defaultdict(Decimal)
    seen = set()
    for row in rows("home_office-2012-09-30-junior.csv"):
        if tuple(row.values()) not in seen:
            seen.add(tuple(row.values()))
            expected[row["Reporting Senior Post"]] += Decimal(row["Number of Posts in FTE"])
    assert got == dict(expected)


def test_a_junior_row_is_checked_against_the_senior_posts_built_in_the_same_run(tmp_path):
    """Built together, the junior file is checked against the senior build, not the store."""
    from linkeddata.errors import ValidationFailed
    from linkeddata.mapping import find_mapping, load_mapping
    from linkeddata.pipeline import Publisher
    from linkeddata.uris import Minter

    senior = write_table(tmp_path / "home_office-2020-03-31-senior.csv", SENIOR_HEADER, [senior_row("4PS01", "XX")])
    cells = dict.fromkeys(JUNIOR_HEADER, "")
    cells.update({"Organisation": "Home Office", "Unit": "Strategy", "Reporting Senior Post": "4PS02",
                  "Grade": "EO", "Number of Posts in FTE": "1"})
    junior = write_table(tmp_path / "home_office-2020-03-31-junior.csv", JUNIOR_HEADER, [list(cells.values())])
    jobs = [(load_mapping(find_mapping(name), BASE), [path]) for name, path in
            (("organogram-junior-posts", junior), ("organogram-senior-posts", senior))]
    with open_store(tmp_path / "store", BASE) as store:
        with pytest.raises(ValidationFailed) as failed:
            Publisher(store, Minter(BASE)).run(jobs)
        assert not [g for g in store.graphs() if "/dataset/" in g]
    (problem,) = [p for p in failed.value.problems if p.severity == "error"]
    assert (problem.code, problem.file, problem.line) == ("RECORD-NOT-FOUND", str(junior), 2)
    assert problem.column == JUNIOR_HEADER.index("Reporting Senior Post") + 1


# -- the mapping keys the organogram added, misused ----------------------------------------------

@pytest.mark.parametrize("old,new,says", [
    (r"'-(\d{4}-\d{2}-\d{2})-senior\.csv$'", r"'-(\d{4})-(\d{2})-senior\.csv$'", "exactly one group"),
    ('markers: {"0": withheld}}', 'markers: {"0": secret}}', "not an observation status"),
    ("parent: {field: reports_to, key: post", "parent: {field: reports_to, key: grade", "not one of the key fields"),
    ("sum: fte,", "sum: title,", "must be a decimal field"),
    ("values: [Eliminated]", "values: ['']", "list the texts"),
    ("class: organogram:EliminatedPost", "class: nowhere:EliminatedPost", "nowhere"),
    ("column: Name\n", "colum: Name\n", "'colum' is not a key here"),
])
def test_a_misused_organogram_key_is_refused_where_it_is(tmp_path, old, new, says):
    from linkeddata.errors import ConfigError
    from linkeddata.mapping import find_mapping, load_mapping

    text = find_mapping("organogram-senior-posts").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "organogram-senior-posts.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_mapping(path, BASE)
    assert says in str(refused.value) and str(path) in str(refused.value)
