"""treatywatch: monitor how States implement the UN Convention against Cybercrime.

From a notebook::

    from treatywatch import Catalogue
    cat = Catalogue.load()
    cat.article("uncc/art-28").summary
    import pandas as pd
    pd.DataFrame(cat.article_records(instrument="uncc"))
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
]
