"""Downloads of a whole dataset or a filtered slice, streamed a chunk at a time.

    /download/{dataset}.csv                  one row per observation (codes and their labels)
    /download/{dataset}.csv-metadata.json    CSVW metadata: how the CSV maps back to the cube
    /download/{dataset}.nt.gz                the dataset graph (streamed by `Store.dump`), or the
                                             slice's observations, gzipped

The filters of the dataset page apply (`?crimeType=...`). Nothing is held whole: observations
are read one value of a dimension at a time (the one that cuts the cube finest, from the
publish-time counts), and the rest of the graph in pages.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from typing import Iterator

from fastapi import APIRouter
from rdflib.namespace import QB
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from . import context
from .datasets import DatasetInfo, dataset_graphs, dataset_info, labels_of
from .problems import WebError
from .release import validators
from .slices import Filter, estimate, parse_filters, pattern, query_string, short

router = APIRouter()

CHUNK_VALUES = 5_000  # at most this many chunk queries
CHUNK_TARGET = 50_000  # observations a chunk query may return


def _info(request: Request, name: str) -> DatasetInfo:
    info = dataset_info(context.store(request), context.minter(request), name)
    if info is None:
        raise WebError(404, "not_found", f"there is no dataset {name!r} to download")
    return info


def _chunks(info: DatasetInfo, filters: list[Filter]) -> list[dict[int, str]]:
    """Values of one dimension to read the slice by, smallest pieces first chosen."""
    bound = estimate(info, filters)
    if bound is not None and bound <= CHUNK_TARGET:
        return [{}]  # small enough to read at once
    # The finest cut of at most CHUNK_VALUES queries.
    best: tuple[bool, int, int] | None = None
    for i, dim in enumerate(info.dimensions):
        if dim.values and len(dim.values) <= CHUNK_VALUES:
            biggest = max(v.count for v in dim.values)
            # Selective cuts: a VALUES on a value shared by many observations is slow in the store.
            rank = (biggest > CHUNK_TARGET, biggest, i)
            if best is None or rank < best:
                best = rank
    if best is None:
        return [{}]
    i = best[2]
    chosen = {v for f in filters if f.dimension is info.dimensions[i] and not f.within for v in f.values}
    return [{i: v.uri} for v in info.dimensions[i].values if not chosen or v.uri in chosen]


def _columns(info: DatasetInfo) -> list[str]:
    cols = ["observation"]
    for d in info.dimensions:
        cols += [d.key, f"{d.key}_code", f"{d.key}_label"]
    if info.measure:
        cols.append(_measure_column(info))
    cols.append("status")
    return cols


def _measure_column(info: DatasetInfo) -> str:
    return (info.measure or "value").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): one that starts
    with = + - @ or a tab or carriage return gets a leading apostrophe. A plain number is left
    as it is. Only the CSV changes; the RDF keeps the text as published.

    >>> [spreadsheet_safe(c) for c in ["=HYPERLINK(1)", "@SUM(A1)", "+1-2", "-5", "Burglary"]]
    ["'=HYPERLINK(1)", "'@SUM(A1)", "'+1-2", '-5', 'Burglary']
    """
    if cell and cell[0] in "=+-@\t\r" and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _csv_rows(request: Request, info: DatasetInfo, filters: list[Filter]) -> Iterator[bytes]:
    """Every observation of the slice, with or without a value: a row has its value or its status."""
    store = context.store(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_columns(info))
    dims = [f"?d{i}" for i in range(len(info.dimensions))]
    for chunk in _chunks(info, filters):
        rows = store.select(f"SELECT ?o {' '.join(dims)} ?m ?s WHERE {{ {pattern(info, filters, chunk)} }}")
        values = {str(r[d[1:]]) for r in rows for d in dims if d[1:] in r}
        missing = sorted(values - set(info.labels))
        labels = {**info.labels, **labels_of(store, missing)} if missing else info.labels
        for r in rows:
            line = [str(r["o"])]
            for d in dims:
                uri = str(r.get(d[1:], ""))
                line += [uri, short(uri) if uri else "", labels.get(uri, "")]
            if info.measure:
                line.append(str(r.get("m", "")))
            status = r.get("s")
            line.append(short(str(status)) if status is not None else ("" if "m" in r else "not-available"))
            writer.writerow([spreadsheet_safe(c) for c in line])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def _nt_chunks(request: Request, info: DatasetInfo, filters: list[Filter]) -> Iterator[bytes]:
    store = context.store(request)
    if not filters:
        # The whole dataset: the store streams its graphs as it holds them, no query at all.
        for graph in dataset_graphs(store, context.minter(request), info.name):
            yield from store.dump(graph)
        return
    for chunk in _chunks(info, filters):
        # Over every graph: a partitioned dataset's observations are in its partitions' graphs.
        query = f"CONSTRUCT {{ ?o ?p ?x }} WHERE {{ {pattern(info, filters, chunk)} ?o ?p ?x }}"
        yield store.query(query).serialize("application/n-triples")  # a slice is its observations


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    # Level 1: N-Triples compress nearly as well at 1 as at 6 (the IRIs repeat), three times faster.
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    for chunk in chunks:
        data = compressor.compress(chunk)
        if data:
            yield data
    yield compressor.flush()


