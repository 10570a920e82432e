"""Settings of the web app, read once from the environment.

Kept apart from the app so tests can build an app over any store with any
policy (anonymous read on or off) without touching process environment.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from treatywatch.config import settings as store_settings

SECRET_FILE = "web-secret-key"  # noqa: S105 (a file name, not a secret)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _secret_key(data_dir: Path) -> str:
    """``TREATYWATCH_SECRET_KEY``, else a random key kept in the data folder.

    A key that changed on every start would log everyone out on each
    restart; one committed anywhere would let anyone forge sessions.
    """
    if os.environ.get("TREATYWATCH_SECRET_KEY"):
        return os.environ["TREATYWATCH_SECRET_KEY"]
    path = data_dir / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True)
class WebSettings:
    database_url: str
    secret_key: str
    anonymous_read: bool = True
    """Whether public data (catalogue, laws, alignments, findings, public
    cases) can be read without logging in."""
    secure_cookies: bool = False
    """Mark cookies Secure; switch on behind HTTPS (TREATYWATCH_SECURE_COOKIES)."""
    max_upload_bytes: int = 25 * 1024 * 1024
    login_attempts_per_minute: int = 5
    page_cache_bytes: int = 64 * 1024 * 1024
    """Memory per worker for rendered pages (TREATYWATCH_PAGE_CACHE_MB; 0 turns it off)."""
    page_refresh_seconds: float = 0.5
    """How often a worker rebuilds kept pages whose data changed
    (TREATYWATCH_PAGE_REFRESH_SECONDS; 0 leaves rebuilding to the next request)."""

    @classmethod
    def from_env(cls, database_url: str | None = None) -> WebSettings:
        config = store_settings()
        return cls(
            database_url=database_url or config.database_url,
            secret_key=_secret_key(config.data_dir),
            anonymous_read=_flag("TREATYWATCH_ANONYMOUS_READ", True),
            secure_cookies=_flag("TREATYWATCH_SECURE_COOKIES", False),
            max_upload_bytes=int(os.environ.get("TREATYWATCH_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)),
            login_attempts_per_minute=int(
                os.environ.get("TREATYWATCH_LOGIN_ATTEMPTS_PER_MINUTE", 5)
            ),
            page_cache_bytes=int(float(os.environ.get("TREATYWATCH_PAGE_CACHE_MB", 64)) * 2**20),
            page_refresh_seconds=float(os.environ.get("TREATYWATCH_PAGE_REFRESH_SECONDS", 0.5)),
        )
