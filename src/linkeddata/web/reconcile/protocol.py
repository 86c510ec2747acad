"""Reading what a client sends: a query batch (`queries=`) and a data extension query (`extend=`).

Every mistake is a 400 (413 for too many queries) in the project's one error shape, naming the
query's key and the field, and saying what to send instead. A type or property this service does
not have is no mistake (the spec lets a batch name any): it has no candidates, or cannot agree.
"""

from __future__ import annotations

import json
from typing import Any

from ..problems import WebError
from .match import Query
from .names import Table
from .types import EntityType

MAX_QUERIES = 100  # the manifest's batchSize
MAX_TEXT = 500  # characters of a query string or a property value
MAX_LIMIT = 100
MAX_IDS = 500  # entities of one data extension query
_QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}


def _bad(message: str) -> WebError:
    return WebError(400, "bad_request", message)


def _json(raw: str, name: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _bad(f"{name}= is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise _bad(f"{name}= is nested too deeply") from None
    except ValueError as exc:  # a number of thousands of digits, past Python's limit
        raise _bad(f"{name}= has a value that cannot be read: {str(exc)[:100]}") from None


def parse_batch(raw: str, table: Table) -> dict[str, Query]:
    batch = _json(raw, "queries")
    if not isinstance(batch, dict) or not batch:
        raise _bad('queries= must be a JSON object of queries by key, like {"q0": {"query": "Camden"}}')
    if len(batch) > MAX_QUERIES:
        raise WebError(413, "too_large", f"queries= holds {len(batch)} queries; send at most {MAX_QUERIES} "
                                         "a batch (the manifest's batchSize)")
    long = next((k for k in batch if len(k) > 200), None)
    if long is not None:
        raise _bad(f"queries= has a key of {len(long):,} characters; keys are at most 200")
    return {key: parse_query(key, value, table) for key, value in batch.items()}


def parse_query(key: str, value: Any, table: Table) -> Query:
    where = f"queries[{json.dumps(key)}]"
    if not isinstance(value, dict):
        raise _bad(f'{where} must be an object, like {{"query": "Camden", "type": "local-authority"}}')
    unknown = sorted(set(value) - _QUERY_KEYS)
    if unknown:
        raise _bad(f"{where} has the unknown field {unknown[0]!r}; a query's fields are {', '.join(sorted(_QUERY_KEYS))}")
    text = value.get("query")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        raise _bad(f"{where}.query must be a non-empty string")
    if text is not None and len(text) > MAX_TEXT:
        raise _bad(f"{where}.query is {len(text):,} characters; at most {MAX_TEXT} are read")
    props = _properties(where, value.get("properties", []), table)
    if text is None and not props:
        raise _bad(f"{where} needs a query string or at least one property")
    if value.get("type_strict", "any") not in ("any", "should", "all"):
        raise _bad(f'{where}.type_strict must be "any", "should" or "all"')
    return Query(text.strip() if text else None, _types(where, value.get("type"), table), _limit(where, value.get("limit")), props)


def _types(where: str, given: Any, table: Table) -> tuple[EntityType, ...] | None:
    """The types named that are offered; None when the query names none (any type will do).
    A type of another service is no mistake in the spec: it just has no candidates here."""
    if given is None:
        return None
    names = [given] if isinstance(given, str) else given if isinstance(given, list) else None
    if names is None or not all(isinstance(n, str) for n in names):
        raise _bad(f"{where}.type must be a type id or a list of them")
    offered = {t.id: t for t in table.offered()}
    return tuple(offered[n] for n in dict.fromkeys(names) if n in offered)


def _limit(where: str, given: Any) -> int:
    if given is None:
        return 10
    whole = isinstance(given, int) or (isinstance(given, float) and given.is_integer())  # NaN is not
    if isinstance(given, bool) or not whole or given < 1:
        raise _bad(f"{where}.limit must be a positive whole number")
    return min(int(given), MAX_LIMIT)


def _properties(where: str, given: Any, table: Table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(given, list):
        raise _bad(f'{where}.properties must be a list, like [{{"pid": "local-authority", "v": "Camden"}}]')
    out = []
    for i, prop in enumerate(given):
        at = f"{where}.properties[{i}]"
        if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str) or "v" not in prop:
            raise _bad(f'{at} must be an object with "pid" and "v"')
        values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
        if values:  # an empty list says nothing about the candidates
            out.append((prop["pid"], tuple(_value(f"{at}.v", v) for v in values)))
    return tuple(out)


def _value(at: str, v: Any) -> str:
    if isinstance(v, dict):
        v = v.get("id")
    if isinstance(v, bool):
        return "true" if v else "false"
    if not isinstance(v, (str, int, float)):
        raise _bad(f'{at} must be a string, a number, a boolean or an entity {{"id": ...}}')
    text = str(v)
    if len(text) > MAX_TEXT:
        raise _bad(f"{at} is {len(text):,} characters; at most {MAX_TEXT} are read")
    return text


def parse_extension(raw: str, table: Table) -> tuple[list[str], list[str]]:
    """(entity ids, property ids) of a data extension query."""
    query = _json(raw, "extend")
    example = '{"ids": ["<entity URI>"], "properties": [{"id": "police-force-area"}]}'
    if not isinstance(query, dict) or not isinstance(query.get("ids"), list) or not isinstance(query.get("properties"), list):
        raise _bad(f"extend= must be an object with ids and properties, like {example}")
    ids = query["ids"]
    if len(ids) > MAX_IDS:
        raise WebError(413, "too_large", f"extend= names {len(ids)} entities; send at most {MAX_IDS} a request")
    if not all(isinstance(i, str) and len(i) <= MAX_TEXT for i in ids):
        raise _bad("extend= ids must be entity identifiers (strings)")
    pids = []
    for i, prop in enumerate(query["properties"]):
        if not isinstance(prop, dict) or not isinstance(prop.get("id"), str):
            raise _bad(f'extend= properties[{i}] must be an object with an "id"')
        if table.property(prop["id"]) is None:
            known = ", ".join(p.id for p in table.properties)
            raise _bad(f"extend= properties[{i}].id {prop['id'][:100]!r} is not a property here; the properties are {known}")
        pids.append(prop["id"])
    return ids, pids
