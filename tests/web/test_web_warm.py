"""The first page after a release is fast: its per-release facts are computed before it is asked for."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import linkeddata.web.datasets as datasets
from linkeddata.settings import Settings
from linkeddata.web.app import create_app

from shared import BASE


def test_the_release_is_warmed_before_the_first_page(street_crime_store, monkeypatch):
    # A fresh app on the published store: nothing computed for it yet... but warmed at start.
    from linkeddata.web import release

    monkeypatch.setattr(release, "_cache", {})
    with TestClient(create_app(street_crime_store, Settings(base_uri=BASE))) as web:
        warmer = web.app.state.warmer
        assert warmer.done.wait(120), "the release was not warmed"
        assert warmer.warmed == street_crime_store.version()

        def not_again(*args, **kwargs):
            pytest.fail("the dataset's facts were computed on request, not when the release was served")

        monkeypatch.setattr(datasets, "_read", not_again)
        page = web.get("/data/street-crime", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "<h1>Street-level crime</h1>" in page.text
        catalogue = web.get("/catalogue", headers={"Accept": "text/html"})
        assert catalogue.status_code == 200 and "Street-level crime" in catalogue.text
