"""Versions in /beheer/: who changed what and when, the differences, and restoring a version.

django-simple-history keeps a version of every session, speaker, venue, room, page and congress
on each save (with the user, through its middleware or the admin). `HistoryAdmin` is the
ModelAdmin base that shows them: the history page lists the versions with the differences to the
version before, and an earlier version opens in a form that restores it. Its templates are in
templates/simple_history/, in Dutch.
"""

from datetime import date, datetime

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay


class DutchDiffDisplay(ObjDiffDisplay):
    def shortened_str(self, prefix, num_skipped_chars, suffix):
        skipped = _("[%(count)d tekens]") % {"count": num_skipped_chars}
        return f"{prefix}{skipped}{suffix}"


class ReadableChanges(HistoricalRecordContextHelper):
    """Differences as an editor reads them: labels for choices, ja/nee, local times, '–'."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, list):
            return [_deleted(item) if isinstance(item, DeletedObject) else item for item in value]
        if isinstance(value, DeletedObject):
            return _deleted(value)
        if field.choices:
            return force_str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        if isinstance(value, datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT")
        return value

    def get_obj_diff_display(self):
        return DutchDiffDisplay(max_length=self.max_displayed_delta_change_chars)


def _deleted(obj):
    return _("(verwijderd: %(name)s %(pk)s)") % {"name": obj.model._meta.verbose_name, "pk": obj.pk}


class HistoryAdmin(SimpleHistoryAdmin):
    """A ModelAdmin with the object's versions: history list, differences and restoring.

    Whoever may view an object sees its history; whoever may change it restores a version.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("Geschiedenis van %s") % force_str(obj)

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("Eerdere versie van %s") % force_str(obj)
        return _("Eerdere versie van %s terugzetten") % force_str(obj)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # Through the two below, so that an admin narrows both by overriding them.
        return self.has_view_history_permission(request, obj) or self.has_change_history_permission(
            request, obj
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history would also save a version posted by someone who may only view it.
        if request.method == "POST":
            versions = getattr(self.model, self.opts.simple_history_manager_attribute).model
            version = get_object_or_404(
                versions, **{self.opts.pk.attname: unquote(object_id), "history_id": version_id}
            )
            if not self.has_change_history_permission(request, version.instance):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        version = getattr(obj, "_history", None)
        if version is not None:
            # Restoring an earlier version: say so in the history.
            obj._change_reason = _("Teruggezet naar de versie van %(moment)s") % {
                "moment": formats.date_format(
                    timezone.localtime(version.history_date), "DATETIME_FORMAT"
                )
            }
        super().save_model(request, obj, form, change)
