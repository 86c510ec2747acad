"""open_store picks the store the settings name; settings that cannot work name their key."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkeddata.errors import ConfigError, StoreError
from linkeddata.settings import Settings
from linkeddata.store import open_store
from linkeddata.store.embedded import EmbeddedStore
from linkeddata.store.remote import RemoteStore

BASE = "http://localhost:8000"
REMOTE = {
    "LINKEDDATA_SPARQL_QUERY_URL": "http://127.0.0.1:7878/query",
    "LINKEDDATA_SPARQL_UPDATE_URL": "http://127.0.0.1:7878/update",
    "LINKEDDATA_GRAPH_STORE_URL": "http://127.0.0.1:7878/store",
}


def test_no_urls_is_the_embedded_store(tmp_path: Path) -> None:
    with open_store(tmp_path / "store", BASE, settings=Settings.from_env({})) as store:
        assert isinstance(store, EmbeddedStore)
    with open_store(tmp_path / "store", BASE) as store:  # no settings: never a server
        assert isinstance(store, EmbeddedStore)


def test_a_query_url_is_a_remote_store(tmp_path: Path) -> None:
    env = {**REMOTE, "LINKEDDATA_STORE_USER": "dba", "LINKEDDATA_STORE_PASSWORD": "secret", "LINKEDDATA_STORE_AUTH": "digest",
           "LINKEDDATA_STORE_WRITE_TIMEOUT": "1800"}
    settings = Settings.from_env(env)
    assert "secret" not in repr(settings)
    with open_store(tmp_path / "store", BASE, settings=settings) as store:
        assert isinstance(store, RemoteStore)
        assert (store.query_endpoint, store.update_endpoint, store.store_endpoint) == tuple(REMOTE.values())
        assert store.base == BASE
        assert store._write_timeout == 1800
    assert not (tmp_path / "store").exists()  # the folder is not the store's any more


def test_a_read_only_remote_store_refuses_writes(tmp_path: Path) -> None:
    (tmp_path / "x.nt").write_text("<http://e/s> <http://e/p> <http://e/o> .\n")
    with open_store(tmp_path, BASE, read_only=True, settings=Settings.from_env(REMOTE)) as store:
        for write in (
            lambda: store.load_staging("x", tmp_path / "x.nt"),
            lambda: store.swap({}),
            lambda: store.drop_staging("urn:x-linkeddata:staging:x"),
        ):
            with pytest.raises(StoreError, match="read-only"):
                write()


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"LINKEDDATA_SPARQL_QUERY_URL": REMOTE["LINKEDDATA_SPARQL_QUERY_URL"]}, "sparql_update_url, graph_store_url"),
        ({k: v for k, v in REMOTE.items() if "UPDATE" not in k}, "sparql_update_url"),
        ({"LINKEDDATA_GRAPH_STORE_URL": REMOTE["LINKEDDATA_GRAPH_STORE_URL"]}, "sparql_query_url"),
        ({**REMOTE, "LINKEDDATA_SPARQL_QUERY_URL": "127.0.0.1:7878/query"}, "sparql_query_url"),
        ({**REMOTE, "LINKEDDATA_STORE_AUTH": "kerberos"}, "store_auth"),
        ({**REMOTE, "LINKEDDATA_STORE_WRITE_TIMEOUT": "0"}, "store_write_timeout"),
        ({**REMOTE, "LINKEDDATA_STORE_USER": "dba"}, "store_password"),
        ({**REMOTE, "LINKEDDATA_STORE_PASSWORD": "secret"}, "store_user"),
        ({"LINKEDDATA_STORE_USER": "dba", "LINKEDDATA_STORE_PASSWORD": "secret"}, "sparql_query_url"),
    ],
)
def test_settings_that_cannot_work_name_the_key(env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        Settings.from_env(env)
