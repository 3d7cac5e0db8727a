from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import CopyEditionForm
from .history import HistoryAdmin
from .markdown_admin import MarkdownPreviewMixin
from .models import Congress, Page, PublicationStatus, Theme


class PublishActionsMixin:
    """Admin actions to publish and unpublish the selected objects."""

    actions = ["publish", "unpublish"]

    def _set_status(self, request, queryset, status):
        # One save per object, so that each change of status is kept in its history.
        updated = 0
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save()
            updated += 1
        label = PublicationStatus(status).label.lower()
        self.message_user(
            request,
            ngettext(
                "%(count)d item is nu %(status)s.",
                "%(count)d items zijn nu %(status)s.",
                updated,
            )
            % {"count": updated, "status": label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publiceer de geselecteerde items"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.PUBLISHED)

    @admin.action(
        description=_("Zet de geselecteerde items terug naar concept"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.DRAFT)


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "order"]


@admin.register(Congress)
class CongressAdmin(MarkdownPreviewMixin, HistoryAdmin):
    markdown_fields = ["introduction", "livestream_text"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "year", "start_date", "end_date", "city", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["name", "city", "motto"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "year", "is_current"]}),
        (_("Wanneer en waar"), {"fields": ["start_date", "end_date", "city", "host_municipality"]}),
        (_("Voorpagina"), {"fields": ["motto", "introduction", "hero_image", "hero_image_alt"]}),
        (_("Livestream"), {"fields": ["livestream_url", "livestream_text"]}),
    ]
    actions = ["copy_to_new_edition", "make_current"]

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/kopieer/",
                self.admin_site.admin_view(self.copy_edition_view),
                name="congress_congress_copy",
            )
        ]
        return extra + super().get_urls()

    def _the_one_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Kies precies één editie."), messages.WARNING)
            return None
        return queryset.get()

    @admin.action(description=_("Kopieer naar nieuwe editie"), permissions=["add"])
    def copy_to_new_edition(self, request, queryset):
        congress = self._the_one_selected(request, queryset)
        if congress is not None:
            return redirect("admin:congress_congress_copy", congress.pk)
        return None

    def copy_edition_view(self, request, object_id):
        """The page between the action and the copy: name, year, slug and first day of the copy."""
        congress = self.get_object(request, object_id)
        if congress is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CopyEditionForm(request.POST or None, initial=CopyEditionForm.initial_for(congress))
        if request.method == "POST" and form.is_valid():
            try:
                edition = services.copy_edition(congress=congress, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.log_addition(request, edition, [{"added": {}}])
                self.message_user(
                    request,
                    _(
                        "‘%(new)s’ is gemaakt als kopie van ‘%(old)s’. "
                        "Het is nog niet de huidige editie."
                    )
                    % {"new": edition, "old": congress},
                    messages.SUCCESS,
                )
                return redirect("admin:congress_congress_change", edition.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Kopieer ‘%(name)s’ naar een nieuwe editie") % {"name": congress},
            "opts": self.opts,
            "original": congress,
            "form": form,
        }
        return TemplateResponse(request, "admin/congress/congress/copy_edition.html", context)

    @admin.action(description=_("Maak dit de huidige editie"), permissions=["change"])
    def make_current(self, request, queryset):
        congress = self._the_one_selected(request, queryset)
        if congress is None:
            return
        services.make_current(congress=congress)
        self.message_user(
            request,
            _("‘%(name)s’ is nu de huidige editie; de website toont deze.") % {"name": congress},
            messages.SUCCESS,
        )


@admin.register(Theme)
class ThemeAdmin(MarkdownPreviewMixin, admin.ModelAdmin):
    markdown_fields = ["description"]
    list_display = ["name", "congress", "order", "session_count"]
    list_filter = ["congress"]
    list_select_related = ["congress"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["congress"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("sessies"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count


@admin.register(Page)
class PageAdmin(MarkdownPreviewMixin, PublishActionsMixin, HistoryAdmin):
    markdown_fields = ["body"]
    list_display = [
        "title",
        "slug",
        "congress",
        "status",
        "show_in_navigation",
        "order",
        "updated_at",
    ]
    list_editable = ["order"]
    list_filter = ["status", "show_in_navigation", "congress"]
    list_select_related = ["congress"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["congress"]
