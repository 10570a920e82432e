"""The web UI in a real headless Chromium, over a live server and the sample store.

Each test walks a path a person would take (log in, browse an article,
open a country, review an alignment, upload a law and read its report)
and checks what they would see, plus what the store recorded. The sample
laws and cases are fictional (see ``tests/web_server.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select

import web_server
from treatywatch.samples import SAMPLE_LAWS
from treatywatch.store import session_scope
from treatywatch.store.models import AlignmentRow, AuditLogRow, ProvisionRow

pytest_plugins = ["browser_fixtures"]  # the live server and Chromium fixtures

MakePage = Callable[..., Page]
NORLAND = SAMPLE_LAWS[0]
NORLAND_REF = f"{NORLAND.document_id}@{NORLAND.date.isoformat()}"


def test_login_with_the_form(make_page: MakePage, live_store: web_server.LiveStore) -> None:
    page = make_page()
    account = live_store.accounts["analyst"]
    page.goto("/login")
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password").fill("not-the-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Wrong username or password")).to_be_visible()
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(account.username))).to_be_visible()
    expect(nav.get_by_role("link", name="Review")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "treatywatch_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"


def test_browse_an_article_with_budapest_counterpart(make_page: MakePage) -> None:
    page = make_page()
    page.goto("/articles")
    page.get_by_role("link", name=re.compile(r"Illegal access", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("UNCC Art. 7")
    counterparts = page.locator("section[aria-labelledby=counterparts]")
    expect(counterparts.get_by_role("link", name=re.compile(r"BUDAPEST Art\. 2"))).to_be_visible()
    linked = page.locator("section[aria-labelledby=impl]")
    expect(linked.get_by_role("link", name="XNL")).to_be_visible()
    linked.get_by_role(
        "link", name=re.compile("Computer Crimes and Electronic Evidence")
    ).first.click()
    expect(page).to_have_url(re.compile(re.escape(NORLAND_REF) + "/provisions/"))


def test_open_a_country_profile(make_page: MakePage) -> None:
    page = make_page()
    page.goto("/countries")
    page.get_by_role("link", name=re.compile("Norland")).first.click()
    expect(page).to_have_url(re.compile("/countries/XNL$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Norland")
    expect(
        page.get_by_role("link", name=re.compile("Computer Crimes and Electronic")).first
    ).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()  # map / charts render inline, no CDN
    data = page.request.get("/countries/XNL?format=json").json()
    assert data["country"]["code"] == "XNL" and data["laws"] and data["assessed"]


def _suggested_alignment(url: str) -> tuple[int, str, str]:
    """(alignment id, provision path, article id) of a suggested Norland link."""
    with session_scope(url) as session:
        row = session.execute(
            select(AlignmentRow.id, ProvisionRow.path, AlignmentRow.article_id)
            .join(ProvisionRow, ProvisionRow.id == AlignmentRow.provision_id)
            .where(AlignmentRow.status == "suggested", AlignmentRow.article_id.like("uncc/%"))
            .order_by(AlignmentRow.id)
        ).first()
        assert row is not None
        return int(row[0]), str(row[1]), str(row[2])


def test_review_an_alignment(make_page: MakePage, live_store: web_server.LiveStore) -> None:
    alignment_id, path, article = _suggested_alignment(live_store.url)
    page = make_page("analyst")
    page.goto(f"/documents/{NORLAND_REF}/provisions/{path}")
    form = page.locator(f"form[action='/review/alignments/{alignment_id}/accept']")
    form.get_by_role("button", name=re.compile("accept", re.I)).click()
    expect(page.get_by_text(re.compile("accepted", re.I)).first).to_be_visible()
    with session_scope(live_store.url) as session:
        row = session.get(AlignmentRow, alignment_id)
        assert row is not None and row.status == "accepted"
        assert row.reviewer == live_store.accounts["analyst"].username
        audit = session.scalars(
            select(AuditLogRow).where(
                AuditLogRow.entity_id == str(alignment_id),
                AuditLogRow.actor == live_store.accounts["analyst"].username,
            )
        ).all()
        assert audit, f"no audit row for reviewing alignment {alignment_id} ({article})"


def test_a_viewer_sees_no_review_buttons(
    make_page: MakePage, live_store: web_server.LiveStore
) -> None:
    _alignment_id, path, _article = _suggested_alignment(live_store.url)
    page = make_page("viewer")
    page.goto(f"/documents/{NORLAND_REF}/provisions/{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.locator("form[action^='/review/']").count() == 0
    response = page.request.get("/review")
    assert response.status == 403


def test_upload_a_law_and_see_its_report(
    make_page: MakePage, live_store: web_server.LiveStore, tmp_path: Any
) -> None:
    law = tmp_path / "brightwater-act.txt"
    law.write_text(
        "FICTIONAL TEST LAW written for treatywatch browser tests; not the law of any State.\n\n"
        "BRIGHTWATER DIGITAL OFFENCES ACT, 2025\n\n"
        "1. Illegal access\nA person who intentionally and without right accesses a computer "
        "system commits an offence.\n\n"
        "2. Search\nAn officer may search a computer system without a warrant.\n",
        encoding="utf-8",
    )
    page = make_page("analyst")
    page.goto("/upload")
    page.get_by_label(re.compile("file", re.I)).set_input_files(str(law))
    page.get_by_label(re.compile("country", re.I)).fill("XVB")
    page.get_by_label(re.compile("title", re.I)).fill(
        "Brightwater Digital Offences Act (fictional)"
    )
    page.get_by_label(re.compile("date", re.I)).fill("2025-02-01")
    page.get_by_role("button", name=re.compile("upload", re.I)).click()
    expect(page).to_have_url(re.compile("/upload/jobs/"))
    report = page.get_by_role("link", name=re.compile("report", re.I)).first
    expect(report).to_be_visible(timeout=120_000)
    report.click()
    expect(page.get_by_text("Brightwater").first).to_be_visible()


def test_a_viewer_cannot_see_restricted_case_fields(
    make_page: MakePage, live_store: web_server.LiveStore
) -> None:
    """The UI has no case page yet, so the logged-in browser reads the case through the
    API (same session cookie) and through the law's pages that may cite it."""
    restricted = web_server.SAMPLE_CASES[1]["key"]
    seen = {}
    records = {}
    for role in ("viewer", "admin"):
        page = make_page(role)
        page.goto(f"/documents/{NORLAND_REF}")
        shown = page.content()
        response = page.goto(f"/api/v1/cases/{restricted}")
        assert response is not None and response.status == 200, response and response.status
        shown += page.content()
        records[role] = page.request.get(f"/api/v1/cases/{restricted}").json()
        listing = page.request.get("/api/v1/cases")
        assert listing.status == 200
        seen[role] = shown + listing.text()
    assert records["viewer"]["redacted"] is True
    assert records["admin"]["restricted"]["names"] == web_server.RESTRICTED_SECRET
    assert web_server.RESTRICTED_SECRET not in seen["viewer"]
    assert web_server.RESTRICTED_SECRET in seen["admin"]


