"""The organogram pages, over HTTP on the real app and the bundled organogram files: a post of
one date shows its chain up and what is under it; the department shows its chart per date."""

from __future__ import annotations

import csv
import re
from collections import Counter
from html import unescape
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from linkeddata.cli import main
from linkeddata.settings import Settings, resource_dir
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.web.app import create_app

from .conftest import BASE

SENIOR = resource_dir("data") / "organogram" / "home_office-2012-09-30-senior.csv"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("organogram") / "store"
    assert main(["build", "--store", str(path), "organogram-senior-posts", "organogram-junior-posts"]) == 0
    store = EmbeddedStore(path, BASE, read_only=True)
    with TestClient(create_app(store, Settings(base_uri=BASE)), raise_server_exceptions=False) as c:
        yield c
    store.close()


def section(html: str, heading: str) -> str:
    """The text of the page from a heading to the next heading of its level or above."""
    start = html.index(f">{heading}</h")
    end = re.search(r"<h[23]", html[start + len(heading):])
    return html[start: start + len(heading) + (end.start() if end else len(html))]


def test_a_posts_page_shows_the_chain_up_to_the_top(client):
    page = client.get("/doc/organisation/home-office/post/2OSCT03/2012-09-30")
    assert page.status_code == 200
    chain = section(page.text, "Reports to")
    links = re.findall(r'href="[^"]*/post/([^/"]+)/2012-09-30"', chain)
    assert links == ["4PO01", "3OSCT01"]  # the Permanent Secretary, then the Director General


def test_a_posts_page_lists_the_posts_and_junior_posts_under_it(client):
    page = client.get("/doc/organisation/home-office/post/2SIIG06/2012-09-30").text
    under = set(re.findall(r'/post/([^/"]+)/2012-09-30"', section(page, "Senior posts reporting to it")))
    rows = list(csv.DictReader(SENIOR.open(encoding="utf-8")))
    assert under == {r["Post Unique Reference"] for r in rows if r["Reports to Senior Post"] == "2SIIG06"}
    junior = section(page, "Junior posts reporting to it")
    assert "All junior posts" in junior and "9.8" in junior


def test_the_departments_page_draws_every_post_of_a_date_once(client):
    page = client.get("/doc/organisation/home-office").text
    assert "Organisation chart" in page
    (tree,) = re.findall(r"<summary>2012-09-30.*?</details>", page, re.S)
    drawn = Counter(re.findall(r'/post/([^/"]+)/2012-09-30"', tree))
    refs = {r["Post Unique Reference"] for r in csv.DictReader(SENIOR.open(encoding="utf-8"))}
    assert set(drawn) == refs and set(drawn.values()) == {1}
    assert "2011-03-31" in page  # the other date's chart, folded


def test_no_name_is_on_the_pages(client):
    page = unescape(client.get("/doc/organisation/home-office").text)
    assert "N/D" not in page and "Jonathan Rees" not in page


def test_a_post_page_is_also_data(client):
    turtle = client.get("/doc/organisation/home-office/post/2OSCT03", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert "http://reference.data.gov.uk/id/department/ho/post/2OSCT03" in turtle.text
