"""The README's example queries, run on the bundled data, give the answers the CSVs give."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from linkeddata.mapping import find_mapping, load_mapping
from linkeddata.reference import tables
from linkeddata.store import open_store

from shared import BASE

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def readme_query(marker: str, end: str) -> str:
    match = re.search(re.escape(marker) + r"(.*?)" + re.escape(end), README, re.S)
    assert match, f"README has no query after {marker!r}"
    return match.group(1)


CURL_QUERY = readme_query("--data-urlencode 'query=", "'")
WRAPPER_QUERY = readme_query('sparql.setQuery("""', '""")')


def sample_rows() -> list[dict[str, str]]:
    mapping = load_mapping(find_mapping("street-crime"), BASE)
    rows = []
    for path in mapping.samples:
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


@pytest.fixture(scope="module")
def store(bundled_store):
    with open_store(bundled_store, BASE, read_only=True) as opened:
        yield opened


def test_crimes_by_type_in_one_lsoa(store):
    expected = Counter(r["Crime type"] for r in sample_rows() if r["LSOA code"] == "E01000001")
    assert expected, "the sample should have crimes in E01000001"
    got = {str(r["type"]): int(r["crimes"]) for r in store.select(CURL_QUERY)}
    assert got == dict(expected)


def test_street_crime_rolled_up_to_police_force_areas(store):
    lsoas = tables.lsoas()
    expected = Counter(
        lsoas[r["LSOA code"]].police_force_area for r in sample_rows() if r["LSOA code"] in lsoas
    )
    got = {str(r["area"]).rsplit("/", 1)[1]: int(r["crimes"]) for r in store.select(WRAPPER_QUERY)}
    assert got == dict(expected)
    names = {str(r["name"]) for r in store.select(WRAPPER_QUERY)}
    assert "Dyfed-Powys" in names


# -- the queries that join datasets ------------------------------------------------------------

def sparql_block(title: str) -> str:
    """The ```sparql block of the README whose first line is `# {title}`."""
    match = re.search(r"```sparql\n# " + re.escape(title) + r"\n(.*?)```", README, re.S)
    assert match, f"README has no sparql block titled {title!r}"
    return match.group(1)


DATA = Path(__file__).parent.parent / "data"


