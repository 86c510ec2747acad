"""The web layer: SPARQL endpoint, dereferenceable URIs, HTML pages. It only reads the store."""
