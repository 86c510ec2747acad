"""The reference items of a release, by code and by every way of writing their names.

Read once per release from the search index (`web/search/index.py`: labels, other names and
codes of everything the platform mints) and from the store (the links `types.properties`
names). The search index finds candidates by words; this table adds what it cannot know: that
"Devon & Cornwall Police" and "Devon and Cornwall" are one name, that a force's police.uk id
names its force area too, and which items link to which.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib.namespace import RDF, RDFS, SKOS

from ...store import Store
from ..release import per_release
from ..release_files import table as rows_of
from ..search.index import connection
from . import versions
from .types import TYPES, EntityType, Property, properties
from .variants import normal, period_key

SMALL = 2000  # a type this small is compared whole when a name is misspelt (it shares no word)


@dataclass(frozen=True)
class Item:
    uri: str
    type: EntityType
    label: str
    code: str
    names: tuple[str, ...]  # the label and every other name
    also: tuple[str, ...] = ()  # other codes it answers to (its forces' police.uk ids)


@dataclass
class Table:
    base: str
    items: dict[str, Item] = field(default_factory=dict)
    by_code: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    links: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # property -> item -> values
    linked: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # property -> value -> items
    properties: tuple[Property, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)  # every indexed URI's label (link targets)
    small_keys: dict[str, list[str]] = field(default_factory=dict)  # type -> its name keys, if few
    types: list[EntityType] = field(default_factory=lambda: list(TYPES))  # and the code lists
    present: set[str] = field(default_factory=set)  # the ids of the types it has items of
    latest: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # dated property -> item -> latest values
    as_of: dict[str, str] = field(default_factory=dict)  # item with dated properties -> its latest date

    def offered(self) -> list[EntityType]:
        """The types the release has items of."""
        return [t for t in self.types if t.id in self.present]

    def type(self, type_id: str) -> EntityType | None:
        return next((t for t in self.types if t.id == type_id), None)

    def property(self, pid: str) -> Property | None:
        return next((p for p in self.properties if p.id == pid), None)

    def values(self, pid: str, uri: str) -> list[str]:
        """What an item's property holds now: of a dated property, the latest date's values."""
        held = self.latest if pid in self.latest else self.links
        return held.get(pid, {}).get(uri, [])

    def name_key(self, entity_type: EntityType, text: str) -> tuple[str, str]:
        return entity_type.id, normal(text, entity_type.noise)

    def exact(self, text: str, types: list[EntityType]) -> tuple[list[str], list[str]]:
        """(items whose code is `text`, items one of whose names is `text` in some variant)."""
        wanted = {t.id for t in types}
        plain = text.strip()
        coded = [u for u in self.by_code.get(plain.lower(), []) if self.items[u].type.id in wanted]
        if plain in self.items and self.items[plain].type.id in wanted:
            coded.append(plain)  # an identifier given as the query
        for t in types:
            key = period_key(t.period, plain) if t.period else None
            uri = f"{self.base}{t.folder}{key}" if key else None
            if uri in self.items and uri not in coded:
                coded.append(uri)
        named = [u for t in types for u in self.by_name.get(self.name_key(t, plain), [])]
        return coded, list(dict.fromkeys(named))

    def resolve(self, value: str, type_id: str | None) -> set[str]:
        """The items a property value names: a URI, a code, or a name of an item of `type_id`."""
        if value in self.items:
            return {value}
        wanted = self.type(type_id) if type_id else None
        if wanted is None:
            return set()
        coded, named = self.exact(value, [wanted])
        return set(coded or named)


def table(store: Store, base: str) -> Table:
    """The table of the served release (built on the first request after a release)."""
    return per_release(store, f"reconcile:{base}", lambda: build(store, base, connection(store, base)))


def build(store: Store, base: str, index: sqlite3.Connection) -> Table:
    out = Table(base, properties=properties(base))
    out.types += _code_lists(store, base)
    folders = [(f"{base}{t.prefix}", t.pattern(base), t) for t in out.types]
    for uri, label, notation, others in index.execute("SELECT uri, label, notation, others FROM entries"):
        out.labels[uri] = label
        entity_type = next((t for prefix, pattern, t in folders if uri.startswith(prefix) and pattern.fullmatch(uri)), None)
        if entity_type is None:
            continue
        names = (label, *[n for n in others.split(" | ") if n])
        out.items[uri] = Item(uri, entity_type, label, notation.split(" ")[0] if notation else "", names)
    _load_links(store, out)
    versions.load(store, out)
    _forces_name_their_areas(out)
    _posts_answer_to_their_national_uris(out)
    for item in out.items.values():
        for code in {c for c in (item.code, *item.also) if c}:
            out.by_code[code.lower()].append(item.uri)
        for name in set(item.names):
            key = out.name_key(item.type, name)
            if item.uri not in out.by_name[key]:
                out.by_name[key].append(item.uri)
    out.present = {item.type.id for item in out.items.values()}
    for t in out.types:
        keys = [k for (tid, k) in out.by_name if tid == t.id]
        if len(keys) <= SMALL:
            out.small_keys[t.id] = keys
    return out


def _code_lists(store: Store, base: str) -> list[EntityType]:
    """A type for each code list whose codes no type of `TYPES` holds, named by the list's last
    segment (`ethnicity`), or with its vocabulary's where two lists share it (`crime-outcome`)."""
    taken = {t.folder for t in TYPES}
    schemes: dict[str, str] = {}
    # The folder of a list's codes, not the list's own IRI: a list named apart from the property
    # of its dimension (`def/equality/ethnicities`) keeps its codes under the property's name.
    for uri, label, code in rows_of(store, f"""SELECT ?s ?l (SAMPLE(?c) AS ?code) WHERE {{
            ?s <{RDF.type}> <{SKOS.ConceptScheme}> ; <{SKOS.prefLabel}>|<{RDFS.label}> ?l .
            ?c <{SKOS.inScheme}> ?s }} GROUP BY ?s ?l"""):
        folder = code[len(base):].rpartition("/")[0] + "/"
        if uri.startswith(f"{base}/def/") and code.startswith(f"{base}/def/") and folder not in taken \
                and folder.count("/") == 4:
            schemes.setdefault(folder, label.partition("\x00")[0])
    last = [f.split("/")[3] for f in schemes]
    types = []
    for folder, label in sorted(schemes.items()):
        vocab, name = folder.split("/")[2:4]
        type_id = name if last.count(name) == 1 and name not in {t.id for t in TYPES} else f"{vocab}-{name}"
        types.append(EntityType(type_id, label, folder, f"A code of the code list {label} ({folder[:-1]})"))
    return types


