import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatywatch.catalogue.ids import ArticleId, InvalidArticleIdError

instruments = st.sampled_from(["uncc", "budapest", "budapest-p1", "budapest-p2"])


@given(instruments, st.integers(1, 999), st.one_of(st.none(), st.integers(1, 99)))
def test_format_parse_round_trip(instrument: str, number: int, paragraph: int | None) -> None:
    aid = ArticleId(instrument, number, paragraph)
    assert ArticleId.parse(str(aid)) == aid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uncc/art-28", "uncc/art-28"),
        ("UNCC/Art-28", "uncc/art-28"),
        ("uncc 28", "uncc/art-28"),
        ("budapest/20", "budapest/art-20"),
        ("uncc/art.28/para-2", "uncc/art-28/para-2"),
        ("uncc/article 30/2", "uncc/art-30/para-2"),
    ],
)
def test_loose_forms_normalise(text: str, expected: str) -> None:
    assert str(ArticleId.parse(text)) == expected


@pytest.mark.parametrize("text", ["", "uncc", "art-28", "uncc/art-", "uncc/art-28/para-x", "28"])
def test_rejects_non_ids_with_the_input_named(text: str) -> None:
    with pytest.raises(InvalidArticleIdError) as err:
        ArticleId.parse(text)
    assert repr(text) in str(err.value)


@given(st.text(max_size=40))
def test_parse_never_raises_anything_but_invalid_id(text: str) -> None:
    try:
        aid = ArticleId.parse(text)
    except InvalidArticleIdError:
        return
    assert str(aid).startswith(aid.instrument + "/art-")
