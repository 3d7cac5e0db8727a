from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from congress.admin import PublishActionsMixin

from .models import Session, SessionSpeaker, Speaker


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = ["speaker", "role", "order"]


@admin.register(Session)
class SessionAdmin(PublishActionsMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "start",
        "end",
        "venue",
        "room",
        "capacity",
        "livestream",
        "status",
        "speaker_count",
    ]
    list_filter = ["status", "kind", "livestream", "congress", "themes", "venue"]
    list_select_related = ["venue", "room__venue"]
    search_fields = ["title", "summary", "host_organisation", "speakers__name", "venue__name"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["congress", "venue", "room", "themes"]
    inlines = [SessionSpeakerInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["congress", "title", "slug", "kind", "status"]}),
        (_("Wanneer en waar"), {"fields": ["start", "end", "venue", "room"]}),
        (
            _("Inhoud"),
            {"fields": ["summary", "description", "themes", "host_organisation"]},
        ),
        (_("Deelname"), {"fields": ["capacity", "livestream"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(speaker_count=Count("session_speakers"))

    @admin.display(description=_("sprekers"), ordering="speaker_count")
    def speaker_count(self, obj):
        return obj.speaker_count


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "congress", "session_count"]
    list_filter = ["congress"]
    list_select_related = ["congress"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["congress"]
    fields = [
        "congress",
        "name",
        "sort_name",
        "slug",
        "role",
        "organisation",
        "bio",
        "photo",
        "photo_alt",
        "photo_credit",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("session_links"))

    @admin.display(description=_("sessies"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count


@admin.register(SessionSpeaker)
class SessionSpeakerAdmin(admin.ModelAdmin):
    list_display = ["speaker", "session", "role", "order"]
    list_filter = ["role", "session__congress"]
    list_select_related = ["speaker", "session"]
    search_fields = ["speaker__name", "session__title"]
    autocomplete_fields = ["session", "speaker"]
