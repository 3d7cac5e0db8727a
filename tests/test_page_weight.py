"""Page weight: what a phone downloads on a first visit, HTML, stylesheet, script and pictures.

Counted as transferred: HTML, CSS and JavaScript gzipped (the page cache and WhiteNoise send them
compressed), pictures as stored (already compressed): for each picture the copy a phone 360 CSS
pixels wide at twice the pixel density picks from its srcset and sizes. A first load fetches the
pictures without loading="lazy"; lazy ones come as the visitor scrolls towards them
(tests/browser/test_page_weight.py measures what Chromium on a phone really fetches).
"""

import gzip
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.core.management import call_command

pytestmark = pytest.mark.django_db

KB = 1024
PHONE_WIDTH, PHONE_DENSITY, REM = 360, 2, 16


@pytest.fixture
def demo(db):
    call_command("load_demo", "--sessions", "60", verbosity=0)


def gzipped(data):
    return len(gzip.compress(data, compresslevel=9))


def file_bytes(url):
    path = urlsplit(url).path
    if path.startswith("/static/"):
        with open(finders.find(path.removeprefix("/static/")), "rb") as handle:
            return handle.read()
    with default_storage.open(path.removeprefix("/media/"), "rb") as handle:
        return handle.read()


def phone_width(sizes):
    """The CSS width `sizes` gives a picture on a phone: the last entry without a media query
    that a 360 px wide screen would match (our media queries all ask for a wider screen)."""
    entries = [entry.strip() for entry in sizes.split(",")]
    length = next(entry for entry in entries if not entry.startswith("("))
    number = float(re.match(r"[\d.]+", length).group(0))
    if length.endswith("vw"):
        return PHONE_WIDTH * number / 100
    if length.endswith("rem"):
        return number * REM
    return number


def chosen_picture(tag):
    """The URL of the file a phone fetches for one <img> or <picture>."""
    source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)"', tag)
    if source is None:
        return re.search(r'<img src="([^"]+)"', tag).group(1)
    candidates = sorted(
        (int(width), url) for url, width in re.findall(r"(\S+) (\d+)w", source.group(1))
    )
    needed = phone_width(source.group(2)) * PHONE_DENSITY
    return next((url for width, url in candidates if width >= needed), candidates[-1][1])


def first_load(html, *, scrolled=False):
    """{what: bytes transferred} for a page's HTML and everything it loads at once (`scrolled`:
    and every lazy picture too)."""
    text = html.decode()
    weights = {"html": gzipped(html)}
    for url in re.findall(r'<link rel="stylesheet" href="([^"]+)"', text):
        weights[url] = gzipped(file_bytes(url))
    for url in re.findall(r'<script src="([^"]+)"', text):
        weights[url] = gzipped(file_bytes(url))
    for url in re.findall(r'<link rel="icon" type="image/png" href="([^"]+)"', text):
        weights[url] = len(file_bytes(url))
    pictures = re.findall(r"<picture>.*?</picture>|<img [^>]+>", text)
    for tag in pictures:
        if 'loading="lazy"' in tag and not scrolled:
            continue
        url = chosen_picture(tag)
        weights[url] = len(file_bytes(url))
    return weights


def test_programme_at_sixty_sessions_is_at_most_40_kb_of_html_after_gzip(client, demo):
    response = client.get("/programma/")

    assert response.context["session_count"] == 73  # 60 afternoon sessions and the rest
    assert gzipped(response.content) <= 40 * KB


def test_the_site_has_one_stylesheet_and_one_small_script(client, demo):
    content = client.get("/").content.decode()

    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', content)
    scripts = re.findall(r'<script src="([^"]+)"', content)
    assert (stylesheets, scripts) == (["/static/css/site.css"], ["/static/js/site.js"])
    assert gzipped(file_bytes(scripts[0])) <= 2 * KB


def test_no_page_needs_more_than_100_kb_on_first_load(client, demo):
    sitemap = client.get("/sitemap.xml").content.decode()
    urls = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]

    heaviest = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        heaviest[url] = sum(first_load(response.content).values())

    assert len(urls) > 100
    assert {url: kb for url, kb in heaviest.items() if kb > 100 * KB} == {}


def test_a_venue_page_counts_its_pictures(client, demo):
    weights = first_load(client.get("/locaties/martiniplaza/").content, scrolled=True)

    pictures = [url for url in weights if url.endswith(".webp")]
    assert len(pictures) >= 1
    assert all(re.search(r"-800w\.webp$", url) for url in pictures)


def test_the_speakers_page_loads_three_portraits_at_once_and_the_rest_as_needed(client, demo):
    content = client.get("/sprekers/").content

    at_once = [url for url in first_load(content) if url.endswith(".webp")]
    scrolled = [url for url in first_load(content, scrolled=True) if url.endswith(".webp")]

    assert (len(at_once), len(scrolled)) == (3, 41)
    assert all(url.endswith("-200w.webp") for url in scrolled)
