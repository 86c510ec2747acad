"""Eliminated posts on the organogram pages, over HTTP on the real app and the bundled files:
drawn and marked, never counted among the senior posts of the date."""

from __future__ import annotations

import csv
import re

from linkeddata.settings import resource_dir

from .test_web_organogram import client, section  # noqa: F401 (the module's store and app)

SENIOR = resource_dir("data") / "organogram" / "home_office-2012-09-30-senior.csv"


def _eliminated(row: dict[str, str]) -> bool:
    return row["Name"].strip("'\" ").casefold() == "eliminated"


def test_the_chart_counts_the_posts_of_the_date_and_marks_the_eliminated(client):  # noqa: F811
    rows = list(csv.DictReader(SENIOR.open(encoding="utf-8")))
    live = {r["Post Unique Reference"] for r in rows if not _eliminated(r)}
    gone = {r["Post Unique Reference"] for r in rows if _eliminated(r)} - live
    page = client.get("/doc/organisation/home-office").text
    (tree,) = re.findall(r"<summary>2012-09-30.*?</details>", page, re.S)
    assert f"{len(live)} senior posts (and {len(gone)} listed as eliminated)" in tree
    marked = set(re.findall(r'/post/([^/"]+)/2012-09-30">[^<]*</a>(?: <span class="tag">[^<]*</span>)? '
                            r'<span class="tag eliminated">', tree))
    assert marked == gone


def test_an_eliminated_posts_page_says_so_and_lists_what_reported_to_it(client):  # noqa: F811
    page = client.get("/doc/organisation/home-office/post/2HOS03/2012-09-30").text
    assert "lists this post as eliminated" in page
    under = set(re.findall(r'/post/([^/"]+)/2012-09-30"', section(page, "Senior posts reporting to it")))
    assert {"1CPG19", "1UKBA39"} <= under
    assert "lists this post as eliminated" not in client.get("/doc/organisation/home-office/post/1CPG19/2012-09-30").text
