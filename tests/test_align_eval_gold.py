"""Gold files: validation lists every problem with file:line; labels normalise."""

from __future__ import annotations

from pathlib import Path

import pytest

from treatywatch.align.evaluation.gold import GoldError, load_gold, normalise_label, parse_gold
from treatywatch.errors import TreatywatchError

HEADER = "document,provision,title,uncc,budapest,kind,confidence,note\n"


def _write(folder: Path, name: str, body: str, header: str = HEADER) -> Path:
    path = folder / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_valid_file_reads_label_sets(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "fictional.csv",
        "xnl-fictional,1,Short title,none,none,general,clear,\n"
        'xnl-fictional,6,"Data and system interference","9; 10",4;5,offence,arguable,'
        '"a note, with a comma"\n',
    )
    rows = load_gold(path)
    assert [r.provision for r in rows] == ["1", "6"]
    assert rows[0].is_none and rows[0].uncc == () and rows[0].budapest == ()
    assert rows[1].uncc == ("uncc/art-9", "uncc/art-10")
    assert rows[1].budapest == ("budapest/art-4", "budapest/art-5")
    assert rows[1].note == "a note, with a comma"
    assert rows[1].source == f"{path}:3"


def test_every_problem_is_listed_with_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "bad.csv",
        "xnl-fictional,1,Fine,7,2,offence,clear,\n"
        "xnl-fictional,2,Unknown article,99,2,offence,clear,\n"
        'xnl-fictional,3,"A heading\nover two lines",seven,2,offence,clear,\n'
        "xnl-fictional,4,Bad kind,7,2,crime,clear,\n"
        "xnl-fictional,5,Bad Budapest,7,77,offence,clear,\n"
        "xnl-fictional,1,Duplicate,7,2,offence,clear,\n"
        ",6,No document,7,2,offence,clear,\n"
        "xnl-fictional,7,Empty uncc,,2,offence,clear,\n"
        "xnl-fictional,8,Mixed,none;7,2,offence,clear,\n",
    )
    rows, problems = parse_gold(path)
    assert [r.provision for r in rows] == ["1"]
    assert problems == [
        f"{path}:3: UNCC article 99 does not exist",
        f"{path}:4: uncc value 'seven' is not an article number (write numbers separated by "
        "';', or 'none')",
        f"{path}:6: unknown kind 'crime' (one of: definition, offence, penalty, procedural, "
        "cooperation, jurisdiction, institutional, preventive, general, other)",
        f"{path}:7: Budapest article 77 does not exist",
        f"{path}:8: provision '1' of xnl-fictional is labelled twice (first at {path}:2)",
        f"{path}:9: the document column is empty",
        f"{path}:10: the uncc column is empty (write 'none' for no article)",
        f"{path}:11: uncc mixes 'none' with article numbers ('none;7')",
    ]
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    assert isinstance(caught.value, TreatywatchError)
    assert "8 problems" in caught.value.message
    assert f"{path}:3: UNCC article 99 does not exist" in caught.value.message
    assert caught.value.hint


def test_missing_columns_and_folder_problems(tmp_path: Path) -> None:
    _write(tmp_path, "a.csv", "xnl-fictional,1,x\n", header="document,provision,title\n")
    _write(tmp_path, "b.csv", "xnl-other,1,Short title,none,none,general,clear,\n")
    (tmp_path / "c.csv").write_bytes(HEADER.encode() + b"xnl-fictional,1,\xff\xfe,7,2,offence,,\n")
    rows, problems = parse_gold(tmp_path)
    assert [r.document for r in rows] == ["xnl-other"]
    assert problems == [
        f"{tmp_path / 'a.csv'}:1: missing column(s) uncc, budapest, kind "
        "(required: document, provision, uncc, budapest, kind)",
        f"{tmp_path / 'c.csv'}:2: not UTF-8 text (save the file as UTF-8)",
    ]


def test_empty_folder_missing_path_and_header_only(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match=r"holds no \.csv"):
        load_gold(tmp_path)
    with pytest.raises(GoldError, match="no such file or folder"):
        load_gold(tmp_path / "absent.csv")
    with pytest.raises(GoldError, match="no labelled rows"):
        load_gold(_write(tmp_path, "empty.csv", ""))


def test_utf8_bom_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(
        "\ufeff" + HEADER + "xnl-fictional,1,Titre fictif é,none,none,general,,\n\n",
        encoding="utf-8",
    )
    assert [r.title for r in load_gold(path)] == ["Titre fictif é"]


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("3", "3"),
        ("Section 3.", "3"),
        ("SECTION 3", "3"),
        ("Sec. 12", "12"),
        ("Art. 5", "5"),
        ("Article 431-7", "431-7"),
        ("Artículo 1", "1"),
        ("§ 202a", "202a"),
        ("§§ 263a", "263a"),
        ("2A", "2a"),
        ("  4 . ", "4"),
        ("Second Schedule", "second schedule"),
        (None, ""),
    ],
)
def test_labels_normalise_to_the_bare_number(label: str | None, key: str) -> None:
    assert normalise_label(label) == key
