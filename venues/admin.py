from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from congress.history import HistoryAdmin
from congress.importing import ImportExportAdminMixin
from congress.markdown_admin import MarkdownPreviewMixin

from .models import Room, Venue, VenuePhoto
from .resources import VenueResource


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["name", "capacity", "floor", "accessibility", "order"]


class VenuePhotoInline(admin.StackedInline):
    model = VenuePhoto
    extra = 0
    fields = ["image", "preview", "alt_text", "caption", "credit", "order"]
    readonly_fields = ["preview"]

    @admin.display(description=_("voorbeeld"))
    def preview(self, obj):
        if not obj.image:
            return "–"
        return format_html('<img src="{}" alt="{}" width="160">', obj.image.url, obj.alt_text)


@admin.register(Venue)
class VenueAdmin(ImportExportAdminMixin, MarkdownPreviewMixin, HistoryAdmin):
    resource_classes = [VenueResource]
    markdown_fields = [
        "description",
        "route_public_transport",
        "route_car",
        "parking",
        "accessibility",
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "town", "municipality", "congress", "room_count", "order"]
    list_editable = ["order"]
    list_filter = ["kind", "municipality", "congress"]
    list_select_related = ["congress"]
    search_fields = ["name", "street", "town", "municipality"]
    # Explicit: the room count annotation (GROUP BY) drops Meta.ordering, which left the
    # autocomplete answers (venue fields of sessions) unordered.
    ordering = ["congress_id", "order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["congress"]
    inlines = [RoomInline, VenuePhotoInline]
    fieldsets = [
        (None, {"fields": ["congress", "name", "slug", "kind", "order", "website"]}),
        (
            _("Adres"),
            {"fields": ["street", "postcode", "town", "municipality", "latitude", "longitude"]},
        ),
        (
            _("Informatie voor bezoekers"),
            {
                "fields": [
                    "description",
                    "route_public_transport",
                    "route_car",
                    "parking",
                    "accessibility",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(room_count=Count("rooms"))

    @admin.display(description=_("zalen"), ordering="room_count")
    def room_count(self, obj):
        return obj.room_count


@admin.register(Room)
class RoomAdmin(HistoryAdmin):
    list_display = ["name", "venue", "capacity", "floor"]
    list_filter = ["venue__congress", "venue"]
    list_select_related = ["venue"]
    search_fields = ["name", "venue__name", "venue__town"]
    autocomplete_fields = ["venue"]

    def get_queryset(self, request):
        # A room's name includes its venue's, also in autocomplete answers.
        return super().get_queryset(request).select_related("venue")


@admin.register(VenuePhoto)
class VenuePhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "venue", "credit", "order"]
    list_filter = ["venue"]
    list_select_related = ["venue"]
    search_fields = ["alt_text", "caption", "credit", "venue__name"]
    autocomplete_fields = ["venue"]
