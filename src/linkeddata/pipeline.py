"""Publish: the only place that sees every stage.

    mapping -> tabular -> cube -> (staging graph) -> validate -> swap

Everything a run builds is staged and validated first; then one atomic swap publishes all of
it. A problem anywhere means nothing is published and the store is as it was.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .cube import BuildResult, build_dataset
from .errors import Problem, StoreError, ValidationFailed
from .history import Release, Source, write_history
from .mapping import Mapping
from .namespaces import OWL, RDFS
from .ntriples import TripleWriter
from .reference.graphs import reference_graphs
from .store import Store
from .summary import summarise
from .uris import Minter
from .validate import validate_release

Progress = Callable[[str], None]


@dataclass
class Report:
    """What a run did: per dataset, its build; the graphs it published or left unchanged."""

    builds: list[BuildResult] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def _describe_graph(path: Path, graph: str, label: str, checksum: str) -> None:
    """Name the graph inside itself: its IRI dereferences, and the checksum says what it holds."""
    with path.open("a", encoding="utf-8") as handle:
        out = TripleWriter(handle)
        out.text(graph, str(RDFS.label), label, "en")
        out.text(graph, str(OWL.versionInfo), checksum)


def _published_checksum(store: Store, graph: str) -> str | None:
    rows = store.select(f"SELECT ?v WHERE {{ GRAPH <{graph}> {{ <{graph}> <{OWL.versionInfo}> ?v }} }}")
    return str(rows[0]["v"]) if rows else None


class Publisher:
    def __init__(self, store: Store, minter: Minter, progress: Progress | None = None, force: bool = False):
        self.store = store
        self.minter = minter
        self.progress = progress or (lambda message: None)
        self.force = force
        self._staged: dict[str, str] = {}  # staging graph -> live graph
        self._context: dict[str, str] = {}  # live graph -> graph to read it from in this run

    def run(self, jobs: list[tuple[Mapping, list[Path]]], publish: bool = True) -> Report:
        report = Report()
        try:
            with tempfile.TemporaryDirectory(prefix="linkeddata-") as tmp:
                folder = Path(tmp)
                self._reference(folder, report)
                modified = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
                for mapping, sources in jobs:
                    self._dataset(mapping, sources, folder, modified, report)
                errors = [p for p in report.problems if p.severity == "error"]
                if errors:
                    raise ValidationFailed(report.problems)
                if publish and self._staged:
                    self.store.swap(dict(self._staged))
                    report.published = sorted(self._staged.values())
                    self._staged.clear()
                    self.progress(f"published {len(report.published)} graph(s) in one swap")
        finally:
            for staging in self._staged:
                self.store.drop_staging(staging)
            self._staged.clear()
        return report

    def _stage(self, name: str, path: Path, checksum: str, label: str) -> str | None:
        """Stage a graph unless the store already has this exact content; None if unchanged."""
        live = self.minter.graph(name)
        _describe_graph(path, live, label, checksum)
        if not self.force and _published_checksum(self.store, live) == checksum:
            self._context[live] = live
            return None
        staging = self.store.load_staging(name, path)
        self._staged[staging] = live
        self._context[live] = staging
        return staging

    def _reference(self, folder: Path, report: Report) -> None:
        for ref in reference_graphs():
            path = folder / (ref.name.replace("/", "--") + ".nt")
            with path.open("w", encoding="utf-8") as handle:
                ref.write(TripleWriter(handle), self.minter)
            checksum = _digest(self.minter.base.encode(), _file_digest(path))
            if self._stage(ref.name, path, checksum, f"Reference data: {ref.name}") is None:
                report.unchanged.append(self.minter.graph(ref.name))
        self.progress("reference data ready")

    def _dataset(self, mapping: Mapping, sources: list[Path], folder: Path, modified: str, report: Report) -> None:
        self.progress(f"building {mapping.dataset} from {len(sources)} file(s)")
        output = folder / f"{mapping.dataset}.nt"
        build = build_dataset(mapping, sources, self.minter, output, modified=modified, progress=self.progress)
        report.builds.append(build)
        report.problems.extend(build.problems)
        if build.errors:
            return
        checksum = _digest(self.minter.base.encode(), _file_digest(mapping.path), build.checksum.encode())
        staging = self._stage(f"dataset/{mapping.dataset}", output, checksum, f"Dataset: {mapping.metadata.title}")
        if staging is None:
            report.unchanged.append(self.minter.graph(f"dataset/{mapping.dataset}"))
            self.progress(f"{mapping.dataset}: unchanged since the last publish")
            self._summary(build, checksum, folder, report)
            return
        self._history(mapping, build, checksum, modified, folder)
        self.progress(f"validating {mapping.dataset}: {build.observations:,} observations, {build.triples:,} triples")
        context = [g for live, g in self._context.items() if g != staging]
        seen = self.store.query_staging(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }} }}", [staging])
        if int(seen.rows[0]["n"]) < build.triples:
            # Validation must see what was built, or it would pass by checking nothing.
            raise StoreError(f"the store shows {seen.rows[0]['n']} of the {build.triples} triples staged as {staging}")
        problems = validate_release(self.store, staging, context, self.minter.base)
        report.problems.extend(problems)
        if not any(p.severity == "error" for p in problems):
            self._summary(build, checksum, folder, report)

    def _history(self, mapping: Mapping, build: BuildResult, checksum: str, modified: str, folder: Path) -> None:
        """Stage the release history with this release added (history.py), before validation,
        so the shapes see the dataset with its version."""
        sources = [Source(s.path.name, s.sha256) for s in build.sources]
        sources.append(Source(f"mappings/{mapping.path.name}", hashlib.sha256(mapping.path.read_bytes()).hexdigest()))
        release = Release(0, checksum, modified, build.observations, build.triples, sources)
        path = folder / f"history--{mapping.dataset}.nt"
        if write_history(self.store, self.minter, mapping.dataset, mapping.metadata.title, release, path):
            self._stage(f"history/{mapping.dataset}", path, checksum, f"Release history: {mapping.metadata.title}")
            self.progress(f"{mapping.dataset}: release {release.number}")

    def _summary(self, build: BuildResult, checksum: str, folder: Path, report: Report) -> None:
        """Stage the dataset's publish-time statistics (summary.py) to be swapped in with it."""
        live = self.minter.graph(f"summary/{build.dataset}")
        if not self.force and _published_checksum(self.store, live) == checksum:
            report.unchanged.append(live)
            return
        path = folder / f"summary--{build.dataset}.nt"
        reference = self.minter.graph("reference/")
        graphs = [g for live, g in self._context.items() if live.startswith(reference)]
        summarise(self.store, self.minter, build.dataset, build.tally, graphs, path)
        self._stage(f"summary/{build.dataset}", path, checksum, f"Summary: {build.dataset}")
