"""The store: one narrow interface (`base.Store`), an embedded implementation (`embedded`)."""

from .base import QueryResult, Store, open_store

__all__ = ["QueryResult", "Store", "open_store"]
