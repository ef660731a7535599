"""What a shared link and a search engine read of a page: schema.org data and the card image."""

from __future__ import annotations

import io
import json
from typing import NamedTuple

import PIL
from PIL import Image, ImageDraw, ImageFont

from ..compare import ClaimCoverage
from ..model import Archive, Article, Occurrence, Story
from .addresses import article_page, claim_page
from .showcase import LISTED_AT_MOST, distinct_wordings


def claim_json_ld(site: str | None, story: Story, coverage: ClaimCoverage) -> str:
    """schema.org data for a claim page: a Claim and where it appears; Quotations where quoted.

    Not a ClaimReview: the archive compares renderings, it does not rate them.
    """
    claim = coverage.claim
    occurrences = [o for row in coverage.rows if row.statement for o in row.statement.occurrences]
    by_article: dict[str, Occurrence] = {}
    for occurrence in occurrences:
        by_article.setdefault(occurrence.article, occurrence)
    # Search engines need a few appearances, not thousands: the export lists them all.
    appearances = [news_article(story.article(article_id), site) for article_id in list(by_article)[:LISTED_AT_MOST]]
    graph = {
        "@type": "Claim",
        "text": claim.statement,
        "author": {"name": claim.speaker},
        "appearance": appearances,
    }
    if claim.date:
        graph["dateCreated"] = claim.date.isoformat()
    if site:
        graph["url"] = site + claim_page(claim.id)
    if appearances:
        first = min(by_article, key=lambda article_id: (story.article(article_id).published, article_id))
        graph["firstAppearance"] = news_article(story.article(first), site)
    items = [graph]
    if claim.kind == "quote":
        items += [
            {
                "@type": "Quotation",
                "text": occurrence.text,
                "spokenByCharacter": {"name": claim.speaker},
                "isPartOf": news_article(story.article(occurrence.article), site),
            }
            for occurrence in distinct_wordings(occurrences)[:LISTED_AT_MOST]
        ]
    data = {"@context": "https://schema.org", "@graph": items}
    # Inside <script>, "</script" would end the element: no "<" is written as such.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def news_article(article: Article, site: str | None) -> dict:
    data = {
        "@type": "NewsArticle",
        "headline": article.display_title,
        "datePublished": article.published.isoformat(),
        "inLanguage": article.language,
        "publisher": {"@type": "Organization", "name": article.outlet},
    }
    if article.url:
        data["url"] = article.url
    elif site:
        data["url"] = site + article_page(article.id)
    if article.author:
        data["author"] = {"name": article.author}
    return data


class Card(NamedTuple):
    """All the card image shows: the archive's title and its counts."""

    title: str
    stories: int | None  # None in an archive of one story
    articles: int
    claims: int


def card_of(archive: Archive) -> Card:
    return Card(
        archive.settings.title,
        len(archive.stories) if archive.many else None,
        len(archive.articles),
        len(archive.claims),
    )


# What else makes the card's bytes: Pillow, which draws it in its own font and encodes it.
CARD_DRAWN_BY = f"Pillow {PIL.__version__}"


def card_image(card: Card) -> bytes:
    """The picture a shared link shows: the name Parallax and the archive's title, 1200 x 630."""
    image = Image.new("RGB", (1200, 630), "#fdfcf9")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1200, 14), fill="#8a3b12")
    # The favicon's half-filled circle, drawn: the bundled font has no such glyph.
    draw.ellipse((80, 92, 128, 140), fill="#fdfcf9", outline="#8a3b12", width=5)
    draw.pieslice((80, 92, 128, 140), start=-90, end=90, fill="#8a3b12")
    draw.text((146, 88), "Parallax", fill="#8a3b12", font=ImageFont.load_default(size=44))
    title_font = ImageFont.load_default(size=64)
    lines, line = [], ""
    for word in card.title.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=title_font) > 1040 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    for number, text in enumerate(lines[:4]):
        draw.text((80, 200 + number * 84), text, fill="#1d1f23", font=title_font)
    stories = f"{card.stories} stories, " if card.stories is not None else ""
    caption = f"{stories}{card.articles} articles, {card.claims} claims, compared statement by statement"
    draw.text((80, 540), caption, fill="#5b6170", font=ImageFont.load_default(size=30))
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
