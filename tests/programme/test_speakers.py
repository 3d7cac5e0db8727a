import pytest
from django.urls import reverse

from congress.models import PublicationStatus
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    EditorFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db
SECOND_DAY = FIRST_DAY.replace(day=14)


def speaker_url(slug):
    return reverse("speakers:detail", kwargs={"slug": slug})


def names(response):
    return [speaker.name for speaker in response.context["speakers"]]


def listed_titles(speaker):
    return [session.title for session in speaker.listed_sessions]


def test_speaker_list_is_sorted_by_sort_name(client, congress):
    for name, sort_name in [
        ("Jan van Zanen", "Zanen, Jan van"),
        ("Sharon Dijksma", "Dijksma, Sharon"),
        ("Mark Boumans", "Boumans, Mark"),
    ]:
        SessionSpeakerFactory(speaker=SpeakerFactory(name=name, sort_name=sort_name))

    response = client.get(reverse("speakers:list"))

    assert names(response) == ["Mark Boumans", "Sharon Dijksma", "Jan van Zanen"]
    assert "3 sprekers op het congres, op achternaam." in response.content.decode()


def test_speaker_list_hides_speakers_who_only_appear_in_drafts(client, congress):
    SessionSpeakerFactory(speaker=SpeakerFactory(name="Op het programma"))
    SessionSpeakerFactory(
        speaker=SpeakerFactory(name="Nog geheim"),
        session=SessionFactory(status=PublicationStatus.DRAFT),
    )
    SpeakerFactory(name="Zonder sessie")

    response = client.get(reverse("speakers:list"))

    assert names(response) == ["Op het programma"]
    assert "Nog geheim" not in response.content.decode()


def test_speaker_list_shows_only_speakers_of_the_current_congress(client, congress):
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    SessionSpeakerFactory(session=SessionFactory(congress=last_year), speaker__name="Vorig jaar")
    SessionSpeakerFactory(speaker=SpeakerFactory(name="Dit jaar"))

    response = client.get(reverse("speakers:list"))

    assert names(response) == ["Dit jaar"]


def test_speaker_list_shows_role_organisation_and_published_sessions(client, congress):
    speaker = SpeakerFactory(
        slug="sharon-dijksma",
        name="Sharon Dijksma",
        role="burgemeester",
        organisation="Gemeente Utrecht",
    )
    SessionSpeakerFactory(
        speaker=speaker, session=SessionFactory(title="ALV", start=at(SECOND_DAY, "11:30"))
    )
    SessionSpeakerFactory(
        speaker=speaker, session=SessionFactory(title="Opening", start=at(FIRST_DAY, "09:30"))
    )
    SessionSpeakerFactory(
        speaker=speaker, session=SessionFactory(title="Concept", status=PublicationStatus.DRAFT)
    )

    response = client.get(reverse("speakers:list"))

    content = response.content.decode()
    assert [listed_titles(s) for s in response.context["speakers"]] == [["Opening", "ALV"]]
    assert '<a href="/sprekers/sharon-dijksma/">Sharon Dijksma</a>' in content
    assert '<p class="card__meta">burgemeester, Gemeente Utrecht</p>' in content
    assert "<li>di 13 juni 09:30 · Opening</li>" in content
    assert "<li>wo 14 juni 11:30 · ALV</li>" in content
    assert "Concept" not in content


def test_speaker_list_says_so_when_there_are_no_speakers_yet(client, congress):
    response = client.get(reverse("speakers:list"))

    assert names(response) == []
    assert "Er zijn nog geen sprekers bekendgemaakt." in response.content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_speaker_list_query_count_does_not_grow_with_the_speakers(
    client, congress, django_assert_num_queries, size
):
    for _ in range(size):
        speaker = SpeakerFactory()
        SessionSpeakerFactory(speaker=speaker)
        SessionSpeakerFactory(speaker=speaker)

    # congress, the number of speakers (for the pages), speakers, their sessions with venues,
    # menu pages
    with django_assert_num_queries(5):
        response = client.get(reverse("speakers:list"))

    assert [len(s.listed_sessions) for s in response.context["speakers"]] == [2] * size