def table(*parts: str) -> list[dict[str, str]]:
    with DATA.joinpath(*parts).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def financial_year(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    start = year if number >= 4 else year - 1
    return f"{start}-{start + 1}"


def key(uri) -> str:
    return str(uri).rsplit("/", 1)[1]


def test_hate_crime_next_to_street_crime_by_force_area_and_financial_year(store):
    lsoas = tables.lsoas()
    street: Counter[tuple[str, str]] = Counter()
    for r in sample_rows():
        area = lsoas.get(r["LSOA code"])
        if area is not None and area.police_force_area:
            street[(area.police_force_area, financial_year(r["Month"]))] += 1
    # The per-force file names areas as the Home Office table does; these are the ones the
    # bundled street crime has (its LSOAs lie in them).
    areas = {"London, City of": "E23000034", "Dyfed-Powys": "W15000004", "Metropolitan Police": "E23000001"}
    hate = {
        (areas[r["Force"]], r["Year"][:4] + "-" + str(int(r["Year"][:4]) + 1)): int(r["Total number of offences"])
        for r in table("crime", "hate-crime-by-force-2017-2019-bbc.csv") if r["Force"] in areas
    }
    expected = {k: (hate[k], street[k]) for k in hate if k in street}
    got = {(key(r["area"]), key(r["year"])): (int(r["hateCrimes"]), int(r["streetCrimes"]))
           for r in store.select(sparql_block("hate crime next to street crime"))}
    assert got == expected
    # The bundled street crime of January to March 2019 lies in City of London and the Met's area.
    assert set(got) == {("E23000034", "2018-2019"), ("E23000001", "2018-2019")}


def test_asylum_applications_by_region_over_quarters(store):
    nationalities = {tables.normalise(n): nat for nat in tables.nationalities() for n in (nat.name, *nat.other_names)}
    regions = {r.slug: r.label for r in tables.nationality_regions()}
    expected: Counter[tuple[str, str]] = Counter()
    for r in table("immigration", "small_boat_asylum_applications.csv"):
        if r["Asylum application"] == "Asylum application raised":
            region = regions[nationalities[tables.normalise(r["Nationality"])].region]
            expected[(f"{r['Year']}-Q{r['Quarter']}", region)] += int(r["Applications"].replace(",", ""))
    got = {(str(r["quarter"]), str(r["region"])): int(r["applications"])
           for r in store.select(sparql_block("asylum applications by region over quarters"))}
    assert got == dict(expected) and len({q for q, _ in got}) > 20


def test_from_a_crime_to_its_outcomes(store):
    query = sparql_block("from a crime to its outcomes")
    crime_id = re.search(r"/id/crime/([0-9a-f]{64})", query).group(1)
    (street,) = [r for r in table("policeuk", "2013-06-city-of-london-street.csv") if r["Crime ID"] == crime_id]
    categories = {tables.normalise(n): c.label for c in tables.code_list("outcome-category") for n in (c.label, *c.other_names)}
    expected = {
        (street["Crime type"], street["Month"], categories[tables.normalise(r["Outcome type"])], r["Month"])
        for r in table("policeuk", "2013-06-city-of-london-outcomes.csv") if r["Crime ID"] == crime_id
    }
    got = [(str(r["type"]), str(r["recorded"]), str(r["outcome"]), str(r["when"])) for r in store.select(query)]
    assert len(got) == len(set(got)) and set(got) == expected
    assert expected == {("Shoplifting", "2013-06", "Suspect charged", "2013-06"),
                        ("Shoplifting", "2013-06", "Offender sent to prison", "2013-06")}


def test_resettlement_per_police_force_area(store):
    authorities = tables.local_authorities()
    expected: Counter[str] = Counter()
    for r in table("immigration", "local_authority_resettlement.csv"):
        la = authorities.get(r["LAD Code"])
        if la is not None and la.police_force_area:
            expected[la.police_force_area] += int(r["Persons"].replace(",", ""))
    got = {key(r["area"]): int(r["people"]) for r in store.select(sparql_block("resettlement per police force area"))}
    assert got == dict(expected) and len(got) > 30


# -- every dataset has worked examples, in the README and on the query page ----------------------

from linkeddata.mapping import mapping_files  # noqa: E402
from linkeddata.web.examples import WORKED, by_dataset  # noqa: E402

BLOCKS = re.findall(r"```sparql\n# (.*?)\n(.*?)```", README, re.S)


def test_the_readme_and_the_query_page_have_the_same_worked_examples():
    readme = {title: f"# {title}\n{body}" for title, body in BLOCKS}
    page = {title: query.replace("{base}", BASE) for _, title, query in WORKED}
    assert readme == page
    shown = {e.query for g in by_dataset(BASE) for e in g.examples}
    assert set(page.values()) <= shown


def test_every_dataset_has_a_worked_example():
    covered = {name for datasets, _, _ in WORKED for name in datasets}
    assert covered == {p.stem for p in mapping_files()}


@pytest.mark.parametrize("title", [t for t, _ in BLOCKS])
def test_every_worked_example_runs_and_answers(store, title):
    rows = store.select(sparql_block(title))
    assert rows, f"{title!r} answers nothing on the bundled data"


def test_use_of_force_by_ethnicity_equals_the_tables_england_and_wales_total(store):
    (total,) = [r for r in table("equality", "use-of-force-by-ethnicity-force-apr2019-mar2020.csv")
                if r["Police Force"] == "Total England and Wales" and r["Tactic"] == "*Total Tactics"]
    labels = {c.slug: c.label for c in tables.code_list("ethnicity")}
    columns = {"white": "White", "black": "Black (or Black British)", "asian": "Asian (or Asian British)",
               "mixed": "Mixed", "other": "Other", "unknown": "Not reported"}
    expected = {labels[slug]: int(float(total[column])) for slug, column in columns.items()}
    got = {str(r["ethnicity"]): int(r["times"]) for r in store.select(sparql_block("use of force by ethnicity"))}
    assert got == expected


def test_police_officers_change_between_the_dates(store):
    rows = {r["Force/Region"]: r for r in table("equality", "officer-headcount-2019.csv")}
    got = {str(r["force"]): (int(r["march"]), int(r["september"]), int(r["change"]))
           for r in store.select(sparql_block("police officers: March and September 2019"))}
    kent = rows["Kent"]
    march, september = int(float(kent["March 2019"])), int(float(kent["September 2019"]))
    assert got["Kent Police"] == (march, september, september - march)
    assert len(got) == 44


def test_stop_and_search_and_use_of_force_by_ethnic_group_per_area(store):
    groups = {c.label: c.broader.split("/")[1] for c in tables.code_list("stop-search-ethnicity")}
    expected: Counter = Counter()
    months: dict[str, set[str]] = {}
    for path in sorted((DATA / "policeuk").glob("*-stop-and-search.csv")):
        force = path.name[8:-len("-stop-and-search.csv")]
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                expected[(force, groups[row["Self-defined ethnicity"] or "Not recorded"])] += 1
        months.setdefault(force, set()).add(path.name[:7])
    names = {"metropolitan": "Metropolitan Police", "city-of-london": "City of London"}
    labels = {c.label: c.slug for c in tables.code_list("ethnicity")}
    rows = store.select(sparql_block("stop and search and use of force by ethnic group per police force area"))
    got = {(str(r["name"]), labels[str(r["group"])]): int(r["searches"]) for r in rows}
    assert got == {(names[force], group): n for (force, group), n in expected.items()}
    for r in rows:
        force = next(f for f, n in names.items() if n == str(r["name"]))
        assert (str(r["from"]), str(r["to"])) == (min(months[force]), max(months[force]))
    # use of force: the table's "*Total Tactics" row of each force, by ethnicity column
    columns = {"white": "White", "black": "Black (or Black British)", "asian": "Asian (or Asian British)",
               "mixed": "Mixed", "other": "Other", "unknown": "Not reported"}
    totals = {r["Police Force"]: r for r in table("equality", "use-of-force-by-ethnicity-force-apr2019-mar2020.csv")
              if r["Tactic"] == "*Total Tactics"}
    table_force = {"Metropolitan Police": "Metropolitan", "City of London": "City of London"}
    for r in rows:
        group = labels[str(r["group"])]
        assert int(r["useOfForce"]) == int(float(totals[table_force[str(r["name"])]][columns[group]]))


# -- hate crime from the bulletin tables: the answers equal the workbook's cells ----------------

from ods_cells import cells  # noqa: E402

BULLETIN = Path(__file__).parent.parent / "data" / "crime" / "hate-crime-1819-hosb2419-tables.ods"


def test_hate_crime_by_strand_and_year_equals_table_2(store):
    sheet = cells(BULLETIN, "Table_2")
    years = {c: sheet[(4, c)][:4] for c in range(2, 10)}  # 2017/183: the marker after the year
    expected = {}
    for row in (6, 7, 8, 9, 10, 12, 14):
        label = {"Total number of offences": "Total offences"}.get(sheet[(row, 1)], sheet[(row, 1)])
        for column, start in years.items():
            cell = sheet[(row, column)]
            expected[(f"{start}-{int(start) + 1}", label)] = None if cell == "N/A" else int(cell)
    rows = store.select(sparql_block("hate crime in England and Wales by strand and year"))
    got = {(key(r["year"]), str(r["strand"])): (int(r["offences"]) if r.get("offences") is not None else None) for r in rows}
    assert got == expected
    notes = {key(r["year"]) for r in rows if r.get("note") is not None}
    assert notes == {"2017-2018"}


def test_monthly_aggravated_offences_add_up_to_financial_years(store):
    sheet = cells(BULLETIN, "Figure_2")
    expected: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for column in range(3, 10):
        year = int(sheet[(4, column)])
        for row in range(6, 18):  # January to December
            if (row, column) in sheet:
                start = year if row >= 9 else year - 1  # April onwards begins a financial year
                expected[f"{start}-{start + 1}"] += int(sheet[(row, column)])
                months[f"{start}-{start + 1}"] += 1
    got = {key(r["year"]): (int(r["offences"]), int(r["months"]))
           for r in store.select(sparql_block("racially or religiously aggravated offences by financial year"))}
    assert got == {y: (expected[y], months[y]) for y in expected}
    assert set(months.values()) == {12} and len(got) == 6
