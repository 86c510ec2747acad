"""Release history as PROV-O: every publish of a dataset is kept, with its sources' checksums."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from linkeddata.cli import main
from linkeddata.history import DCAT_CURRENT, DCAT_VERSION, read_releases
from linkeddata.store import open_store
from linkeddata.uris import Minter
from linkeddata.validate import validate_release

from shared import BASE, TEST_DATA

DS = f"{BASE}/data/street-crime"
HISTORY = f"{BASE}/graph/history/street-crime"
SAMPLE = TEST_DATA / "street-crime-sample.csv"
CHANGED = "street-crime-<script>changed.csv"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(store: Path, source: Path) -> None:
    assert main(["build", "--store", str(store), "street-crime", "--source", str(source)]) == 0


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory) -> tuple[Path, Path]:
    """The sample published, then a changed copy of it (one row fewer) published over it."""
    folder = tmp_path_factory.mktemp("history")
    store = folder / "store"
    build(store, SAMPLE)
    changed = folder / CHANGED  # markup in a file name: the pages must show it as text
    changed.write_text("\n".join(SAMPLE.read_text().splitlines()[:-1]) + "\n")
    build(store, changed)
    return store, changed


def test_each_publish_of_a_changed_source_is_a_release_and_the_old_checksum_is_kept(two_releases):
    store_path, changed = two_releases
    with open_store(store_path, BASE) as store:
        releases = read_releases(store, Minter(BASE), "street-crime")
        assert [r.number for r in releases] == [1, 2]
        first, second = releases
        assert {s.name: s.sha256 for s in first.sources}["street-crime-sample.csv"] == sha256(SAMPLE)
        assert {s.name: s.sha256 for s in second.sources}[CHANGED] == sha256(changed)
        assert "street-crime-sample.csv" not in {s.name for s in second.sources}
        assert (first.observations, second.observations) == (3, 2)  # the last row was its own observation
        assert second.triples < first.triples
        assert first.checksum != second.checksum

        history = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{HISTORY}> {{ ?s ?p ?o }} }}")
        r1, r2 = URIRef(f"{DS}/release/1"), URIRef(f"{DS}/release/2")
        assert (r2, PROV.wasRevisionOf, r1) in history
        assert (URIRef(DS), URIRef(DCAT_CURRENT), r2) in history
        assert (URIRef(DS), URIRef(DCAT_VERSION), Literal("2")) in history
        activity = history.value(r2, PROV.wasGeneratedBy)
        assert (activity, PROV.used, URIRef(f"{DS}/source/{sha256(changed)}")) in history
        comment = str(history.value(r2, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
        assert "2 observations (was 3)" in comment and CHANGED in comment
        # The release is as new as the dataset it describes.
        modified = store.select(f"SELECT ?m WHERE {{ <{DS}> <{DCTERMS.modified}> ?m }}")
        assert [str(r["m"]) for r in modified] == [second.published]
        assert history.value(r2, PROV.generatedAtTime) == Literal(second.published, datatype=XSD.dateTime)


def test_the_dataset_with_its_history_passes_the_shapes(two_releases):
    store_path, _ = two_releases
    with open_store(store_path, BASE) as store:
        dataset = f"{BASE}/graph/dataset/street-crime"
        assert store.ask(f"ASK {{ GRAPH <{HISTORY}> {{ <{DS}> <{DCAT_VERSION}> \"2\" }} }}")
        # The whole release check, the history beside the dataset as the pipeline stages it.
        problems = validate_release(store, dataset, [g for g in store.graphs() if g != dataset], BASE)
    assert not [p for p in problems if p.severity == "error"], problems


def test_an_unchanged_rebuild_adds_no_release(two_releases, capsys):
    store_path, changed = two_releases
    with open_store(store_path, BASE) as store:
        before = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{HISTORY}> {{ ?s ?p ?o }} }}")
    build(store_path, changed)
    assert "unchanged" in capsys.readouterr().err
    # --force republishes the dataset graph, but the same inputs are not a new release.
    assert main(["build", "--store", str(store_path), "--force", "street-crime", "--source", str(changed)]) == 0
    with open_store(store_path, BASE) as store:
        after = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{HISTORY}> {{ ?s ?p ?o }} }}")
        assert [r.number for r in read_releases(store, Minter(BASE), "street-crime")] == [1, 2]
    assert len(after) == len(before) and set(after) == set(before)


def test_a_failed_publish_adds_no_release(two_releases, tmp_path):
    store_path, _ = two_releases
    bad = tmp_path / "bad.csv"
    bad.write_text(SAMPLE.read_text().replace("Bicycle theft", "Bike theft"))
    assert main(["build", "--store", str(store_path), "street-crime", "--source", str(bad)]) == 1
    with open_store(store_path, BASE) as store:
        assert [r.number for r in read_releases(store, Minter(BASE), "street-crime")] == [1, 2]


def test_history_documents_dereference(two_releases):
    from fastapi.testclient import TestClient

    from linkeddata.settings import Settings
    from linkeddata.store.embedded import EmbeddedStore
    from linkeddata.web.app import create_app

    store_path, changed = two_releases
    store = EmbeddedStore(store_path, BASE, read_only=True)
    try:
        with TestClient(create_app(store, Settings(base_uri=BASE))) as web:
            doc = web.get("/data/street-crime/release/1", headers={"Accept": "text/turtle"})
            assert doc.status_code == 200
            graph = Graph().parse(data=doc.text, format="turtle")
            assert (URIRef(f"{DS}/release/2"), PROV.wasRevisionOf, URIRef(f"{DS}/release/1")) in graph
            source = web.get(f"/data/street-crime/source/{sha256(SAMPLE)}", headers={"Accept": "text/html"})
            assert source.status_code == 200 and "street-crime-sample.csv" in source.text
            assert f"SHA-256 {sha256(SAMPLE)}" in source.text

            page = web.get("/data/street-crime", headers={"Accept": "text/html"}).text
            history = page.split('<section class="releases">', 1)[1].split("</section>", 1)[0]
            rows = re.findall(r"<tr><td>.*?</tr>", history, re.S)
            assert [re.search(r'release/(\d+)">', r).group(1) for r in rows] == ["2", "1"]  # newest first
            assert "street-crime-&lt;script&gt;changed.csv" in rows[0] and f"sha256:{sha256(changed)[:12]}" in rows[0]
            # The page's own scripts come from /static; no other script element may appear.
            assert re.findall(r"<script[^>]*>", page.lower()) == ['<script src="/static/suggest.js" defer>']
            assert "street-crime-sample.csv" in rows[1] and f'title="SHA-256 {sha256(SAMPLE)}"' in rows[1]
            assert "2 observations (was 3)" in rows[0]
            assert re.search(r'<td class="version"><a href="[^"]*/release/2">release 2</a>', page)
            catalogue = Graph().parse(data=web.get("/catalogue.ttl").text, format="turtle")
            assert catalogue.value(URIRef(DS), URIRef(DCAT_VERSION)) == Literal("2")
            assert catalogue.value(URIRef(DS), URIRef(DCAT_CURRENT)) == URIRef(f"{DS}/release/2")
            assert catalogue.value(URIRef(DS), DCTERMS.modified) is not None
    finally:
        store.close()
