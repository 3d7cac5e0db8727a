"""Editors' texts are Markdown, rendered to a small set of safe HTML, with a preview in /beheer/."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from congress.rich_text import render_markdown
from tests.factories import (
    EditorFactory,
    PageFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    activate_two_factor,
)

MARKDOWN_HELP = (
    "Opmaak met Markdown: **vet**, *cursief*, [link](https://...), lijstjes met '- ', "
    "tussenkoppen met '## '. Alinea's scheiden met een witregel."
)


def test_markdown_renders_paragraphs_emphasis_lists_and_links():
    text = (
        "Welkom in **Groningen**, de *stad*.\n\n"
        "## Vervoer\n\n"
        "- Trein\n- Bus\n\n"
        "1. Eerst\n2. Dan\n\n"
        'Zie [de VNG](https://vng.nl "VNG") of [mail](mailto:info@vng.nl).'
    )

    html = render_markdown(text)

    assert html == (
        "<p>Welkom in <strong>Groningen</strong>, de <em>stad</em>.</p>\n"
        "<h2>Vervoer</h2>\n"
        "<ul>\n<li>Trein</li>\n<li>Bus</li>\n</ul>\n"
        "<ol>\n<li>Eerst</li>\n<li>Dan</li>\n</ol>\n"
        '<p>Zie <a href="https://vng.nl" title="VNG" rel="noopener nofollow">de VNG</a> of '
        '<a href="mailto:info@vng.nl" rel="noopener nofollow">mail</a>.</p>'
    )


def test_single_newline_is_a_line_break():
    assert render_markdown("Leonard Springerlaan 2\n9727 KB Groningen") == (
        "<p>Leonard Springerlaan 2<br>\n9727 KB Groningen</p>"
    )


def test_quotes_and_code_are_kept():
    html = render_markdown("> Een citaat\n\nGebruik `code`.\n\n    pre")

    assert html == (
        "<blockquote>\n<p>Een citaat</p>\n</blockquote>\n"
        "<p>Gebruik <code>code</code>.</p>\n"
        "<pre><code>pre\n</code></pre>"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hallo<script>alert(1)</script> daar", "<p>Hallo daar</p>"),
        ("<style>body { display: none }</style>\n\nTekst", "<p>Tekst</p>"),
        ('<img src="x" onerror="alert(2)">Foto', "<p>Foto</p>"),
        ('<p onclick="alert(3)" style="color: red">Klik</p>', "<p>Klik</p>"),
        (
            "[klik](javascript:alert(4))",
            '<p><a rel="noopener nofollow">klik</a></p>',
        ),
        (
            '<a href="JaVaScRiPt:alert(5)" target="_blank">klik</a>',
            '<p><a rel="noopener nofollow">klik</a></p>',
        ),
        (
            "[data](data:text/html;base64,PHNjcmlwdD4=)",
            '<p><a rel="noopener nofollow">data</a></p>',
        ),
        ("<iframe src=https://evil.example></iframe>Tekst", "<p>Tekst</p>"),
        ('<div class="x"><span>Tekst</span></div>', "Tekst"),
    ],
    ids=[
        "script",
        "style",
        "onerror",
        "onclick-and-style-attribute",
        "javascript-link",
        "javascript-link-in-html",
        "data-link",
        "iframe",
        "other-elements",
    ],
)
def test_markdown_removes_what_could_run_or_restyle(text, expected):
    assert render_markdown(text) == expected


def test_links_to_a_page_of_the_site_are_kept_but_not_to_another_host():
    html = render_markdown("[programma](/programma/) en [elders](//evil.example/)")

    assert html == (
        '<p><a href="/programma/" rel="noopener nofollow">programma</a> en '
        '<a rel="noopener nofollow">elders</a></p>'
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (2, "<h2>Twee</h2>\n<h3>Drie</h3>\n<h4>Vier</h4>"),
        (3, "<h3>Twee</h3>\n<h4>Drie</h4>\n<h5>Vier</h5>"),
        (4, "<h4>Twee</h4>\n<h5>Drie</h5>\n<h6>Vier</h6>"),
        (5, "<h5>Twee</h5>\n<h6>Drie</h6>\n<h6>Vier</h6>"),
    ],
)
def test_headings_shift_to_the_level_the_template_asks(level, expected):
    assert render_markdown("## Twee\n\n### Drie\n\n#### Vier", level) == expected


def test_a_top_level_heading_counts_as_a_subheading():
    assert render_markdown("# Kop\n\n###### Diep", 3) == "<h3>Kop</h3>\n<h5>Diep</h5>"


def test_template_filter_renders_with_the_given_heading_level():
    template = Template("{% load site_tags %}{{ text|markdown:3 }}")

    html = template.render(Context({"text": "## Agenda\n\n<b>vet</b>"}))

    assert html == "<h3>Agenda</h3>\n<p>vet</p>"


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.django_db
def test_session_page_renders_its_description_as_markdown(client, congress):
    SessionFactory(
        congress=congress,
        slug="alv",
        description="Over de **vereniging**.\n\n## Agenda\n\n1. Opening\n2. Sluiting",
    )

    response = client.get(reverse("programme:detail", kwargs={"slug": "alv"}))

    assert (
        "<p>Over de <strong>vereniging</strong>.</p>\n<h3>Agenda</h3>\n"
        "<ol>\n<li>Opening</li>\n<li>Sluiting</li>\n</ol>"
    ) in response.content.decode()


@pytest.mark.django_db
def test_venue_route_headings_sit_below_the_route_heading(client, congress):
    VenueFactory(congress=congress, slug="forum", route_car="## Vanuit het zuiden\n\nA28.")

    response = client.get(reverse("venues:detail", kwargs={"slug": "forum"}))

    assert (
        "<h3>Met de auto</h3><h4>Vanuit het zuiden</h4>\n<p>A28.</p>" in response.content.decode()
    )


# The preview in /beheer/


@pytest.mark.django_db
def test_admin_change_form_previews_the_saved_text_rendered_and_sanitised(client, congress):
    page = PageFactory(
        congress=congress, body="## Vervoer\n\nMet de **trein**.<script>alert(1)</script>"
    )
    client.force_login(EditorFactory())

    response = client.get(reverse("admin:congress_page_change", args=[page.pk]))

    content = response.content.decode()
    preview = re.search(
        r'<div class="form-row field-body_preview">.*?<label>(.*?)</label>.*?'
        r'<div class="readonly"><div class="markdown-preview" data-markdown-field="id_body" '
        r'data-markdown-preview-url="/beheer/congress/page/markdown-voorbeeld/">(.*?)</div></div>',
        content,
        re.S,
    )
    assert preview.groups() == (
        "Voorbeeld (tekst):",
        "<h2>Vervoer</h2>\n<p>Met de <strong>trein</strong>.</p>",
    )
    assert "<script>alert(1)" not in content
    assert MARKDOWN_HELP in content
    assert '<script src="/static/js/admin-markdown.js"></script>' in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "fields"),
    [
        ("admin:congress_congress_add", ["introduction", "livestream_text"]),
        ("admin:congress_theme_add", ["description"]),
        ("admin:congress_page_add", ["body"]),
        (
            "admin:venues_venue_add",
            ["description", "route_public_transport", "route_car", "parking", "accessibility"],
        ),
        ("admin:programme_session_add", ["description"]),
        ("admin:programme_speaker_add", ["bio"]),
    ],
)
def test_every_markdown_field_has_a_preview_right_below_it(client, url_name, fields):
    client.force_login(EditorFactory())

    response = client.get(reverse(url_name))

    rows = re.findall(r'<div class="form-row[^"]*? field-(\w+)', response.content.decode())
    for field in fields:
        assert rows[rows.index(field) + 1] == f"{field}_preview"


@pytest.mark.django_db
def test_live_preview_renders_the_posted_text_as_the_site_would(client):
    client.force_login(EditorFactory())

    response = client.post(
        reverse("admin:venues_venue_markdown_preview"),
        {"text": "## Route\n\nNeem **bus 5**.<img src=x onerror=alert(1)>"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode() == "<h2>Route</h2>\n<p>Neem <strong>bus 5</strong>.</p>"


@pytest.mark.django_db
def test_live_preview_answers_only_posts_by_editors(client):
    url = reverse("admin:programme_session_markdown_preview")
    anonymous = client.post(url, {"text": "Hallo"})
    client.force_login(EditorFactory())
    get = client.get(url)
    staff_without_permissions = UserFactory(is_staff=True)
    activate_two_factor(staff_without_permissions)
    client.force_login(staff_without_permissions)
    without_permission = client.post(url, {"text": "Hallo"})

    assert anonymous.status_code == 302
    assert get.status_code == 405
    assert without_permission.status_code == 403
