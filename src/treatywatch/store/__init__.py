"""Persistence: models, engines, migrations and the search index."""

from treatywatch.store.db import StoreError, engine_for, session_scope
from treatywatch.store.init import InitReport, init_store
from treatywatch.store.migrate import ensure_current

__all__ = [
    "InitReport",
    "StoreError",
    "engine_for",
    "ensure_current",
    "init_store",
    "session_scope",
]
