"""Broken catalogue files are rejected, naming the file and the problem."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from treatywatch.catalogue import Catalogue, CatalogueError
from treatywatch.catalogue.loader import DEFAULT_DATA_DIR

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("_*"))
    return target


def edit(path: Path, change: Edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(CatalogueError) as err:
        Catalogue.load(data_dir)
    assert "catalogue is invalid" in str(err.value)
    return err.value.problems


def article(data: dict[str, Any], number: int) -> dict[str, Any]:
    return next(a for a in data["articles"] if a["number"] == number)


def test_copy_of_packaged_catalogue_is_valid(data_dir: Path) -> None:
    assert len(Catalogue.load(data_dir).articles(instrument="uncc")) == 68


@pytest.mark.parametrize(
    ("filename", "change", "expected"),
    [
        ("uncc.yaml", lambda d: d["articles"].pop(9), "without gaps; missing [10]"),
        ("uncc.yaml", lambda d: d["articles"].insert(5, dict(d["articles"][4])), "defined 2 times"),
        (
            "uncc.yaml",
            lambda d: article(d, 28)["safeguards"].append("uncc/art-99"),
            "safeguard uncc/art-99 does not resolve",
        ),
        ("uncc.yaml", lambda d: article(d, 10).update(chapter="IV"), "not one contiguous run"),
        (
            "uncc.yaml",
            lambda d: article(d, 53).update(chapter="V"),
            "chapter VI (Preventive measures) has no articles",
        ),
        ("uncc.yaml", lambda d: article(d, 7).update(chapter="XX"), "unknown chapter 'XX'"),
        (
            "uncc.yaml",
            lambda d: article(d, 7).update(criteria=["free-speech"]),
            "unknown criterion 'free-speech'",
        ),
        (
            "uncc.yaml",
            lambda d: article(d, 7).update(category="hacking"),
            "articles[6] (#7).category",
        ),
        (
            "uncc.yaml",
            lambda d: article(d, 7).update(colour="red"),
            "Extra inputs are not permitted",
        ),
        (
            "uncc.yaml",
            lambda d: article(d, 7).update(summary="One. Two. Three. Four."),
            "1-3 sentences",
        ),
        ("uncc.yaml", lambda d: article(d, 7)["keywords"].pop("en"), "English keywords"),
        ("uncc.yaml", lambda d: article(d, 7).update(safeguards=["uncc/art-7"]), "lists itself"),
        ("budapest.yaml", lambda d: d["instrument"].update(article_count=50), "missing [49, 50]"),
        (
            "crosswalk.yaml",
            lambda d: d["links"].append(
                {
                    "uncc": "uncc/art-80",
                    "budapest": "budapest/art-2",
                    "relation": "partial",
                    "note": "bad ref",
                }
            ),
            "uncc/art-80 does not resolve",
        ),
        (
            "crosswalk.yaml",
            lambda d: d["links"].append(
                {"uncc": "budapest/art-3", "relation": "new-in-uncc", "note": "wrong side"}
            ),
            "is not a uncc article",
        ),
        (
            "crosswalk.yaml",
            lambda d: d["links"].append(
                {"uncc": "uncc/art-7", "relation": "equivalent", "note": "one-sided"}
            ),
            "equivalent needs both",
        ),
        ("crosswalk.yaml", lambda d: d["links"].append(dict(d["links"][0])), "is listed 2 times"),
        (
            "crosswalk.yaml",
            lambda d: d.update(
                links=[link for link in d["links"] if link.get("budapest") != "budapest/art-32"]
            ),
            "budapest/art-32 is not classified",
        ),
        ("criteria.yaml", lambda d: d["criteria"].pop(3), "numbered 1..12 without gaps"),
        (
            "criteria.yaml",
            lambda d: d["criteria"][0]["severity_scale"].pop(),
            "severity_scale must list",
        ),
    ],
)
def test_broken_file_is_rejected(
    data_dir: Path, filename: str, change: Edit, expected: str
) -> None:
    edit(data_dir / filename, change)
    found = problems(data_dir)
    matching = [p for p in found if expected in p]
    assert matching, f"expected a problem containing {expected!r}, got: {found}"
    assert all(p.startswith(str(data_dir)) for p in matching), "problems must name the file"


def test_invalid_yaml_is_reported_with_file(data_dir: Path) -> None:
    (data_dir / "uncc.yaml").write_text("articles: [unclosed\n", encoding="utf-8")
    found = problems(data_dir)
    assert any("uncc.yaml: not valid YAML" in p for p in found)


def test_non_utf8_file_is_reported(data_dir: Path) -> None:
    (data_dir / "criteria.yaml").write_bytes(b"criteria:\n  - id: \xff\xfe\n")
    assert any("criteria.yaml: not UTF-8" in p for p in problems(data_dir))


def test_missing_file_is_reported(data_dir: Path) -> None:
    (data_dir / "crosswalk.yaml").unlink()
    assert any("crosswalk.yaml: file is missing" in p for p in problems(data_dir))


def test_all_problems_reported_at_once(data_dir: Path) -> None:
    def two_faults(d: dict[str, Any]) -> None:
        article(d, 7)["safeguards"].append("uncc/art-200")
        article(d, 8)["criteria"].append("nope")

    edit(data_dir / "uncc.yaml", two_faults)
    found = problems(data_dir)
    assert any("uncc/art-200" in p for p in found) and any("'nope'" in p for p in found)
