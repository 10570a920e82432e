"""Upload a law (analysts): a form, a background job, a progress page.

The uploaded name is never used as a path: the file is saved as
``upload<ext>`` in a fresh private temporary folder, keeping only an
extension the readers know (content sniffing decides the format anyway),
so names like ``../../etc/passwd`` cannot escape the folder. The size is
checked while reading, against ``WebSettings.max_upload_bytes``, and an
oversized file is refused with 413 before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from treatywatch.errors import TreatywatchError
from treatywatch.ingest.readers.detect import EXTENSIONS
from treatywatch.ledger.jurisdictions import lookup
from treatywatch.web.access import allow
from treatywatch.web.deps import web_settings
from treatywatch.web.ui import jobs
from treatywatch.web.ui.render import UiRoute, error_page, is_htmx, page, render, wants_json, who

router = APIRouter(route_class=UiRoute, tags=["ui"])
CHUNK = 1 << 16
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


class UploadError(TreatywatchError):
    """The upload form was not filled in usably."""


def _form_data(request: Request) -> dict[str, object]:
    return {
        "max_upload_bytes": web_settings(request).max_upload_bytes,
        "formats": sorted(set(EXTENSIONS)),
    }


@router.get("/upload", summary="Upload a law (form)")
def upload_form(request: Request) -> Response:
    return page(request, "ui/upload.html.j2", _form_data(request), title="Upload a law")


allow("analyst", "GET", "/upload")


def display_name(filename: str | None) -> str:
    """The uploaded name shown back to the user (base name only, tame characters)."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    return _SAFE_NAME.sub("_", base)[:120] or "upload"


def _extension(filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return suffix if suffix in EXTENSIONS else ".txt"


def _date(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UploadError(
            f"version date {text[:40]!r} is not a date", hint="write it as YYYY-MM-DD"
        ) from None


async def _save(upload: UploadFile, folder: Path, name: str, limit: int) -> tuple[Path, int]:
    target = folder / f"upload{_extension(name)}"
    size = 0
    with target.open("wb") as handle:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise OversizedError(size, limit)
            handle.write(chunk)
    return target, size


class OversizedError(Exception):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} > {limit}")
        self.size, self.limit = size, limit


@router.post("/upload", summary="Upload a law and run ingest → align → assess")
async def upload_law(
    request: Request,
    file: Annotated[UploadFile, File(description="the law: PDF, DOCX, HTML, text, AKN")],
    country: Annotated[str, Form(max_length=60)],
    title: Annotated[str, Form(max_length=500)] = "",
    date: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    settings = web_settings(request)
    code = lookup(country.strip()).code
    when = _date(date)
    name = display_name(file.filename)
    folder = Path(tempfile.mkdtemp(prefix="treatywatch-upload-"))
    try:
        path, size = await _save(file, folder, name, settings.max_upload_bytes)
    except OversizedError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return error_page(
            request,
            413,
            f"{name} is larger than the upload limit ({exc.limit:,} bytes)",
            "upload a smaller file, or ask an administrator to raise TREATYWATCH_MAX_UPLOAD_BYTES",
            "UploadTooLarge",
        )
    if size == 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadError(f"{name} is empty", hint="choose the file of the law to upload")
    job = jobs.start(
        jobs.Upload(
            path=path,
            folder=folder,
            filename=name,
            country=code,
            title=title.strip() or None,
            date=when,
            max_bytes=settings.max_upload_bytes,
        ),
        owner=who(request).username or "web",
        url=settings.database_url,
    )
    if wants_json(request):
        return page(request, "ui/upload_job.html.j2", job.record(), title="Upload", status_code=202)
    return RedirectResponse(f"/upload/jobs/{job.id}", status_code=303)


allow("analyst", "POST", "/upload")


@router.get("/upload/jobs/{job_id}", summary="Progress of an upload (HTMX polls ?fragment=1)")
def upload_job(request: Request, job_id: str, fragment: bool = False) -> Response:
    job = jobs.get(job_id[:64])
    data = job.record()
    if fragment and is_htmx(request) and not wants_json(request):
        return HTMLResponse(render(request, "ui/_job_progress.html.j2", data=data))
    return page(request, "ui/upload_job.html.j2", data, title=f"Upload of {job.filename}")


allow("analyst", "GET", "/upload/jobs/{job_id}")
