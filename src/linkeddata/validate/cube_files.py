"""Check anyone's Data Cube files (`linkeddata validate --cube FILE...`).

    files (any RDF format pyoxigraph or rdflib reads, by extension)
      -> one graph in a scratch pyoxigraph store on disk        (parse errors: file:line:column)
      -> the Data Cube's normal form (normalise.py), in that store
      -> checked there by validate_release (set-oriented: a million observations are never
         an rdflib graph)
      -> each problem's focus node found back in the files: the first line where it is the
         subject of a statement (line-based: a subject that opens a line, as Turtle and
         N-Triples write them)

`check_cube_files_as_graph` is the other path (rdflib + pySHACL on the whole, for small files):
the conformance script runs both and they must agree.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox
from rdflib import Graph

from ..errors import Problem
from ..store.convert import to_oxigraph
from ..store.base import QueryResult
from ..store.embedded import _run as run_query  # the embedded store's query runner, on any pyoxigraph store
from . import validate_graph
from .normalise import normalise_graph, normalise_store
from .release import validate_release
from .shapes import SPEC, Profile

# The graph the files are read into; also the staged graph's name in the embedded store.
_CUBE = "urn:x-linkeddata:cube"
PARSE = "PARSE"
NO_CUBE = "NO-CUBE"
# rdflib reads these where pyoxigraph does not
_RDFLIB_FORMATS = {".n3": "n3", ".trix": "trix", ".hext": "hext", ".html": "html", ".xhtml": "html"}


class UnreadableFile(Exception):
    """A file cannot be read as RDF; carries the problem that says where."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def check_cube_files(paths: Sequence[Path], base: str, profile: Profile = SPEC, max_problems: int = 100) -> list[Problem]:
    """The problems of the cube the files make together (parse errors stop the check)."""
    with tempfile.TemporaryDirectory(prefix="linkeddata-cube-") as scratch:
        store = ox.Store(scratch)  # on disk: a million observations need not fit in memory
        try:
            parse_problems = [p for p in (_read(store, path) for path in paths) if p is not None]
            if parse_problems:
                return parse_problems
            if next(iter(store.quads_for_pattern(None, None, None, ox.NamedNode(_CUBE))), None) is None:
                return [Problem(NO_CUBE, "the files hold no triples", file=", ".join(map(str, paths)))]
            normalise_store(store, _CUBE)
            problems = validate_release(_Scratch(store), _CUBE, [], base, max_problems=max_problems,  # type: ignore[arg-type]
                                        profile=profile)
        finally:
            del store  # closes the database before its folder goes
    return locate(problems, paths)


class _Scratch:
    """The files' graph as validate_release reads a store: queries only (the cube is checked
    where it was read and normalised, not copied into a store of releases)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def query_staging(self, sparql: str, graphs: Sequence[str]) -> QueryResult:
        return run_query(self.store, sparql, None, None, None)


def check_cube_files_as_graph(paths: Sequence[Path], base: str, profile: Profile = SPEC) -> list[Problem]:
    """The same check with rdflib and pySHACL on the whole graph (validate_graph)."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format=_rdflib_format(path))
    return validate_graph(normalise_graph(graph), base, profile)


def _read(store: ox.Store, path: Path) -> Problem | None:
    """Read one file into the cube graph; a Problem naming file:line:column if it cannot be."""
    graph = ox.NamedNode(_CUBE)
    try:
        if path.suffix.lower() in _RDFLIB_FORMATS:
            parsed = Graph().parse(path, format=_RDFLIB_FORMATS[path.suffix.lower()])
            store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph)  # type: ignore[arg-type]
                         for s, p, o in parsed)
            return None
        rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if rdf_format is None:
            return Problem(PARSE, f"cannot tell the RDF format from the extension {path.suffix!r}: name the file "
                           ".ttl, .nt, .nq, .trig, .rdf, .jsonld or .n3", file=str(path))
        if rdf_format.supports_datasets:  # every graph of a dataset file goes into the one cube
            store.extend(ox.Quad(q.subject, q.predicate, q.object, graph)
                         for q in ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri()))
        else:
            store.bulk_load(path=str(path), format=rdf_format, to_graph=graph, base_iri=path.resolve().as_uri())
    except SyntaxError as exc:
        message = re.sub(r"^Parser error (at|between) line \d+ column \d+( and line \d+ column \d+)?: ", "", str(exc.msg))
        return Problem(PARSE, f"not valid RDF: {message}", file=str(path), line=exc.lineno, column=exc.offset)
    except OSError as exc:
        return Problem(PARSE, f"cannot read the file: {exc}", file=str(path))
    except Exception as exc:  # rdflib's parsers raise their own kinds
        return Problem(PARSE, f"not valid RDF: {exc}", file=str(path))
    return None


def _rdflib_format(path: Path) -> str | None:
    return _RDFLIB_FORMATS.get(path.suffix.lower()) or {
        ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".rdf": "xml", ".owl": "xml",
        ".xml": "xml", ".jsonld": "json-ld", ".json": "json-ld"}.get(path.suffix.lower())


_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def locate(problems: list[Problem], paths: Sequence[Path]) -> list[Problem]:
    """Add file:line to problems whose focus node is the subject opening a line of a file."""
    wanted = {p.focus for p in problems if p.focus and p.file is None}
    if not wanted:
        return problems
    found: dict[str, tuple[str, int]] = {}
    for path in paths:
        for focus, line in _first_lines(path, wanted - set(found)):
            found.setdefault(focus, (str(path), line))
    located = []
    for p in problems:
        where = found.get(p.focus or "")
        if where and p.file is None:
            p = Problem(p.code, p.message, file=where[0], line=where[1], focus=p.focus, shape=p.shape, severity=p.severity)
        located.append(p)
    return located


def _first_lines(path: Path, wanted: set[str]) -> Iterable[tuple[str, int]]:
    if not wanted or path.suffix.lower() not in {".ttl", ".nt", ".nq", ".trig", ".n3"}:
        return
    prefixes: dict[str, str] = {}
    names: dict[str, str] = {f"<{w}>": w for w in wanted}
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line or line[0].isspace():
                continue
            declared = _PREFIX.match(line)
            if declared:  # each focus node's prefixed name under this prefix
                prefix, namespace = declared.group(1) or "", declared.group(2)
                prefixes[prefix] = namespace
                names.update({f"{prefix}:{w[len(namespace):]}": w for w in wanted if w.startswith(namespace)})
                continue
            token = line.split(None, 1)[0]
            focus = names.pop(token, None)
            if focus is not None:
                yield focus, number
                if not names:
                    return
