"""Reuse's thresholds, all in one place, each with its meaning (the README lists them too)."""

from __future__ import annotations

# Finding which articles to align: word runs both share.
SOURCE_GRAM_WORDS = 3  # articles are indexed by runs of this many words
SOURCE_CARRIERS = 8  # a run is looked up among the first this many articles that carry it
MAX_SOURCES = 4  # each article is aligned with at most this many earlier ones, those that together share most
CONSIDERED_SOURCES = 16  # ...chosen among this many, those that share most on their own

# Aligning two articles.
SEED_WORDS = 2  # words in a run both texts share that proposes an alignment
COMMON_SEED = 8  # a run found more often than this in either text proposes nothing: too common
GAP_WORDS = 12  # seeds further apart than this, on either side, are not one passage
MIN_VERBATIM_WORDS = 4  # a passage has at least this many verbatim words...
MIN_VERBATIM_SHARE = 0.25  # ...making at least this part of its words

# Grouping passages across articles.
SAME_PASSAGE_SHARE = 0.5  # two passages of one article overlapping this much of their union are one place

# Labels. A derived text is wholly derived from its source at this score or more (see
# Derivation), partially from PARTIALLY_SCORE. Chosen by cross-validation on COUNTER (bench/reuse.py).
WHOLLY_SCORE = 0.60
PARTIALLY_SCORE = 0.24
