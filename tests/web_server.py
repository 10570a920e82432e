"""A real treatywatch web server for browser, security and load tests.

Browser and security tests must exercise what a user meets — uvicorn, the
middleware stack, cookies, the real store — so this module builds a store
from the shipped *fictional* sample laws (ingested, aligned, assessed),
adds one user per role with known passwords and API tokens, and runs
``uvicorn`` in a subprocess on a free loopback port.

A subprocess rather than a thread: the server then has its own engines,
its own event loop and its own ``TREATYWATCH_*`` environment, exactly as
``treatywatch serve`` would, and a test that hangs the server cannot hang
the test process.

Everything here is test data written for treatywatch: the sample laws
belong to fictional States (XNL Norland, XVB Valombre, ...) and the cases
below are marked fictional.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from treatywatch.store import init_store, session_scope

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Playwright

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("TREATYWATCH_TEST_ARTIFACTS", REPO / "test-artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"

CHROMIUM = os.environ.get("TREATYWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Alignment methods that need no embedding model: fast, deterministic, offline.
FAST_METHODS = ("lexical", "rules", "context")
SECRET_KEY = "treatywatch-test-secret-key-not-for-production"


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    password: str
    token: str = ""
    """Filled in by :func:`add_accounts`: tokens are random and shown once."""


ACCOUNTS = {
    "viewer": Account("vera-viewer", "viewer", "viewer-pass-4f9c1e"),
    "analyst": Account("ana-analyst", "analyst", "analyst-pass-8b2d0a"),
    "admin": Account("adam-admin", "admin", "admin-pass-1e7f3b"),
}

RESTRICTED_SECRET = "Person Q of Harbour Town (fictional)"
"""A restricted-case field value: a viewer must never see it, an admin may."""

SAMPLE_CASES: list[dict[str, Any]] = [
    {
        "key": "fict-xnl-web-public",
        "fictional": True,
        "country": "XNL",
        "date": "2024-11-02",
        "title": "FICTIONAL SAMPLE: web test case, public",
        "law": "xnl/act/2024/norland-ccea",
        "outcome": "charges dropped (fictional)",
        "summary": "Fictional example written for the treatywatch web tests.",
        "tags": ["journalist", "fictional"],
        "sensitivity": "public",
    },
    {
        "key": "fict-xnl-web-restricted",
        "fictional": True,
        "country": "XNL",
        "date": "2025-01-20",
        "title": "FICTIONAL SAMPLE: web test case, restricted",
        "law": "xnl/act/2024/norland-ccea",
        "outcome": "pending (fictional)",
        "summary": "Fictional example whose named person must stay hidden from viewers.",
        "tags": ["activist", "fictional"],
        "sensitivity": "restricted",
        "restricted": {"names": RESTRICTED_SECRET, "contact": "via fictional partner Z"},
    },
]


def add_accounts(
    url: str, accounts: dict[str, Account] | None = None, *, actor: str = "web-test-fixture"
) -> dict[str, Account]:
    """Create users through the app's own account functions; return them with tokens."""
    from treatywatch.web.auth.users import add_user, issue_token

    created: dict[str, Account] = {}
    with session_scope(url) as session:
        for key, account in (accounts or ACCOUNTS).items():
            add_user(
                session,
                account.username,
                role=account.role,
                password=account.password,
                actor=actor,
            )
            token = issue_token(session, account.username, actor=actor)
            created[key] = replace(account, token=token)
    return created


def build_sample_store(url: str, *, cases: bool = True) -> dict[str, Account]:
    """Init the store, ingest, align and assess every shipped sample law, add one
    account per role; returns the accounts (with their API tokens)."""
    from treatywatch.align.service import align_document, engine_options
    from treatywatch.assess.service import assess_document
    from treatywatch.cases.service import add_case
    from treatywatch.ingest.pipeline import IngestRequest, ingest
    from treatywatch.samples import SAMPLE_LAWS

    init_store(url)
    options = engine_options(FAST_METHODS)
    for law in SAMPLE_LAWS:
        ingest(
            IngestRequest(
                path=law.path("txt"),
                country=law.country,
                doc_id=law.document_id,
                date=law.date,
                title=law.title,
            ),
            url=url,
        )
        align_document(law.document_id, url=url, options=options)
        assess_document(law.document_id, url=url)
    if cases:
        for raw in SAMPLE_CASES:
            add_case(dict(raw), actor="web-test-fixture", url=url)
    return add_accounts(url)


