"""Take screenshots of every kind of page, wide and narrow, light and dark, to look at them.

    python scripts/screenshots.py [SITE] [OUTPUT]     (defaults: site, screenshots)

Uses Debian's chromium through Playwright, like the browser tests.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
SIZES = {"wide": (1400, 1000), "narrow": (390, 844)}


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve()
    output = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    output.mkdir(exist_ok=True)
    pages = {
        "index": site / "index.html",
        "articles": site / "articles.html",
        "article": sorted((site / "articles").glob("*.html"))[-1],
        "claims": site / "claims" / "index.html",
        "claim": sorted((site / "claims").glob("*.html"))[0],
        "search": site / "search.html",  # from disk, it says search needs the site served
        "404": site / "404.html",
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for scheme in ("light", "dark"):
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
                for name, path in pages.items():
                    page.goto(path.as_uri())
                    page.screenshot(path=output / f"{name}-{size}-{scheme}.png", full_page=True)
                page.close()
        browser.close()
    print(f"Screenshots in {output}/")


if __name__ == "__main__":
    main()
