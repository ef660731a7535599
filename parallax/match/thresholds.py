"""Matching's thresholds, all in one place, each with its meaning (the README lists them too)."""

from __future__ import annotations

UNIT_MIN_WORDS = 5  # shorter quotations ("soon", "position") are too common to be shared on their own
# A shorter sentence ("The talks ended on Friday.") shared is no evidence of reused copy: it is
# matched with claims only.
SENTENCE_MIN_WORDS = 8
SHINGLE_WORDS = 2  # candidate pairs share word sequences of this length...
MIN_SHARED_SHINGLES = 2  # ... at least this many of them
BANAL_UNITS = 10  # a word pair found in more units than this, and than BANAL_SHARE of all units,
BANAL_SHARE = 0.02  # ... is too common ("of the", "the foreign ministry") to propose a pair
COMPARABLE_LENGTH = 0.7  # units whose word counts are at least this close are compared whole:
SAME_MIN_SCORE = 75  # ... at this score or more they are one statement (another translation, say)
FRAGMENT_MIN_SCORE = 90  # a shorter unit must match part of a longer one at least this well,
LONG_FRAGMENT_WORDS = 15  # ... or, if it has this many words or more (chance matches are rarer),
LONG_FRAGMENT_MIN_SCORE = 85  # ... this well
SAME_PLACE_SHARE = 0.6  # two spans of one article overlapping this much of their union are one place
REPEATED_SHARE = 0.8  # a group each of whose places is this much made of other groups' adds nothing
FRAGMENT_DISCOUNT = 10  # a fragment's match counts this much less than a whole one when grouping
SNAP_WORDS = 4  # how many words a located span's edges may move to fit the wording best
FIT_SLACK = 10  # how far below a cutoff a rough alignment may score and still be fitted
# A quotation shorter than a unit is a fragment of a statement when its sentence names the
# speaker (a word of the name, compared by its first NAME_PREFIX letters: "Israel" / "Israeli"),
NAME_PREFIX = 5
FRAGMENT_CONTEXT_WORDS = 2  # ... or shares this many words of NAME_PREFIX letters or more with the statement,
COMMON_WORD_SHARE = 0.25  # ... and one of its words is in at most this share of the articles not carrying it
