"""Browser fixtures for tests/test_web_browser.py: a live server and a headless Chromium.

The server and the browser are session-scoped (building the store and
starting Chromium take seconds); each test gets a fresh browser context, so
cookies never leak between tests. Logging in through the form is tested
once in ``test_login``; other tests start from a saved login (Playwright
storage state) made by that same form, per role.

Each test leaves a full-page screenshot in ``test-artifacts/screenshots``
(``TREATYWATCH_TEST_ARTIFACTS`` moves the folder), named after the test, so
a CI run can be inspected afterwards.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``):
Playwright cannot download its own browsers here. Without it the tests
skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize
from playwright.sync_api import Error as PlaywrightError

import web_server  # tests/ is on sys.path: pytest put it there for tests/conftest.py


@pytest.fixture(scope="session")
def live_store(tmp_path_factory: pytest.TempPathFactory) -> web_server.LiveStore:
    root = tmp_path_factory.mktemp("browser-store")
    return web_server.LiveStore.build(root)


@pytest.fixture(scope="session")
def live_server(live_store: web_server.LiveStore) -> Iterator[str]:
    with web_server.serve(live_store.url, live_store.data_dir, max_upload_bytes=2_000_000) as base:
        yield base
    errors = web_server.server_log_errors(live_store.data_dir)
    assert not errors, "the server logged tracebacks:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
def browser() -> Browser:
    return web_server.chromium()


@pytest.fixture(scope="session")
def login_states(
    browser: Browser,
    live_server: str,
    live_store: web_server.LiveStore,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    """A saved, logged-in browser state per role, made through the login form."""
    folder = tmp_path_factory.mktemp("login-states")
    states: dict[str, str] = {}
    for role, account in live_store.accounts.items():
        context = browser.new_context(base_url=live_server)
        page = context.new_page()
        web_server.log_in(page, account)
        path = folder / f"{role}.json"
        context.storage_state(path=str(path))
        context.close()
        states[role] = str(path)
    return states


@pytest.fixture
def make_page(
    browser: Browser,
    live_server: str,
    login_states: dict[str, str],
    request: pytest.FixtureRequest,
) -> Iterator[object]:
    """``make_page(role=None, viewport=None)`` → a page in a fresh context; each page
    is screenshotted at teardown, and page errors or dialogs fail the test."""
    contexts: list[BrowserContext] = []
    pages: list[tuple[Page, list[str]]] = []

    def make(role: str | None = None, viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server,
            storage_state=login_states[role] if role else None,
            viewport=ViewportSize(width=viewport["width"], height=viewport["height"])
            if viewport
            else None,
        )
        contexts.append(context)
        page = context.new_page()
        pages.append((page, web_server.watch(page)))
        return page

    yield make
    for index, (page, _problems) in enumerate(pages):
        suffix = f"-{index}" if len(pages) > 1 else ""
        with contextlib.suppress(PlaywrightError):  # a page a test closed has no picture
            web_server.screenshot(page, f"{request.node.name}{suffix}")
    for context in contexts:
        context.close()
    problems = [p for _page, found in pages for p in found]
    assert not problems, problems