def test_speaker_page_shows_name_role_and_bio(client, congress):
    speaker = SpeakerFactory(
        slug="jan-van-zanen",
        name="Jan van Zanen",
        role="voorzitter",
        organisation="VNG",
        bio="Burgemeester van Den Haag.\n\nSinds 2021 voorzitter van de VNG.",
    )
    SessionSpeakerFactory(speaker=speaker)

    response = client.get(speaker_url("jan-van-zanen"))

    content = response.content.decode()
    assert response.context["speaker"] == speaker
    assert '<h1 id="speaker-name">Jan van Zanen</h1>' in content
    assert '<p class="lead">voorzitter, VNG</p>' in content
    assert "<p>Burgemeester van Den Haag.</p>\n<p>Sinds 2021 voorzitter van de VNG.</p>" in content


def test_speaker_page_lists_only_published_sessions_for_visitors(client, congress):
    speaker = SpeakerFactory(slug="spreker")
    SessionSpeakerFactory(
        speaker=speaker, session=SessionFactory(title="Middag", start=at(FIRST_DAY, "13:30"))
    )
    SessionSpeakerFactory(
        speaker=speaker, session=SessionFactory(title="Ochtend", start=at(FIRST_DAY, "09:30"))
    )
    SessionSpeakerFactory(
        speaker=speaker,
        session=SessionFactory(title="Nog geheim", status=PublicationStatus.DRAFT),
    )

    response = client.get(speaker_url("spreker"))

    assert listed_titles(response.context["speaker"]) == ["Ochtend", "Middag"]
    assert "Nog geheim" not in response.content.decode()


def test_speaker_page_links_each_session(client, congress):
    SessionSpeakerFactory(
        speaker=SpeakerFactory(slug="spreker"),
        session=SessionFactory(slug="wandeling", title="Wandeling door Beijum"),
    )

    response = client.get(speaker_url("spreker"))

    assert '<a href="/programma/wandeling/">Wandeling door Beijum</a>' in response.content.decode()


def test_speaker_with_only_draft_sessions_is_404_for_visitors(client, congress):
    SessionSpeakerFactory(
        speaker=SpeakerFactory(slug="geheim"),
        session=SessionFactory(status=PublicationStatus.DRAFT),
    )

    anonymous = client.get(speaker_url("geheim"))
    client.force_login(UserFactory())
    signed_in = client.get(speaker_url("geheim"))

    assert (anonymous.status_code, signed_in.status_code) == (404, 404)


def test_speaker_with_only_draft_sessions_is_visible_to_staff(client, congress):
    SessionSpeakerFactory(
        speaker=SpeakerFactory(slug="geheim", name="Nog Geheim"),
        session=SessionFactory(title="Concept-sessie", status=PublicationStatus.DRAFT),
    )
    client.force_login(EditorFactory())

    response = client.get(speaker_url("geheim"))

    content = response.content.decode()
    assert listed_titles(response.context["speaker"]) == ["Concept-sessie"]
    assert '<h1 id="speaker-name">Nog Geheim</h1>' in content
    assert '<span class="badge badge--draft">Concept</span>' in content


def test_unknown_speaker_is_404(client, congress):
    response = client.get(speaker_url("bestaat-niet"))

    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in response.content.decode()


def test_speaker_of_another_congress_is_404(client, congress):
    last_year = CongressFactory(slug="vng-jaarcongres-2022", year=2022, is_current=False)
    SessionSpeakerFactory(session=SessionFactory(congress=last_year), speaker__slug="vorig-jaar")

    response = client.get(speaker_url("vorig-jaar"))

    assert response.status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_speaker_page_query_count_does_not_grow_with_the_sessions(
    client, congress, django_assert_num_queries, size
):
    speaker = SpeakerFactory(slug="druk")
    for _ in range(size):
        link = SessionSpeakerFactory(speaker=speaker)
        SessionSpeakerFactory(session=link.session)

    # congress, speaker, sessions with venue and room, their themes, their speakers, menu pages
    with django_assert_num_queries(6):
        response = client.get(speaker_url("druk"))

    assert len(response.context["speaker"].listed_sessions) == size
