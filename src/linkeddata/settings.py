"""Configuration, read once from the environment; errors name the key and the value.

Every setting has an environment variable and a default. The CLI overrides them with flags
by building a new `Settings` with `dataclasses.replace`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from .errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent
# An editable install reads the checkout; a wheel carries the same folders in _resources.
_CHECKOUT = _PACKAGE.parent.parent


def resource_dir(name: str) -> Path:
    """Folder of shipped files (`ontology`, `shapes`, `mappings`, `data`)."""
    for root in (_PACKAGE / "_resources", _CHECKOUT):
        if (root / name).is_dir():
            return root / name
    raise ConfigError(f"shipped folder {name!r} not found beside the package ({_CHECKOUT})")


@dataclass(frozen=True)
class Settings:
    """All settings. Field docs are the user documentation (a test checks the README lists them)."""

    base_uri: str = "http://localhost:8000"
    """LINKEDDATA_BASE_URI: the URI space every minted URI lives under."""
    store: str = "var/store"
    """LINKEDDATA_STORE: folder of the embedded store (pyoxigraph on RocksDB)."""
    host: str = "127.0.0.1"
    """LINKEDDATA_HOST: address `serve` listens on."""
    port: int = 8000
    """LINKEDDATA_PORT: port `serve` listens on."""
    query_timeout: float = 30.0
    """LINKEDDATA_QUERY_TIMEOUT: seconds a SPARQL query may run before it is stopped."""
    result_limit: int = 100_000
    """LINKEDDATA_RESULT_LIMIT: most rows a SPARQL SELECT returns through the endpoint."""
    query_workers: int = 4
    """LINKEDDATA_QUERY_WORKERS: processes that answer SPARQL queries on the embedded store at once (a query past the time limit has its process stopped and replaced)."""
    build_workers: int = 0
    """LINKEDDATA_BUILD_WORKERS: processes that read source files at once during a build; 0: one per core."""
    query_worker_memory_mb: int = 2048
    """LINKEDDATA_QUERY_WORKER_MEMORY_MB: megabytes of memory (allocated data, RLIMIT_DATA) each query worker process may use; a query that needs more is stopped with a 503 and its worker replaced; 0: no limit."""
    query_cache_mb: int = 64
    """LINKEDDATA_QUERY_CACHE_MB: megabytes of SPARQL answers kept in memory per release, to answer a repeated query at once; 0 keeps none."""
    max_request_bytes: int = 1_000_000
    """LINKEDDATA_MAX_REQUEST_BYTES: largest SPARQL query or update body accepted (larger: 413)."""
    max_upload_bytes: int = 100_000_000
    """LINKEDDATA_MAX_UPLOAD_BYTES: largest RDF document accepted by the graph store (larger: 413)."""
    update_token: str = field(default="", repr=False)
    """LINKEDDATA_UPDATE_TOKEN: the access token for SPARQL Update and Graph Store writes (sent as `Authorization: Bearer TOKEN`); empty: the endpoint is read-only."""
    service_allow: str = ""
    """LINKEDDATA_SERVICE_ALLOW: SPARQL endpoints a query may name in SERVICE (space-separated URLs); empty: SERVICE is refused."""
    sparql_query_url: str = ""
    """LINKEDDATA_SPARQL_QUERY_URL: SPARQL query endpoint of a remote store; empty: the embedded store."""
    sparql_update_url: str = ""
    """LINKEDDATA_SPARQL_UPDATE_URL: SPARQL update endpoint of the remote store (set with the query URL)."""
    graph_store_url: str = ""
    """LINKEDDATA_GRAPH_STORE_URL: Graph Store Protocol endpoint of the remote store (set with the query URL)."""
    store_user: str = ""
    """LINKEDDATA_STORE_USER: user the remote store's endpoints are written with; empty: none."""
    store_password: str = field(default="", repr=False)
    """LINKEDDATA_STORE_PASSWORD: that user's password."""
    store_auth: str = "basic"
    """LINKEDDATA_STORE_AUTH: `basic` (sent to all three endpoints) or `digest` (update and graph store only)."""
    store_write_timeout: float = 600.0
    """LINKEDDATA_STORE_WRITE_TIMEOUT: seconds the remote store may take over one write: a load request, or the swap, which copies every new graph in one request."""

    api_rate_limit: float = 15.0
    """LINKEDDATA_API_RATE_LIMIT: requests a second one client address may make to the police.uk-compatible API (/api/), on average, as police.uk allows (a leaky bucket; more: 429 with Retry-After); 0: no limit, for local use."""
    api_rate_burst: int = 30
    """LINKEDDATA_API_RATE_BURST: requests one client address may make to /api/ at once before the average applies (police.uk's burst)."""
    sparql_rate_limit: float = 0.0
    """LINKEDDATA_SPARQL_RATE_LIMIT: the same fair-use limit on /sparql and on /reconcile (each its own buckets), apart from the API's: requests a second per client address (15 is police.uk's); 0: no limit."""
    sparql_rate_burst: int = 30
    """LINKEDDATA_SPARQL_RATE_BURST: requests one client address may make to /sparql at once before the average applies."""

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_uri)
        bad = re.search(r'[\x00-\x20<>"{}|\\^`\x7f]', self.base_uri)
        if bad:
            raise ConfigError(f"base_uri {self.base_uri!r} holds {bad.group()!r}, which a URI cannot hold")
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ConfigError(
                f"base_uri {self.base_uri!r} must be an absolute http(s) URI with no query or "
                "fragment, such as http://localhost:8000"
            )
        object.__setattr__(self, "base_uri", self.base_uri.rstrip("/"))
        if not 0 < self.port < 65536:
            raise ConfigError(f"port {self.port!r} must be between 1 and 65535")
        for name in ("query_timeout", "store_write_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} {getattr(self, name)!r} must be more than 0 seconds")
        if self.result_limit <= 0:
            raise ConfigError(f"result_limit {self.result_limit!r} must be more than 0")
        for name in ("query_workers", "max_request_bytes", "max_upload_bytes"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} {getattr(self, name)!r} must be more than 0")
        if self.build_workers < 0:
            raise ConfigError(f"build_workers {self.build_workers!r} must be 0 (one per core) or more")
        if self.query_worker_memory_mb < 0:
            raise ConfigError(f"query_worker_memory_mb {self.query_worker_memory_mb!r} must be 0 (no limit) or more")
        for name in ("api_rate_limit", "sparql_rate_limit"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} {getattr(self, name)!r} must be 0 (no limit) or more requests a second")
        for name in ("api_rate_burst", "sparql_rate_burst"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} {getattr(self, name)!r} must be 1 or more requests")
        if self.query_cache_mb < 0:
            raise ConfigError(f"query_cache_mb {self.query_cache_mb!r} must be 0 (no cache) or more")
        for url in self.service_endpoints:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(f"service_allow names {url!r}, which is not an absolute http(s) URL")
        self._check_remote_store()

    @property
    def service_endpoints(self) -> frozenset[str]:
        """The endpoints SERVICE may name (from `service_allow`)."""
        return frozenset(self.service_allow.replace(",", " ").split())

    @property
    def remote_store(self) -> bool:
        """Whether the store is a remote SPARQL server rather than the embedded one."""
        return bool(self.sparql_query_url)

    def _check_remote_store(self) -> None:
        urls = ("sparql_query_url", "sparql_update_url", "graph_store_url")
        for name in urls:
            value = getattr(self, name)
            parts = urlsplit(value)
            if value and (parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment):
                raise ConfigError(f"{name} {value!r} must be an absolute http(s) URL, or empty for the embedded store")
        missing = [name for name in urls if not getattr(self, name)]
        if missing and len(missing) < len(urls):
            raise ConfigError(
                f"{', '.join(missing)} must be set too: a remote store needs all of {', '.join(urls)} "
                "(or none of them, for the embedded store)"
            )
        if self.store_auth not in ("basic", "digest"):
            raise ConfigError(f"store_auth {self.store_auth!r} must be 'basic' or 'digest'")
        if bool(self.store_user) != bool(self.store_password):
            given, lacking = ("store_user", "store_password") if self.store_user else ("store_password", "store_user")
            raise ConfigError(f"{given} is set but {lacking} is empty: set both, or neither")
        if self.store_user and not self.remote_store:
            raise ConfigError("store_user is set but sparql_query_url is empty: credentials are for a remote store")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            key = f"LINKEDDATA_{f.name.upper()}"
            if key not in environ:
                continue
            raw = environ[key]
            kind = type(f.default)
            try:
                values[f.name] = kind(raw) if kind is not str else raw
            except ValueError:
                raise ConfigError(f"{key}={raw!r} is not a valid {kind.__name__}") from None
        return cls(**values)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings.from_env()
