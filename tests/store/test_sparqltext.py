"""Reading a query's text for its dataset, a HAVING alias and USING: keywords in strings, IRIs,
comments and variable names are not keywords."""

from __future__ import annotations

import doctest

import pytest

from linkeddata.store import sparqltext
from linkeddata.store.sparqltext import UsingConflict, having_alias, query_dataset, with_using, without_dataset


def test_docstring_examples_run():
    assert doctest.testmod(sparqltext).failed == 0


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "FROM <http://e/g>" }',
    "SELECT * WHERE { ?s ?p ?o } # FROM <http://e/g>",
    "SELECT ?from WHERE { ?from <http://e/FROM> ?o }",
    "PREFIX from: <http://e/> SELECT * WHERE { ?s from:x ?o }",
    'SELECT * WHERE { ?s ?p """a\nFROM <http://e/g>\n""" }',
])
def test_from_in_a_string_comment_iri_or_name_is_no_dataset(query):
    assert query_dataset(query, "http://e/sparql") is None
    assert without_dataset(query) == query


def test_from_resolves_prefixes_and_base():
    query = "BASE <http://e/a/> PREFIX g: <graphs/> SELECT * FROM g:one FROM <../two> FROM NAMED <three> {}"
    assert query_dataset(query, "http://elsewhere/sparql") == (["http://e/a/graphs/one", "http://e/two"], ["http://e/a/three"])


def test_having_in_a_subquery_reads_its_own_select():
    inner = "SELECT * { { SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s HAVING (?n > 1) } }"
    assert having_alias(inner).variable == "?n"  # type: ignore[union-attr]
    # The subquery's alias is a variable of the pattern for the query around it.
    outer = "SELECT ?s (MAX(?n) AS ?m) { { SELECT ?s (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s } } GROUP BY ?s HAVING (MAX(?n) > 1)"
    assert having_alias(outer) is None
    grouped = "SELECT ?k (COUNT(*) AS ?c) { ?s ?p ?o } GROUP BY (STR(?o) AS ?k) HAVING (?k != '')"
    assert having_alias(grouped) is None


def test_using_goes_before_each_where_and_not_into_delete_where():
    update = "DELETE WHERE { ?s ?p 1 } ; DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { ?s ?q 'WHERE' } }"
    written = with_using(update, ["http://e/a"], [])
    assert written.count("USING <http://e/a>") == 1
    assert written.endswith("USING <http://e/a> WHERE { ?s ?p ?o FILTER EXISTS { ?s ?q 'WHERE' } }")


@pytest.mark.parametrize("update", [
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } USING <http://e/g> WHERE { ?s ?p ?o }",
])
def test_using_graph_uri_with_the_updates_own_is_refused(update):
    with pytest.raises(UsingConflict):
        with_using(update, ["http://e/a"], [])
