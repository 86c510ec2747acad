"""A post's place in its organisation's tree, and an organisation's whole tree per date, read
from the store for the resource page (W3C ORG: org:reportsTo between the posts of one date;
the junior posts cube's full-time equivalents under each senior post).

Only reads. Nothing here knows a dataset by name: any org:Post with org:reportsTo and a
snapshot date, and any cube with organogram:reportingPost, is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..namespaces import ORG, RDFS, SKOS
from ..store import Store
from ..uris import Minter
from .iri import check_iri

MAX_DEPTH = 30  # a chain longer than this is not an organisation chart (and the build refuses loops)


@dataclass
class Post:
    uri: str
    label: str
    grade: str = ""
    junior: Decimal = Decimal(0)  # junior posts (FTE) reporting to it
    under: list["Post"] = field(default_factory=list)
    eliminated: bool = False  # an organogram:EliminatedPost: listed, but no post of the date


@dataclass
class Junior:
    unit: str
    grade: str
    fte: Decimal


@dataclass
class PostPlace:
    """A post on one date: the chain above it (top first), the posts and junior posts under it."""

    chain: list[Post]
    under: list[Post]
    junior: list[Junior]
    eliminated: bool = False  # the post itself

    @property
    def junior_total(self) -> Decimal:
        return sum((j.fte for j in self.junior), Decimal(0))


@dataclass
class Tree:
    date: str
    roots: list[Post]
    posts: int  # posts of the date, eliminated ones not counted
    junior: Decimal
    eliminated: int = 0


def _vocab(minter: Minter) -> str:
    return f"{minter.base}/def/organogram/"


def _label(post: str, vocab: str) -> str:
    """A post's job title, which in a tree of one date says more than its dated label."""
    return (f"OPTIONAL {{ {post} <{vocab}jobTitle> ?title }} OPTIONAL {{ {post} <{RDFS.label}> ?named }} "
            "BIND (COALESCE(?title, ?named) AS ?label)")


def _eliminated(post: str, vocab: str) -> str:
    """?gone: whether the post is listed as eliminated (counted in no cube, drawn as such)."""
    return f"BIND (EXISTS {{ {post} a <{vocab}EliminatedPost> }} AS ?gone)"


def _gone(row: dict) -> bool:
    return str(row.get("gone", "")).lower() in ("true", "1")


def _fte(text: object) -> Decimal:
    number = Decimal(str(text))
    return number.normalize() if number == number.to_integral() else number


def post_place(store: Store, minter: Minter, uri: str) -> PostPlace | None:
    """Where a post of one date sits; None when the resource is no such post."""
    check_iri(uri)
    o = _vocab(minter)
    if not store.ask(f"ASK {{ <{uri}> a <{ORG.Post}> ; <{o}snapshotDate> ?date }}"):
        return None
    chain: list[Post] = []
    at, seen = uri, {uri}
    for _ in range(MAX_DEPTH):
        rows = store.select(f"""SELECT ?boss ?label ?grade WHERE {{ <{at}> <{ORG.reportsTo}> ?boss .
            {_label("?boss", o)} OPTIONAL {{ ?boss <{o}grade>/<{SKOS.prefLabel}> ?grade }} }} LIMIT 1""")
        if not rows or str(rows[0]["boss"]) in seen:
            break
        at = str(rows[0]["boss"])
        seen.add(at)
        chain.insert(0, Post(at, str(rows[0].get("label") or at), str(rows[0].get("grade") or "")))
    under = [
        Post(str(r["post"]), str(r.get("label") or r["post"]), str(r.get("grade") or ""), _fte(r.get("fte") or 0),
             eliminated=_gone(r))
        for r in store.select(f"""SELECT ?post ?label ?grade ?gone (SUM(?n) AS ?fte) WHERE {{
            ?post <{ORG.reportsTo}> <{uri}> .
            {_label("?post", o)} OPTIONAL {{ ?post <{o}grade>/<{SKOS.prefLabel}> ?grade }} {_eliminated("?post", o)}
            OPTIONAL {{ ?obs <{o}reportingPost> ?post ; <{o}fullTimeEquivalent> ?n }}
        }} GROUP BY ?post ?label ?grade ?gone ORDER BY ?label""")
    ]
    junior = [
        Junior(str(r.get("unit") or ""), str(r.get("grade") or ""), _fte(r["fte"]))
        for r in store.select(f"""SELECT ?unit ?grade (SUM(?n) AS ?fte) WHERE {{
            ?obs <{o}reportingPost> <{uri}> ; <{o}fullTimeEquivalent> ?n .
            OPTIONAL {{ ?obs <{o}unit>/<{RDFS.label}> ?unit }}
            OPTIONAL {{ ?obs <{o}grade>/<{SKOS.prefLabel}> ?grade }}
        }} GROUP BY ?unit ?grade ORDER BY ?unit ?grade""")
    ]
    return PostPlace(chain, under, junior, store.ask(f"ASK {{ <{uri}> a <{o}EliminatedPost> }}"))


def organisation_trees(store: Store, minter: Minter, uri: str) -> list[Tree]:
    """The organisation's posts as one tree per date, latest first; [] when it has no posts."""
    check_iri(uri)
    o = _vocab(minter)
    rows = store.select(f"""SELECT ?post ?date ?boss ?label ?grade ?gone WHERE {{
        ?post a <{ORG.Post}> ; <{o}organisation> <{uri}> ; <{o}snapshotDate> ?date .
        OPTIONAL {{ ?post <{ORG.reportsTo}> ?boss }}
        {_label("?post", o)} OPTIONAL {{ ?post <{o}grade>/<{SKOS.prefLabel}> ?grade }} {_eliminated("?post", o)}
    }}""")
    if not rows:
        return []
    junior = {
        str(r["post"]): _fte(r["fte"])
        for r in store.select(f"""SELECT ?post (SUM(?n) AS ?fte) WHERE {{
            ?obs <{o}organisation> <{uri}> ; <{o}reportingPost> ?post ; <{o}fullTimeEquivalent> ?n }} GROUP BY ?post""")
    }
    by_date: dict[str, dict[str, tuple[Post, str | None]]] = {}
    for r in rows:
        posts = by_date.setdefault(str(r["date"]), {})
        uri_ = str(r["post"])
        if uri_ not in posts:  # a post with two labels (two rows) is drawn once
            post = Post(uri_, str(r.get("label") or uri_), str(r.get("grade") or ""), junior.get(uri_, Decimal(0)),
                        eliminated=_gone(r))
            posts[uri_] = (post, str(r["boss"]) if r.get("boss") else None)
    trees = []
    for date in sorted(by_date, reverse=True):  # /id/day/YYYY-MM-DD: the latest first
        posts = by_date[date]
        roots = []
        for post, boss in posts.values():
            parent = posts.get(boss) if boss else None
            (parent[0].under if parent else roots).append(post)
        for post, _ in posts.values():
            post.under.sort(key=lambda p: p.label)
        roots.sort(key=lambda p: p.label)
        total = sum((p.junior for p, _ in posts.values()), Decimal(0))
        gone = sum(1 for p, _ in posts.values() if p.eliminated)
        trees.append(Tree(date.rsplit("/", 1)[-1], roots, len(posts) - gone, total, gone))
    return trees


def organogram_context(store: Store, minter: Minter, uri: str) -> dict[str, object]:
    """What the resource page draws for a post of one date or an organisation; {} otherwise."""
    place = post_place(store, minter, uri)
    if place is not None:
        return {"place": place}
    trees = organisation_trees(store, minter, uri)
    return {"trees": trees} if trees else {}
