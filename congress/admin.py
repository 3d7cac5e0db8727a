from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Congress, Page, PublicationStatus, Theme


class PublishActionsMixin:
    """Admin actions to publish and unpublish the selected objects."""

    actions = ["publish", "unpublish"]

    def _set_status(self, request, queryset, status):
        updated = queryset.exclude(status=status).update(status=status)
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
class CongressAdmin(admin.ModelAdmin):
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


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
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
class PageAdmin(PublishActionsMixin, admin.ModelAdmin):
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
