import re

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from congress.images import fallback_extension, variant_name, variant_widths
from congress.rich_text import render_markdown

register = template.Library()

_BLANK_LINE = re.compile(r"\n\s*\n")


@register.filter
def paragraphs(text, heading_level=2):
    """Plain editor text as HTML: blank lines part paragraphs, '## ' starts a subheading.

    Everything is escaped; single newlines inside a paragraph become line breaks.
    """
    if not text:
        return ""
    level = min(max(int(heading_level), 2), 6)
    blocks = []
    for block in _BLANK_LINE.split(str(text).replace("\r\n", "\n").strip()):
        block = block.strip()
        if not block:
            continue
        if block.startswith("## ") and "\n" not in block:
            blocks.append(f"<h{level}>{escape(block[3:].strip())}</h{level}>")
        elif all(line.lstrip().startswith(("- ", "* ")) for line in block.splitlines()):
            items = format_html_join(
                "", "<li>{}</li>", ((line.lstrip()[2:].strip(),) for line in block.splitlines())
            )
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br>".join(escape(line) for line in block.splitlines()) + "</p>")
    return mark_safe("\n".join(blocks))


@register.filter(name="markdown")
def markdown_filter(text, heading_level=2):
    """Editor Markdown as sanitised HTML; '## ' becomes h<heading_level>: `|markdown:3`.

    See congress/rich_text.py for what survives. Editors' descriptions use this; `paragraphs`
    remains for plain text that must not be read as Markdown.
    """
    return render_markdown(text, heading_level)


@register.simple_tag(takes_context=True)
def query_string(context, **changes):
    """The current query string with some parameters changed (None or '' removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


# Pictures at the top of a list, likely in view at once: loaded without waiting.
EAGER_PICTURES = 3


@register.inclusion_tag("includes/picture.html")
def picture(file, *, width, height, alt, sizes, lazy=True, position=None, css_class=""):
    """A stored picture offered in its smaller WebP and fallback copies, when they are there.

    `sizes` says how wide the picture shows (e.g. "96px", "(min-width: 60em) 20rem, 100vw"), so
    a phone fetches the smallest copy that is sharp enough. `lazy`: below the fold; in a list,
    `position` (forloop.counter) makes the first EAGER_PICTURES load at once and the rest lazily.
    """
    if position is not None:
        lazy = position > EAGER_PICTURES
    context = {
        "src": file.url,
        "alt": alt,
        "width": width,
        "height": height,
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }
    widths = variant_widths(width)
    if not widths or not file.storage.exists(variant_name(file.name, widths[-1], "webp")):
        return context  # a picture stored before copies were made: the original alone
    fallback = fallback_extension(file.name)

    def srcset(extension):
        return ", ".join(
            f"{file.storage.url(variant_name(file.name, w, extension))} {w}w" for w in widths
        )

    context.update(
        webp_srcset=srcset("webp"),
        fallback_srcset=srcset(fallback),
        src=file.storage.url(variant_name(file.name, widths[-1], fallback)),
    )
    return context


@register.simple_tag
def select_options(field):
    """The <option>s of a choice field, the chosen one selected.

    Written out in Python rather than with a template loop: a list of places at a large congress
    holds hundreds of options, and a template loop would cost more than the rest of the form.
    """
    chosen = field.value()
    chosen = "" if chosen is None else str(chosen)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "", label)
            for value, label in field.field.choices
        ),
    )
