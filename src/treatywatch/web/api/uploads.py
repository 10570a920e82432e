"""Upload a law: ingest → align → assess in one request (analysts).

The file is written under a fresh temporary folder with a sanitised name
(no directory parts, no traversal, a short ASCII name keeping the
extension the readers need), so a client-chosen name like
``../../etc/passwd`` can never address anything outside that folder. The
size limit is ``max_upload_bytes``: a declared ``Content-Length`` over it is
refused before anything is read, and a body that turns out larger while
being copied is refused too (413).

Each stage runs in its own transaction through its domain service, with
the uploader as the audit actor; if alignment or assessment fails, the law
stays stored and the error says which stage to re-run.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from treatywatch.align.engine import EngineOptions
from treatywatch.align.service import align_document, build_engine, engine_options
from treatywatch.assess.service import assess_document
from treatywatch.errors import TreatywatchError, UnknownNameError
from treatywatch.ingest.documents import find_document
from treatywatch.ingest.pipeline import IngestRequest, ingest
from treatywatch.store import session_scope
from treatywatch.web.api import records
from treatywatch.web.api.common import RESPONSES, Caller, StoreUrl, actor_of, rule
from treatywatch.web.api.errors import ApiError, InvalidParameterError, PayloadTooLargeError
from treatywatch.web.api.etags import respond
from treatywatch.web.api.schemas import UploadOut
from treatywatch.web.deps import web_settings

router = APIRouter(tags=["documents"], responses=RESPONSES)

CHUNK = 1024 * 1024
MAX_NAME = 100
FORM_OVERHEAD = 64 * 1024
"""Room for multipart boundaries and the small form fields on top of the file."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str | None) -> str:
    """The last path component of ``name``, reduced to ``[A-Za-z0-9._-]``.

    >>> safe_filename("../../etc/passwd.txt")
    'passwd.txt'
    >>> safe_filename("C:\\\\laws\\\\Loi n°17.pdf")
    'Loi-n17.pdf'
    """
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    base = text.replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("-", base).strip(".-")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(".-")[: MAX_NAME - len(suffix) - 1]
    if not stem:
        raise InvalidParameterError(
            f"the upload's file name {name!r} has no usable name",
            hint="name the file after the law, e.g. computer-misuse-act-2024.pdf",
        )
    return f"{stem}.{suffix}" if suffix else stem


def _copy(upload: UploadFile, target: Path, limit: int) -> int:
    size = 0
    with target.open("xb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            out.write(chunk)
    if size == 0:
        raise InvalidParameterError(
            f"{target.name} is empty", hint="upload the law's file (PDF, DOCX, HTML or text)"
        )
    return size


def _too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"the upload is larger than the limit of {limit:,} bytes",
        hint="split the law, or ask an admin to raise TREATYWATCH_MAX_UPLOAD_BYTES",
    )


def _scrub(exc: TreatywatchError, folder: Path, name: str) -> TreatywatchError:
    """Say the client's file name, not the server's temporary path, in errors."""
    exc.message = exc.message.replace(str(folder / name), name).replace(str(folder), "")
    if exc.hint:
        exc.hint = exc.hint.replace(str(folder / name), name).replace(str(folder), "")
    return exc


@router.post(
    "/documents",
    response_model=UploadOut,
    status_code=201,
    summary="Upload a law (ingest, align, assess)",
    responses={413: {"description": "The file is over the upload limit."}},
)
def upload_document(
    request: Request,
    who: Caller,
    url: StoreUrl,
    file: Annotated[UploadFile, File(description="The law: PDF, DOCX, HTML or plain text.")],
    country: Annotated[str, Form(min_length=2, max_length=60, description="ISO3, e.g. KEN.")],
    title: Annotated[str | None, Form(max_length=500)] = None,
    date: Annotated[
        dt.date | None, Form(description="Version date (default: from the file).")
    ] = None,
    doc_id: Annotated[str | None, Form(max_length=200, description="Document id to use.")] = None,
    methods: Annotated[
        str | None,
        Form(max_length=100, description="Alignment methods, e.g. lexical,rules (default: all)."),
    ] = None,
) -> Response:
    """Store the law and run the alignment engine and the rights assessment on it.

    Answers 201 with the stored version's ref, counts and scorecard; 413 when
    the file is over the limit; 422 when it cannot be read or a field is wrong.
    """
    limit = web_settings(request).max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        raise _too_large(limit)
    name = safe_filename(file.filename)
    actor = actor_of(who)
    try:
        options = engine_options(methods.split(",") if methods else None)
    except TreatywatchError as exc:
        raise InvalidParameterError(exc.message, hint=exc.hint) from None
    with tempfile.TemporaryDirectory(prefix="treatywatch-upload-") as folder:
        path = Path(folder) / name
        _copy(file, path, limit)
        try:
            stored = ingest(
                IngestRequest(
                    path=path,
                    country=country,
                    title=title,
                    date=date,
                    doc_id=doc_id,
                    max_bytes=limit,
                    actor=actor,
                    note=f"uploaded through the web API as {name}",
                ),
                url=url,
            )
        except UnknownNameError as exc:  # the country field
            raise InvalidParameterError(exc.message, hint=exc.hint) from None
        except TreatywatchError as exc:
            raise _scrub(exc, Path(folder), name) from None
    result = _align_and_assess(stored.ref, actor, options, url)
    with session_scope(url) as session:
        document = records.document_record(find_document(session, stored.document_id))
    body = {
        "ref": stored.ref,
        "status": stored.status,
        "document": document,
        "filename": name,
        "provisions": len(stored.record()["provisions"]),
        "ingest_warnings": list(stored.warnings),
        **result,
    }
    response = respond(request, body, model=UploadOut)
    response.status_code = 201
    return response


def _align_and_assess(ref: str, actor: str, options: EngineOptions, url: str) -> dict[str, Any]:
    try:
        report = align_document(ref, url=url, engine=build_engine(options), actor=actor)
    except TreatywatchError as exc:
        raise ApiError(
            f"{ref} was stored but not aligned: {exc.message}",
            hint=exc.hint or f"align it later with `treatywatch align {ref}`",
        ) from None
    assessment = assess_document(ref, url, actor=actor)
    return {
        "alignment": {
            "counts": report.counts(),
            "engine": report.engine.record(),
            "seconds": round(report.seconds, 3),
        },
        "assessment": {
            "scorecard": assessment.scorecard.record(),
            "findings": len(assessment.findings),
            "warnings": assessment.warnings,
        },
    }


rule("analyst", "POST", "/documents")
