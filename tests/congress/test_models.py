from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from congress.models import Congress, Page
from tests.factories import CongressFactory, PageFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_congress_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CongressFactory(start_date=date(2023, 6, 14), end_date=date(2023, 6, 13))


def test_congress_clean_explains_a_reversed_date_range_in_dutch():
    congress = CongressFactory.build(start_date=date(2023, 6, 14), end_date=date(2023, 6, 13))

    with pytest.raises(ValidationError) as error:
        congress.full_clean()

    assert error.value.message_dict["end_date"] == ["De laatste dag ligt niet voor de eerste dag."]


def test_only_one_congress_can_be_current():
    CongressFactory(is_current=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        CongressFactory(slug="vng-jaarcongres-2024", year=2024, is_current=True)


def test_current_returns_the_current_edition():
    CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    current = CongressFactory(is_current=True)

    assert Congress.objects.current() == current


def test_congress_days_lists_each_day():
    congress = CongressFactory.build(start_date=date(2023, 6, 13), end_date=date(2023, 6, 14))

    assert congress.days == [date(2023, 6, 13), date(2023, 6, 14)]


def test_theme_slug_is_unique_per_congress_only():
    ThemeFactory(slug="generaties")
    other = CongressFactory(slug="vng-jaarcongres-2024", year=2024, is_current=False)
    ThemeFactory(congress=other, slug="generaties")

    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeFactory(slug="generaties")


def test_page_slug_is_unique_per_congress():
    PageFactory(slug="privacy")

    with pytest.raises(IntegrityError), transaction.atomic():
        PageFactory(slug="privacy")


def test_page_cannot_take_a_path_the_site_uses_itself():
    with pytest.raises(IntegrityError), transaction.atomic():
        PageFactory(slug="programma")


def test_page_clean_explains_a_reserved_slug_in_dutch():
    page = PageFactory.build(slug="locaties", congress=CongressFactory())

    with pytest.raises(ValidationError) as error:
        page.full_clean()

    assert "al in gebruik door de website" in error.value.message_dict["slug"][0]


def test_str_and_urls_of_congress_content():
    page = PageFactory(title="Privacy", slug="privacy")

    assert (str(page), page.get_absolute_url()) == ("Privacy", "/privacy/")
    assert Page._meta.verbose_name == "informatiepagina"
