"""A printed programme: only the content, a page per day, and each session's web address."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from programme.models import SessionKind
from tests.factories import (
    FIRST_DAY,
    FavouriteFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
    VenueFactory,
    at,
)

STYLESHEET = settings.BASE_DIR / "static" / "css" / "site.css"


def css_rules(text, media=""):
    """Every style rule as (media, selectors, declarations); media is "" outside @media blocks."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = []
    position = 0
    while (opening := text.find("{", position)) != -1:
        depth, end = 1, opening + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        prelude, body = text[position:opening].strip(), text[opening + 1 : end - 1]
        if prelude.startswith("@media"):
            rules += css_rules(body, media=prelude.removeprefix("@media").strip())
        else:
            declarations = {}
            for declaration in body.split(";"):
                name, _, value = declaration.partition(":")
                if name.strip():
                    declarations[name.strip()] = value.strip()
            selectors = [selector.strip() for selector in prelude.split(",")]
            rules.append((media, selectors, declarations))
        position = end
    return rules


def declared(media, selector, prop):
    """The value a selector gets for a property in one media block (the last rule wins)."""
    values = [
        declarations[prop]
        for rule_media, selectors, declarations in css_rules(STYLESHEET.read_text())
        if rule_media == media and selector in selectors and prop in declarations
    ]
    return values[-1] if values else None


def print_urls(response):
    return re.findall(
        r'<p class="print-only session-card__url">([^<]*)</p>', response.content.decode()
    )


# The stylesheet


@pytest.mark.parametrize(
    "selector",
    [".site-header", ".site-footer", ".filters", ".my-programme-form", ".calendar-feed"],
)
def test_print_leaves_out_navigation_filters_and_my_programme_buttons(selector):
    on_screen, on_paper = declared("", selector, "display"), declared("print", selector, "display")

    assert (on_screen != "none", on_paper) == (True, "none")


def test_print_starts_every_programme_day_but_the_first_on_a_new_page():
    assert (
        declared("print", ".programme-day", "break-before"),
        declared("print", ".programme-day:first-of-type", "break-before"),
    ) == ("page", "auto")


def test_print_keeps_a_session_card_on_one_page():
    assert declared("print", ".session-card", "break-inside") == "avoid"


def test_print_only_text_is_hidden_on_screen_and_shown_on_paper():
    assert (
        declared("", ".print-only", "display"),
        declared("print", ".print-only", "display"),
    ) == (
        "none",
        "block",
    )


# The address on each session card


@pytest.mark.django_db
def test_programme_cards_carry_their_absolute_address_for_print(client, congress):
    SessionFactory(slug="opening", start=at(FIRST_DAY, "10:00"))
    SessionFactory(slug="wandeling", start=at(FIRST_DAY, "13:30"))

    response = client.get(reverse("programme:list"))

    assert print_urls(response) == [
        "http://testserver/programma/opening/",
        "http://testserver/programma/wandeling/",
    ]


@pytest.mark.django_db
def test_printed_address_leaves_out_the_programme_filters(client, congress):
    SessionFactory(slug="wandeling", kind=SessionKind.AFTERNOON)

    response = client.get(reverse("programme:list"), {"soort": "middagsessie"})

    content = response.content.decode()
    assert '<a href="/programma/wandeling/?soort=middagsessie">' in content
    assert print_urls(response) == ["http://testserver/programma/wandeling/"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/livestream/", "/locaties/martiniplaza/", "/sprekers/anton/", "/mijn-programma/"]
)
def test_every_list_of_session_cards_carries_the_printed_address(client, congress, path):
    session = SessionFactory(
        slug="jaarrede",
        kind=SessionKind.PLENARY,
        livestream=True,
        venue=VenueFactory(slug="martiniplaza"),
    )
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug="anton"))
    user = UserFactory()
    FavouriteFactory(session=session, user=user)
    client.force_login(user)

    response = client.get(path)

    assert print_urls(response) == ["http://testserver/programma/jaarrede/"]
