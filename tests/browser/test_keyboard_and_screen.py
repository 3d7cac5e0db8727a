"""Keyboard and screen: skip link, visible focus, tab order, reflow, zoom, motion, structure.

The axe-core, heading, landmark and 320 px checks of every page are in test_every_page.py.
"""

import re

import pytest
from django.utils.formats import date_format
from playwright.sync_api import expect

from congress.models import Congress
from programme.models import Session, SessionKind
from tests.factories import UserFactory

from .conftest import DESKTOP, PHONE
from .helpers import horizontal_overflow, log_in, screenshot

pytestmark = pytest.mark.browser

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) { return null; }
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
    const text = el.cloneNode(true);
    text.querySelectorAll('[aria-hidden=true]').forEach(hidden => hidden.remove());
    const focused = {
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
            ? style.outlineStyle + style.outlineWidth + style.outlineColor : 'none',
        shadow: style.boxShadow,
    };
    // The same element without focus: the indicator is what focus changes. Focus goes back
    // to it, so the next Tab continues from here.
    el.blur();
    const plain = getComputedStyle(el);
    const unfocused = {
        outline: plain.outlineStyle !== 'none' && parseFloat(plain.outlineWidth) > 0
            ? plain.outlineStyle + plain.outlineWidth + plain.outlineColor : 'none',
        shadow: plain.boxShadow,
    };
    el.focus({preventScroll: true});
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        name: (el.getAttribute('aria-label') || label || text.textContent || el.value || '')
            .replace(/\\s+/g, ' ').trim(),
        indicator: (focused.outline !== 'none' && focused.outline !== unfocused.outline)
            || (focused.shadow !== 'none' && focused.shadow !== unfocused.shadow),
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < innerHeight && box.left < innerWidth,
    };
}"""


def tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def tab_stops(page, limit=400):
    """Every element Tab reaches from the top of the page, in order, until it wraps around."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    stops = []
    for _ in range(limit):
        focused = tab(page)
        if focused is None or (stops and focused == stops[0]):
            break
        stops.append(focused)
    return stops


def test_skip_link_is_the_first_tab_stop_shows_itself_and_jumps_to_the_content(demo, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/programma/")

    first = tab(page)
    assert (first["name"], first["visible"], first["indicator"]) == ("Naar de inhoud", True, True)
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "inhoud"
    assert tab(page)["name"] == "Dag"


def test_focus_is_visible_on_every_tab_stop(demo, new_context):
    page = new_context(viewport=PHONE).new_page()
    stops = {}
    for path in ["/", "/programma/?soort=plenair", "/locaties/martiniplaza/", "/account/signup/"]:
        page.goto(path)
        stops[path] = tab_stops(page)

    assert all(len(found) > 10 for found in stops.values())
    unmarked = {
        path: [stop for stop in found if not stop["indicator"]] for path, found in stops.items()
    }
    off_screen = {
        path: [stop for stop in found if not stop["visible"]] for path, found in stops.items()
    }
    assert unmarked == dict.fromkeys(stops, [])
    assert off_screen == dict.fromkeys(stops, [])


def test_keyboard_only_filter_the_programme_open_a_session_and_sign_up(demo, new_context):
    user = UserFactory()
    session = Session.objects.get(slug="grensregio-duitsland-werken-wonen-zorg")
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, user.email)
    page.goto("/programma/")

    # The filters, in the order they are shown, right after the skip link's target.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    names = [tab(page)["name"] for _ in range(7)]
    assert names == [
        "Dag",
        "Soort",
        "Thema",
        "Locatie",
        "Alleen sessies met nog plaats",
        "Zoeken",
        "Toon sessies",
    ]

    # Type to search, submit with Enter, then Tab to the first result and open it.
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("Grensregio")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Grensregio"))
    expect(page.locator(".result-count")).to_have_text("1 sessie gevonden")
    stops = []
    while not stops or stops[-1]["name"] != session.title:
        stops.append(tab(page))
        assert len(stops) < 40
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(session.title)

    # On the session page: sign up with the keyboard.
    stops = []
    while not stops or not stops[-1]["name"].startswith("Aanmelden"):
        stops.append(tab(page))
        assert len(stops) < 40
    order = [stop["name"] for stop in stops]
    assert order.index("Terug naar het gefilterde programma") < order.index(
        "Zet in agenda (iCal-bestand)"
    )
    page.keyboard.press("Enter")

    expect(page.locator(".signup-panel__status")).to_have_text(
        "U bent aangemeld: uw plaats is bevestigd."
    )


