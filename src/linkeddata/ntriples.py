"""Write N-Triples fast and correctly: pyoxigraph checks and escapes each term once.

Building strings is about 25 times faster than rdflib's Graph.add + serialize, and a file of
N-Triples streams into the store without ever being a graph in memory.
"""

from __future__ import annotations

import shutil

from functools import lru_cache
from typing import IO

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"


@lru_cache(maxsize=200_000)
def iri(value: str) -> str:
    """`<value>`, raising ValueError if it is not a valid IRI."""
    return str(ox.NamedNode(value))


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    if lang:
        return str(ox.Literal(value, language=lang))
    if datatype:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


def integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


class TripleWriter:
    """Writes triples whose subject and predicate are IRIs; objects are pre-formatted terms."""

    def __init__(self, out: IO[str]):
        self._out = out
        self.count = 0

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self._out.write(f"{iri(subject)} {iri(predicate)} {obj} .\n")
        self.count += 1

    def lines(self, lines: list[str]) -> None:
        """Append whole N-Triples lines, each already ending in a newline."""
        self._out.write("".join(lines))
        self.count += len(lines)

    def copy(self, source: IO[str], triples: int) -> None:
        """Append a file of `triples` N-Triples lines written by another writer."""
        shutil.copyfileobj(source, self._out, 1 << 20)
        self.count += triples

    def raw(self, ntriples: str) -> None:
        """Append text that is already N-Triples (one triple a line)."""
        lines = [line for line in ntriples.splitlines() if line.strip()]
        self._out.write("\n".join(lines) + ("\n" if lines else ""))
        self.count += len(lines)

    def link(self, subject: str, predicate: str, target: str) -> None:
        self.add(subject, predicate, iri(target))

    def text(self, subject: str, predicate: str, value: str, lang: str | None = None) -> None:
        self.add(subject, predicate, literal(value, lang=lang))

    def typed(self, subject: str, predicate: str, value: str, datatype: str) -> None:
        self.add(subject, predicate, literal(value, datatype=datatype))