@dataclass(frozen=True)
class LiveStore:
    """A built sample store: where it is, and who can log in to it."""

    url: str
    data_dir: Path
    accounts: dict[str, Account]

    @classmethod
    def build(cls, root: Path) -> LiveStore:
        """Build the sample store in ``root`` (SQLite); engines are closed afterwards
        so the server process is the only one holding the file."""
        from treatywatch.store.db import dispose_engines

        url = f"sqlite:///{root / 'treatywatch.db'}"
        accounts = build_sample_store(url)
        dispose_engines()
        return cls(url, root / "data", accounts)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(
    url: str,
    data_dir: Path,
    *,
    anonymous_read: bool = True,
    max_upload_bytes: int | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TREATYWATCH_DATABASE_URL=url,
        TREATYWATCH_DATA_DIR=str(data_dir),
        TREATYWATCH_SECRET_KEY=SECRET_KEY,
        TREATYWATCH_ANONYMOUS_READ="1" if anonymous_read else "0",
        TREATYWATCH_SECURE_COOKIES="0",
        HF_HUB_OFFLINE="1",
    )
    if max_upload_bytes is not None:
        env["TREATYWATCH_MAX_UPLOAD_BYTES"] = str(max_upload_bytes)
    env.update(extra or {})
    return env


@contextlib.contextmanager
def serve(
    url: str,
    data_dir: Path,
    *,
    anonymous_read: bool = True,
    workers: int = 1,
    max_upload_bytes: int | None = None,
    extra_env: dict[str, str] | None = None,
    log: Path | None = None,
    startup_seconds: float = 60.0,
) -> Iterator[str]:
    """Run uvicorn over the store at ``url``; yield its base URL, stop it after.

    ``create_app`` is used as a factory with no arguments, so the server
    reads its settings from the environment as a deployment would.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "treatywatch.web.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = log or data_dir / f"uvicorn-{port}.log"
    env = server_env(
        url,
        data_dir,
        anonymous_read=anonymous_read,
        max_upload_bytes=max_upload_bytes,
        extra=extra_env,
    )
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=REPO
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log_path, startup_seconds)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"uvicorn did not answer /health within {limit:.0f} s:\n{log.read_text()}")


def server_log_errors(data_dir: Path) -> list[str]:
    """Tracebacks the server wrote (a 5xx leaves one), for tests to assert on."""
    lines: list[str] = []
    for log in data_dir.glob("uvicorn-*.log"):
        text = log.read_text(encoding="utf-8", errors="replace")
        if "Traceback" in text:
            lines.append(f"{log.name}:\n{text[-4000:]}")
    return lines


# --- the browser ----------------------------------------------------------------------


def need_chromium() -> None:
    """Skip locally, fail under CI, when Debian's Chromium is missing."""
    import pytest

    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


_shared: tuple[Playwright, Browser] | None = None


def chromium() -> Browser:
    """Headless Debian Chromium driven by Playwright (no downloaded browser, no network).

    One browser per test process, shared by every suite: Playwright's sync API
    runs its own event loop, and a second one cannot start while the first is
    alive. Tests isolate themselves with a fresh context each; the browser is
    closed when the process exits.
    """
    global _shared
    if _shared is None:
        from playwright.sync_api import sync_playwright

        need_chromium()
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _shared = (playwright, browser)
        atexit.register(_close_chromium)
    return _shared[1]


def _close_chromium() -> None:
    global _shared
    if _shared is not None:
        playwright, browser = _shared
        _shared = None
        with contextlib.suppress(Exception):  # the driver may already be gone at exit
            browser.close()
            playwright.stop()


def watch(page: Page) -> list[str]:
    """Record what must never happen on a page: a script error or a dialog
    (``alert``/``confirm``/``prompt`` — the classic proof of injected script)."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    def on_dialog(dialog: Dialog) -> None:
        problems.append(f"dialog ({dialog.type}): {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return problems


def log_in(page: Page, account: Account) -> None:
    """Log in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login as {account.username} failed: {page.url}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
