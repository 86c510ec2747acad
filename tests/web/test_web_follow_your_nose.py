"""Issue 5 on the real bundled data: dataset page, catalogue, VoID, downloads, area and code
pages, conditional GETs, and a crawl from / and /catalogue that finds no broken link."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import deque
from pathlib import Path
from typing import Iterator
from urllib.parse import urldefrag, urlsplit

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from linkeddata.settings import Settings
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app

from shared import BASE

HTML = {"Accept": "text/html"}
DS = f"{BASE}/data/street-crime"
BURGLARY = f"{BASE}/def/crime/crime-type/burglary"
CITY = f"{BASE}/id/police-force-area/E23000034"  # City of London


@pytest.fixture(scope="module")
def web(bundled_store: Path) -> Iterator[TestClient]:
    store = EmbeddedStore(bundled_store, BASE, read_only=True)
    with TestClient(create_app(store, Settings(base_uri=BASE)), raise_server_exceptions=False) as client:
        yield client
    store.close()


def test_dataset_page_shows_metadata_structure_counts_and_downloads(web):
    page = web.get("/data/street-crime", headers=HTML)
    assert page.status_code == 200
    assert "<h1>Street-level crime</h1>" in page.text
    assert "Open Government Licence v3.0" in page.text
    assert re.search(r'class="observations">3,865 <span class="figure">\(11,123 crimes and anti-social behaviour in all\)', page.text)
    assert "crime type</a>" in page.text and 'href="http://localhost:8000/def/crime/crime-type"' in page.text
    assert f'href="{BASE}/download/street-crime.csv"' in page.text
    assert "<svg" in page.text and "<polyline" in page.text
    assert 'rel="next"' in page.headers["link"]


def test_filters_select_a_slice_with_labels_and_paging(web):
    page = web.get("/data/street-crime", params={"crimeType": BURGLARY}, headers=HTML)
    assert page.status_code == 200
    table_html = page.text.split('<table class="observations">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>.*?</tr>", table_html, re.S)
    assert rows and all(">Burglary</a>" in row for row in rows)
    csv_text = web.get("/download/street-crime.csv", params={"crimeType": BURGLARY}).text
    table = list(csv.DictReader(io.StringIO(csv_text)))
    assert table and {r["crimeType"] for r in table} == {BURGLARY}
    assert {r["crimeType_label"] for r in table} == {"Burglary"}
    count = re.search(r"([0-9,]+)</strong> observations", page.text.split('<section class="observations"', 1)[1])
    assert count and int(count.group(1).replace(",", "")) == len(table)
    assert web.get("/data/street-crime", params={"nonsense": "x"}, headers=HTML).status_code == 400


def test_downloads_stream_the_whole_cube(web):
    table = list(csv.DictReader(io.StringIO(web.get("/download/street-crime.csv").text)))
    assert len(table) == 3865
    assert sum(int(r["obsValue"]) for r in table) == 11123
    meta = web.get("/download/street-crime.csv-metadata.json").json()
    assert meta["url"] == f"{BASE}/download/street-crime.csv"
    assert [c["name"] for c in meta["tableSchema"]["columns"]][:4] == ["observation", "refArea", "refArea_code", "refArea_label"]
    dump = web.get("/download/street-crime.nt.gz")
    graph = Graph().parse(data=gzip.decompress(dump.content).decode(), format="nt")
    assert len(list(graph.subjects(RDF.type, URIRef("http://purl.org/linked-data/cube#Observation")))) == 3865


def test_catalogue_and_void(web):
    graph = Graph().parse(data=web.get("/catalogue.ttl").text, format="turtle")
    ds = URIRef(DS)
    assert (URIRef(f"{BASE}/catalogue"), DCAT.dataset, ds) in graph
    for prop in (DCTERMS.title, DCTERMS.license, DCTERMS.publisher, DCTERMS.issued, DCTERMS.modified,
                 DCTERMS.accrualPeriodicity, DCTERMS.spatial, DCTERMS.temporal, DCAT.keyword, DCAT.distribution):
        assert graph.value(ds, prop) is not None, prop
    assert (None, DCAT.endpointURL, URIRef(f"{BASE}/sparql")) in graph
    void = Graph().parse(data=web.get("/.well-known/void", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (None, VOID.sparqlEndpoint, URIRef(f"{BASE}/sparql")) in void
    assert (None, RDF.type, VOID.Linkset) in void
    assert "Street-level crime" in web.get("/catalogue", headers=HTML).text


def test_area_and_code_pages_link_to_the_filtered_dataset(web):
    area = web.get("/id/police-force-area/E23000034", headers=HTML)
    assert "for the areas within this one" in area.text
    assert "refArea.within=http%3A%2F%2Flocalhost%3A8000%2Fid%2Fpolice-force-area%2FE23000034" in area.text
    code = web.get("/def/crime/crime-type/burglary", headers=HTML)
    assert "by crime type" in code.text and "crimeType=http%3A%2F%2F" in code.text


def test_conditional_get_by_etag_and_last_modified(web):
    first = web.get("/doc/lsoa/E01000914", headers={"Accept": "text/turtle"})
    assert first.headers["content-location"] == f"{BASE}/doc/lsoa/E01000914.ttl"
    modified = first.headers["last-modified"]
    again = web.get("/doc/lsoa/E01000914", headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert again.status_code == 304
    assert web.get("/catalogue", headers={"If-None-Match": web.get("/catalogue").headers["etag"]}).status_code == 304
    assert web.head("/id/lsoa/E01000914", follow_redirects=False).headers["vary"] == "Accept"


def test_ontology_terms_and_shapes_dereference(web):
    for thing in ("/def/crime/crimeType", "/def/shapes/meta-licence"):
        seen = web.get(thing, headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert seen.status_code == 303 and seen.headers["location"] == f"{BASE}/doc{thing}"
        doc = web.get(thing, headers={"Accept": "text/turtle"})
        assert doc.status_code == 200
        assert (URIRef(BASE + thing), None, None) in Graph().parse(data=doc.text, format="turtle")


def _links(response) -> set[str]:
    kind = response.headers.get("content-type", "")
    if kind.startswith("text/html"):
        return {urldefrag(h)[0] for h in re.findall(r'href="([^"]+)"', response.text)}
    if not kind.startswith("text/turtle"):
        return set()  # stylesheets, downloads
    graph = Graph().parse(data=response.text, format="turtle")  # every RDF document parses
    return {urldefrag(str(t))[0] for triple in graph for t in triple if isinstance(t, URIRef)}


def _kind(url: str) -> str:
    """`/id/lsoa` for /id/lsoa/... and /doc/lsoa/... alike; `/def/crime` for /def/ and /doc/def/."""
    path = urlsplit(url).path
    path = path.replace("/doc/def/", "/def/", 1) if path.startswith("/doc/def/") else path.replace("/doc/", "/id/", 1)
    return "/".join(path.split("/")[:3])


def test_crawl_from_home_and_catalogue_finds_no_broken_link(web):
    # Round-robin over kinds of URI (/id/lsoa, /def/crime, /data/street-crime, ...), so a bounded
    # crawl reaches every kind rather than 1,500 LSOAs.
    queues: dict[str, deque[str]] = {}
    seen: set[str] = set()

    def add(url: str) -> None:
        url = url.replace("&amp;", "&")
        if url.startswith("/"):
            url = BASE + url
        if not url.startswith(BASE + "/") or url in seen or url.startswith(f"{BASE}/sparql"):
            return
        seen.add(url)
        queues.setdefault(_kind(url), deque()).append(url)

    add(f"{BASE}/")
    add(f"{BASE}/catalogue")
    visited, kinds, failures = 0, set(), []
    per_kind: dict[str, int] = {}
    while visited < 400 and any(queues.values()):
        for kind in list(queues):
            if not queues[kind]:
                continue
            url = queues[kind].popleft()
            visited += 1
            kinds.add(kind)
            per_kind[kind] = per_kind.get(kind, 0) + 1
            path = url[len(BASE):] or "/"
            response = web.get(path, headers=HTML)
            if response.status_code != 200:
                failures.append((url, response.status_code))
                continue
            if "/download/" in path:
                continue
            links = _links(response)
            if per_kind[kind] <= 5 and not path.startswith("/graph/") and response.headers.get("content-type", "").startswith("text/html"):
                rdf = web.get(path, headers={"Accept": "text/turtle"})
                if rdf.status_code == 200 and rdf.headers["content-type"].startswith("text/turtle"):
                    links |= _links(rdf)
            for link in links:
                add(link)
    assert not failures, failures[:20]
    for kind in ("/id/lsoa", "/id/police-force-area", "/id/month", "/id/crime", "/def/crime", "/def/geography",
                 "/data/street-crime", "/download/street-crime.csv", "/download/street-crime.nt.gz", "/catalogue",
                 "/def/shapes", "/graph/dataset", "/graph/vocabulary", "/graph/history", "/.well-known"):
        assert any(k.startswith(kind) for k in kinds), (kind, sorted(kinds))


def test_data_values_are_escaped(web):
    page = web.get("/data/street-crime", params={"crimeType": BURGLARY}, headers=HTML)
    # The page's own scripts come from /static; no other script element may appear.
    assert re.findall(r"<script[^>]*>", page.text.lower()) == ['<script src="/static/suggest.js" defer>']
    bad = web.get("/data/street-crime", params={"crimeType": "<script>"}, headers=HTML)
    assert bad.status_code == 400 and "<script>" not in bad.text
