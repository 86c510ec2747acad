"""Per-release facts computed before anyone asks: the first page after a release is fast.

The dataset pages, the catalogue and VoID read facts computed once per release
(`release.per_release`): the datasets' metadata, structure and summary, labels, the shapes.
Computed on the first request, they cost that request a second or more; a `Warmer` thread
computes them as soon as a release is served (at start, and when a new release appears), and
compiles the templates.
"""

from __future__ import annotations

import logging
import threading

from ..store import Store
from ..uris import Minter
from .pages import TEMPLATES, environment

log = logging.getLogger(__name__)


def warm(store: Store, minter: Minter) -> None:
    """Compute every per-release fact the pages read, for the release being served."""
    from .catalogue import catalogue_graph, void_graph
    from .datasets import contract_shapes, dataset_info, dataset_names
    from .release import last_modified

    last_modified(store)
    from .measures import facets, overall

    for name in dataset_names(store, minter):
        info = dataset_info(store, minter, name)
        if info is not None:
            facets(store, info)  # reads a small cube whole: a second for use of force
            overall(store, info)
    contract_shapes(store, minter)
    catalogue_graph(store, minter)
    void_graph(store, minter)
    from .search.index import connection

    connection(store, minter.base)  # the release's search index, built if no worker has yet
    from .reconcile.names import table

    table(store, minter.base)  # the reconciliation service's names (two seconds at 35k LSOAs)
    from .policeuk.index import connection as policeuk_index

    policeuk_index(store, minter.base)  # and its police.uk API index


class Warmer:
    """Watches the store's version and warms each new release, in a daemon thread."""

    def __init__(self, store: Store, minter: Minter, interval: float = 2.0):
        self.store = store
        self.minter = minter
        self.interval = interval
        self.warmed: str | None = None  # the version last warmed
        self.done = threading.Event()  # set each time a release has been warmed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="linkeddata-warmer", daemon=True)

    def start(self) -> None:
        for template in sorted(TEMPLATES.glob("*.html")):
            environment().get_template(template.name)  # compiled once, here
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                version = self.store.version()
                if version != self.warmed:
                    warm(self.store, self.minter)
                    self.warmed = version
                    self.done.set()
            except Exception:  # noqa: BLE001 - a failed warm-up only means the first page computes it
                log.exception("warming the release's facts failed; pages will compute them")
            self._stop.wait(self.interval)
