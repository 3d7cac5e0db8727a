import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from congress.admin import PublishActionsMixin
from congress.history import HistoryAdmin
from congress.importing import ImportExportAdminMixin
from congress.markdown_admin import MarkdownPreviewMixin

from . import selectors, services
from .admin_actions import SessionBulkActionsMixin
from .hosts import host_candidates
from .models import (
    HOST_PERMISSION,
    Registration,
    RegistrationStatus,
    Session,
    SessionChange,
    SessionSpeaker,
    SessionStatus,
    Speaker,
)
from .resources import SessionResource, SpeakerResource


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

    def has_view_permission(self, request, obj=None):
        # A Sessiehouder sees who comes to a session they host (obj: the session).
        return super().has_view_permission(request, obj) or hosts(request, obj)

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
            "hosts",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = getattr(self.instance, "_history", None)
        if version is not None and "themes" in self.fields:
            # An earlier version to restore: offer its themes, not today's. (Its hosts stay as
            # they are: who may edit the session is not part of its content.)
            self.initial["themes"] = [row.theme_id for row in version.themes.all()]


class SessionSpeakerInline(admin.TabularInline):
    """The speakers of a session: part of its content, so also for its Sessiehouders.

    A Sessiehouder has no rights on speakers elsewhere, so picks them from a plain list
    (the search box asks the speakers admin, which is closed to them).
    """

    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = ["speaker", "role", "order"]

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields if request.user.has_perm("programme.view_speaker") else []

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or hosts(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) or hosts(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or hosts(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or hosts(request, obj)


def hosts(request, session):
    """Whether the user is a Sessiehouder of this session, or without one, a Sessiehouder at all.

    (Inlines ask without a session for their queryset, which is then narrowed to the session;
    a Sessiehouder never reaches the form that adds a session.)
    """
    return request.user.has_perm(HOST_PERMISSION) and (
        session is None or session.is_editable_by(request.user)
    )


class SessionCheckFilter(admin.SimpleListFilter):
    """What needs attention (the dashboard links here); the rules are in programme.selectors."""

    title = _("controle")
    parameter_name = "controle"

    WITHOUT_VENUE = "zonder-locatie"
    WITHOUT_SPEAKERS = "zonder-sprekers"
    FULL = "vol"
    CLASH = "botst"
    ROOM_CLASH = "botst-zaal"
    SPEAKER_CLASH = "botst-spreker"
    CHECKS = {
        WITHOUT_VENUE: (_("zonder locatie"), selectors.without_venue),
        WITHOUT_SPEAKERS: (_("zonder sprekers"), selectors.without_speakers),
        FULL: (_("vol"), selectors.full),
        CLASH: (_("botst"), selectors.in_clash),
        ROOM_CLASH: (_("botst in de zaal"), selectors.in_room_clash),
        SPEAKER_CLASH: (_("spreker staat tegelijk elders"), selectors.in_speaker_clash),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _check) in self.CHECKS.items()]

    def queryset(self, request, queryset):
        check = self.CHECKS.get(self.value())
        return check[1](queryset) if check else queryset


def clash_warning(clash):
    """Tell the editor a saved session overlaps another one in its room or for a speaker."""
    start, end = timezone.localtime(clash.other_start), timezone.localtime(clash.other_end)
    values = {
        "where": clash.where,
        "other": clash.other_title,
        "day": formats.date_format(start, "l j F"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
    }
    if clash.kind == selectors.Clash.ROOM:
        text = _(
            "Let op: ‘%(other)s’ staat tegelijk in dezelfde zaal (%(where)s), "
            "%(day)s %(start)s–%(end)s."
        )
    else:
        text = _("Let op: %(where)s staat tegelijk ook bij ‘%(other)s’, %(day)s %(start)s–%(end)s.")
    return text % values


@admin.register(Session)
class SessionAdmin(
    ImportExportAdminMixin,
    SessionBulkActionsMixin,
    MarkdownPreviewMixin,
    PublishActionsMixin,
    HistoryAdmin,
):
    resource_classes = [SessionResource]
    markdown_fields = ["description"]
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
    list_filter = [
        "status",
        "kind",
        "livestream",
        "congress",
        "themes",
        "venue",
        SessionCheckFilter,
    ]
    list_select_related = ["venue", "room__venue"]
    search_fields = ["title", "summary", "host_organisation", "speakers__name", "venue__name"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["congress", "venue", "room", "themes"]
    form = SessionAdminForm
    inlines = [SessionSpeakerInline, RegistrationInline, SessionChangeInline]
    actions = [
        "publish",
        "unpublish",
        "cancel_sessions",
        "move_sessions",
        "shift_sessions",
        "duplicate_sessions",
    ]
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
        (_("Sessiehouders"), {"fields": ["hosts"]}),
    ]
    filter_horizontal = ["hosts"]
    # What a Sessiehouder sees of a session they host; they change only HOST_EDITABLE_FIELDS.
    host_fieldsets = [
        (None, {"fields": ["title", "kind", "status"]}),
        (_("Wanneer en waar"), {"fields": ["start", "end", "venue", "room"]}),
        (_("Inhoud"), {"fields": ["summary", "description", "themes", "host_organisation"]}),
        (_("Deelname"), {"fields": ["capacity", "livestream", "attendee_list"]}),
    ]
    HOST_EDITABLE_FIELDS = ["summary", "description"]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .with_seat_counts()
            .annotate(speaker_count=Count("session_speakers", distinct=True))
        )
        if self.hosts_only(request):
            queryset = queryset.editable_by(request.user)
        return queryset

    # -- Sessiehouders: the sessions they host, their content, nothing else ----------------------
    def hosts_only(self, request):
        """A Sessiehouder: no rights on sessions in general, only on the sessions they host."""
        return not super().has_view_permission(request) and request.user.has_perm(HOST_PERMISSION)

    def _hosted(self, request, obj):
        return self.hosts_only(request) and (obj is None or obj.is_editable_by(request.user))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._hosted(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._hosted(request, obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self.hosts_only(request):
            raise Http404  # whether it exists is none of their business
        return obj

    def get_fieldsets(self, request, obj=None):
        return (
            self.host_fieldsets if self.hosts_only(request) else super().get_fieldsets(request, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        if self.hosts_only(request):
            shown = [name for _name, options in self.host_fieldsets for name in options["fields"]]
            # minor_change too: a Sessiehouder changes no time or place to announce.
            return [name for name in shown if name not in self.HOST_EDITABLE_FIELDS] + [
                "minor_change"
            ]
        return super().get_readonly_fields(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.hosts_only(request) else super().get_prepopulated_fields(request, obj)

    def get_actions(self, request):
        # Publishing, unpublishing and cancelling are for the Redactie.
        return {} if self.hosts_only(request) else super().get_actions(request)

    def has_view_history_permission(self, request, obj=None):
        return not self.hosts_only(request) and super().has_view_history_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return not self.hosts_only(request) and super().has_change_history_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_history_link": self.has_view_history_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "hosts":
            kwargs["queryset"] = host_candidates()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
        # Only public sessions can be called off; a draft is simply not published.
        self._set_status(
            request, queryset.exclude(status=SessionStatus.DRAFT), SessionStatus.CANCELLED
        )

    def save_model(self, request, obj, form, change):
        obj.minor_change = form.cleaned_data.get("minor_change", False)
        super().save_model(request, obj, form, change)
        # A restored earlier version may hold more places than now (its form shows no change).
        restored = hasattr(obj, "_history")
        if change and ("capacity" in form.changed_data or restored):
            promoted = services.fill_free_places(session=obj)
            if promoted:
                self.message_user(
                    request,
                    _("%(count)d persoon/personen van de wachtlijst kregen een plaats.")
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )

    def save_related(self, request, form, formsets, change):
        """Save the speakers too, then warn about clashes in the room or for a speaker."""
        super().save_related(request, form, formsets, change)
        for clash in selectors.clashes_with(form.instance):
            self.message_user(request, clash_warning(clash), messages.WARNING)


@admin.register(Speaker)
class SpeakerAdmin(ImportExportAdminMixin, MarkdownPreviewMixin, HistoryAdmin):
    resource_classes = [SpeakerResource]
    markdown_fields = ["bio"]
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
