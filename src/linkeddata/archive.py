"""Sources as police.uk hands them out: its monthly archive, a folder or the .zip itself.

The archive unpacks to `YYYY-MM/YYYY-MM-<force>-street.csv` (and `-outcomes.csv`,
`-stop-and-search.csv`). `expand` turns folders and zips given as sources into their CSV
files (a zip is unpacked into a scratch folder); `route` sends each file to the dataset of its
kind. Two files for one force, month and kind are refused, naming both: they would double
every count.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .errors import ConfigError

KINDS = {"street": "street-crime", "outcomes": "crime-outcomes", "stop-and-search": "stop-and-search"}
NAME = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>.+?)-(?P<kind>street|outcomes|stop-and-search)\.csv$")
MOST_BYTES = 20 << 30  # refuse an archive that would unpack to more than this


def expand(sources: list[Path], scratch: Path) -> list[Path]:
    """Every CSV file the sources name: files as given, folders searched, zips unpacked."""
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(sorted(p for p in source.rglob("*.csv") if p.is_file()))
        elif source.suffix.lower() == ".zip":
            files.extend(_unzip(source, scratch / f"zip-{len(files)}-{source.stem}"))
        else:
            files.append(source)
    return files


def _unzip(path: Path, folder: Path) -> list[Path]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ConfigError(f"{path}: not a readable .zip archive ({exc})") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
        if sum(m.file_size for m in members) > MOST_BYTES:
            raise ConfigError(f"{path}: unpacks to more than {MOST_BYTES >> 30} GB of CSV; unpack it and give the folder")
        files = []
        for member in members:
            name = Path(member.filename)
            if name.is_absolute() or ".." in name.parts:  # never write outside the scratch folder
                raise ConfigError(f"{path}: member {member.filename!r} names a path outside the archive")
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src, target.open("wb") as out:
                while block := src.read(1 << 20):
                    out.write(block)
            files.append(target)
    return sorted(files)


def route(files: list[Path]) -> dict[str, list[Path]]:
    """police.uk files by the dataset of their kind (a file of another name: ConfigError)."""
    routed: dict[str, list[Path]] = {}
    for path in files:
        match = NAME.match(path.name)
        if match is None:
            raise ConfigError(
                f"{path}: not a police.uk file name (YYYY-MM-<force>-street.csv, -outcomes.csv or "
                "-stop-and-search.csv); name the MAPPING to publish other files"
            )
        routed.setdefault(KINDS[match["kind"]], []).append(path)
    check_once(files)
    return routed


def by_month(files: list[Path]) -> dict[str, list[Path]] | None:
    """police.uk files by the month their names give, months in order; None when a file has
    another name (its month is then known only from its rows)."""
    months: dict[str, list[Path]] = {}
    for path in files:
        match = NAME.match(path.name)
        if match is None:
            return None
        months.setdefault(match["month"], []).append(path)
    return dict(sorted(months.items()))


def check_once(files: list[Path]) -> None:
    """Refuse two police.uk files for one force, month and kind (files of other names pass)."""
    seen: dict[tuple[str, str, str], Path] = {}
    for path in files:
        match = NAME.match(path.name)
        if match is None:
            continue
        key = (match["month"], match["force"], match["kind"])
        if key in seen:
            raise ConfigError(
                f"{seen[key]} and {path} are both the {match['kind']} file of {match['force']} for "
                f"{match['month']}: give each force's month once"
            )
        seen[key] = path
