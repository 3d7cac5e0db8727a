"""What Chromium on a phone really downloads on a first visit to a page, pictures included.

Each page is opened with the browser's cache off, on a phone screen at twice the pixel density,
and every response body is counted as it came over the wire (compressed where it was sent so).
The live test server serves the stylesheet and script uncompressed (production sends them gzip
or Brotli compressed from collectstatic), so these totals are on the heavy side.
"""

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.browser
KB = 1024
PAGES = [
    "/",
    "/programma/",
    "/programma/?soort=middagsessie",
    "/sprekers/",
    "/locaties/",
    "/locaties/martiniplaza/",
    "/locaties/forum-groningen/",
    "/livestream/",
    "/praktische-informatie/",
]


def first_load_bytes(new_context, path):
    """{url: bytes over the wire} for a first visit: a fresh browser, nothing cached."""
    page = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True).new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(path, wait_until="networkidle")
    assert (path, response.status) == (path, 200)
    return {request.url: request.sizes()["responseBodySize"] for request in finished}


def test_no_page_needs_more_than_100_kb_on_first_load_on_a_phone(demo, new_context):
    programme = new_context().new_page()
    programme.goto("/programma/")
    session_path = programme.locator(".session-card__title a").first.get_attribute("href")

    loads = {path: first_load_bytes(new_context, path) for path in [*PAGES, session_path]}

    totals = {path: sum(load.values()) for path, load in loads.items()}
    assert {path: total for path, total in totals.items() if total > 100 * KB} == {}
    # Each load counted the page, the stylesheet, the script and the favicon at least.
    assert min(len(load) for load in loads.values()) >= 3
