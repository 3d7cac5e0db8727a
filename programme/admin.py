import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from congress.admin import PublishActionsMixin

from . import services
from .models import (
    Registration,
    RegistrationStatus,
    Session,
    SessionChange,
    SessionSpeaker,
    SessionStatus,
    Speaker,
)


class RegistrationInline(admin.TabularInline):
    """Who has a place and who waits, read-only: changes go through the sign-up rules."""

    model = Registration
    extra = 0
    can_delete = False
    fields = ["user", "municipality", "role", "status", "created_at", "confirmed_at"]
    readonly_fields = fields
    ordering = ["status", "created_at", "pk"]
    verbose_name_plural = _("aanmeldingen (beheer de wachtlijst via Aanmeldingen)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("gemeente"))
    def municipality(self, obj):
        return obj.user.municipality

    @admin.display(description=_("functie"))
    def role(self, obj):
        return obj.user.get_role_display()


class SessionChangeInline(admin.TabularInline):
    """Announced changes of a public session; tick 'kleine wijziging' to stop announcing one."""

    model = SessionChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "field", "old_value", "new_value", "minor"]
    readonly_fields = ["changed_at", "field", "old_value", "new_value"]

    def has_add_permission(self, request, obj=None):
        return False


class SessionAdminForm(forms.ModelForm):
    minor_change = forms.BooleanField(
        label=_("Kleine wijziging"),
        required=False,
        help_text=_(
            "Aanvinken bij een correctie (zoals een tikfout in de tijd) die niet als wijziging "
            "aangekondigd hoeft te worden."
        ),
    )

    class Meta:
        model = Session
        fields = [
            "congress",
            "title",
            "slug",
            "kind",
            "status",
            "start",
            "end",
            "venue",
            "room",
            "summary",
            "description",
            "themes",
            "host_organisation",
            "capacity",
            "livestream",
        ]


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
        "places_taken",
        "waitlist_length",
    ]
    list_filter = ["status", "kind", "livestream", "congress", "themes", "venue"]
    list_select_related = ["venue", "room__venue"]
    search_fields = ["title", "summary", "host_organisation", "speakers__name", "venue__name"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["congress", "venue", "room", "themes"]
    form = SessionAdminForm
    inlines = [SessionSpeakerInline, RegistrationInline, SessionChangeInline]
    actions = ["publish", "unpublish", "cancel_sessions"]
    readonly_fields = ["attendee_list"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["congress", "title", "slug", "kind", "status"]}),
        (_("Wanneer en waar"), {"fields": ["start", "end", "venue", "room", "minor_change"]}),
        (
            _("Inhoud"),
            {"fields": ["summary", "description", "themes", "host_organisation"]},
        ),
        (_("Deelname"), {"fields": ["capacity", "livestream", "attendee_list"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_seat_counts()
            .annotate(speaker_count=Count("session_speakers", distinct=True))
        )

    @admin.display(description=_("sprekers"), ordering="speaker_count")
    def speaker_count(self, obj):
        return obj.speaker_count

    @admin.display(description=_("bezet"), ordering="confirmed_count")
    def places_taken(self, obj):
        if obj.capacity is None:
            return "–"
        return f"{obj.confirmed_count} / {obj.capacity}"

    @admin.display(description=_("wachtlijst"), ordering="waitlist_count")
    def waitlist_length(self, obj):
        return obj.waitlist_count if obj.capacity is not None else "–"

    @admin.display(description=_("deelnemerslijst"))
    def attendee_list(self, obj):
        if obj.pk is None or obj.capacity is None:
            return "–"
        url = reverse("admin:programme_session_attendees", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Deelnemerslijst downloaden (CSV)"))

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/deelnemers.csv",
                self.admin_site.admin_view(self.attendees_csv),
                name="programme_session_attendees",
            )
        ]
        return extra + super().get_urls()

    def attendees_csv(self, request, pk):
        """The attendee list for the session's host: name, email, municipality, role, status."""
        session = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"deelnemers-{slugify(session.slug)}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [_("Naam"), _("E-mail"), _("Gemeente"), _("Functie"), _("Status"), _("Wachtlijst")]
        )
        registrations = (
            Registration.objects.filter(session=session)
            .select_related("user")
            .order_by("status", "created_at", "pk")  # "bevestigd" < "wachtlijst": places first
        )
        position = 0
        for registration in registrations:
            user = registration.user
            waiting = ""
            if registration.status == RegistrationStatus.WAITLISTED:
                position += 1
                waiting = position
            writer.writerow(
                [
                    safe_cell(user.get_full_name()),
                    safe_cell(user.email),
                    safe_cell(user.municipality),
                    user.get_role_display(),
                    registration.get_status_display(),
                    waiting,
                ]
            )
        return response

    def _set_status(self, request, queryset, status):
        """One save per session, so each change of status is recorded and bumps its version."""
        updated = 0
        for session in queryset.exclude(status=status):
            session.status = status
            session.save()
            updated += 1
        self.message_user(
            request,
            _("%(count)d sessie(s) nu: %(status)s.")
            % {"count": updated, "status": SessionStatus(status).label.lower()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Markeer als vervallen"), permissions=["change"])
    def cancel_sessions(self, request, queryset):
        self._set_status(request, queryset, SessionStatus.CANCELLED)

    def save_model(self, request, obj, form, change):
        obj.minor_change = form.cleaned_data.get("minor_change", False)
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = services.fill_free_places(session=obj)
            if promoted:
                self.message_user(
                    request,
                    _("%(count)d persoon/personen van de wachtlijst kregen een plaats.")
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )


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


def safe_cell(value):
    """Neutralise spreadsheet formulas in text someone typed (CSV injection)."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "session", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "session__congress", "session__kind", "session"]
    list_select_related = ["user", "session"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "session__title"]
    date_hierarchy = "created_at"
    actions = ["give_place"]
    fields = ["session", "user", "status", "created_at", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Geef een plaats (van de wachtlijst)"), permissions=["change"])
    def give_place(self, request, queryset):
        for registration in queryset.select_related("session", "user").order_by("created_at"):
            try:
                services.promote(registration=registration)
            except services.SignupRefused as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Plaats bij ‘%(title)s’ gegeven aan %(person)s; die krijgt een e-mail.")
                    % {"person": registration.user, "title": registration.session.title},
                    messages.SUCCESS,
                )