def _no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    visible = page.evaluate("document.documentElement.clientWidth")
    assert width <= visible + 1, f"{page.url}: content {width}px wide in a {visible}px viewport"


def test_usable_on_a_phone(make_page: MakePage) -> None:
    page = make_page(viewport={"width": 375, "height": 740})
    for path in ("/", "/articles/uncc/art-28", "/countries/XNL", "/login"):
        page.goto(path)
        _no_horizontal_overflow(page)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Countries")).to_be_in_viewport()


def _tab_until(page: Page, predicate: str, limit: int = 60) -> list[str]:
    """Press Tab until the focused element satisfies the JS ``predicate``; return the path."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        described = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return (e.tagName + ' ' + (e.textContent || e.value || '')).trim().slice(0, 80); })()"
        )
        seen.append(described)
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {predicate}; }})()"):
            return seen
    raise AssertionError(f"never reached {predicate!r} by keyboard; focus went: {seen}")


def test_keyboard_reaches_the_main_actions(
    make_page: MakePage, live_store: web_server.LiveStore
) -> None:
    page = make_page("analyst")
    page.goto("/")
    first = _tab_until(page, "e.classList.contains('skip-link')", limit=1)
    assert first and "Skip to content" in first[0]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main" or page.url.endswith("#main")
    page.goto("/")
    _tab_until(page, "e.getAttribute('href') === '/countries'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/countries$"))
    _alignment_id, path, _article = _suggested_alignment(live_store.url)
    page.goto(f"/documents/{NORLAND_REF}/provisions/{path}")
    _tab_until(page, "e.closest('form[action^=\"/review/alignments/\"]') !== null")
    focused = page.evaluate("document.activeElement.outerHTML")
    assert "button" in focused.lower()
