"""One JSON error shape for every error, pinned here; no stack traces ever reach a client."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from linkeddata.errors import StoreError
from linkeddata.web.app import create_app

SHAPE_KEYS = {"status": int, "code": str, "message": str}


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == set(SHAPE_KEYS)
    for key, kind in SHAPE_KEYS.items():
        assert isinstance(body["error"][key], kind)
    assert body["error"]["status"] == status
    assert "Traceback" not in response.text
    return body["error"]


@pytest.mark.parametrize("method, url, kwargs, status", [
    ("GET", "/no/such/page", {}, 404),
    ("GET", "/doc/lsoa/E99999999", {}, 404),
    ("GET", "/doc/lsoa/E01000914?format=xyz", {}, 406),
    ("GET", "/sparql?query=SELEC", {}, 400),
    ("GET", "/sparql?query=", {}, 400),  # a bare GET /sparql is the service description
    ("POST", "/sparql", {"data": {"update": "DROP ALL"}}, 403),
    ("POST", "/sparql", {"content": b"x", "headers": {"Content-Type": "text/plain"}}, 400),
    ("DELETE", "/sparql", {}, 405),
    ("PUT", "/doc/lsoa/E01000914", {}, 405),
    ("GET", "/doc/a|b", {}, 400),
])
def test_every_error_has_one_shape(client, method, url, kwargs, status):
    assert_error_shape(client.request(method, url, **kwargs), status)


class BrokenStore:
    """A store whose every read fails: the app must answer 500 and say nothing of the code."""

    base = "http://localhost:8000"

    def version(self) -> str:
        return "1"

    def graphs(self) -> list[str]:
        raise StoreError("disk on fire at /secret/path")

    def query(self, *args, **kwargs):
        raise RuntimeError("secret internals")

    def construct(self, *args, **kwargs):
        raise RuntimeError("secret internals")


def test_unexpected_errors_are_500_without_details(settings):
    client = TestClient(create_app(BrokenStore(), settings), raise_server_exceptions=False)  # type: ignore[arg-type]
    for url in ("/", "/sparql?query=ASK{}", "/doc/lsoa/E01000914"):
        response = client.get(url)
        error = assert_error_shape(response, 500)
        assert error["code"] == "internal_error"
        assert "secret" not in response.text
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 500 and "secret" not in page.text and "Traceback" not in page.text
