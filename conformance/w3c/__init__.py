"""The W3C SPARQL 1.1 suites against our endpoint and Oxigraph server: see ../w3c_sparql.py."""
