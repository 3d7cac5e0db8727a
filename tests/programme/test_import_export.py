"""Import and export of sessions, speakers and locations as CSV and Excel in /beheer/."""

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.importing import DutchCSV
from programme.models import Session, SessionChange, SessionSpeaker, SessionStatus, Speaker
from programme.resources import SessionResource
from tests.factories import (
    FIRST_DAY,
    CongressFactory,
    EditorFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    ThemeFactory,
    UserFactory,
    VenueFactory,
    at,
)
from venues.models import Room, Venue

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs"
CSV, XLSX = "0", "1"  # the index of each format in the import and export forms
SESSION_HEADER = (
    "Slug;Titel;Soort;Status;Begin;Einde;Locatie;Zaal;Thema's;Sprekers;Samenvatting;"
    "Beschrijving;Organiserende partij;Aantal plaatsen;Livestream"
)


def url(model, action):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}")


def csv_upload(*lines, name="bestand.csv"):
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"))


def preview(client, model, upload, file_format=CSV):
    """Upload a file to the admin's import page: the dry run with its preview."""
    return client.post(url(model, "import"), {"format": file_format, "import_file": upload})


def confirm(client, model, preview_response):
    """Confirm the import the preview offered, as the 'Import bevestigen' button does."""
    return client.post(
        url(model, "process_import"), preview_response.context["confirm_form"].initial
    )


def export(client, model, file_format=CSV):
    return client.post(url(model, "export"), {"format": file_format})


