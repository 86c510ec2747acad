"""What routes need from the app: the store, the settings, a minter and the prefixes.

They live on `app.state`, put there by `create_app`, so tests build an app around any store.
"""

from __future__ import annotations

from starlette.requests import Request

from ..namespaces import all_prefixes
from ..settings import Settings
from ..store import Store
from ..uris import Minter


def store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def minter(request: Request) -> Minter:
    return request.app.state.minter  # type: ignore[no-any-return]


def prefixes(request: Request) -> dict[str, str]:
    return request.app.state.prefixes  # type: ignore[no-any-return]


def install(state: object, the_store: Store, the_settings: Settings) -> None:
    state.store = the_store  # type: ignore[attr-defined]
    state.settings = the_settings  # type: ignore[attr-defined]
    state.minter = Minter(the_settings.base_uri)  # type: ignore[attr-defined]
    state.prefixes = all_prefixes(the_settings.base_uri)  # type: ignore[attr-defined]
