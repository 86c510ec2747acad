"""The whole-dataset dump is the dataset graph, streamed from the store."""

from __future__ import annotations

import gzip

import pyoxigraph as ox

from rdflib import Graph

from shared import BASE, assert_isomorphic


def test_the_dump_is_the_dataset_graphs(street_crime, street_crime_store):
    response = street_crime.get("/download/street-crime.nt.gz")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="street-crime.nt.gz"'
    # Read back through a store, which keeps literals in canonical form as the served store
    # does (the dump keeps police.uk's "51.504550" where a query answers "51.50455").
    reread = ox.Store()
    reread.load(gzip.decompress(response.content), format=ox.RdfFormat.N_TRIPLES)
    dumped = Graph().parse(data=reread.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode("utf-8"),
                           format="nt")
    # The dataset's own graph and each month's (street crime is partitioned by month).
    graph = f"{BASE}/graph/dataset/street-crime"
    graphs = [g for g in street_crime_store.graphs() if g == graph or g.startswith(graph + "/")]
    assert len(graphs) == 5  # its own, 2013-06 and 2019-01 to 2019-03
    values = " ".join(f"<{g}>" for g in graphs)
    expected = street_crime_store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    assert len(dumped) == len(expected) > 80_000
    assert_isomorphic(dumped, expected)
    again = street_crime.get("/download/street-crime.nt.gz", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
