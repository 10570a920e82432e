"""The convention catalogue: UNCC, Budapest, their crosswalk and the rights criteria."""

from treatywatch.catalogue.ids import ArticleId, InvalidArticleIdError
from treatywatch.catalogue.loader import Catalogue, CatalogueError, Instrument, UnknownArticleError
from treatywatch.catalogue.models import (
    Article,
    Category,
    Criterion,
    CrosswalkLink,
    CrosswalkRelation,
    ObligationStrength,
    Severity,
)

__all__ = [
    "Article",
    "ArticleId",
    "Catalogue",
    "CatalogueError",
    "Category",
    "Criterion",
    "CrosswalkLink",
    "CrosswalkRelation",
    "Instrument",
    "InvalidArticleIdError",
    "ObligationStrength",
    "Severity",
    "UnknownArticleError",
]
