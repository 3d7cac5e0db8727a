"""The suite runs on SQLite (the default) and, in CI, again on PostgreSQL (production's engine)."""

import pytest
from django.db import IntegrityError, connection, transaction

from programme.models import Session
from tests.factories import SessionFactory


@pytest.mark.postgres
def test_second_ci_run_really_uses_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_enforces_the_session_time_constraint():
    session = SessionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(end=session.start)


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_on_postgresql_ignores_case_of_non_ascii_letters(client, congress):
    SessionFactory(title="Één gemeente, één loket")

    response = client.get("/programma/", {"q": "ÉÉN"})

    assert response.context["session_count"] == 1
