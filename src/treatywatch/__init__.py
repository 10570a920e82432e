"""treatywatch: monitor how States implement the UN Convention against Cybercrime.

From a notebook::

    from treatywatch import Catalogue
    cat = Catalogue.load()
    cat.article("uncc/art-28").summary
    import pandas as pd
    pd.DataFrame(cat.article_records(instrument="uncc"))
    pd.DataFrame(treatywatch.search("interception"))  # after `treatywatch init`
"""

from treatywatch.catalogue import (
    Article,
    ArticleId,
    Catalogue,
    CatalogueError,
    Category,
    Criterion,
    CrosswalkLink,
    CrosswalkRelation,
    UnknownArticleError,
)
from treatywatch.errors import TreatywatchError

__version__ = "0.1.0"


def search(
    query: str, *, instrument: str | None = None, limit: int = 10, url: str | None = None
) -> list[dict[str, object]]:
    """Ranked full-text search over the store, as records (``pd.DataFrame(search(...))``).

    Needs an initialised store (``treatywatch init``); ``url`` defaults to the
    configured one (``TREATYWATCH_DATABASE_URL``).
    """
    from treatywatch.store import ensure_current, session_scope
    from treatywatch.store.search_index import search as run_search

    ensure_current(url)
    with session_scope(url) as session:
        return [hit.__dict__ for hit in run_search(session, query, scope=instrument, limit=limit)]


__all__ = [
    "Article",
    "ArticleId",
    "Catalogue",
    "CatalogueError",
    "Category",
    "Criterion",
    "CrosswalkLink",
    "CrosswalkRelation",
    "TreatywatchError",
    "UnknownArticleError",
    "__version__",
    "search",
]
