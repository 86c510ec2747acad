"""Data extension: the values of some properties of some entities (an LSOA's force area and
local authority, a nationality's region and ISO country URI, a post's unit, grade and the post it
reports to on its latest date, any item's code)."""

from __future__ import annotations

from typing import Any

from .names import Table


def extension(table: Table, ids: list[str], pids: list[str]) -> dict[str, Any]:
    meta = []
    for pid in pids:
        prop = table.property(pid)
        assert prop is not None  # protocol.parse_extension checked it
        column: dict[str, Any] = {"id": prop.id, "name": prop.name}
        target = table.type(prop.target) if prop.target else None
        if target is not None:
            column["type"] = {"id": target.id, "name": target.name}
        meta.append(column)
    rows = {uri: {pid: _values(table, uri, pid) for pid in pids} for uri in ids}
    return {"meta": meta, "rows": rows}


def _values(table: Table, uri: str, pid: str) -> list[dict[str, Any]]:
    item = table.items.get(uri)
    if item is None:
        return []
    if pid == "code":
        return [{"str": item.code}] if item.code else []
    out = []
    for value in table.values(pid, uri):
        if value.startswith(f"{table.base}/"):
            out.append({"id": value, "name": table.labels.get(value, value.rsplit("/", 1)[-1])})
        else:
            out.append({"str": value})
    return out
