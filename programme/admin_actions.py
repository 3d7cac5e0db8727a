"""Bulk changes from the session list in /beheer/: move, shift in time, duplicate.

Moving and shifting ask for the new place or the number of minutes on an intermediate page (as
Django's own "delete selected" asks for confirmation). The changes themselves are in
programme.services: one Session.save() per session, so a change to a public session is recorded.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from venues.models import Room, Venue

from . import services

MAX_SHIFT_MINUTES = 7 * 24 * 60


class MoveSessionsForm(forms.Form):
    venue = forms.ModelChoiceField(label=_("Locatie"), queryset=Venue.objects.none())
    room = forms.ModelChoiceField(
        label=_("Zaal"),
        queryset=Room.objects.none(),
        required=False,
        help_text=_("Een zaal van de gekozen locatie; leeg laten voor geen zaal."),
    )

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(congress=congress).order_by(
            "order", "name"
        )
        self.fields["room"].queryset = (
            Room.objects.filter(venue__congress=congress)
            .select_related("venue")
            .order_by("venue__order", "venue__name", "order", "name")
        )

    def clean(self):
        cleaned_data = super().clean()
        venue, room = cleaned_data.get("venue"), cleaned_data.get("room")
        if venue and room and room.venue_id != venue.pk:
            self.add_error(
                "room",
                _("Zaal ‘%(room)s’ hoort niet bij locatie ‘%(venue)s’.")
                % {"room": room.name, "venue": venue.name},
            )
        return cleaned_data


class ShiftSessionsForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Aantal minuten"),
        min_value=-MAX_SHIFT_MINUTES,
        max_value=MAX_SHIFT_MINUTES,
        help_text=_(
            "Begin en einde schuiven evenveel op: positief is later, negatief eerder "
            "(bijvoorbeeld 30 of -15)."
        ),
    )

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes == 0:
            raise ValidationError(_("Geef een aantal minuten anders dan 0."))
        return minutes


class SessionBulkActionsMixin:
    """For the SessionAdmin: the actions move_sessions, shift_sessions and duplicate_sessions."""

    bulk_action_template = "admin/programme/session/bulk_action.html"

    def _bulk_action_page(self, request, queryset, *, action, form, title, submit_label):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "sessions": queryset.select_related("venue", "room").order_by("start", "title"),
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "submit_label": submit_label,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.bulk_action_template, context)

    def _refuse(self, request, error):
        self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.action(description=_("Verplaats naar andere locatie of zaal"), permissions=["change"])
    def move_sessions(self, request, queryset):
        congress_ids = set(queryset.values_list("congress_id", flat=True))
        if len(congress_ids) != 1:
            self.message_user(
                request, _("Kies sessies van één congres om ze te verplaatsen."), messages.ERROR
            )
            return None
        form = MoveSessionsForm(
            request.POST if "apply" in request.POST else None, congress=congress_ids.pop()
        )
        if not form.is_valid():
            return self._bulk_action_page(
                request,
                queryset,
                action="move_sessions",
                form=form,
                title=_("Sessies verplaatsen"),
                submit_label=_("Verplaatsen"),
            )
        try:
            moved = services.move_sessions(
                sessions=queryset.order_by("start", "pk"),
                venue=form.cleaned_data["venue"],
                room=form.cleaned_data["room"],
            )
        except ValidationError as error:
            self._refuse(request, error)
            return None
        self.message_user(
            request,
            ngettext(
                "%(count)d sessie verplaatst naar %(place)s.",
                "%(count)d sessies verplaatst naar %(place)s.",
                len(moved),
            )
            % {"count": len(moved), "place": _place(form.cleaned_data)},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Verschuif in de tijd"), permissions=["change"])
    def shift_sessions(self, request, queryset):
        form = ShiftSessionsForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._bulk_action_page(
                request,
                queryset,
                action="shift_sessions",
                form=form,
                title=_("Sessies verschuiven in de tijd"),
                submit_label=_("Verschuiven"),
            )
        minutes = form.cleaned_data["minutes"]
        try:
            shifted = services.shift_sessions(
                sessions=queryset.order_by("start", "pk"), minutes=minutes
            )
        except ValidationError as error:
            self._refuse(request, error)
            return None
        self.message_user(
            request,
            ngettext(
                "%(count)d sessie %(minutes)d minuten verschoven.",
                "%(count)d sessies %(minutes)d minuten verschoven.",
                len(shifted),
            )
            % {"count": len(shifted), "minutes": minutes},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Dupliceer (als concept)"), permissions=["add"])
    def duplicate_sessions(self, request, queryset):
        copies = [
            services.duplicate_session(session=session)
            for session in queryset.order_by("start", "pk")
        ]
        self.message_user(
            request,
            ngettext(
                "%(count)d sessie gedupliceerd als concept: %(slugs)s.",
                "%(count)d sessies gedupliceerd als concept: %(slugs)s.",
                len(copies),
            )
            % {"count": len(copies), "slugs": ", ".join(copy.slug for copy in copies)},
            messages.SUCCESS,
        )
        return None


def _place(cleaned_data):
    venue, room = cleaned_data["venue"], cleaned_data["room"]
    return f"{venue.name}, {room.name}" if room else venue.name
