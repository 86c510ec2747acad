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
from typing import Callable, Iterable, Iterator, Sequence

from . import archive
from .cube import BuildResult, build_dataset
from .cube.builder import Part, SourceFile, Tally, describe_dataset
from .errors import ConfigError, Problem, StoreError, ValidationFailed
from .history import Release, Source, write_history
from .mapping import Mapping
from .namespaces import OWL, RDFS, vocabularies
from .ntriples import TripleWriter
from .reference.graphs import reference_graphs
from .store import Store
from .summary import PartitionFigures, read_partitions, summarise
from .uris import Minter
from .validate import validate_release

Progress = Callable[[str], None]


@dataclass
class Report:
    """What a run did: per dataset, its build; the graphs it published or left unchanged."""

    builds: list[BuildResult] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
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
    def __init__(
        self,
        store: Store,
        minter: Minter,
        progress: Progress | None = None,
        force: bool = False,
        *,
        workers: int = 1,
        rebuild: bool = False,
    ):
        self.store = store
        self.minter = minter
        self.progress = progress or (lambda message: None)
        self.force = force
        self.workers = workers
        self.rebuild = rebuild  # a partitioned dataset becomes exactly the partitions of the sources
        self._staged: dict[str, str] = {}  # staging graph -> live graph
        self._context: dict[str, str] = {}  # live graph -> graph to read it from in this run
        self._retire: list[str] = []  # published graphs this release stops publishing
        self._retract: dict[str, set[str]] = {}  # dataset -> partition keys to retract

    def retract(self, mapping: Mapping, keys: list[str]) -> Report:
        """Stop publishing partitions of a partitioned dataset, as a release of its own."""
        if mapping.partition is None:
            raise ConfigError(f"{mapping.path}: {mapping.dataset} has no partition to retract")
        self._retract[mapping.dataset] = set(keys)
        return self.run([(mapping, [])])

    def run(self, jobs: list[tuple[Mapping, list[Path]]], publish: bool = True) -> Report:
        report = Report()
        self._problems = report.problems
        try:
            with tempfile.TemporaryDirectory(prefix="linkeddata-") as tmp:
                folder = Path(tmp)
                self._reference(folder, report)
                modified = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
                for mapping, sources in jobs:
                    self._dataset(mapping, sources, folder, modified, report)
                self._check_references(report)
                errors = [p for p in report.problems if p.severity == "error"]
                if errors:
                    raise ValidationFailed(report.problems)
                if publish and (self._staged or self._retire):
                    self.store.swap(dict(self._staged), retire=self._retire)
                    report.published = sorted(self._staged.values())
                    report.retired = sorted(self._retire)
                    self._staged.clear()
                    self.progress(f"published {len(report.published)} graph(s) in one swap"
                                  + (f", retired {len(report.retired)}" if report.retired else ""))
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
        if mapping.dataset in self._retract:
            self._partitioned(mapping, [], [], folder, modified, report)
            return
        if mapping.partition is not None:
            groups = archive.by_month(sources) if len(sources) > 1 else None
            groups = groups or {"": sources}
            self._partitioned(mapping, self._builds(mapping, groups, folder, modified, report),
                              [g for g in groups if g], folder, modified, report)
            return
        build = self._build(mapping, sources, folder, modified, report)
        if build is None:
            return
        checksum = _digest(self.minter.base.encode(), _file_digest(mapping.path), build.checksum.encode())
        staging = self._stage(f"dataset/{mapping.dataset}", build.output, checksum, f"Dataset: {mapping.metadata.title}")
        if staging is None:
            report.unchanged.append(self.minter.graph(f"dataset/{mapping.dataset}"))
            self.progress(f"{mapping.dataset}: unchanged since the last publish")
            self._summary(mapping, build.tally, checksum, folder, report)
            return
        self._history(mapping, Release(0, checksum, modified, build.observations, build.triples), build.sources, folder)
        self._validate(mapping, build.observations, build.triples, staging)
        if not any(p.severity == "error" for p in report.problems):
            self._summary(mapping, build.tally, checksum, folder, report)

    def _build(self, mapping: Mapping, sources: list[Path], folder: Path, modified: str,
               report: Report) -> BuildResult | None:
        """Build from `sources`; None when the build found errors (in the report)."""
        self.progress(f"building {mapping.dataset} from {len(sources)} file(s)")
        build = build_dataset(mapping, sources, self.minter, folder, modified=modified, progress=self.progress,
                              workers=self.workers)
        report.builds.append(build)
        report.problems.extend(build.problems)
        return None if build.errors else build

    def _builds(self, mapping: Mapping, groups: dict[str, list[Path]], folder: Path, modified: str,
                report: Report) -> Iterator[BuildResult]:
        """A partitioned dataset built a group of files at a time (police.uk's files by the
        month their names give), each group staged before the next is read: memory holds one
        month whatever the number of months given. Stops at the first group with errors."""
        for month, files in groups.items():
            if month:
                self.progress(f"{mapping.dataset}: the files of {month}")
            build = self._build(mapping, files, folder, modified, report)
            if build is None:
                return
            yield build

    def _validate(self, mapping: Mapping, observations: int, triples: int, staging: str,
                  structure: str | None = None) -> list[Problem]:
        self.progress(f"validating {mapping.dataset}: {observations:,} observations, {triples:,} triples")
        # Every graph the next release holds, so that the store may read them as its union
        # (pyoxigraph answers a list of graphs about half as fast): other datasets and months
        # cannot change what validation finds, whose observation patterns name the staged graph.
        context = sorted((set(self.store.graphs()) - set(self._context)) | set(self._context.values()) - {staging})
        seen = self.store.query_staging(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }} }}", [staging])
        if int(seen.rows[0]["n"]) < triples:
            # Validation must see what was built, or it would pass by checking nothing.
            raise StoreError(f"the store shows {seen.rows[0]['n']} of the {triples} triples staged as {staging}")
        problems = validate_release(self.store, staging, context, self.minter.base, structure_graph=structure)
        self._problems.extend(problems)
        return problems

    # -- partitioned datasets ---------------------------------------------------------------
    # Each partition (police.uk: a month) is a named graph of its own, named by its content:
    # {base}/graph/dataset/{dataset}/{key}/{version}. A publish stages only the partitions whose
    # sources changed, retires the versions they replace, and restages the small graphs that
    # describe the whole (the dataset's own graph, summary, history), updated from the
    # partitions' figures kept in the summary, never from the data of the other partitions.
    def _partitioned(self, mapping: Mapping, builds: Iterable[BuildResult], months: list[str], folder: Path,
                     modified: str, report: Report) -> None:
        """`builds`: the dataset built a group of files at a time; `months`: the months the
        groups' file names give (their published versions may be replaced, so are not checked
        against), or none when one build reads every file."""
        ds = mapping.dataset
        prefix = self.minter.graph(f"dataset/{ds}/")
        published = read_partitions(self.store, self.minter, ds)
        salt = (self.minter.base.encode(), _file_digest(mapping.path))
        changed: dict[str, tuple[Part, str, str]] = {}  # key -> (part, checksum, graph)
        built: dict[str, list[Path]] = {}  # key -> the files that gave it rows
        sources: list[SourceFile] = []
        for build in builds:
            names = {f.sha256: f.path for f in build.sources}
            sources += build.sources
            mine: dict[str, tuple[Part, str, str]] = {}
            for key, part in sorted(build.parts.items()):
                files = sorted((names[h] for h in part.sources if h in names), key=str)
                if key in built:
                    self._problems.append(Problem(
                        "PARTITION-IN-TWO-MONTHS",
                        f"rows of {key} are in files named for two months ({built[key][0].name} and "
                        f"{files[0].name if files else 'another'}): a month's files must hold that month's rows "
                        "only. Correct the file, or publish these months one at a time",
                        file=str(files[0]) if files else None))
                    return
                built[key] = files
                checksum = part.checksum(*salt)
                graph = f"{prefix}{key}/{checksum[:16]}"
                if self.force or key not in published or published[key].graph != graph:
                    mine[key] = (part, checksum, graph)
            # Checked against the published partitions that stay (not those this run may yet
            # replace: the months still to come) and the partitions staged for earlier months.
            # A month that is unchanged was checked when it was published: only against the staged.
            others = {k: f.graph for k, f in published.items()
                      if k not in mine and k not in changed and (k in built or k not in months)} if mine else {}
            staged = {self._context[g]: k for k, (_, _, g) in changed.items()}
            self._check_records(mapping, build, others, [published[k].graph for k in mine if k in published], staged)
            build.record_index.clear()  # checked: a month's index need not outlive its group
            if any(p.severity == "error" for p in self._problems):
                return
            for key, (part, part_checksum, graph) in mine.items():
                self.progress(f"{ds}: staging partition {key} ({part.triples:,} triples)")
                self._stage(graph[len(self.minter.graph("")):], part.output, part_checksum,
                            f"Dataset: {mapping.metadata.title}, {key}")
                part.output.unlink(missing_ok=True)  # the store keeps its own copy
            changed.update(mine)
        if any(p.severity == "error" for p in self._problems):
            return
        gone = set(self._retract.get(ds, set()))
        unknown = sorted(gone - set(published))
        if unknown:
            raise ConfigError(f"{ds} has no published partition {', '.join(unknown)}; "
                              f"published: {', '.join(sorted(published)) or 'none'}")
        if self.rebuild:
            gone |= set(published) - set(built)
        if not changed and not gone:
            report.unchanged.append(self.minter.graph(f"dataset/{ds}"))
            self.progress(f"{ds}: every partition unchanged since the last publish")
            return
        replaced = {k for k in set(changed) & set(published) if published[k].graph != changed[k][2]}
        retire = [published[k].graph for k in sorted(gone | replaced)]
        figures = {k: f for k, f in published.items() if k not in gone}
        for key, (part, checksum, graph) in changed.items():
            figures[key] = PartitionFigures(graph, part.triples + 2, part.tally)  # + the graph's own label and version
        total = Tally()
        for f in figures.values():
            total.add(f.tally)
        checksum = _digest(*salt, *(f"{k} {f.graph}".encode() for k, f in sorted(figures.items())))
        # The dataset's own graph: its description and structure, with what splits it.
        described = folder / f"{ds}.nt"
        with described.open("w", encoding="utf-8") as handle:
            out = TripleWriter(handle)
            describe_dataset(out, mapping, self.minter, modified, checksum)
            dimension = next(d.property for d in mapping.cube.dimensions if d.field == mapping.partition)
            out.link(self.minter.data(ds), str(vocabularies(self.minter.base).statistics.partitionedBy), dimension)
        structure = self._stage(f"dataset/{ds}", described, checksum, f"Dataset: {mapping.metadata.title}")
        self._retire.extend(retire)

        def origin(key: str) -> str:
            files = sorted(f.name for f in built[key])
            return ", ".join(files) if len(files) <= 3 else f"{len(files)} files"

        did = [f"{'replaced' if k in published else 'added'} {k} (from {origin(k)})" for k in changed]
        did += [f"retracted {k}" for k in sorted(gone)]
        triples = sum(f.triples for f in figures.values())
        release = Release(0, checksum, modified, total.observations, triples, change=", ".join(did))
        self._history(mapping, release, sources, folder)
        for key, (part, _, graph) in changed.items():
            self._validate(mapping, part.observations, part.triples, self._context[graph],
                           structure or self.minter.graph(f"dataset/{ds}"))
        if not any(p.severity == "error" for p in self._problems):
            self._summary(mapping, total, checksum, folder, report, figures)
        self.progress(f"{ds}: " + ", ".join(did))

    def _check_records(self, mapping: Mapping, build: BuildResult, others: dict[str, str],
                       replaced: Sequence[str] = (), staged: dict[str, str] | None = None) -> None:
        """A record (a crime) published in another partition, or staged in this run for another
        month (`staged`: staging graph -> key), may not come again in this one."""
        if not build.record_index or not (others or staged):
            return
        graphs = {g: k for k, g in others.items()}
        uris = sorted(build.record_index)
        found = 0
        column = mapping.fields[mapping.records.key[-1]].column if mapping.records else None
        for start in range(0, len(uris), 2000):
            batch = " ".join(f"<{u}>" for u in uris[start:start + 2000])
            # Over every published graph: one index look-up per record whatever the number of
            # partitions (naming the other partitions' graphs costs a look-up in each).
            # The versions being replaced hold every record again: left out in the query, not after.
            skip = f"FILTER (?g NOT IN ({', '.join(f'<{g}>' for g in replaced)}))" if replaced else ""
            sparql = f"SELECT ?r ?g WHERE {{ VALUES ?r {{ {batch} }} GRAPH ?g {{ ?r a ?type }} {skip} }}"
            rows = [(r, graphs) for r in self.store.query(sparql).rows] if others else []
            if staged:
                rows += [(r, staged) for r in self.store.query_staging(sparql, list(staged)).rows]
            for row, where in rows:
                key = where.get(str(row["g"]))
                file, line, own = build.record_index[str(row["r"])]
                if key is None or key == own:
                    continue  # another dataset's graph, or its own month as published (unchanged)
                self._problems.append(Problem(
                    "RECORD-IN-OTHER-PARTITION",
                    f"{row['r']} is already {'published in' if where is graphs else 'given in this build for'} {key} "
                    f"(graph {row['g']}); one identifier must mean one record. Correct the row, or "
                    f"republish {key} without it",
                    file=file, line=line, column_name=column,
                ))
                found += 1
                if found >= 100:
                    return

    def _check_references(self, report: Report) -> None:
        """A `record_of` field names records of another dataset (a junior post's senior post):
        each must be a record that dataset publishes, built in this run or already published."""
        # A partitioned dataset's builds keep no record index once checked: it is not one to name.
        built = {b.dataset: b for b in report.builds}
        for build in report.builds:
            missing: dict[str, tuple[str, str, int, str, int | None]] = {}
            for uri, where in build.references.items():
                dataset = where[0]
                other = built.get(dataset)
                if other is not None and other.errors:
                    continue  # its own errors say why; its records are unknown
                if other is not None and uri not in other.record_index:
                    missing[uri] = where
                elif other is None and not self.store.ask(
                        f"ASK {{ GRAPH <{self.minter.graph(f'dataset/{dataset}')}> {{ <{uri}> a ?type }} }}"):
                    missing[uri] = where
            for uri, (dataset, file, line, column, number) in sorted(missing.items(), key=lambda m: m[1][1:3])[:100]:
                report.problems.append(Problem(
                    "RECORD-NOT-FOUND",
                    f"{uri} is not a record of {dataset} (built in this run or published): the row names "
                    f"something {dataset} does not publish. Correct the reference, or publish {dataset} with it",
                    file=file, line=line, column=number, column_name=column,
                ))

    def _history(self, mapping: Mapping, release: Release, sources: list[SourceFile], folder: Path) -> None:
        """Stage the release history with this release added (history.py), before validation,
        so the shapes see the dataset with its version."""
        release.sources = [Source(s.path.name, s.sha256) for s in sources]
        release.sources.append(Source(f"mappings/{mapping.path.name}", hashlib.sha256(mapping.path.read_bytes()).hexdigest()))
        path = folder / f"history--{mapping.dataset}.nt"
        if write_history(self.store, self.minter, mapping.dataset, mapping.metadata.title, release, path):
            self._stage(f"history/{mapping.dataset}", path, release.checksum, f"Release history: {mapping.metadata.title}")
            self.progress(f"{mapping.dataset}: release {release.number}")

    def _summary(self, mapping: Mapping, tally: Tally, checksum: str, folder: Path, report: Report,
                 partitions: dict[str, PartitionFigures] | None = None) -> None:
        """Stage the dataset's publish-time statistics (summary.py) to be swapped in with it."""
        dataset = mapping.dataset
        cube = mapping.cube
        # Sums only where any sum is true: additive over every dimension, no total codes.
        sums = not cube.totals and set(cube.additive_over) >= {d.property for d in cube.dimensions}
        live = self.minter.graph(f"summary/{dataset}")
        if not self.force and _published_checksum(self.store, live) == checksum:
            report.unchanged.append(live)
            return
        path = folder / f"summary--{dataset}.nt"
        reference = self.minter.graph("reference/")
        graphs = [g for live, g in self._context.items() if live.startswith(reference)]
        summarise(self.store, self.minter, dataset, tally, graphs, path, partitions, sums)
        self._stage(f"summary/{dataset}", path, checksum, f"Summary: {dataset}")
