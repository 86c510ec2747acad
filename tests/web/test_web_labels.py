"""People see labels: titles by label (an observation by its values), property names rather
than CURIEs, no blank nodes, a literal's language or datatype only where it tells something."""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph, URIRef

from shared import BASE, assert_isomorphic

HTML = {"Accept": "text/html"}
PAGES = ["/doc/lsoa/E01000001", "/doc/month/2019-01", "/doc/def/crime/crime-type/burglary",
         "/doc/police-force-area/E23000034", "/doc/police-force/city-of-london"]


@pytest.mark.parametrize("path", PAGES)
def test_area_month_and_code_documents_have_no_blank_nodes(bundled, path):
    client, _ = bundled
    page = client.get(path, headers=HTML)
    assert page.status_code == 200
    assert "_:" not in page.text and "rdf:value" not in page.text
    graph = Graph().parse(data=client.get(path + ".ttl").text, format="turtle")
    assert not [t for t in graph if any(isinstance(x, BNode) for x in t)]


def test_an_observation_is_titled_by_its_values(bundled):
    client, _ = bundled
    page = client.get("/data/hate-crime/W15000004/2018-2019/race", headers=HTML)
    assert "<h1>Dyfed-Powys, Financial year 2018 to 2019, Race (Police recorded hate crime by police force area)</h1>" in page.text
    # Its value is named by what the dataset counts, not the shared measure property's label.
    assert re.search(r">Offences</a>(?:\s|<[^>]+>)*</th>\s*<td><div><span class=\"literal\">264<", page.text)


def test_properties_are_named_and_english_is_not_flagged(bundled):
    client, _ = bundled
    page = client.get("/doc/lsoa/E01000001", headers=HTML).text
    assert ">same as</a>" in page and "owl:sameAs" not in page
    assert not re.search(r'<small class="note">(en|xsd:integer|xsd:string)</small>', page)


def test_the_measure_column_is_headed_by_what_it_counts(bundled):
    client, _ = bundled
    page = client.get("/data/police-workforce", headers=HTML).text
    assert re.search(r'<th scope="col" class="number"><a [^>]*>Officers \(headcount\)</a>', page)
    assert ">Observation</a></th>" not in page


def test_a_force_area_lists_the_datasets_of_the_force_that_polices_it(bundled):
    client, _ = bundled
    page = client.get("/doc/police-force-area/E23000034", headers=HTML).text
    for title in ("Police officers by police force", "Police staff by police force", "Police use of force"):
        assert title in page
    assert "City of London Police (the force that polices this area)" in page
    assert f"policeForce={BASE.replace(':', '%3A').replace('/', '%2F')}%2Fid%2Fpolice-force%2Fcity-of-london" in page


def test_json_ld_is_compacted_one_node_per_subject_and_says_what_turtle_says(bundled):
    client, _ = bundled
    crime = client.get("/doc/police-force/city-of-london.jsonld")
    assert crime.status_code == 200
    body = crime.json()
    assert body["@context"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    ids = [node["@id"] for node in body["@graph"]]
    assert len(ids) == len(set(ids))  # one node object per subject
    force = next(n for n in body["@graph"] if n["@id"].endswith("/id/police-force/city-of-london"))
    assert force["skos:prefLabel"] == {"@value": "City of London Police", "@language": "en"}
    turtle = Graph().parse(data=client.get("/doc/police-force/city-of-london.ttl").text, format="turtle")
    assert_isomorphic(Graph().parse(data=crime.text, format="json-ld"), turtle)
    context = client.get("/context.jsonld").json()["@context"]
    assert context == body["@context"]


def test_turtle_groups_each_subject(bundled):
    client, _ = bundled
    text = client.get("/doc/lsoa/E01000001.ttl").text
    subject_lines = [line for line in text.splitlines() if line.startswith("<")]
    assert len(subject_lines) == len(set(line.split()[0] for line in subject_lines))


def test_cut_incoming_links_say_so_in_the_rdf(bundled):
    client, _ = bundled
    hydra = "http://www.w3.org/ns/hydra/core#"
    graph = Graph().parse(data=client.get("/doc/def/crime/crime-type/burglary.ttl").text, format="turtle")
    totals = {int(o) for o in graph.objects(None, URIRef(hydra + "totalItems"))}
    shown = len(set(graph.subjects(URIRef(f"{BASE}/def/crime/crimeType"),
                                   URIRef(f"{BASE}/def/crime/crime-type/burglary"))))
    assert totals and max(totals) > shown


def test_a_dataset_page_links_to_its_records(bundled):
    client, _ = bundled
    page = client.get("/data/street-crime", headers=HTML).text
    match = re.search(r'<a href="([^"]*/doc/def/crime/Crime\?incoming=[^"]*)">([\d,]+) crime records</a>', page)
    assert match and int(match.group(2).replace(",", "")) > 3000
    assert "geometry records" not in page
    listed = client.get(match.group(1).replace(BASE, "").replace("&amp;", "&"), headers=HTML)
    assert listed.status_code == 200 and "/id/crime/" in listed.text


def test_query_results_do_not_flag_english_or_integers(bundled):
    client, _ = bundled
    query = "SELECT ?l (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } GROUP BY ?l LIMIT 5"
    page = client.get("/sparql", params={"query": query}, headers=HTML).text
    assert not re.search(r'<small class="note">(en|xsd:integer)</small>', page)
