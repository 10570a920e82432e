"""Upload jobs: ingest → align → assess one law in a background thread.

Aligning a law takes seconds (the sentence encoder), too long to hold a
request open, so the upload form starts a :class:`Job` and the browser
polls its progress. Each stage is a domain call that opens its own
transaction and audit-logs its writes with the uploading user as actor,
so a failure in a later stage leaves the earlier ones stored and visible
("ingested, not aligned yet"), exactly as the CLI would.

Jobs live in this process's memory: they are progress reports, not data
(the law, alignments and findings are in the store). With several server
workers a poll may land on a worker that does not know the job; the page
then says so and links to the law list, where the result shows up.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from treatywatch.errors import TreatywatchError
from treatywatch.web.ui.links import country_url, report_url, version_url

log = logging.getLogger(__name__)
STAGES = ("ingest", "align", "assess")
MAX_JOBS = 200


class UnknownJobError(TreatywatchError):
    """No upload job with this id in this server process."""


@dataclass
class Step:
    name: str
    state: str = "waiting"  # waiting, running, done, failed
    detail: str = ""

    def record(self) -> dict[str, Any]:
        return {"name": self.name, "state": self.state, "detail": self.detail}


@dataclass
class Job:
    id: str
    owner: str
    filename: str
    country: str
    created: str
    state: str = "queued"  # queued, running, done, failed
    steps: list[Step] = field(default_factory=lambda: [Step(s) for s in STAGES])
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None
    error: dict[str, str | None] | None = None

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "owner": self.owner,
            "filename": self.filename,
            "country": self.country,
            "created": self.created,
            "state": self.state,
            "finished": self.finished,
            "steps": [s.record() for s in self.steps],
            "progress": {"done": self.done, "total": self.total},
            "result": self.result,
            "error": self.error,
            "url": f"/upload/jobs/{self.id}",
        }


@dataclass(frozen=True)
class Upload:
    """What the form gave, with the file already saved under a name we chose."""

    path: Path
    folder: Path
    filename: str
    country: str
    title: str | None
    date: dt.date | None
    max_bytes: int


_JOBS: dict[str, Job] = {}
_LOCK = threading.Lock()


def get(job_id: str) -> Job:
    with _LOCK:
        job = _JOBS.get(job_id)
    if job is None:
        raise UnknownJobError(
            f"no upload job {job_id[:40]!r} in this server process",
            hint="jobs are kept in memory; if the server restarted, find the law in the law list",
        )
    return job


def start(upload: Upload, *, owner: str, url: str) -> Job:
    job = Job(
        id=secrets.token_urlsafe(12),
        owner=owner,
        filename=upload.filename,
        country=upload.country,
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    with _LOCK:
        if len(_JOBS) >= MAX_JOBS:
            oldest = [j.id for j in _JOBS.values() if j.finished][: len(_JOBS) - MAX_JOBS + 1]
            for key in oldest:
                _JOBS.pop(key, None)
        _JOBS[job.id] = job
    thread = threading.Thread(target=run, args=(job, upload, url), daemon=True, name=job.id)
    thread.start()
    return job


def run(job: Job, upload: Upload, url: str) -> None:
    """The three stages in order; the first failure stops the job with its message."""
    from treatywatch.align.service import align_document
    from treatywatch.assess.service import assess_document
    from treatywatch.ingest.pipeline import IngestRequest, ingest

    job.state = "running"
    current = "ingest"
    try:
        job.step("ingest").state = "running"
        stored = ingest(
            IngestRequest(
                path=upload.path,
                country=upload.country,
                title=upload.title,
                date=upload.date,
                max_bytes=upload.max_bytes,
                actor=job.owner,
                note=f"uploaded through the web UI as {upload.filename}",
            ),
            url=url,
        )
        ref = stored.ref
        job.step("ingest").state = "done"
        job.step(
            "ingest"
        ).detail = f"{ref} ({stored.status}, {len(stored.segmentation.provisions)} provisions)"
        job.result = {
            "ref": ref,
            "document": stored.document_id,
            "title": stored.title,
            "country": stored.country,
            "url": version_url(stored.document_id, stored.version_date.isoformat()),
            "country_url": country_url(stored.country),
            "report_url": None,
            "warnings": list(stored.warnings),
        }

        current = "align"
        job.step("align").state = "running"

        def progress(done: int, total: int, _label: str) -> None:
            job.done, job.total = done, total

        aligned = align_document(ref, url=url, actor=job.owner, progress=progress)
        counts = aligned.counts()
        job.step("align").state = "done"
        job.step(
            "align"
        ).detail = f"{counts['suggested']} links suggested for {counts['provisions']} provisions"

        current = "assess"
        job.step("assess").state = "running"
        assessed = assess_document(ref, url, actor=job.owner)
        job.step("assess").state = "done"
        job.step("assess").detail = f"{len(assessed.findings)} findings"
        job.result["report_url"] = report_url(stored.country)
        job.state = "done"
    except TreatywatchError as exc:
        _fail(job, current, exc.message, exc.hint)
    except Exception:  # a bug: keep the server up, say so, log the traceback
        log.exception("upload job %s failed in %s", job.id, current)
        _fail(job, current, f"{current} failed unexpectedly", "the server log has the details")
    finally:
        shutil.rmtree(upload.folder, ignore_errors=True)


def _fail(job: Job, stage: str, message: str, hint: str | None) -> None:
    job.step(stage).state = "failed"
    job.step(stage).detail = message
    job.error = {"stage": stage, "message": message, "hint": hint}
    job.state = "failed"
