"""Which articles each is aligned with, kept between builds: what is kept is what would be chosen
afresh, after any change before an article, and an article is chosen again only where a change
reaches its runs. Articles are made-up lists of word numbers."""

import pytest

from parallax.cache import Cache, digest
from parallax.reuse import sources
from parallax.reuse.sources import source_candidates

WIRE = list(range(1, 21))
OTHER_WIRE = list(range(101, 121))
STORY = [
    WIRE,
    OTHER_WIRE,
    [*WIRE[:10], 200, 201],  # the first wire's opening, and words of its own
    [*OTHER_WIRE[5:], 300],  # the other wire's end
    WIRE[5:] + OTHER_WIRE[:8],  # both
    list(WIRE),  # the first wire again, word for word
]


def chosen(story: list[list[int]], cache: Cache) -> list[tuple[int, ...]]:
    return source_candidates(story, [digest(" ".join(map(str, words))) for words in story], cache)


@pytest.fixture
def choices(monkeypatch) -> list[tuple[int, ...]]:
    """What covering chose each time it was called: the choices made afresh."""
    made: list[tuple[int, ...]] = []
    covering = sources.covering
    monkeypatch.setattr(sources, "covering", lambda shared: made.append(covering(shared)) or made[-1])
    return made


def edited(story: list[list[int]], number: int, words: list[int]) -> list[list[int]]:
    return [words if n == number else article for n, article in enumerate(story)]


def test_each_article_is_aligned_with_the_earlier_ones_it_shares_most_runs_with():
    assert chosen(STORY, Cache()) == [(), (), (0,), (1,), (0, 1), (0,)]


@pytest.mark.parametrize(
    "changed",
    [
        edited(STORY, 0, [*WIRE[:15], 99, *WIRE[16:]]),  # a word of the first article
        [[400, 401, 402, 403, 404], *STORY],  # an article added before all: every number moves on
        [[*WIRE[:10], 500], *STORY],  # ...one that comes before the first carrier of runs
        STORY[1:],  # the first removed
        [*STORY[:3], *STORY[4:]],  # one removed in the middle
        [STORY[2], *STORY],  # the same text twice, one before its first place
        [STORY[5], *STORY[:5]],  # the last moved first: the first wire's text twice, in a new order
        [STORY[1], STORY[0], *STORY[2:]],  # the two wires swapped
        [STORY[2], STORY[1], STORY[0], *STORY[3:]],  # the same texts, the wire after its opening
    ],
)
def test_the_choices_kept_after_a_change_early_in_the_story_are_those_made_afresh(changed):
    cache = Cache()
    chosen(STORY, cache)
    assert chosen(changed, Cache(cache.saved())) == chosen(changed, Cache())


def test_an_article_is_chosen_again_only_where_a_change_reaches_its_runs(choices):
    cache = Cache()
    chosen(STORY, cache)
    choices.clear()
    # A word of the first article edited: it, and the three that carry its runs, are chosen
    # again (the last now takes the words the first lost from the fifth); the other wire, and
    # the article that carries only its runs, are not.
    assert chosen(edited(STORY, 0, [*WIRE[:15], 99, *WIRE[16:]]), cache) == [(), (), (0,), (1,), (0, 1), (0, 4)]
    assert choices == [(), (0,), (0, 1), (0, 4)]
    choices.clear()
    # An article added before all, with runs of its own: only it is chosen, though every
    # other article's number, and those of its sources, have moved on.
    assert chosen([[400, 401, 402, 403, 404], *STORY], cache) == [(), (), (), (1,), (2,), (1, 2), (1,)]
    assert choices == [()]
    choices.clear()
    # An article added at the end: only it is chosen.
    assert chosen([*STORY, OTHER_WIRE[:12]], cache)[-1] == (1,)
    assert choices == [(1,)]
