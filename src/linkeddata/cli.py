"""The command line: a thin layer over the pipeline and the web app.

    linkeddata build    [--store PATH] [--base URI] [--force] [MAPPING ...] [--source FILE ...]
    linkeddata build    MAPPING --source FILE|FOLDER|ZIP ... [--rebuild] [--no-compact]
    linkeddata build    --source FOLDER|ZIP ...   (police.uk's monthly archive: each kind of file to its dataset)
    linkeddata retract  MAPPING --period KEY [--period KEY ...]
    linkeddata compact  [--store PATH]
    linkeddata validate [--base URI] [MAPPING ...] [--source FILE ...]
    linkeddata validate --cube FILE [FILE ...] [--profile spec|homeoffice] [--format text|json]
                        (anyone's Data Cube, by the integrity constraints alone unless a profile says more)
    linkeddata serve    [--store PATH] [--base URI] [--host H] [--port P]
    linkeddata demo     [--store PATH] [--host H] [--port P]

Exit status: 0 done; 1 the data has problems (nothing was published); 2 a usage,
configuration or store error.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Sequence
from urllib.parse import urlsplit

from .errors import ConfigError, LinkedDataError, Problem, ValidationFailed
from .mapping import Mapping, find_mapping, load_mapping, mapping_files
from .settings import Settings, get_settings
from .uris import Minter


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress() -> "callable":
    start = time.monotonic()
    return lambda message: _say(f"[{time.monotonic() - start:6.1f}s] {message}")


def _settings(args: argparse.Namespace) -> Settings:
    changes = {k: v for k in ("base_uri", "store", "host", "port") if (v := getattr(args, k, None)) is not None}
    return dataclasses.replace(get_settings(), **changes)


def _jobs(args: argparse.Namespace, settings: Settings, scratch: Path) -> list[tuple[Mapping, list[Path]]]:
    from . import archive

    if args.source:
        files = archive.expand([Path(s) for s in args.source], scratch)
        if not files:
            raise ConfigError(f"no CSV files in {', '.join(args.source)}")
        if not args.mappings:  # police.uk's layout: each file to the dataset of its kind
            jobs = []
            known = {p.stem for p in mapping_files()}
            for dataset, paths in archive.route(files).items():
                if dataset not in known:  # a mapping that does not load is an error, not a skip
                    _say(f"skipped {len(paths)} {dataset} file(s): there is no {dataset} dataset")
                    continue
                jobs.append((load_mapping(find_mapping(dataset), settings.base_uri), paths))
            return jobs
        if len(args.mappings) != 1:
            raise ConfigError("--source needs one MAPPING, the layout the files have (e.g. street-crime), "
                              "or none for police.uk's archive layout")
        archive.check_once(files)
        return [(load_mapping(find_mapping(args.mappings[0]), settings.base_uri), files)]
    paths = [find_mapping(name) for name in args.mappings] if args.mappings else mapping_files()
    jobs = []
    for path in paths:
        mapping = load_mapping(path, settings.base_uri)
        if not mapping.samples:
            raise ConfigError(f"{path}: no bundled sample sources; name files with --source")
        jobs.append((mapping, list(mapping.samples)))
    return jobs


SHOWN_PER_CODE = 10
# What a kind of warning means, for the one-line summary a build ends with.
WARNING_MEANING = {
    "TOTAL-ROWS": "rows a mapping declares as totals or regions were left out, as it declares",
    "RECORD-DUPLICATE": "rows with one record's identifier differ (police.uk re-uses Crime IDs; an organogram "
                        "lists a job-shared post twice): every row is counted, the record keeps the first row's facts",
    "RECORD-INACTIVE": "rows marked as describing records no longer there (an eliminated post) were published as "
                       "such and counted in no cube cell, as the mapping declares",
    "RECORD-INACTIVE-TWICE": "a record given by a row marked inactive and by one that is not: one record, the "
                             "unmarked row's, and only that row counts",
}


def _print_problems(problems: Sequence[Problem], every: bool = False) -> None:
    """Every error. Warnings: with `every`, each (up to ten of a kind, then how many more);
    otherwise one line per kind with its count, and how to see them all."""
    kinds: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.severity == "error":
            _say(str(problem))
        else:
            kinds.setdefault(problem.code, []).append(problem)
    if every:
        for code, found in kinds.items():
            for problem in found[:SHOWN_PER_CODE]:
                _say(str(problem))
            if len(found) > SHOWN_PER_CODE:
                _say(f"... and {len(found) - SHOWN_PER_CODE} more {code} warning(s)")
        return
    for code, found in kinds.items():
        meaning = WARNING_MEANING.get(code) or found[0].message
        _say(f"warning {code} x{len(found)}: {meaning} (first: {found[0].where()})")
    if kinds:
        _say("(--all-warnings lists each warning with its file and line)")


def _check_cube(args: argparse.Namespace) -> int:
    """`validate --cube`: problems as text lines or a JSON list; 1 if any is an error."""
    import json

    from .validate import PROFILES
    from .validate.cube_files import check_cube_files

    if args.mappings or args.source:
        raise ConfigError("validate --cube checks RDF files: give no MAPPING or --source with it")
    missing = [str(p) for p in args.cube if not p.is_file()]
    if missing:
        raise ConfigError(f"no such file: {', '.join(missing)}")
    problems = check_cube_files(args.cube, _settings(args).base_uri, PROFILES[args.profile])
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], indent=1))
    else:
        for p in problems:
            where = f"{p.where()} <{p.focus}>" if p.file and p.focus else p.where()
            print(f"{where}: {p.severity} {p.code}: {p.message}")
        _say(f"{errors} error(s), {len(problems) - errors} warning(s) in {len(args.cube)} file(s)"
             f" (profile {args.profile})")
    return 1 if errors else 0


def _run_pipeline(args: argparse.Namespace, publish: bool) -> int:
    import tempfile

    from .cube.builder import default_workers
    from .pipeline import Publisher
    from .store import open_store
    from .store.embedded import EmbeddedStore

    settings = _settings(args)
    progress = _progress()
    with tempfile.TemporaryDirectory(prefix="linkeddata-sources-") as scratch:
        retracting = getattr(args, "command", "") == "retract"
        jobs = [] if retracting else _jobs(args, settings, Path(scratch))
        store = open_store(settings.store, settings.base_uri, settings=settings) if publish else EmbeddedStore(None, settings.base_uri)
        with store:
            if publish and isinstance(store, EmbeddedStore):  # a killed build may have left a half-made release
                store.drop_abandoned_staging()
            publisher = Publisher(
                store, Minter(settings.base_uri), progress, force=getattr(args, "force", False),
                workers=settings.build_workers or default_workers(), rebuild=getattr(args, "rebuild", False),
            )
            try:
                if retracting:
                    mapping = load_mapping(find_mapping(args.mapping), settings.base_uri)
                    report = publisher.retract(mapping, args.period)
                else:
                    report = publisher.run(jobs, publish)
            except ValidationFailed as failed:
                _print_problems(failed.problems, getattr(args, "all_warnings", False))
                errors = sum(1 for p in failed.problems if p.severity == "error")
                _say(f"{errors} error(s); nothing was published" + ("" if publish else " (validate publishes nothing anyway)"))
                return 1
            _print_problems(report.warnings, getattr(args, "all_warnings", False))
            built: dict[str, list[int]] = {}  # a dataset built a month at a time: one line, its sums
            for build in report.builds:
                sums = built.setdefault(build.dataset, [0, 0, 0, 0])
                for i, figure in enumerate((build.rows, build.observations, build.records, build.triples)):
                    sums[i] += figure
            for dataset, (rows, observations, records, triples) in built.items():
                _say(f"{dataset}: {rows:,} rows -> {observations:,} observations, {records:,} records, {triples:,} triples")
            if publish:
                retired = f", {len(report.retired)} retired" if report.retired else ""
                _say(f"published {len(report.published)} graph(s), {len(report.unchanged)} unchanged{retired}, "
                     f"into {settings.store if not settings.remote_store else settings.sparql_query_url}")
                if report.retired and not getattr(args, "no_compact", False):
                    progress("compacting: removing what the retired graphs left in the store")
                    removed = store.compact()
                    if removed:
                        progress(f"compacted: {removed} graph(s) removed")
            else:
                _say(f"valid ({len(report.warnings)} warning(s))")
    return 0


def _compact(args: argparse.Namespace) -> int:
    from .store import open_store

    settings = _settings(args)
    progress = _progress()
    with open_store(settings.store, settings.base_uri, settings=settings) as store:
        removed = store.compact()
    progress(f"compacted: {removed} graph(s) removed")
    return 0


def _serve(settings: Settings, store_path: str | None = None) -> int:
    import uvicorn

    from .store import open_store
    from .web.app import create_app

    path = Path(store_path or settings.store)
    if not settings.remote_store and not path.exists():
        raise ConfigError(f"no store at {path}: run `linkeddata build` first (or `linkeddata demo`)")
    store = open_store(path, settings.base_uri, read_only=True, settings=settings)
    app = create_app(store, settings)
    # The address every link, form and redirect uses is the base URI, whatever the socket is.
    _say(f"serving {path}: open {settings.base_uri}/ (listening on {settings.host}:{settings.port}); Ctrl+C stops")
    port = urlsplit(settings.base_uri).port or (443 if settings.base_uri.startswith("https:") else 80)
    if port != settings.port:
        _say(f"note: links use {settings.base_uri}, but this server listens on port {settings.port}: unless a proxy "
             f"forwards it, pass --base http://localhost:{settings.port} (to build and serve alike)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="linkeddata", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, store: bool = True) -> None:
        if store:
            p.add_argument("--store", help="store folder (LINKEDDATA_STORE, default var/store)")
        p.add_argument("--base", dest="base_uri", help="base URI (LINKEDDATA_BASE_URI, default http://localhost:8000)")

    build = commands.add_parser("build", help="build, validate and publish datasets into the store")
    common(build)
    build.add_argument("mappings", nargs="*", metavar="MAPPING", help="mapping name or file (default: all in mappings/)")
    build.add_argument("--source", action="append", metavar="FILE", help="publish from these files instead of the bundled samples")
    build.add_argument("--force", action="store_true", help="publish even if the store already has this exact release")
    build.add_argument("--all-warnings", action="store_true", help="list each warning, not one line per kind")
    build.add_argument("--rebuild", action="store_true",
                       help="a partitioned dataset becomes exactly the partitions of these sources (others are retracted)")
    build.add_argument("--no-compact", action="store_true",
                       help="after replacing or retracting partitions, leave their old versions for `linkeddata compact`")

    retract = commands.add_parser("retract", help="stop publishing partitions of a dataset (e.g. a month)")
    common(retract)
    retract.add_argument("mapping", metavar="MAPPING")
    retract.add_argument("--period", action="append", required=True, metavar="KEY",
                         help="the partition to retract, e.g. 2019-01 (repeat for more)")
    retract.add_argument("--no-compact", action="store_true", help="leave the retracted data for `linkeddata compact`")

    compact = commands.add_parser("compact", help="remove from the store what replaced and retracted partitions left, and merge its files")
    common(compact)

    validate = commands.add_parser("validate", help="build and validate without publishing")
    common(validate, store=False)
    validate.add_argument("mappings", nargs="*", metavar="MAPPING")
    validate.add_argument("--source", action="append", metavar="FILE")
    validate.add_argument("--all-warnings", action="store_true", help="list each warning, not one line per kind")
    validate.add_argument("--cube", nargs="+", type=Path, metavar="FILE",
                          help="check these RDF files (any format, by extension) as one Data Cube, not mappings")
    validate.add_argument("--profile", choices=("spec", "homeoffice"), default="spec",
                          help="with --cube: the integrity constraints only (spec, default), or also our catalogue "
                               "and value rules (homeoffice)")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="with --cube: how to print problems")

    for name, text in (("serve", "serve the store over HTTP"), ("demo", "build the bundled datasets, then serve them")):
        p = commands.add_parser(name, help=text)
        common(p)
        p.add_argument("--host", help="address to listen on (LINKEDDATA_HOST, default 127.0.0.1)")
        p.add_argument("--port", type=int, help="port (LINKEDDATA_PORT, default 8000)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _run_pipeline(args, publish=True)
        if args.command == "retract":
            return _run_pipeline(args, publish=True)
        if args.command == "compact":
            return _compact(args)
        if args.command == "validate" and args.cube:
            return _check_cube(args)
        if args.command == "validate":
            args.store = None
            return _run_pipeline(args, publish=False)
        settings = _settings(args)
        if args.command == "demo":
            args.mappings, args.source, args.force = [], None, False
            status = _run_pipeline(args, publish=True)
            if status:
                return status
        return _serve(settings)
    except LinkedDataError as exc:
        _say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
