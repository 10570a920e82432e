"""Provision-level redlines: matching by path, then by heading for renumbered provisions."""

from __future__ import annotations

from ingest_trees import act, amended
from treatywatch.ingest.diff import diff_segmentations, word_diff


def test_identical_versions_have_no_changes() -> None:
    result = diff_segmentations(act(), act())
    assert result.changes == []
    assert result.counts() == {"added": 0, "removed": 0, "changed": 0, "unchanged": 5}


def test_word_diff_marks_only_the_changed_words() -> None:
    ops = word_diff(
        "liable to imprisonment for two years.", "liable to imprisonment for five years."
    )
    assert [(o.op, o.text) for o in ops] == [
        ("equal", "liable to imprisonment for"),
        ("delete", "two"),
        ("insert", "five"),
        ("equal", "years."),
    ]


def test_amendment_redline() -> None:
    result = diff_segmentations(act(), amended(), old_name="a@1", new_name="a@2")
    by_status = {(c.status, c.old_path, c.new_path) for c in result.changes}
    assert ("changed", "sec-3", "sec-3") in by_status
    assert ("removed", "sec-4", None) in by_status
    assert ("added", None, "sec-4A") in by_status
    # "5. Regulations" became 6 and a new 5 took its number: matched by heading,
    # not reported as a rewrite of section 5.
    assert ("changed", "sec-5", "sec-6") in by_status
    assert ("added", None, "sec-5") in by_status
    assert result.counts() == {"added": 2, "removed": 1, "changed": 2, "unchanged": 2}
    sec3 = next(c for c in result.changes if c.new_path == "sec-3")
    assert "[-two-]" in sec3.redline and "{+five+}" in sec3.redline
    moved = next(c for c in result.changes if c.new_path == "sec-6")
    assert moved.renumbered and moved.old_label == "5" and moved.label == "6"
    assert all(op.op == "equal" for op in moved.words)


def test_changes_follow_the_new_order_with_removals_in_place() -> None:
    result = diff_segmentations(act(), amended())
    order = [c.new_path or f"-{c.old_path}" for c in result.changes]
    assert order == ["sec-3", "-sec-4", "sec-4A", "sec-5", "sec-6"]


def test_sub_provision_changes_are_listed() -> None:
    new = act()
    new.provisions[1].children[1].children.pop()  # drop sec-2/2/b
    new.provisions[1].children[0].text = '"computer" means any device;'
    result = diff_segmentations(act(), new)
    (change,) = result.changes
    assert {"path": "2/b", "status": "removed"} in change.parts
    assert {"path": "1", "status": "changed"} in change.parts


def test_record_is_json_ready() -> None:
    record = diff_segmentations(act(), amended(), old_name="x@1", new_name="x@2").record()
    assert record["old"] == "x@1" and record["summary"]["removed"] == 1
    assert {"op", "text"} == set(record["changes"][0]["words"][0])
