"""RDF documents in the shapes clients expect: Turtle grouped by subject, JSON-LD compacted
with a `@context` (one node object per subject), and a note in the data itself when a
resource's incoming links were cut (Hydra: how many there are, and where the list is paged).

The `@context` is the platform's prefixes: served at `{base}/context.jsonld` and inlined in
every document, so a client needs no second request (and works offline).

>>> doc = compact_jsonld([{"@id": "http://x/a", "@type": ["http://x/T"],
...     "http://www.w3.org/2000/01/rdf-schema#label": [{"@value": "A", "@language": "en"}],
...     "http://x/n": [{"@value": "3", "@type": "http://www.w3.org/2001/XMLSchema#integer"}]}],
...     {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "x": "http://x/", "xsd": "http://www.w3.org/2001/XMLSchema#"})
>>> doc["@graph"]
[{'@id': 'x:a', '@type': 'x:T', 'rdfs:label': {'@value': 'A', '@language': 'en'}, 'x:n': 3}]
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from ..formats import OX_RDF, Format
from ..store import QueryResult
from ..store.serialize import serialize_result

HYDRA = "http://www.w3.org/ns/hydra/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def context(prefixes: dict[str, str]) -> dict[str, str]:
    """The JSON-LD context: every prefix of the platform (served at /context.jsonld)."""
    return {**dict(sorted(prefixes.items())), "hydra": HYDRA}


def ntriples(result: QueryResult) -> list[str]:
    """The result's triples as N-Triples lines, however the store answered."""
    body = serialize_result(result, "application/n-triples")
    return [line for line in body.decode("utf-8").splitlines() if line.strip()]


def write(lines: list[str], fmt: Format, prefixes: dict[str, str]) -> bytes:
    """Write N-Triples lines as `fmt`; subjects together, and JSON-LD compacted."""
    # Sorted, every subject's triples are adjacent: the writers then give each subject one
    # Turtle block and one JSON-LD node object.
    text = "\n".join(sorted(set(lines))) + "\n"
    if fmt.key == "nt":
        return text.encode("utf-8")
    triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    if fmt.key == "jsonld":
        expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]")
        return json.dumps(compact_jsonld(expanded, context(prefixes)), indent=1, ensure_ascii=False).encode("utf-8")
    kwargs = {"prefixes": context(prefixes)} if fmt.key in ("ttl", "rdf") else {}
    return ox.serialize(triples, format=OX_RDF[fmt.key], **kwargs) or b""


def compact_jsonld(nodes: list[dict[str, Any]], ctx: dict[str, str]) -> dict[str, Any]:
    """Expanded JSON-LD node objects compacted against a context of prefixes: compact IRIs,
    single values unwrapped, strings, integers and booleans as JSON values."""
    namespaces = sorted(ctx.items(), key=lambda kv: -len(kv[1]))

    def iri(value: str) -> str:
        for prefix, ns in namespaces:
            local = value[len(ns):]
            if value.startswith(ns) and local and not local.startswith("//"):
                return f"{prefix}:{local}"
        return value

    def literal(value: dict[str, Any]) -> Any:
        if "@id" in value:
            return {"@id": iri(value["@id"])}
        datatype = value.get("@type")
        if datatype in (None, f"{_XSD}string") and "@language" not in value:
            return value["@value"]
        if datatype == f"{_XSD}integer" and str(value["@value"]).lstrip("-").isdigit():
            return int(value["@value"])
        if datatype == f"{_XSD}boolean" and value["@value"] in ("true", "false"):
            return value["@value"] == "true"
        if datatype is not None:
            return {"@value": value["@value"], "@type": iri(datatype)}
        return value

    graph = []
    for node in nodes:
        out: dict[str, Any] = {"@id": iri(node["@id"])}
        for key, values in node.items():
            if key == "@id":
                continue
            if key == "@type":
                types = [iri(t) for t in values]
                out["@type"] = types[0] if len(types) == 1 else types
                continue
            items = [literal(v) for v in values]
            out[iri(key)] = items[0] if len(items) == 1 else items
        graph.append(out)
    return {"@context": ctx, "@graph": graph}


def _nt(s: str, p: str, o: str, literal: bool = False, datatype: str | None = None) -> str:
    if literal:
        escaped = o.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        obj = f'"{escaped}"' + (f"^^<{datatype}>" if datatype else "")
    else:
        obj = f"<{o}>"
    return f"<{s}> <{p}> {obj} ."


def incoming_collection(resource: str, prop: str, total: int, first: str, label: str,
                        page: tuple[str, str | None, str | None, str] | None = None) -> list[str]:
    """Triples saying the links to `resource` by `prop` number `total` and are listed at `first`
    (a Hydra collection); on a page of that list, the page's place in it (`page`: this page,
    the next, the previous, the last)."""
    lines = [
        _nt(resource, f"{HYDRA}collection", first),
        _nt(first, _RDF_TYPE, f"{HYDRA}Collection"),
        _nt(first, _RDFS_LABEL, label, literal=True),
        _nt(first, f"{HYDRA}totalItems", str(total), literal=True, datatype=f"{_XSD}integer"),
        _nt(first, f"{HYDRA}memberAssertion", f"{first}#members"),
        _nt(f"{first}#members", f"{HYDRA}property", prop),
        _nt(f"{first}#members", f"{HYDRA}object", resource),
        _nt(first, f"{HYDRA}first", first),
    ]
    if page is not None:
        here, after, before, last = page
        lines += [_nt(first, f"{HYDRA}view", here), _nt(here, _RDF_TYPE, f"{HYDRA}PartialCollectionView"),
                  _nt(here, f"{HYDRA}first", first), _nt(here, f"{HYDRA}last", last)]
        if after:
            lines.append(_nt(here, f"{HYDRA}next", after))
        if before:
            lines.append(_nt(here, f"{HYDRA}previous", before))
    return lines
