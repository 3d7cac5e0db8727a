"""Editors' texts: Markdown rendered to a small, safe set of HTML.

Descriptions, biographies, routes and page bodies are written in Markdown. They are rendered with
the Markdown library and then sanitised with nh3, which keeps only paragraphs, line breaks, bold,
italics, links, lists, subheadings (h2-h4), quotes and code, and drops everything else: scripts
and styles with their content, every other element (its text stays), every attribute but a link's
href and title, and any link that is not http, https, mailto or a path on this site.
"""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MARKDOWN_HELP = _(
    "Opmaak met Markdown: **vet**, *cursief*, [link](https://...), lijstjes met '- ', "
    "tussenkoppen met '## '. Alinea's scheiden met een witregel."
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
}
# Editors write headings '## ' (h2) to '#### ' (h4); '# ' counts as '## ', deeper ones as '#### '.
LOWEST_HEADING, HIGHEST_HEADING = 2, 4

_SOURCE_HEADING = re.compile(r"<(/?)h([1-6])\b")
_CLEAN_HEADING = re.compile(r"<(/?)h([2-4])>")
# A path on this site ('/programma/') or a fragment; not '//host' or '/\host' (another site).
_SITE_PATH = re.compile(r"(/(?![/\\])|#)[^\s\\]*")


def _site_paths_only(url):
    return url if _SITE_PATH.fullmatch(url) else None


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}},
    url_schemes={"http", "https", "mailto"},
    url_relative=_site_paths_only,
    link_rel="noopener nofollow",
    strip_comments=True,
)


def markdown_help(text=None):
    """A Markdown field's help text: its own (if any) followed by the Markdown hint."""
    return format_lazy("{} {}", text, MARKDOWN_HELP) if text else MARKDOWN_HELP


def _clamp_source_heading(match):
    level = min(max(int(match.group(2)), LOWEST_HEADING), HIGHEST_HEADING)
    return f"<{match.group(1)}h{level}"


def render_markdown(text, heading_level=2):
    """Editor text as safe HTML; '## ' headings become h<heading_level> (deeper ones follow).

    A template passes the level the text's top heading should have in its place on the page,
    e.g. 3 inside a section whose own heading is an h2.
    """
    if not text:
        return ""
    shift = min(max(int(heading_level), 2), 6) - LOWEST_HEADING
    html = markdown.markdown(str(text), extensions=["nl2br", "sane_lists"])
    html = _SOURCE_HEADING.sub(_clamp_source_heading, html)
    html = _cleaner.clean(html).strip()
    if shift:
        html = _CLEAN_HEADING.sub(
            lambda match: f"<{match.group(1)}h{min(int(match.group(2)) + shift, 6)}>", html
        )
    return mark_safe(html)
