"""A preview of Markdown fields in the admin change forms ("Voorbeeld").

Under each Markdown field the form shows, read-only, the text as the site renders it: through the
same Markdown rendering and sanitising as the public pages. Without JavaScript it shows the saved
text (or, after a save the form refused, the text as typed). With it, static/js/admin-markdown.js
updates the preview while the editor types, asking this admin's `markdown-voorbeeld/` address to
render the text; the answer is the same sanitised HTML. No inline scripts or styles (CSP).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .rich_text import render_markdown

# Far more than any description; a longer text is not a preview request but a nuisance.
MAX_PREVIEW_CHARACTERS = 100_000


def markdown_preview(model_admin, field_name):
    """A read-only admin field showing `field_name` rendered as on the site."""
    field = model_admin.model._meta.get_field(field_name)
    opts = model_admin.model._meta
    url_name = f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_markdown_preview"

    def preview(obj):
        html = render_markdown(getattr(obj, field_name, ""))
        return format_html(
            '<div class="markdown-preview" data-markdown-field="id_{}" '
            'data-markdown-preview-url="{}">{}</div>',
            field_name,
            reverse(url_name),
            html or _("(nog geen tekst)"),
        )

    preview.__name__ = f"{field_name}_preview"
    return admin.display(description=format_lazy("{} ({})", _("Voorbeeld"), field.verbose_name))(
        preview
    )


class MarkdownPreviewMixin:
    """For a ModelAdmin: a preview right under each field named in `markdown_fields`."""

    markdown_fields = ()

    class Media:
        css = {"all": ["css/admin-markdown.css"]}
        js = ["js/admin-markdown.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.markdown_previews = {
            name: markdown_preview(self, name) for name in self.markdown_fields
        }

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [
            preview for preview in self.markdown_previews.values() if preview not in fields
        ]

    def get_fieldsets(self, request, obj=None):
        previews = self.markdown_previews
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = []
            for line in options.get("fields", ()):
                if line in previews.values():
                    continue  # placed under its field below
                fields.append(line)
                names = line if isinstance(line, (list, tuple)) else [line]
                fields.extend(previews[field] for field in names if field in previews)
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_urls(self):
        opts = self.model._meta
        preview = path(
            "markdown-voorbeeld/",
            self.admin_site.admin_view(self.markdown_preview_view),
            name=f"{opts.app_label}_{opts.model_name}_markdown_preview",
        )
        return [preview, *super().get_urls()]

    def markdown_preview_view(self, request):
        """The posted `text` rendered as on the site: for the live preview while typing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        text = request.POST.get("text", "")
        if len(text) > MAX_PREVIEW_CHARACTERS:
            return HttpResponseBadRequest(_("Deze tekst is te lang voor een voorbeeld."))
        return HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")
