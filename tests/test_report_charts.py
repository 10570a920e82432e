"""Charts and the world map: inline SVG with the expected marks, escaped and offline."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from treatywatch.report.charts import HeatmapColumn, HeatmapRow, heatmap, status_bar_chart
from treatywatch.report.links import provision_anchor
from treatywatch.report.palette import score_colour
from treatywatch.report.render import md_escape
from treatywatch.report.worldmap import HEIGHT, WIDTH, MapDatum, choropleth, equal_earth, shapes


def test_world_map_fills_states_by_iso_numeric_and_lists_the_rest() -> None:
    result = choropleth(
        [
            MapDatum("KEN", "404", "Kenya", "#d73027", "score 20%"),
            MapDatum("RUS", "643", "Russian Federation", "#4575b4", "score 90%"),
            MapDatum("SGP", "702", "Singapore", "#fee090", "score 50%"),
            MapDatum("XNL", None, "Norland <fictional>", "#fee090", "score 40%"),
        ],
        "Score map",
        [("0%", "#d73027")],
    )
    svg = str(result.svg)
    assert re.search(
        r'<path class="country has-data" id="country-KEN" data-code="KEN" '
        r'data-numeric="404" d="M[^"]+" fill="#d73027"',
        svg,
    )
    assert 'id="country-RUS"' in svg and "<title>Kenya: score 20%</title>" in svg
    assert [d.code for d in result.unmapped] == ["SGP", "XNL"]  # too small at 1:110m; fictional
    assert svg.count('class="country') == len(shapes()) > 150
    assert "http://www.w3.org/2000/svg" in svg and "xlink:href" not in svg


def test_map_paths_stay_inside_the_frame_across_the_antimeridian() -> None:
    fiji_russia = [s for s in shapes() if s.numeric in ("242", "643")]
    assert len(fiji_russia) == 2
    for shape in fiji_russia:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= 0 and max(xs) <= WIDTH
        assert min(ys) >= 0 and max(ys) <= HEIGHT
        # no ring may jump across the whole map (the classic antimeridian streak)
        for ring in shape.path.split("M")[1:]:
            points = [tuple(map(float, p.split(","))) for p in ring.rstrip("Z").split()]
            steps = [abs(a[0] - b[0]) for a, b in itertools.pairwise(points)]
            assert max(steps, default=0) < WIDTH / 2


def test_equal_earth_is_symmetric_and_bounded() -> None:
    x, y = equal_earth(180, 0)
    assert abs(x - 2.7066) < 1e-3 and y == 0
    assert equal_earth(-30, -40) == (-equal_earth(30, 40)[0], -equal_earth(30, 40)[1])


def test_heatmap_has_one_cell_per_row_and_column_and_escapes_labels() -> None:
    columns = [HeatmapColumn("scope", "1", "Scope"), HeatmapColumn("gender", "5", "Gender")]
    rows = [
        HeatmapRow("KEN", "Kenya", {"scope": "fails", "gender": "meets"}),
        HeatmapRow("X<Y", "A <b>bold</b> law", {"scope": "partly"}),
    ]
    svg = str(heatmap(rows, columns, "Matrix"))
    cells = re.findall(
        r'<rect class="cell" data-row="([^"]+)" data-column="([^"]+)" '
        r'data-status="([^"]+)"',
        svg,
    )
    assert cells == [
        ("KEN", "scope", "fails"),
        ("KEN", "gender", "meets"),
        ("X&lt;Y", "scope", "partly"),
        ("X&lt;Y", "gender", "not-assessed"),
    ]
    assert "<b>" not in svg and "A &lt;b&gt;bold&lt;/b&gt; law" in svg


def test_status_bars_show_counts() -> None:
    svg = str(status_bar_chart({"fails": 3, "meets": 1}, "Criteria"))
    assert 'data-status="fails" data-count="3"' in svg
    assert 'data-status="meets" data-count="1"' in svg
    assert 'data-status="partly"' not in svg


def test_score_colour_ramp_ends() -> None:
    assert score_colour(0) == "#d73027" and score_colour(100) == "#4575b4"
    assert score_colour(None) != score_colour(50)


@given(st.text(max_size=80))
def test_markdown_escape_leaves_no_markup(text: str) -> None:
    out = md_escape(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    assert not re.search(r"(?<!\\)[\[\]|`*_]", out)


@given(st.text(max_size=40), st.text(max_size=40))
def test_provision_anchors_are_valid_html_ids(document: str, path: str) -> None:
    anchor = provision_anchor(document, "2024-01-01", path)
    assert re.fullmatch(r"prov-[a-z0-9-]+", anchor)
