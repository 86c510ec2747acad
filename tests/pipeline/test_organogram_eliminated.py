"""Eliminated posts in the organogram (`records.inactive`): published as posts, so that what
reports to them resolves, but counted in no cell of the senior cube; a post listed both as it is
and as 'Eliminated' in one snapshot (the Government Equalities Office in 2012) is one post,
counted once. Checked against counts over the bundled CSVs that follow the same rule."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from linkeddata.store import open_store
from linkeddata.uris import slug

from dataset_checks import build, publish_bundled, write_table
from shared import BASE
from test_organogram import PREFIXES, SENIOR_HEADER, grade_slug, rows, senior_row

ELIMINATED = f"{BASE}/def/organogram/EliminatedPost"


def eliminated(row: dict[str, str]) -> bool:
    """The files spell it 'Eliminated', Eliminated' and Eliminated."""
    return row["Name"].strip("'\" ").casefold() == "eliminated"


def senior_sums(name: str) -> dict[tuple[str, str], Decimal]:
    """FTE by unit and grade, by the rule: an 'Eliminated' row counts nowhere; rows of one post
    that are not (a job share) all count."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in rows(name):
        if not eliminated(row):
            sums[slug(row["Unit"]), grade_slug(row["Grade (or equivalent)"])] += Decimal(row["FTE"])
    return dict(sums)


def only_eliminated(name: str) -> set[str]:
    """The posts a file lists only as 'Eliminated'."""
    listed = rows(name)
    return {r["Post Unique Reference"] for r in listed if eliminated(r)} - {
        r["Post Unique Reference"] for r in listed if not eliminated(r)}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    return publish_bundled(tmp_path_factory, "organogram-senior-posts", "organogram-junior-posts")


@pytest.mark.parametrize("organisation,date,name", [
    ("home-office", "2012-09-30", "home_office-2012-09-30-senior.csv"),
    ("home-office", "2011-03-31", "home_office-2011-03-31-senior.csv"),
    ("identity-passport-service", "2011-03-31", "identity_passport_service-2011-03-31-senior.csv"),
    ("criminal-records-bureau", "2011-03-31", "criminal_records_bureau-2011-03-31-senior.csv"),
])
def test_senior_fte_per_unit_and_grade_counts_each_post_that_exists_once(published, organisation, date, name):
    query = PREFIXES + f"""
        SELECT ?unit ?grade ?fte WHERE {{
            ?obs qb:dataSet <{BASE}/data/organogram-senior-posts> ;
                 organogram:organisation <{BASE}/id/organisation/{organisation}> ;
                 organogram:snapshotDate <{BASE}/id/day/{date}> ;
                 organogram:unit ?unit ; organogram:grade ?grade ;
                 organogram:fullTimeEquivalent ?fte .
        }}"""
    with open_store(published, BASE) as store:
        found = store.select(query)
    got = {(str(r["unit"]).rsplit("/", 1)[-1], str(r["grade"]).rsplit("/", 1)[-1]): Decimal(str(r["fte"]))
           for r in found}
    assert len(got) == len(found)  # one observation per unit and grade
    assert got == senior_sums(name)


def test_the_government_equalities_offices_posts_count_once(published):
    """Eight GEO posts, each listed twice in 2012 (as it is, and 'Eliminated'): 7.94 FTE, not 15.88."""
    listed = [r for r in rows("home_office-2012-09-30-senior.csv") if r["Unit"].startswith("Government Equalities")]
    assert len(listed) == 16 and len({r["Post Unique Reference"] for r in listed}) == 8
    query = PREFIXES + f"""
        SELECT (SUM(?fte) AS ?total) WHERE {{
            ?obs qb:dataSet <{BASE}/data/organogram-senior-posts> ;
                 organogram:snapshotDate <{BASE}/id/day/2012-09-30> ;
                 organogram:unit ?unit ; organogram:fullTimeEquivalent ?fte .
            FILTER STRSTARTS(STR(?unit), "{BASE}/id/organisation/home-office/unit/government-equalities-office")
        }}"""
    with open_store(published, BASE) as store:
        (row,) = store.select(query)
    assert Decimal(str(row["total"])) == Decimal("7.94")


def test_an_eliminated_post_is_published_marked_and_what_reports_to_it_resolves(published):
    day = f"{BASE}/id/day/2012-09-30"
    with open_store(published, BASE) as store:
        marked = {str(r["ref"]) for r in store.select(PREFIXES + f"""
            SELECT ?ref WHERE {{ ?post a <{ELIMINATED}>, org:Post ;
                                       organogram:snapshotDate <{day}> ; skos:notation ?ref }}""")}
        post = f"{BASE}/id/organisation/home-office/post"
        # Listed as it is and as 'Eliminated': the post as it is, even when the 'Eliminated' row comes first.
        assert store.ask(PREFIXES + f"""ASK {{
            <{post}/1CPG19/2012-09-30> org:reportsTo <{post}/2HOS03/2012-09-30> .
            <{post}/2HOS03/2012-09-30> a <{ELIMINATED}> .
            <{post}/1GEO04/2012-09-30> a org:Post }}""")
    assert marked == only_eliminated("home_office-2012-09-30-senior.csv")
    assert {"2HOS03", "2CPG01"} <= marked and not {"1CPG19", "1GEO04", "2SIIGSEC"} & marked


def test_junior_posts_under_an_eliminated_post_are_published_and_counted(published):
    query = PREFIXES + f"""
        SELECT (SUM(?fte) AS ?total) WHERE {{
            ?obs qb:dataSet <{BASE}/data/organogram-junior-posts> ;
                 organogram:snapshotDate <{BASE}/id/day/2012-09-30> ;
                 organogram:reportingPost ?post ; organogram:fullTimeEquivalent ?fte .
            ?post a <{ELIMINATED}> .
        }}"""
    with open_store(published, BASE) as store:
        (row,) = store.select(query)
    assert Decimal(str(row["total"])) == Decimal("47.3")  # 1HR06 and 1CPG33's teams, as the file gives them


def test_a_post_listed_eliminated_then_as_it_is_is_one_post_with_both_lines_warned(tmp_path):
    dead = senior_row("1DD01", "4PS01")
    dead[SENIOR_HEADER.index("Name")] = "'Eliminated'"
    dead[SENIOR_HEADER.index("Job Title")] = "Old title"
    gone = senior_row("1DD02", "4PS01")
    gone[SENIOR_HEADER.index("Name")] = "Eliminated'"
    source = write_table(tmp_path / "home_office-2020-03-31-senior.csv", SENIOR_HEADER, [
        senior_row("4PS01", "XX"), dead, senior_row("1DD01", "4PS01"), gone, senior_row("1DD03", "1DD02"),
    ])
    result, graph = build("organogram-senior-posts", source, tmp_path)
    assert not result.errors
    (twice,) = [p for p in result.problems if p.code == "RECORD-INACTIVE-TWICE"]
    assert (twice.file, twice.line) == (str(source), 4) and "line 3" in twice.message
    (marked,) = [p for p in result.problems if p.code == "RECORD-INACTIVE"]
    assert "2 row(s)" in marked.message
    post = f"{BASE}/id/organisation/home-office/post"
    job_title = URIRef(f"{BASE}/def/organogram/jobTitle")
    fte = URIRef(f"{BASE}/def/organogram/fullTimeEquivalent")
    assert {str(t) for t in graph.objects(URIRef(f"{post}/1DD01/2020-03-31"), job_title)} == {"Director 1DD01"}
    assert set(graph.subjects(RDF.type, URIRef(ELIMINATED))) == {URIRef(f"{post}/1DD02/2020-03-31")}
    observations = list(graph.subjects(URIRef("http://purl.org/linked-data/cube#dataSet"), None))
    assert sum(Decimal(str(graph.value(o, fte))) for o in observations) == 3  # 4PS01, 1DD01 and 1DD03

