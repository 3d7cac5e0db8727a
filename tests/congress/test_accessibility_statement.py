"""The accessibility statement of the demo congress, in the form Dutch public bodies use."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(client):
    call_command("load_demo", verbosity=0)
    response = client.get("/toegankelijkheidsverklaring/")
    assert response.status_code == 200
    return response.content.decode()


def test_statement_has_the_sections_of_a_dutch_accessibility_statement(statement):
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", statement)

    assert headings == [
        "Status",
        "Wat is getest en hoe?",
        "Wat is nog niet gedaan?",
        "Bekende beperkingen",
        "Contact",
        "Klachten",
    ]


def test_statement_says_what_the_browser_tests_check_and_what_is_not_done_yet(statement):
    text = re.sub(r"\s+", " ", statement)

    assert "axe-core (versie 4.12)" in text
    assert "320 pixels breed" in text
    assert "200 procent zoom" in text
    assert "375 bij 812 pixels" in text
    assert "1280 bij 800 pixels" in text
    assert "handmatige audit door een deskundige" in text
    assert "met schermlezers" in text
