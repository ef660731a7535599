"""Properties of extraction and matching, on text that hypothesis makes up: nothing crashes,
every span lies inside its article and never cuts a word in two, and the groups found do not
depend on the order of the articles."""

import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parallax.extract import MARKS, quotations, units
from parallax.load import BodyConverter, html_blocks
from parallax.match import shared_statements

from conftest import article_from, story_of
from test_match import cuts_a_word

CHARACTERS = list("abcdefghij XYZ 0123,.;:!?-—") + list("“”\"'‘’«»„")
paragraphs = st.text(alphabet=CHARACTERS, max_size=160)
bodies = st.lists(paragraphs, min_size=1, max_size=5).map("\n\n".join)

STATEMENTS = [
    "We will not accept any attempt to blame us for the failure of the talks in Geneva",
    "The hands of the officials are stained with the blood of over 1,400 people",
    "We consider it necessary to continue our contacts with all parties and sides",
    "Russia has ties to all key players in the region, including every party to the conflict",
    "The delegation met representatives of the ministry but not the president himself",
]


@st.composite
def renderings(draw) -> str:
    """One statement as an article might carry it: quoted or not, punctuation and numbers varied."""
    words = draw(st.sampled_from(STATEMENTS))
    if draw(st.booleans()):
        words = words.replace(",", "").replace("1400", "1,400")
    if draw(st.booleans()):
        words = words.replace(" the ", " a ", 1)
    opening, closing = draw(st.sampled_from([("“", "”"), ('"', '"'), ("«", "»"), ("", "")]))
    return f"{opening}{words},{closing} {draw(st.sampled_from(['he said.', 'the ministry said.', 'it added.']))}"


article_bodies = st.lists(st.one_of(renderings(), paragraphs), min_size=1, max_size=6).map("\n\n".join)


@settings(max_examples=300, deadline=None)
@given(bodies)
def test_extraction_never_crashes_and_every_span_lies_where_it_should(body):
    found = article_from(body, "a")
    if found is None:
        return
    for quotation in quotations(found):
        assert 0 <= quotation.start < quotation.end <= len(found.text)
        assert quotation.text == quotation.text.strip()
        assert all(quotation.start <= s < e <= quotation.end for s, e in quotation.parts)
        # A quotation opens just after a quotation mark, spaces aside.
        assert found.text[: quotation.start].rstrip()[-1:] in MARKS
    for unit in units(found, 1):
        assert 0 <= unit.start < unit.end <= len(found.text)
        assert unit.text.strip() and unit.text == unit.text.strip()


def groups(statements) -> set[frozenset]:
    return {frozenset((o.article, o.start, o.end) for o in s.occurrences) for s in statements}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article_bodies, min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_matching_is_sound_and_does_not_depend_on_the_order_of_articles(bodies, shuffler: random.Random):
    articles = [a for n, body in enumerate(bodies) if (a := article_from(body, f"article-{n}"))]
    statements = shared_statements(story_of(articles))
    texts = {a.id: a.text for a in articles}
    for statement in statements:
        assert len(set(statement.article_ids)) >= 2
        for occurrence in statement.occurrences:
            assert not cuts_a_word(texts[occurrence.article], occurrence.start, occurrence.end), occurrence
            assert occurrence.text.strip()
    shuffler.shuffle(articles)
    assert groups(shared_statements(story_of(articles))) == groups(statements)


MARKDOWN_CHARACTERS = list("abc XYZ 019,.;:?-—()'\"“”«»\t\u00a0#>+=*_[]!&<`|~")
# A chunk as the converter gets it: lines that are not blank.
chunk_lines = st.text(alphabet=MARKDOWN_CHARACTERS, min_size=1, max_size=40).filter(str.strip)


@given(st.lists(chunk_lines, min_size=1, max_size=4).map("\n".join))
@example(" \t0\n0")  # a tab after a space indents to the fourth column: code
@settings(max_examples=400, deadline=None)
def test_a_chunk_that_skips_markdown_reads_as_markdown_would_read_it(chunk):
    converter = BodyConverter()
    converter.markdown.reset()
    assert converter.blocks(chunk) == html_blocks(converter.markdown.convert(chunk))
