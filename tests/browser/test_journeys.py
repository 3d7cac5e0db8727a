"""Four journeys through the site, each on a phone (375x812) and a desktop (1280x800).

Each asserts what the person sees on the screen, and saves screenshots of the pages it passes
for reviewers (test-artifacts/screenshots/).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from congress.models import Congress, PublicationStatus
from programme.models import Session, SessionKind
from tests.factories import EditorFactory
from venues.models import Venue

from .helpers import PASSWORD, axe_violations, current_totp_code, link_in_mail, log_in, screenshot

pytestmark = pytest.mark.browser


def main_menu(page):
    return page.get_by_role("navigation", name="Hoofdmenu")


def account_menu(page):
    return page.get_by_role("navigation", name="Account")


def card(page, session):
    return page.locator(f"article#{session.slug}")


def card_titles(page):
    return page.locator(".session-card__title").all_inner_texts()


def name(label, session):
    """A button's accessible name: its visible label, then the session's title for context."""
    return re.compile(rf"^{re.escape(label)} ?: {re.escape(session.title)}$")


def filter_values(page):
    return [
        page.get_by_label(label, exact=True).input_value()
        for label in ("Soort", "Thema", "Locatie")
    ]


def test_find_an_afternoon_session_by_theme_and_place_and_go_back_with_the_filters_kept(
    demo, new_context, viewport
):
    venue = Venue.objects.get(slug="dorpshuis-grootegast")
    expected = Session.objects.filter(
        kind=SessionKind.AFTERNOON,
        themes__slug="generaties-verbinden",
        venue=venue,
        status=PublicationStatus.PUBLISHED,
    ).order_by("start", "title")
    assert len(expected) == 2  # the demo data this journey relies on
    chosen = expected[0]
    page = new_context(viewport=viewport).new_page()
    page.goto("/")
    screenshot(page, "home")

    main_menu(page).get_by_role("link", name="Programma").click()
    screenshot(page, "programma", full_page=False)
    page.get_by_label("Soort", exact=True).select_option(label="Middagsessie")
    page.get_by_label("Thema", exact=True).select_option(label="Generaties verbinden")
    page.get_by_label("Locatie", exact=True).select_option(label=venue.name)
    page.get_by_role("button", name="Toon sessies").click()

    expect(page.get_by_role("status").filter(has_text="gevonden")).to_have_text(
        "2 sessies gevonden"
    )
    assert card_titles(page) == [session.title for session in expected]
    screenshot(page, "programma-gefilterd")

    card(page, chosen).get_by_role("link", name=chosen.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(chosen.title)
    expect(page.locator(".facts")).to_contain_text(venue.name)
    expect(page.locator(".facts")).to_contain_text("13:30")
    screenshot(page, "sessie")

    page.go_back()
    assert filter_values(page) == ["middagsessie", "generaties-verbinden", venue.slug]
    assert card_titles(page) == [session.title for session in expected]

    card(page, chosen).get_by_role("link", name=chosen.title).click()
    page.get_by_role("link", name="Terug naar het gefilterde programma").click()
    assert filter_values(page) == ["middagsessie", "generaties-verbinden", venue.slug]
    assert card_titles(page) == [session.title for session in expected]
    expect(card(page, chosen)).to_be_in_viewport()


def test_look_up_martiniplaza_address_route_and_rooms(demo, new_context, viewport):
    venue = Venue.objects.get(slug="martiniplaza")
    rooms = list(venue.rooms.order_by("order", "name").values_list("name", flat=True))
    page = new_context(viewport=viewport).new_page()
    page.goto("/")

    main_menu(page).get_by_role("link", name="Locaties").click()
    screenshot(page, "locaties")
    page.get_by_role("main").get_by_role("link", name="Martiniplaza", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Martiniplaza")
    expect(page.locator("address")).to_contain_text("Leonard Springerlaan 2")
    expect(page.locator("address")).to_contain_text("9727 KB Groningen")
    route = page.get_by_role("region", name="Route")
    expect(route.get_by_role("heading", level=3)).to_have_text(
        ["Met het openbaar vervoer", "Met de auto", "Parkeren"]
    )
    expect(route).to_contain_text("station Groningen")
    table = page.get_by_role("table", name="Zalen van Martiniplaza")
    expect(table.locator("tbody th")).to_have_text(rooms)
    screenshot(page, "locatie-martiniplaza")


def test_sign_up_verify_email_build_my_programme_sign_up_for_a_session_and_cancel(
    demo, new_context, viewport
):
    plenary = list(Session.objects.filter(kind=SessionKind.PLENARY).order_by("start", "title")[:3])
    afternoon = Session.objects.get(slug="grensregio-duitsland-werken-wonen-zorg")
    email = "anna.devries@gemeente.example"
    page = new_context(viewport=viewport).new_page()
    page.goto("/")

    # Make an account.
    account_menu(page).get_by_role("link", name="Inloggen").click()
    page.get_by_role("main").get_by_role("link", name="registreer").click()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Voornaam").fill("Anna")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("Gemeente").select_option("Groningen")
    page.get_by_label("Functie").select_option(label="Wethouder")
    page.get_by_label("Wachtwoord:").fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen)").fill(PASSWORD)
    screenshot(page, "registreren")
    page.get_by_role("button", name="Registreren").click()

    # Verify the address with the link from the email.
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("e-mailadres", re.I))
    assert [message.to for message in mail.outbox] == [[email]]
    assert axe_violations(page) == []  # these two pages are reached only on this journey
    page.goto(link_in_mail(mail.outbox, "/account/confirm-email/"))
    expect(page.get_by_role("main")).to_contain_text(email)
    assert axe_violations(page) == []
    page.get_by_role("main").get_by_role("button", name="Bevestigen").click()
    expect(account_menu(page).get_by_role("link", name="Mijn programma")).to_be_visible()

    # Add two plenary sessions to my programme: the buttons change in place, no reload.
    page.goto("/programma/?soort=plenair")
    page.evaluate("window.stillTheSamePage = true")
    for session in plenary[:2]:
        button = card(page, session).locator(".my-programme-form button")
        expect(button).to_have_accessible_name(name("Zet in mijn programma", session))
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(button).to_have_accessible_name(name("In mijn programma", session))
    expect(page.locator("[role=status][aria-live=polite]")).to_have_text(
        f"‘{plenary[1].title}’ staat in uw programma."
    )
    assert page.evaluate("window.stillTheSamePage") is True

    # Sign up for an afternoon session.
    page.goto(afternoon.get_absolute_url())
    page.get_by_role("region", name="Aanmelden").get_by_role("button", name="Aanmelden").click()
    expect(page.locator(".signup-panel__status")).to_have_text(
        "U bent aangemeld: uw plaats is bevestigd."
    )

    # See it in my programme.
    account_menu(page).get_by_role("link", name="Mijn programma").click()
    expect(page.locator(".result-count")).to_have_text("3 sessies in uw programma")
    assert card_titles(page) == [plenary[0].title, plenary[1].title, afternoon.title]
    expect(card(page, afternoon).locator(".badge--mine")).to_have_text("U bent aangemeld")
    screenshot(page, "mijn-programma")

    # Cancel: the place is given up, the session stays in my programme as a choice.
    card(page, afternoon).get_by_role("link", name=afternoon.title).click()
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("status").filter(has_text="afgemeld")).to_have_text(
        f"U bent afgemeld voor ‘{afternoon.title}’."
    )
    expect(
        page.get_by_role("region", name="Aanmelden").get_by_role("button", name="Aanmelden")
    ).to_be_visible()
    account_menu(page).get_by_role("link", name="Mijn programma").click()
    expect(card(page, afternoon).locator(".badge--mine")).to_have_text("In mijn programma")

    # Without JavaScript the same button is a plain form: the page reloads with the new state.
    plain = new_context(viewport=viewport, java_script_enabled=False).new_page()
    log_in(plain, email)
    plain.goto("/programma/?soort=plenair")
    card(plain, plenary[2]).get_by_role("button", name="Zet in mijn programma").click()
    expect(plain.get_by_role("status").filter(has_text="staat in uw programma")).to_have_text(
        f"‘{plenary[2].title}’ staat in uw programma."
    )
    expect(
        card(plain, plenary[2]).get_by_role("button", name="In mijn programma")
    ).to_have_attribute("aria-pressed", "true")
    assert plain.url.endswith(f"/programma/?soort=plenair#{plenary[2].slug}")


def select2(page, field_id, text):
    """Choose in one of the admin's autocomplete fields (select2), as a person does."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").last.fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_an_editor_adds_a_session_publishes_it_and_finds_it_in_the_programme(
    demo, new_context, viewport
):
    editor = EditorFactory()
    day = Congress.objects.get().end_date
    title = "Werksessie digitale toegankelijkheid"
    page = new_context(viewport=viewport).new_page()

    # Log in with a password and the code from the authenticator app.
    log_in(page, editor.email)
    page.get_by_label("Code").fill(current_totp_code(editor))
    page.get_by_role("button", name=re.compile("Inloggen|Aanmelden")).click()
    expect(account_menu(page).get_by_role("link", name="Beheer")).to_be_visible()

    # Add the session as a draft.
    account_menu(page).get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Sessies", exact=True).first.click()
    page.get_by_role("link", name=re.compile("sessie toevoegen", re.I)).click()
    select2(page, "id_congress", "VNG Jaarcongres 2023")
    page.get_by_label("Titel:").fill(title)
    page.locator("#id_start_0").fill(day.strftime("%d-%m-%Y"))
    page.locator("#id_start_1").fill("15:00")
    page.locator("#id_end_0").fill(day.strftime("%d-%m-%Y"))
    page.locator("#id_end_1").fill("16:00")
    select2(page, "id_venue", "Martiniplaza")
    page.get_by_label("Samenvatting:").fill(
        "Hoe maakt uw gemeente haar website voor iedereen bruikbaar?"
    )
    page.get_by_role("button", name="Opslaan", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text(title)
    screenshot(page, "beheer-sessies")

    # Publish it from the list.
    page.get_by_role("row", name=re.compile(title)).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    expect(page.get_by_role("row", name=re.compile(title))).to_contain_text("Gepubliceerd")

    # Find it in the programme.
    page.goto("/programma/")
    page.get_by_label("Zoeken", exact=True).fill("toegankelijkheid")
    page.get_by_role("button", name="Toon sessies").click()
    assert card_titles(page) == [title]
    expect(page.locator("article.session-card")).to_contain_text("Martiniplaza")
    expect(page.locator("article.session-card")).to_contain_text("15:00")
