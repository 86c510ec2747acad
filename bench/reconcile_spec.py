"""Check a running reconciliation service against the W3C spec's own JSON schemas and examples.

    git clone https://github.com/reconciliation-api/specs /tmp/specs     (not shipped here)
    pip install jsonschema                                                 (not a dependency)
    python bench/reconcile_spec.py /tmp/specs http://localhost:8000/reconcile

Validates the manifest, the answers to the spec's valid example query batches and to a batch of
our own, suggest, property proposal and data extension responses against `0.2/schemas/`, and
checks the spec's invalid example batches are refused with a 400. Prints one line a check and
exits non-zero if any fails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from jsonschema import Draft7Validator
from referencing import Registry, Resource


def fetch(url: str, form: dict[str, str] | None = None) -> tuple[int, object]:
    data = urlencode(form).encode() if form else None
    request = Request(url, data=data, headers={"Accept": "application/json"})
    try:
        with urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except HTTPError as error:
        return error.code, json.load(error)


def main(spec: Path, service: str) -> int:
    folder = spec / "0.2"
    schemas = {p.stem: json.loads(p.read_text()) for p in (folder / "schemas").glob("*.json")}
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=_draft7())) for s in schemas.values() if "$id" in s)
    registry = registry.with_resources(
        (f"https://reconciliation-api.github.io/specs/0.2/schemas/{name}.json",
         Resource.from_contents(s, default_specification=_draft7())) for name, s in schemas.items())
    failures = 0

    def check(what: str, name: str, instance: object) -> None:
        nonlocal failures
        errors = list(Draft7Validator(schemas[name], registry=registry).iter_errors(instance))
        failures += bool(errors)
        print(("ok  " if not errors else "FAIL"), what, "; ".join(e.message[:200] for e in errors[:3]))

    base = service.rsplit("/reconcile", 1)[0]
    status, manifest = fetch(service)
    check(f"manifest ({status})", "manifest", manifest)
    examples = folder / "examples" / "reconciliation-query-batch"
    for path in sorted((examples / "valid").glob("*.json")):
        status, answer = fetch(service, {"queries": path.read_text()})
        check(f"spec example {path.name} ({status})", "reconciliation-result-batch", answer)
    for path in sorted((examples / "invalid").glob("*.json")):
        status, answer = fetch(service, {"queries": path.read_text()})
        ok = status == 400 and isinstance(answer, dict) and "error" in answer
        failures += not ok
        print("ok  " if ok else "FAIL", f"spec invalid example {path.name} refused ({status})")
    ours = {"q0": {"query": "Devon & Cornwall Police", "type": "police-force-area"}, "q1": {"query": "FY 2018/19"},
            "q2": {"query": "Camden 028B", "type": "lsoa", "properties": [{"pid": "local-authority", "v": "Camden"}]},
            "q3": {"query": "Afganistan", "type": ["nationality"], "limit": 3}}
    check("our query batch is a valid batch", "reconciliation-query-batch", ours)
    status, answer = fetch(service, {"queries": json.dumps(ours)})
    check(f"our batch's answer ({status})", "reconciliation-result-batch", answer)
    suggest = manifest["suggest"]  # type: ignore[index]
    for kind, schema, prefix in (("entity", "suggest-entities-response", "camd"),
                                 ("type", "suggest-types-response", "force"),
                                 ("property", "suggest-properties-response", "local")):
        status, answer = fetch(f"{base}{suggest[kind]['service_path']}?prefix={prefix}")
        check(f"suggest {kind} ({status})", schema, answer)
    proposal = manifest["extend"]["propose_properties"]["service_path"]  # type: ignore[index]
    status, answer = fetch(f"{base}{proposal}?type=lsoa")
    check(f"property proposal ({status})", "data-extension-property-proposal", answer)
    query = {"ids": [f"{manifest['identifierSpace']}id/lsoa/E01000001"],  # type: ignore[index]
             "properties": [{"id": "police-force-area"}, {"id": "local-authority"}, {"id": "code"}]}
    check("our extension query is valid", "data-extension-query", query)
    status, answer = fetch(service, {"extend": json.dumps(query)})
    check(f"data extension ({status})", "data-extension-response", answer)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


def _draft7():  # type: ignore[no-untyped-def]
    from referencing.jsonschema import DRAFT7

    return DRAFT7


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