def snapshot():
    """Every stored row that an import could touch, to compare before and after."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in [
            Session,
            Session.themes.through,
            SessionSpeaker,
            SessionChange,
            Speaker,
            Venue,
            Room,
            Session.history.model,
        ]
    }


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory())
    return client


@pytest.fixture
def programme(congress):
    """Two public sessions and a draft with themes, ordered speakers, rooms; awkward texts too."""
    venue = VenueFactory(congress=congress, slug="martiniplaza", name="Martiniplaza")
    zaal_a = RoomFactory(venue=venue, name="Zaal A")
    RoomFactory(venue=venue, name="Zaal B (de grote)")
    theme_1 = ThemeFactory(congress=congress, slug="inwoners-meenemen")
    theme_2 = ThemeFactory(congress=congress, slug="crisis-als-kans")
    opening = SessionFactory(
        congress=congress,
        slug="opening",
        title='Opening: "Gemeenten zetten een stap naar voren"',
        venue=venue,
        room=zaal_a,
        start=at(FIRST_DAY, "10:00"),
        end=at(FIRST_DAY, "11:15"),
        capacity=None,
        livestream=True,
        description="Eerste alinea; met puntkomma.\n\nTweede alinea, met komma.",
    )
    opening.themes.set([theme_1, theme_2])
    SessionSpeakerFactory(session=opening, speaker__slug="sharon-dijksma", order=2)
    SessionSpeakerFactory(session=opening, speaker__slug="koen-schuiling", order=1, role="gastheer")
    middag = SessionFactory(congress=congress, slug="middag", venue=venue, room=None)
    middag.themes.set([theme_1])
    SessionFactory(congress=congress, slug="concept", status=SessionStatus.DRAFT, venue=None)
    return {"venue": venue, "opening": opening, "middag": middag}


# -- The preview ------------------------------------------------------------------------------


def test_preview_counts_what_will_be_new_changed_and_skipped(editor_client, programme):
    exported = export(editor_client, Session).content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(exported), delimiter=";")
    rows = {row[0]: row for row in rows}
    rows["middag"][1] = "Andere middagsessie"
    new = [
        *("nieuwe-sessie", "Nieuwe sessie", "middagsessie", "concept"),
        *("2023-06-13 13:30", "2023-06-13 16:30", "martiniplaza", "Zaal A", "crisis-als-kans"),
        *("", "", "", "", "25", "nee"),
    ]
    upload = io.StringIO()
    csv.writer(upload, delimiter=";").writerows([header, rows["opening"], rows["middag"], new])
    before = snapshot()

    response = preview(
        editor_client, Session, SimpleUploadedFile("s.csv", upload.getvalue().encode())
    )

    html = response.content.decode()
    assert "Nieuw: 1. Gewijzigd: 1. Ongewijzigd (overgeslagen): 1." in html
    assert response.context["import_summary"] == {"new": 1, "changed": 1, "skipped": 1}
    assert response.context["import_problems"] == []
    assert snapshot() == before  # a preview saves nothing


def test_confirming_the_preview_imports_the_rows_through_session_save(editor_client, programme):
    upload = csv_upload(
        SESSION_HEADER,
        "middag;Middagsessie in Forum;middagsessie;gepubliceerd;2023-06-13 14:00;"
        "2023-06-13 17:00;martiniplaza;Zaal A;inwoners-meenemen;sharon-dijksma;;;;40;nee",
        "nieuw;Nieuw;middagsessie;;2023-06-14 13:30;2023-06-14 15:00;martiniplaza;;"
        'crisis-als-kans;"koen-schuiling;sharon-dijksma";Kort.;;;;ja',
    )
    page = preview(editor_client, Session, upload)

    response = confirm(editor_client, Session, page)

    assert response.status_code == 302
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["Import klaar (sessies): 1 nieuw, 1 gewijzigd, 0 ongewijzigd."]
    middag = Session.objects.get(slug="middag")
    assert (middag.title, middag.room.name, middag.speakers_in_order) == (
        "Middagsessie in Forum",
        "Zaal A",
        [Speaker.objects.get(slug="sharon-dijksma")],
    )
    # The public session's new time and room were recorded as for an edit in the form.
    assert sorted(SessionChange.objects.filter(session=middag).values_list("field", flat=True)) == [
        "tijd",
        "zaal",
    ]
    nieuw = Session.objects.get(slug="nieuw")
    assert (nieuw.status, nieuw.livestream, nieuw.capacity, nieuw.congress) == (
        SessionStatus.DRAFT,
        True,
        None,
        programme["venue"].congress,
    )
    assert [speaker.slug for speaker in nieuw.speakers_in_order] == [
        "koen-schuiling",
        "sharon-dijksma",
    ]
    assert list(nieuw.themes.values_list("slug", flat=True)) == ["crisis-als-kans"]


# -- Errors: every row's problems in Dutch, and nothing saved -----------------------------------


def test_an_error_in_one_row_shows_its_line_and_column_and_imports_no_row(editor_client, programme):
    upload = csv_upload(
        SESSION_HEADER,
        "goed-1;Goed;middagsessie;concept;2023-06-13 13:30;2023-06-13 15:00;martiniplaza;;;;;;;;",
        "fout;Fout;middagsessie;concept;13 juni half twee;2023-06-13 15:00;martiniplaza;;;;;;;;",
        "goed-2;Goed;middagsessie;concept;2023-06-13 13:30;2023-06-13 15:00;martiniplaza;;;;;;;;",
    )
    before = snapshot()

    response = preview(editor_client, Session, upload)

    html = response.content.decode()
    expected = (
        "Regel 3, kolom ‘Begin’: ‘13 juni half twee’ is geen datum en tijd; "
        "schrijf bijvoorbeeld 2023-06-13 13:30."
    )
    assert response.context["import_problems"] == [expected]
    assert expected in html
    assert "Niets geïmporteerd: het bestand bevat fouten" in html
    assert response.context.get("confirm_form") is None
    assert snapshot() == before


def test_every_problem_of_every_row_is_listed_by_line_and_column(editor_client, programme):
    upload = csv_upload(
        SESSION_HEADER,
        "a;A;middagsessie;concept;2023-06-13 13:30;2023-06-13 13:00;martiniplaza;Zaal X;;;;;;;",
        "b;B;workshop;concept;2023-06-13 13:30;2023-06-13 15:00;onbekend;;geen-thema;;;;;-3;"
        "misschien",
    )

    response = preview(editor_client, Session, upload)

    assert response.context["import_problems"] == [
        "Regel 2, kolom ‘Zaal’: Locatie ‘martiniplaza’ heeft geen zaal ‘Zaal X’ "
        "(wel: Zaal A, Zaal B (de grote)).",
        "Regel 2, kolom ‘Einde’: Het einde ligt na het begin.",
        "Regel 3, kolom ‘Soort’: ‘workshop’ is geen geldige keuze; kies uit: plenair, "
        "middagsessie, ontvangst, avondprogramma, alv, pauze.",
        "Regel 3, kolom ‘Locatie’: Er is geen locatie met slug ‘onbekend’ in dit congres.",
        "Regel 3, kolom ‘Livestream’: Vul ‘ja’ of ‘nee’ in, niet ‘misschien’.",
        "Regel 3, kolom ‘Thema's’: Onbekend in dit congres (thema's): geen-thema.",
        "Regel 3, kolom ‘Aantal plaatsen’: Zorg ervoor dat deze waarde minstens 0 is.",
    ]


def test_a_file_with_unknown_columns_is_refused_before_any_row(editor_client, programme):
    upload = csv_upload("slug;title", "opening;Opening")

    response = preview(editor_client, Session, upload)

    [problem] = response.context["import_problems"]
    assert problem.startswith("Bestand: Onbekende kolom(men): ‘slug’, ‘title’. Bekende kolommen:")


def test_a_failing_row_rolls_back_the_rows_before_it_when_importing_for_real(programme):
    congress = programme["venue"].congress
    dataset = DutchCSV(encoding="utf-8").create_dataset(
        "\n".join(
            [
                SESSION_HEADER,
                "goed;Goed;middagsessie;concept;2023-06-13 13:30;2023-06-13 15:00;;;;;;;;;",
                "middag;Weg;middagsessie;gepubliceerd;2023-06-13 13:30;2023-06-13 15:00;;;;;;;;;",
                "fout;Fout;middagsessie;concept;2023-06-13 13:30;2023-06-13 15:00;;;;;;;;nul;",
            ]
        )
    )
    before = snapshot()

    result = SessionResource(congress=congress).import_data(dataset, dry_run=False)

    assert [row.number for row in result.invalid_rows] == [3]
    assert snapshot() == before


def test_confirming_after_the_data_changed_imports_nothing_and_says_why(editor_client, programme):
    upload = csv_upload(
        SESSION_HEADER,
        "nieuw-1;Nieuw;middagsessie;concept;2023-06-13 13:30;2023-06-13 15:00;;;crisis-als-kans;"
        ";;;;;",
        "nieuw-2;Nieuw;middagsessie;concept;2023-06-13 13:30;2023-06-13 15:00;;;;;;;;;",
    )
    page = preview(editor_client, Session, upload)
    programme["opening"].themes.clear()
    programme["venue"].congress.themes.filter(slug="crisis-als-kans").delete()
    before = snapshot()

    response = confirm(editor_client, Session, page)

    assert response["Location"] == url(Session, "import")
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert message == (
        "Er is niets geïmporteerd: Regel 2, kolom ‘Thema's’: "
        "Onbekend in dit congres (thema's): crisis-als-kans."
    )
    assert snapshot() == before


def test_a_room_name_cannot_hold_the_list_separator(congress):
    room = RoomFactory.build(venue=VenueFactory(congress=congress), name="Zaal B; de grote")

    with pytest.raises(ValidationError) as refusal:
        room.full_clean()

    assert refusal.value.message_dict == {"name": ["Een zaalnaam bevat geen puntkomma (;)."]}


# -- Export, and importing an export back -------------------------------------------------------


def test_export_has_dutch_headers_local_times_and_only_the_current_congress(
    editor_client, programme
):
    SessionFactory(congress=CongressFactory(slug="vorig-jaar", year=2022, is_current=False))

    response = export(editor_client, Session)

    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert response["Content-Type"] == "text/csv"
    assert header == SESSION_HEADER.split(";")
    assert sorted(rows) == ["concept", "middag", "opening"]
    opening = rows["opening"]
    assert [opening[column] for column in ["Begin", "Einde", "Locatie", "Zaal", "Livestream"]] == [
        "2023-06-13 10:00",
        "2023-06-13 11:15",
        "martiniplaza",
        "Zaal A",
        "ja",
    ]
    assert opening["Sprekers"] == "koen-schuiling;sharon-dijksma"  # in programme order
    assert sorted(opening["Thema's"].split(";")) == ["crisis-als-kans", "inwoners-meenemen"]
    assert opening["Aantal plaatsen"] == ""


@pytest.mark.parametrize("model", [Session, Speaker, Venue])
@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_an_exported_file_imports_back_with_every_row_unchanged(
    editor_client, programme, model, file_format
):
    SpeakerFactory(congress=programme["venue"].congress, bio="Regel één.\nRegel twee; drie.")
    exported = export(editor_client, model, file_format)
    before = snapshot()
    extension = "xlsx" if file_format == XLSX else "csv"

    page = preview(
        editor_client,
        model,
        SimpleUploadedFile(f"export.{extension}", exported.content),
        file_format,
    )
    confirm(editor_client, model, page)

    total = model.objects.filter(congress=programme["venue"].congress).count()
    assert page.context["import_problems"] == []
    assert page.context["import_summary"] == {"new": 0, "changed": 0, "skipped": total}
    assert snapshot() == before


def test_excel_export_has_real_date_cells_in_local_time(editor_client, programme):
    response = export(editor_client, Session, XLSX)

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert [cell.value for cell in sheet[1]][:6] == [
        "Slug",
        "Titel",
        "Soort",
        "Status",
        "Begin",
        "Einde",
    ]
    assert rows["opening"][4].isoformat() == "2023-06-13T10:00:00"


def test_a_csv_with_commas_day_first_times_and_empty_last_rows_imports(editor_client, programme):
    upload = csv_upload(
        "Slug,Titel,Begin,Einde,Locatie",
        'nieuw,"Titel, met komma",13-6-2023 13:30,13-6-2023 15:00,martiniplaza',
        ",,,,",  # empty rows a spreadsheet program left at the end
        ",,,,",
    )

    page = preview(editor_client, Session, upload)
    confirm(editor_client, Session, page)

    session = Session.objects.get(slug="nieuw")
    assert (session.title, session.start, session.kind, session.status) == (
        "Titel, met komma",
        at(FIRST_DAY, "13:30"),
        "middagsessie",
        SessionStatus.DRAFT,
    )


# -- Sample files in docs/ ----------------------------------------------------------------------


def test_the_sample_files_import_cleanly_into_a_congress_with_the_demo_themes(editor_client):
    theme_slugs = ["inwoners-meenemen", "generaties-verbinden", "crisis-als-kans"]
    demo = json.loads((Path(settings.BASE_DIR) / "congress/demo/vng2023.json").read_text())
    assert set(theme_slugs) <= {theme["slug"] for theme in demo["themes"]}
    congress = CongressFactory()
    for slug in theme_slugs:
        ThemeFactory(congress=congress, slug=slug)
    samples = [
        (Venue, "voorbeeld-locaties.csv"),
        (Speaker, "voorbeeld-sprekers.csv"),
        (Session, "voorbeeld-sessies.csv"),
    ]

    pages = []
    for model, name in samples:
        page = preview(editor_client, model, SimpleUploadedFile(name, (DOCS / name).read_bytes()))
        assert (name, page.context["import_problems"]) == (name, [])
        confirm(editor_client, model, page)
        pages.append(page)

    assert [page.context["import_summary"] for page in pages] == [
        {"new": 2, "changed": 0, "skipped": 0},
        {"new": 2, "changed": 0, "skipped": 0},
        {"new": 2, "changed": 0, "skipped": 0},
    ]
    assert (
        Session.objects.filter(congress=congress).count()
        == pages[2].context["import_summary"]["new"]
    )
    assert Room.objects.filter(venue__congress=congress).exists()
    assert SessionSpeaker.objects.filter(session__congress=congress).exists()


# -- Who may import and export ------------------------------------------------------------------


def test_editors_see_import_and_export_on_the_lists(editor_client, programme):
    for model in [Session, Speaker, Venue]:
        html = editor_client.get(url(model, "changelist")).content.decode()

        assert url(model, "import") in html
        assert url(model, "export") in html


def test_staff_without_change_permission_may_export_but_not_import(client, programme):
    from django.contrib.auth.models import Permission

    from tests.factories import activate_two_factor

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_session"))
    activate_two_factor(viewer)
    client.force_login(viewer)

    assert client.get(url(Session, "import")).status_code == 403
    assert export(client, Session).status_code == 200
