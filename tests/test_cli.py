"""The CLI's output, JSON twins, exports and error messages."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest


def test_init_then_idempotent(cli: Any, sqlite_url: str) -> None:
    first = cli("init", "--json")
    assert first.code == 0, first.err
    assert first.json()["articles"] == 116 and first.json()["catalogue_changed"] is True
    second = cli("init", "--json").json()
    assert second["catalogue_changed"] is False and second["revision_before"] == second["revision"]
    human = cli("init")
    assert "already up to date" in human.out


def test_articles_list_filters(cli: Any) -> None:
    result = cli("articles", "list", "--instrument", "uncc", "--chapter", "iv", "--json")
    assert result.code == 0
    ids = [r["id"] for r in result.json()]
    assert ids == [f"uncc/art-{n}" for n in range(23, 35)]
    crim = cli(
        "articles", "list", "--category", "criminalization", "--instrument", "budapest", "--json"
    ).json()
    assert {r["id"] for r in crim} == {f"budapest/art-{n}" for n in range(2, 14)}
    table = cli("articles", "list", "--instrument", "uncc")
    assert "Search and seizure of stored electronic data" in table.out


def test_articles_list_csv_export(cli: Any) -> None:
    result = cli("articles", "list", "--instrument", "budapest", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 48 and rows[0]["id"] == "budapest/art-1"


def test_articles_show_human_and_json(cli: Any) -> None:
    human = cli("articles", "show", "uncc/art-28")
    assert human.code == 0
    for expected in (
        "Search and seizure",
        "Summary",
        "Obligations by paragraph",
        "uncc/art-24",
        "budapest/art-19",
        "judicial-authorization",
    ):
        assert expected in human.out, expected
    data = cli("articles", "show", "UNCC 28", "--json").json()
    assert data["id"] == "uncc/art-28"
    assert any(c["id"] == "budapest/art-19" for c in data["counterparts"])
    assert "uncc/art-24" in data["safeguards"]
    governed = cli("articles", "show", "uncc/art-24", "--json").json()["safeguard_for"]
    assert "uncc/art-30" in governed


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["articles", "show", "uncc/art-99"], "unknown article 'uncc/art-99'"),
        (["articles", "show", "unc/art-28"], "uncc/art-28"),
        (["articles", "show", "illegal acess"], "uncc/art-7"),
        (["articles", "list", "--instrument", "unc"], "choose one of: uncc, budapest"),
        (["articles", "list", "--chapter", "XX"], "no article matches"),
        (["crosswalk", "--relation", "same"], "choose one of"),
        (["criteria", "judicial"], "judicial-authorization"),
    ],
)
def test_unknown_input_errors_with_suggestions(cli: Any, args: list[str], needle: str) -> None:
    result = cli(*args)
    assert result.code == 2
    assert needle in result.err
    assert "Traceback" not in result.err


def test_errors_as_json(cli: Any) -> None:
    result = cli("articles", "show", "uncc/art-99", "--json")
    assert result.code == 2
    body = result.json()
    assert body["error"] == "UnknownArticleError" and "uncc/art-" in body["hint"]


def test_crosswalk_formats(cli: Any) -> None:
    data = cli("crosswalk", "--json").json()
    assert {"uncc": None, "budapest": "budapest/art-32"}.items() <= next(
        r for r in data if r["budapest"] == "budapest/art-32"
    ).items()
    rows = list(csv.DictReader(io.StringIO(cli("crosswalk", "--format", "csv").out)))
    assert len(rows) == len(data)
    assert set(rows[0]) == {"uncc", "uncc_title", "relation", "budapest", "budapest_title", "note"}
    only_new = cli("crosswalk", "--relation", "new-in-uncc", "--json").json()
    assert only_new and all(
        r["relation"] == "new-in-uncc" and r["budapest"] is None for r in only_new
    )


def test_search_command(cli: Any, sqlite_url: str) -> None:
    not_ready = cli("search", "interception")
    assert not_ready.code == 2 and "treatywatch init" in not_ready.err
    cli("init")
    hits = cli("search", "real-time traffic data", "--json").json()
    assert {h["entity_id"] for h in hits[:2]} == {"uncc/art-29", "budapest/art-20"}
    assert all(h["snippet"] for h in hits)
    scoped = cli("search", "interception", "--instrument", "budapest", "--json").json()
    assert scoped and all(h["entity_id"].startswith("budapest/") for h in scoped)
    human = cli("search", "preservation")
    assert "uncc/art-25" in human.out


def test_summary_and_criteria(cli: Any) -> None:
    summary = cli("summary", "--json").json()
    uncc_chapters = [c for c in summary["chapters"] if c["instrument"] == "uncc"]
    assert len(uncc_chapters) == 9 and sum(c["articles"] for c in uncc_chapters) == 68
    assert summary["crosswalk_coverage"]["budapest"]["articles"] == 48
    crit = cli("criteria", "--json").json()
    assert [c["number"] for c in crit] == list(range(1, 14))
    one = cli("criteria", "judicial-authorization")
    assert one.code == 0 and "Met when" in one.out


def test_catalogue_check_on_broken_dir(cli: Any, tmp_path: Any) -> None:
    result = cli("catalogue", "check", str(tmp_path))
    assert result.code == 2
    assert "uncc.yaml: file is missing" in result.err


def test_version(cli: Any) -> None:
    assert "treatywatch 0.1.0" in cli("--version").out


def test_search_types_and_scopes(cli: Any, sqlite_url: str) -> None:
    from treatywatch.samples import SAMPLE_LAWS

    cli("init")
    law = SAMPLE_LAWS[0]
    assert cli("ingest", str(law.path("txt")), "--country", law.country).code == 0
    provisions = cli("search", "interception", "--type", "provision", "--json").json()
    assert provisions and all(h["entity_type"] == "provision" for h in provisions)
    assert all(h["scope"].startswith("xnl/") for h in provisions)
    articles_only = cli("search", "interception", "--type", "article", "--json").json()
    assert articles_only and all(h["entity_type"] == "article" for h in articles_only)
    in_uncc = cli("search", "interception", "--in", "uncc", "--json").json()
    assert in_uncc and all(h["entity_id"].startswith("uncc/") for h in in_uncc)


def test_tables_keep_square_brackets() -> None:
    from rich.console import Console

    from treatywatch.output import table

    out = Console(file=io.StringIO(), width=80)
    out.print(table([{"a": "[abc] text"}], [("a", "A")]))
    assert "[abc] text" in out.file.getvalue()  # type: ignore[attr-defined]
