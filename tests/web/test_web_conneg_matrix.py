"""Content negotiation, the whole matrix: every kind of URI x every format, asked for by Accept,
by suffix, by ?format= and with HEAD, on a store the pipeline published (street crime).

Things (/id/, /def/, shapes) answer 303 to their document keeping the format; documents answer
200 with Vary, ETag, Content-Location of the variant and a Link to every other variant."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from rdflib import Graph, URIRef

from shared import BASE

FORMATS = {  # key -> (media type, rdflib parser or None for HTML)
    "html": ("text/html", None),
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}
# (what it is, path of the thing, path of its document, the URI the document is about)
THINGS = [
    ("area (/id)", "/id/lsoa/E01000914", "/doc/lsoa/E01000914"),
    ("vocabulary term (/def)", "/def/crime/crimeType", "/doc/def/crime/crimeType"),
    ("code (/def)", "/def/crime/crime-type/burglary", "/doc/def/crime/crime-type/burglary"),
    ("shape (/def/shapes)", "/def/shapes/meta-licence", "/doc/def/shapes/meta-licence"),
]
OBSERVATION = "/data/street-crime/E01000914/2019-01/bicycle-theft/city-of-london"
DOCUMENTS = [  # (what it is, document path, the URI it is about)
    ("document (/doc)", "/doc/lsoa/E01000914", "/id/lsoa/E01000914"),
    ("shape document", "/doc/def/shapes/meta-licence", "/def/shapes/meta-licence"),
    ("dataset (/data)", "/data/street-crime", "/data/street-crime"),
    ("observation (/data)", OBSERVATION, OBSERVATION),
    ("release (/data)", "/data/street-crime/release/1", "/data/street-crime/release/1"),
    ("catalogue", "/catalogue", "/catalogue"),
    ("VoID", "/.well-known/void", "/.well-known/void#platform"),
    ("named graph (/graph)", "/graph/history/street-crime", "/graph/history/street-crime"),
    ("shapes graph (/graph)", "/graph/vocabulary/shapes", "/graph/vocabulary/shapes"),
]
WAYS = ["accept", "suffix", "parameter"]


def _get(client, method: str, path: str, key: str, way: str, **kwargs):
    media_type = FORMATS[key][0]
    if way == "accept":
        return client.request(method, path, headers={"Accept": media_type}, **kwargs)
    if way == "suffix":
        return client.request(method, f"{path}.{key}", headers={"Accept": "image/png"}, **kwargs)  # suffix wins
    return client.request(method, f"{path}?{urlencode({'format': key})}", headers={"Accept": "image/png"}, **kwargs)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("key", FORMATS)
@pytest.mark.parametrize("what, thing, document", THINGS, ids=[t[0] for t in THINGS])
def test_things_see_other_to_their_document_in_the_format_asked(street_crime, what, thing, document, key, way):
    for method in ("GET", "HEAD"):
        response = _get(street_crime, method, thing, key, way, follow_redirects=False)
        assert response.status_code == 303, (what, method)
        location = response.headers["location"]
        assert location == {
            "accept": f"{BASE}{document}",
            "suffix": f"{BASE}{document}.{key}",
            "parameter": f"{BASE}{document}?format={key}",
        }[way]
        assert response.headers["vary"] == "Accept"
    followed = _get(street_crime, "GET", thing, key, way)
    assert followed.status_code == 200
    assert followed.headers["content-type"].split(";")[0] == FORMATS[key][0]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("key", FORMATS)
@pytest.mark.parametrize("what, document, about", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_documents_answer_in_every_format_with_their_variant_headers(street_crime, what, document, about, key, way):
    media_type, parser = FORMATS[key]
    response = _get(street_crime, "GET", document, key, way)
    assert response.status_code == 200, (what, response.text[:300])
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["vary"] == "Accept"
    assert response.headers["content-location"] == f"{BASE}{document}.{key}"
    assert re.fullmatch(r'(W/)?"[^"]+"', response.headers["etag"])
    assert "last-modified" in response.headers
    link = response.headers["link"]
    for other, (other_type, _) in FORMATS.items():
        alternate = f'<{BASE}{document}.{other}>; rel="alternate"; type="{other_type}"'
        assert (alternate in link) == (other != key), (what, other)
    if parser is None:
        assert "<!doctype html>" in response.text.lower()
        for other, (other_type, _) in FORMATS.items():
            if other != key:
                assert f'<link rel="alternate" type="{other_type}" href="{BASE}{document}.{other}">' in response.text
    else:
        data = json.dumps(response.json()) if key == "jsonld" else response.text
        graph = Graph().parse(data=data, format=parser, publicID=f"{BASE}{document}")
        assert (URIRef(f"{BASE}{about}"), None, None) in graph, what

    head = _get(street_crime, "HEAD", document, key, way)
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "vary", "content-location", "etag", "link", "last-modified"):
        assert head.headers[name] == response.headers[name], name

    again = street_crime.get(f"{document}.{key}", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304, what


@pytest.mark.parametrize("what, document, about", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_a_format_not_offered_is_406_naming_the_offers(street_crime, what, document, about):
    for response in (street_crime.get(document, headers={"Accept": "image/png"}),
                     street_crime.get(f"{document}?format=png")):
        assert response.status_code == 406, what
        message = response.json()["error"]["message"]
        assert all(media_type in message for media_type, _ in FORMATS.values())
