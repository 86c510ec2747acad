"""Cut an N-Triples file into request-sized pieces without reading it whole.

Each piece becomes its own HTTP request, and a server scopes blank node labels to one request:
`_:b1` in two pieces would be two different nodes. So lines that may mention a blank node are set
aside (on disk) and come last, as one piece; every other piece is a plain set of triples, which
the store can receive twice without harm, so sending it again after a dropped connection is safe.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class Piece:
    body: bytes
    first_line: int  # 1-based line in the file of the piece's first line (0 for the blank-node piece)
    lines: int
    has_blank_nodes: bool


def pieces(path: Path, max_lines: int) -> Iterator[Piece]:
    """Yield pieces of at most `max_lines` lines; lines with blank nodes form the last piece."""
    with path.open("rb") as source, tempfile.TemporaryFile() as aside:
        held: list[bytes] = []
        first = 1
        aside_lines = 0
        for number, line in enumerate(source, start=1):
            # `_:` inside a literal is a false alarm; it only moves the line to the last piece.
            if b"_:" in line:
                aside.write(line if line.endswith(b"\n") else line + b"\n")
                aside_lines += 1
                continue
            if not held:
                first = number
            held.append(line if line.endswith(b"\n") else line + b"\n")
            if len(held) >= max_lines:
                yield Piece(b"".join(held), first, len(held), False)
                held = []
        if held:
            yield Piece(b"".join(held), first, len(held), False)
        if aside_lines:
            aside.seek(0)
            yield Piece(aside.read(), 0, aside_lines, True)
