"""Every page in /sitemap.xml, so that a new page cannot escape the checks.

On a 320 px wide screen (the narrowest WCAG reflow asks for): axe-core finds no WCAG 2.1 A/AA
violation, nothing scrolls sideways, headings are in order and landmarks are named.
"""

import re

import pytest

from .helpers import axe_violations, heading_problems, horizontal_overflow, landmark_problems

pytestmark = pytest.mark.browser
NARROWEST = {"width": 320, "height": 640}


def sitemap_paths(page):
    response = page.request.get("/sitemap.xml")
    assert response.ok
    urls = re.findall(r"<loc>([^<]+)</loc>", response.text())
    return [re.sub(r"^https?://[^/]+", "", url) for url in urls]


def test_every_sitemap_page_passes_axe_fits_320_px_and_has_ordered_headings(demo, new_context):
    page = new_context(viewport=NARROWEST).new_page()
    paths = sitemap_paths(page)
    problems = []
    for path in paths:
        response = page.goto(path)
        assert (path, response.status) == (path, 200)
        problems += axe_violations(page)
        problems += heading_problems(page)
        problems += landmark_problems(page)
        if overflow := horizontal_overflow(page):
            problems.append(f"{path}: {overflow} px wider than the 320 px screen")

    # The demo congress: home, programme, speakers, venues, livestream, changes; 66 sessions,
    # the speakers with published sessions, 22 venues and 4 information pages.
    assert len(paths) > 100
    assert problems == []
