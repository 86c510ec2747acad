"""HTML rendering: one Jinja2 environment over `templates/`, autoescaping everything."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Autoescape on for every template: labels come from published data and may hold markup.
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: compiled once, never stat'ed per page
    )


def render(request: Request, template: str, context: dict[str, Any]) -> str:
    settings = getattr(request.app.state, "settings", None)
    base = settings.base_uri if settings else ""
    return environment().get_template(template).render(base=base, **context)
