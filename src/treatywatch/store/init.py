"""``treatywatch init``: create or upgrade the store and load the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from treatywatch.catalogue import Catalogue
from treatywatch.config import settings
from treatywatch.store.catalogue_sync import SyncReport, sync_catalogue
from treatywatch.store.changes import compact_if_large
from treatywatch.store.db import engine_for, session_scope
from treatywatch.store.migrate import upgrade


@dataclass(frozen=True)
class InitReport:
    database: str
    revision_before: str | None
    revision_after: str
    catalogue: SyncReport


def init_store(url: str | None = None, *, force_catalogue: bool = False) -> InitReport:
    """Idempotent: running it twice changes nothing the second time."""
    url = url or settings().database_url
    catalogue = Catalogue.load()
    before, after = upgrade(url)
    with session_scope(url) as session:
        report = sync_catalogue(session, catalogue, force=force_catalogue)
        compact_if_large(session)
    shown = engine_for(url).url.render_as_string(hide_password=True)
    return InitReport(shown, before, after, report)
