"""HTML for people: labels, links to follow, escaped data, the home and query pages."""

from __future__ import annotations

import re

from .conftest import BASE

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # a browser


def test_resource_page_shows_label_types_and_links(client):
    page = client.get("/id/lsoa/E01000914", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Camden 028B</h1>" in page.text
    assert "<title>Camden 028B" in page.text
    # A local link to the force area, named by its label: a person clicks through.
    assert re.search(rf'<a href="{BASE}/id/police-force-area/E23000001"[^>]*>Metropolitan Police</a>', page.text)
    # The national URI is a plain outbound link.
    assert re.search(r'<a class="external" href="http://statistics.data.gov.uk/id/statistical-geography/E01000914"', page.text)
    # A property is named for people: a common one by its usual name, never a CURIE on the page.
    assert ">within</a>" in page.text and ">sr:within</a>" not in page.text
    # Incoming links, grouped with counts; a property with no label reads as its CURIE.
    assert re.search(r'>(crime:lsoa|LSOA|lsoa)</a> <span class="count">\(1\)</span>', page.text)
    assert "Bicycle theft, On or near Star Yard, January 2019" in page.text
    # Alternates, in the head and in the page.
    assert f'<link rel="alternate" type="text/turtle" href="{BASE}/doc/lsoa/E01000914.ttl">' in page.text


def test_a_crime_links_to_its_lsoa_which_links_to_its_force_area(client):
    crime = client.get("/id/crime/320930473d454d613ead909a28008a91a607c93f8b74339623a4cec4a252b0dd", headers=HTML)
    assert crime.status_code == 200
    assert re.search(rf'<a href="({BASE}/id/lsoa/E01000914)"[^>]*>Camden 028B</a>', crime.text)
    # property labels come from the store when it has them
    assert ">crime type</a>" in crime.text
    assert ">Bicycle theft</a>" in crime.text  # the code's skos:prefLabel
    lsoa = client.get(f"{BASE}/id/lsoa/E01000914", headers=HTML)
    assert f'href="{BASE}/id/police-force-area/E23000001"' in lsoa.text
    force = client.get(f"{BASE}/id/police-force-area/E23000001", headers=HTML)
    assert "<h1>Metropolitan Police</h1>" in force.text


def test_markup_in_data_stays_text(client):
    page = client.get("/doc/test/script", headers=HTML)
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "A &amp; B &lt; C" in page.text


def test_home_lists_the_datasets(client):
    page = client.get("/", headers=HTML)
    assert page.status_code == 200
    assert f'<a href="{BASE}/data/street-crime">Street-level crime</a>' in page.text
    assert "Crimes and anti-social behaviour recorded by police forces" in page.text
    assert 'href="/sparql"' in page.text


def test_query_page_has_a_form_and_examples(client):
    page = client.get("/sparql", headers=HTML)
    assert page.status_code == 200
    assert '<form method="get" action="/sparql"' in page.text
    assert "<textarea" in page.text
    assert "street-crime" in page.text
    # No CDN: no scripts at all, and the only stylesheet is ours.
    assert "<script" not in page.text
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text) == ["/static/style.css"]


def test_query_page_examples_all_run(client):
    from linkeddata.web.examples import examples

    for example in examples(BASE):
        response = client.get("/sparql", params={"query": example.query}, headers=HTML)
        assert response.status_code == 200, example.title
        assert 'class="results"' in response.text


def test_browser_gets_a_results_table(client):
    query = f"SELECT ?label WHERE {{ <{BASE}/id/month/2019-01> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    page = client.get("/sparql", params={"query": query}, headers=HTML)
    assert "January 2019" in page.text and "<th scope=\"col\">label</th>" in page.text


def test_static_css_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_404_page_for_people(client):
    page = client.get("/doc/lsoa/E99999999", headers=HTML)
    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.text
    assert "Traceback" not in page.text