def test_pages_fit_320_px_when_logged_in_and_on_account_pages(demo, new_context):
    user = UserFactory()
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    wide = {}
    for path in ["/account/login/", "/account/signup/", "/account/password/reset/", "/nergens/"]:
        page.goto(path)
        wide[path] = horizontal_overflow(page)
    log_in(page, user.email)
    for path in ["/mijn-programma/", "/account/profiel/", "/account/email/", "/account/2fa/"]:
        page.goto(path)
        wide[path] = horizontal_overflow(page)

    assert wide == dict.fromkeys(wide, 0)


CLIPPED = """() => {
    const clipped = [...document.querySelectorAll('body *')].filter(el => {
        if (el.closest('.visually-hidden, .skip-link, .table-wrap, select')) { return false; }
        const style = getComputedStyle(el);
        const clips = [style.overflowX, style.overflowY].some(o => o === 'hidden' || o === 'clip');
        return clips
            && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    }).map(el => el.tagName.toLowerCase() + '.' + el.className);
    // A closed select shows its chosen option cut off when the box is too narrow for it.
    const canvas = document.createElement('canvas').getContext('2d');
    const cut = [...document.querySelectorAll('select')].filter(select => {
        const style = getComputedStyle(select);
        canvas.font = style.font;
        const text = select.options[select.selectedIndex].text;
        const room = select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight) - 16;  // the arrow
        return canvas.measureText(text).width > room;
    }).map(select => 'select#' + select.id);
    return clipped.concat(cut);
}"""

ZOOM_PAGES = ["/", "/programma/?soort=plenair&locatie=martiniplaza", "/locaties/martiniplaza/"]


def zoom_text(page, percent):
    """Text-only zoom, as the browser's font size setting does (media queries in em follow)."""
    cdp = page.context.new_cdp_session(page)
    sizes = {"standard": 16 * percent // 100, "fixed": 13 * percent // 100}
    cdp.send("Page.setFontSizes", {"fontSizes": sizes})
    return cdp  # the setting lasts as long as this session


@pytest.mark.parametrize("zoom", ["page", "text"])
def test_text_stays_readable_at_200_percent_zoom(demo, new_context, zoom):
    if zoom == "page":
        # Browser zoom to 200% of a 1280x800 window: a 640x400 CSS-pixel layout at twice the scale.
        page = new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2).new_page()
    else:
        page = new_context(viewport=DESKTOP).new_page()
        cdp = zoom_text(page, 200)
    session = Session.objects.filter(kind=SessionKind.AFTERNOON).order_by("slug").first()
    problems = {}
    for path in [*ZOOM_PAGES, session.get_absolute_url(), "/account/signup/"]:
        page.goto(path)
        if zoom == "text":
            assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
        overflow = horizontal_overflow(page)
        clipped = page.evaluate(CLIPPED)
        if overflow or clipped:
            problems[path] = (overflow, clipped)
        if path == ZOOM_PAGES[1]:
            screenshot(page, f"zoom-200-{'tekst' if zoom == 'text' else 'pagina'}", full_page=False)

    assert problems == {}
    if zoom == "text":
        cdp.detach()


def test_reduced_motion_is_honoured(demo, new_context):
    page = new_context(viewport=PHONE, reduced_motion="reduce").new_page()
    moving = {}
    for path in ["/", "/programma/"]:
        page.goto(path)
        page.keyboard.press("Tab")  # the skip link slides into view: its focus state counts too
        assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
        moving[path] = page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap(el => [null, '::before', '::after']
                .map(pseudo => [el, getComputedStyle(el, pseudo)]))
                .filter(([el, style]) =>
                    style.animationName !== 'none'
                    || style.transitionDuration.split(',').some(d => parseFloat(d) > 0)
                    || style.scrollBehavior === 'smooth')
                .map(([el]) => el.tagName.toLowerCase() + '.' + el.className)"""
        )

    assert moving == {"/": [], "/programma/": []}


def test_programme_days_are_headings_and_each_session_repeats_its_time(demo, new_context):
    congress = Congress.objects.get()
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/programma/")

    days = page.locator(".programme-day > h2").all_inner_texts()
    times = page.locator("article.session-card").evaluate_all(
        "cards => cards.map(card => card.querySelector('.session-card__time').textContent)"
    )

    assert days == [date_format(day, "l j F Y") for day in congress.days]
    assert all(re.search(r"\d\d:\d\d–\d\d:\d\d", text) for text in times)
    assert len(times) == Session.objects.count()
