"""`treatywatch report` and `treatywatch compare` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from report_store import COUNTRY, build_store

STAMP = "--generated-at=2025-01-31T12:00:00+00:00"


@pytest.fixture
def store(initialised: str, tmp_path: Path) -> str:
    build_store(initialised, tmp_path)
    return initialised


def test_report_writes_html_and_says_where(cli, store: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "xnl.html"
    result = cli("report", COUNTRY, "--format", "html", "--output", str(out), STAMP, "--json")
    assert result.code == 0, result.err
    assert result.json() == {"written": str(out), "format": "html", "bytes": out.stat().st_size}
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_markdown_to_stdout(cli, store: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", COUNTRY, "--format", "md", STAMP)
    assert result.code == 0, result.err
    assert result.out.startswith("# Human-rights assessment")


def test_report_json_flag_prints_the_data(cli, store: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", "--global", STAMP, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["kind"] == "global" and data["generated_at"] == "2025-01-31T12:00:00+00:00"


@pytest.mark.parametrize("where", ["missing-folder/report.html", "a-file/report.html", "."])
def test_unwritable_output_is_a_typed_error(cli, store: str, tmp_path: Path, where: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / where
    result = cli("report", COUNTRY, "--output", str(target), "--json")
    assert result.code == 2
    error = result.json()
    assert error["error"] == "OutputPathError"
    assert str(target.parent if where != "." else target) in error["message"]
    assert error["hint"]
    assert not (tmp_path / "missing-folder").exists()


def test_report_needs_exactly_one_subject(cli, store: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("report").code == 2
    both = cli("report", COUNTRY, "--global", "--json")
    assert both.code == 2 and "--global" in both.json()["message"]


def test_report_on_country_without_laws(cli, store: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("report", "XVB", "--json")
    assert result.code == 2
    assert result.json()["error"] == "NoLawsError"


def test_compare_criteria_as_csv_and_json(cli, store: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "--countries", COUNTRY, "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["country"], row["scope"], row["offence-quality"]) == (COUNTRY, "fails", "meets")
    assert row["gender"] == "not-assessed" and float(row["score"]) == pytest.approx(33.3)
    assert list(row)[:3] == ["country", "name", "score"] and len(row) == 16

    data = cli("compare", "--by", "criteria", "--json").json()
    assert data["by"] == "criteria" and data["rows"][0]["judicial-authorization"] == "fails"


def test_compare_articles_matrix(cli, store: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(cli("compare", "--by", "articles", "--format", "json").out)
    row = data["rows"][0]
    assert row["uncc/art-7"] == "implemented" and row["uncc/art-8"] == "not-found"
    assert row["implemented"] == 2
    assert "uncc/art-28" in data["columns"]
    table = cli("compare", "--by", "articles")
    assert table.code == 0 and "I = implemented" in table.out
    assert re.search(r"28 Search and seizure of stored electronic data\s*│ I ", table.out)


def test_compare_rejects_unknown_sort_and_country(cli, store: str) -> None:  # type: ignore[no-untyped-def]
    bad_sort = cli("compare", "--sort", "colour", "--json")
    assert bad_sort.code == 2 and "score" in bad_sort.json()["hint"]
    bad_country = cli("compare", "--countries", "XVB", "--json")
    assert bad_country.code == 2 and bad_country.json()["error"] == "NoLawsError"