def _stream(request: Request, body: Iterator[bytes], media_type: str, filename: str, variant: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    cached = validators(request, context.store(request), variant, headers)
    if cached is not None:
        return cached
    if request.method == "HEAD":
        return Response(b"", media_type=media_type, headers=headers)
    return StreamingResponse(body, media_type=media_type, headers=headers)


@router.api_route("/download/{name}.csv", methods=["GET", "HEAD"], include_in_schema=False)
def download_csv(request: Request, name: str) -> Response:
    info = _info(request, name)
    return table_csv(request, info, parse_filters(info, request.query_params))


def table_csv(request: Request, info: DatasetInfo, filters: list[Filter]) -> Response:
    """The CSV of a slice: the download, and the dataset page's `.csv` twin."""
    described = f'<{context.minter(request).base}/download/{info.name}.csv-metadata.json{query_string(filters)}>'
    response = _stream(request, _csv_rows(request, info, filters), "text/csv; charset=utf-8",
                       f"{info.name}.csv", f"csv-{query_string(filters)}")
    response.headers["Link"] = f'{described}; rel="describedby"; type="application/csvm+json"'
    return response


@router.api_route("/download/{name}.nt.gz", methods=["GET", "HEAD"], include_in_schema=False)
def download_nt(request: Request, name: str) -> Response:
    info = _info(request, name)
    filters = parse_filters(info, request.query_params)
    return _stream(request, _gzip(_nt_chunks(request, info, filters)), "application/n-triples",
                   f"{name}.nt.gz", f"nt-{request.url.query}")


@router.api_route("/download/{name}.csv-metadata.json", methods=["GET", "HEAD"], include_in_schema=False)
def csv_metadata(request: Request, name: str) -> Response:
    info = _info(request, name)
    filters = parse_filters(info, request.query_params)
    base = context.minter(request).base
    headers: dict[str, str] = {}
    cached = validators(request, context.store(request), f"csvm-{request.url.query}", headers)
    if cached is not None:
        return cached
    body = json.dumps(csvw_metadata(info, base, filters), indent=2).encode("utf-8")
    return Response(body, media_type="application/csvm+json", headers=headers)


def csvw_metadata(info: DatasetInfo, base: str, filters: list[Filter]) -> dict[str, object]:
    """CSVW metadata: a CSVW processor turns the CSV back into the cube's observations."""
    columns: list[dict[str, object]] = [{
        "name": "observation", "titles": "observation", "datatype": "anyURI", "suppressOutput": True,
    }]
    for d in info.dimensions:
        columns.append({
            "name": d.key, "titles": d.key, "dc:description": d.label, "datatype": "anyURI",
            "propertyUrl": d.uri, "valueUrl": "{+" + d.key + "}",
        })
        columns.append({
            "name": f"{d.key}_code", "titles": f"{d.key}_code",
            "dc:description": f"code of {d.label}: the last part of its URI (a GSS code, YYYY-MM, a notation)",
            "suppressOutput": True,
        })
        columns.append({
            "name": f"{d.key}_label", "titles": f"{d.key}_label", "dc:description": f"label of {d.label}",
            "suppressOutput": True,
        })
    if info.measure:
        name = _measure_column(info)
        columns.append({"name": name, "titles": name, "dc:description": info.measure_label,
                        "propertyUrl": info.measure, "datatype": "decimal", "null": ""})
    columns.append({
        "name": "status", "titles": "status", "null": "",
        "dc:description": "why the observation has no value (not-available, suppressed, not-applicable, nil); empty when it has one",
        "propertyUrl": f"{base}/def/statistics/observationStatus",
        "valueUrl": base + "/def/statistics/observation-status/{status}",
    })
    columns += [
        {"name": "type", "virtual": True, "propertyUrl": "rdf:type", "valueUrl": str(QB.Observation)},
        {"name": "dataset", "virtual": True, "propertyUrl": str(QB.dataSet), "valueUrl": info.uri},
    ]
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": f"{base}/download/{info.name}.csv{query_string(filters)}",
        "dc:title": info.title,
        "dc:description": info.description,
        "dc:license": {"@id": info.licence} if info.licence else None,
        "dc:publisher": {"@id": info.publisher} if info.publisher else None,
        "rdfs:seeAlso": {"@id": info.uri},
        "tableSchema": {"columns": columns, "aboutUrl": "{+observation}", "primaryKey": "observation"},
        "rdfs:comment": ("Each row is one observation, including those without a value (their status says why); "
                         "the *_code and *_label columns are each value's code and label. A cell that starts with "
                         "= + - @ (other than a number) is written with a leading apostrophe, so a spreadsheet "
                         "shows it as text."),
    }
