"""Stage 6: turn the archive and its comparison into the site's files, each handed to the writer
as it is made.

addresses: where each page stands; site: every file, from the templates; environment: the Jinja
environment they are rendered in, each template compiled once a process; body: an article's text
cut at its statements; showcase: which wordings a page names; maps: the overview's heat maps;
sharing: schema.org data and the card image; export: the data files for researchers.
"""

from .addresses import ARCHIVE_JSON, PAGES_FILE
from .fingerprints import PageRecord
from .site import Written, render_site

__all__ = ["ARCHIVE_JSON", "PAGES_FILE", "PageRecord", "Written", "render_site"]
