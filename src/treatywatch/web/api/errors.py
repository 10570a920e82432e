"""Typed JSON errors for the API: ``{"error", "message", "hint"}`` with a 4xx code.

The domain raises :class:`~treatywatch.errors.TreatywatchError` subclasses
that know nothing about HTTP; the status code each deserves is decided here,
in one table, so "unknown document" is a 404 in every endpoint and an
unreadable upload a 422 everywhere. Validation and access errors get the
same shape, so a client needs one error parser, not three.

The handlers must be installed on the app (:func:`install_error_handlers`)
rather than caught inside routes: an exception has to travel through the
request's ``db`` dependency so its transaction is rolled back.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from treatywatch.align.coverage import NoDocumentsError as NoCoverageDocumentsError
from treatywatch.align.review import ReviewError, UnknownAlignmentError, UnknownProvisionError
from treatywatch.assess.review import FindingReviewError
from treatywatch.assess.service import NoDocumentsError as NoAssessDocumentsError
from treatywatch.cases.records import RoleError
from treatywatch.cases.service import ProvisionNotFoundError, UnknownCaseError
from treatywatch.errors import TreatywatchError, UnknownNameError
from treatywatch.ingest.documents import UnknownDocumentError
from treatywatch.ingest.model import IngestError
from treatywatch.ingest.workid import InvalidIdError
from treatywatch.ledger.instruments import UnknownInstrumentError
from treatywatch.report.targets import NoLawsError
from treatywatch.store.db import StoreError
from treatywatch.store.search_index import SearchQueryError

API_PREFIX = "/api/"


class ApiError(TreatywatchError):
    """An API-level refusal (bad cursor, oversized upload...) with its own status."""

    http_status = 400


class NotFoundError(ApiError):
    """No resource has this id."""

    http_status = 404


class InvalidParameterError(ApiError):
    """A query or body value the API cannot use (bad cursor, bad date...)."""

    http_status = 422


class PayloadTooLargeError(ApiError):
    """An upload over ``max_upload_bytes``."""

    http_status = 413


HTTP_STATUS: dict[type[TreatywatchError], int] = {
    UnknownNameError: 404,  # articles, criteria, jurisdictions
    UnknownDocumentError: 404,
    UnknownAlignmentError: 404,
    UnknownProvisionError: 404,
    UnknownCaseError: 404,
    UnknownInstrumentError: 404,
    ProvisionNotFoundError: 404,
    NoLawsError: 404,
    NoCoverageDocumentsError: 404,
    NoAssessDocumentsError: 404,
    InvalidIdError: 422,
    SearchQueryError: 422,
    ReviewError: 422,
    FindingReviewError: 422,
    RoleError: 422,
    IngestError: 422,
    StoreError: 503,
}
"""Domain error → HTTP status; the most specific class in the MRO wins."""


class ErrorBody(BaseModel):
    """Every API error: the error type, what went wrong, and what to do next."""

    error: str
    message: str
    hint: str | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (401, "Not logged in (or the API token is invalid)."),
        (403, "Your role may not do this."),
        (404, "Unknown id; the hint suggests close matches when there are some."),
        (422, "A parameter or body value is invalid."),
    )
}
"""``responses=`` for routers, so /openapi.json documents the error shape."""


def status_for(exc: TreatywatchError) -> int:
    if isinstance(exc, ApiError):
        return exc.http_status
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 404 if "unknown" in type(exc).__name__.lower() else 400


def error_response(
    status: int, error: str, message: str, hint: str | None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(error=error, message=message, hint=hint).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


async def treatywatch_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TreatywatchError)
    return error_response(status_for(exc), type(exc).__name__, exc.message, exc.hint)


def _describe(errors: list[Any]) -> str:
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not request.url.path.startswith(API_PREFIX):
        return await request_validation_exception_handler(request, exc)
    return error_response(
        422,
        "ValidationError",
        _describe(list(exc.errors())),
        "see /docs for the parameters this endpoint takes",
    )


HTTP_NAMES = {
    401: "NotAuthenticated",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
}
HTTP_HINTS = {
    401: "log in, or send 'Authorization: Bearer <token>' with an API token",
    403: "ask an admin for a role that may do this",
    404: "see /docs for the endpoints and /api/v1/... lists for valid ids",
}


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not request.url.path.startswith(API_PREFIX):
        return await http_exception_handler(request, exc)
    return error_response(
        exc.status_code,
        HTTP_NAMES.get(exc.status_code, "HTTPError"),
        str(exc.detail),
        HTTP_HINTS.get(exc.status_code),
        headers=dict(exc.headers) if exc.headers else None,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Make every API error typed JSON (pages outside /api keep the default handling)."""
    app.add_exception_handler(TreatywatchError, treatywatch_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
