"""Search over the labels and codes of everything the platform mints (`/search`).

    index.py    the SQLite FTS5 index of a release, built from the store and kept on disk
    routes.py   /search (HTML) and /search.json, with the type-ahead the dataset pages use
"""
