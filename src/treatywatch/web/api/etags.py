"""Weak ETags over response bodies, and ``304 Not Modified`` for revalidation.

The tag is a hash of the exact JSON sent, so it changes whenever anything
visible changes (a review, a re-run, a redaction that depends on the
caller's role) and never otherwise — no row-version bookkeeping to forget
in one endpoint. It is *weak* (``W/``) because the same data could be
serialised differently by another server version. Responses vary by
caller (cases are redacted per role), hence ``Vary`` and ``private``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel

CACHE_HEADERS = {
    "Cache-Control": "private, no-cache",
    "Vary": "Authorization, Cookie",
}


def etag_for(body: bytes) -> str:
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison against an ``If-None-Match`` list (or ``*``)."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def respond(
    request: Request,
    payload: BaseModel | dict[str, Any] | list[Any],
    *,
    model: type[BaseModel] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """JSON (validated against ``model`` when given) with an ETag; 304 when unchanged.

    Validating against the declared response model keeps /openapi.json
    honest: a field the schema does not promise cannot slip out.
    """
    if model is not None and not isinstance(payload, BaseModel):
        payload = model.model_validate(payload)
    if isinstance(payload, BaseModel):
        body = payload.model_dump_json().encode("utf-8")
    else:
        body = json.dumps(jsonable_encoder(payload), ensure_ascii=False).encode("utf-8")
    tag = etag_for(body)
    out_headers = {"ETag": tag, **CACHE_HEADERS, **(headers or {})}
    if request.method in ("GET", "HEAD") and matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=out_headers)
    return Response(body, media_type="application/json", headers=out_headers)
