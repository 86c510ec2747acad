"""A W3C Entity Reconciliation Service (API 0.2) for the reference data (`/reconcile`): what
OpenRefine and other tools use to link a spreadsheet's names and codes to our URIs.

    types.py     the entity types (LSOA, force area, ..., financial year, organisation, unit, post) and properties
    variants.py  the ways people write names and periods, brought to one form
    names.py     a release's items by code and name, from the search index and the store
    versions.py  what changes between an item's dated versions (an organogram post's unit, grade, line)
    match.py     one query -> ranked, scored candidates, with `match` where certain
    protocol.py  reading query batches and data extension queries, with clear errors
    extend.py    data extension (an LSOA's force area and local authority, ...)
    routes.py    the endpoints: manifest, queries, preview, suggest, extension
"""
