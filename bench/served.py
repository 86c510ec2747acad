"""What the benchmarks of a served release share: their arguments and the built store they open."""

from __future__ import annotations

import argparse
from pathlib import Path

from linkeddata.store.embedded import EmbeddedStore


def served_store(doc: str | None, rounds: int) -> tuple[EmbeddedStore, argparse.Namespace]:
    """The store of `--store` (read-only) and the arguments: --store, --base, --rounds."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default="var/store")
    parser.add_argument("--base", default="http://localhost:8000")
    parser.add_argument("--rounds", type=int, default=rounds)
    args = parser.parse_args()
    return EmbeddedStore(Path(args.store), args.base, read_only=True), args