def _load_links(store: Store, out: Table) -> None:
    """Each property's values of each item, and the reverse (the LSOAs of a local authority)."""
    for prop in out.properties:
        if prop.id == "code" or prop.dated:
            continue  # the index has the codes; `versions` reads the dated ones
        forward: dict[str, list[str]] = defaultdict(list)
        for predicate in {p for _, p in prop.predicates}:
            for s, o in rows_of(store, f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
                item = out.items.get(s)
                if item is not None and prop.predicate(item.type.id) == predicate:
                    forward[s].append(o.partition("\x00")[0])
        out.links[prop.id] = dict(forward)
        backward: dict[str, list[str]] = defaultdict(list)
        for s, values in forward.items():
            for o in values:
                backward[o].append(s)
        out.linked[prop.id] = dict(backward)


def _forces_name_their_areas(out: Table) -> None:
    """A force area answers to its force's police.uk id and names ("avon-and-somerset",
    "Avon and Somerset Constabulary"): people name a force when they mean its area."""
    for force, areas in out.links.get("police-force-area", {}).items():
        item = out.items[force]
        if item.type.id != "police-force":
            continue
        for area in areas:
            held = out.items.get(area)
            if held is not None:
                out.items[area] = Item(held.uri, held.type, held.label, held.code,
                                       (*held.names, *item.names), (*held.also, item.code))


def _posts_answer_to_their_national_uris(out: Table) -> None:
    """A post answers to the URI data.gov.uk minted for it (the organogram files' URI column),
    so a spreadsheet that linked to data.gov.uk reconciles by that column."""
    for uri, national in out.links.get("national-uri", {}).items():
        held = out.items[uri]
        if held.type.id == "post":
            out.items[uri] = Item(held.uri, held.type, held.label, held.code, held.names, (*held.also, *national))
