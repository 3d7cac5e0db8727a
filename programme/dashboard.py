"""The editors' dashboard on the admin's first page (/beheer/): the current congress at a glance.

Every number links to the admin list that shows exactly those sessions or sign-ups, through the
list filters of the session and registration admins. The numbers come from programme.selectors,
in a fixed number of queries.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from congress.models import Congress

from . import selectors
from .admin import SessionCheckFilter
from .models import RegistrationStatus, SessionKind, SessionStatus

# How many clashes a line spells out; the linked list shows them all.
MAX_DETAILS = 10


@dataclass
class Line:
    label: str
    count: int
    url: str
    details: list = field(default_factory=list)
    more: int = 0


def _sessions_url(congress, **params):
    query = urlencode({"congress__id__exact": congress.pk, **params})
    return f"{reverse('admin:programme_session_changelist')}?{query}"


def _registrations_url(congress, status):
    query = urlencode({"session__congress__id__exact": congress.pk, "status__exact": status})
    return f"{reverse('admin:programme_registration_changelist')}?{query}"


def _check_url(congress, check, **params):
    return _sessions_url(congress, **{SessionCheckFilter.parameter_name: check}, **params)


def _clash_line(label, clashes, url, describe):
    involved = {clash.session_id for clash in clashes} | {clash.other_id for clash in clashes}
    details = [describe(clash) for clash in clashes]
    return Line(
        label,
        len(involved),
        url,
        details[:MAX_DETAILS],
        more=max(len(details) - MAX_DETAILS, 0),
    )


def _room_clash(clash):
    return _("‘%(title)s’ en ‘%(other)s’ in %(room)s") % {
        "title": clash.session_title,
        "other": clash.other_title,
        "room": clash.where,
    }


def _speaker_clash(clash):
    return _("%(speaker)s: ‘%(title)s’ en ‘%(other)s’") % {
        "speaker": clash.where,
        "title": clash.session_title,
        "other": clash.other_title,
    }


def kind_status_table(congress, counts):
    """Sessions per kind (rows) and status (columns), with totals; each number with its link."""

    def cell(number, **params):
        return {"count": number, "url": _sessions_url(congress, **params)}

    rows = []
    for kind in SessionKind:
        cells = [
            cell(counts.get((kind.value, status.value), 0), kind__exact=kind, status__exact=status)
            for status in SessionStatus
        ]
        total = sum(c["count"] for c in cells)
        rows.append({"label": kind.label, "cells": cells, "total": cell(total, kind__exact=kind)})
    column_totals = [
        cell(
            sum(n for (_kind, status_value), n in counts.items() if status_value == status),
            status__exact=status,
        )
        for status in SessionStatus
    ]
    return {
        "statuses": [status.label for status in SessionStatus],
        "rows": rows,
        "totals": column_totals,
        "total": cell(sum(counts.values())),
    }


def dashboard(request):
    """The dashboard's context for this editor, or None when they may not see sessions."""
    user = request.user
    if not user.has_perm("programme.view_session"):
        return None
    congress = Congress.objects.current()
    if congress is None:
        return {"congress": None}
    counts = selectors.session_counts(congress)
    drafts = sum(n for (_kind, status), n in counts.items() if status == SessionStatus.DRAFT)
    lines = [
        Line(
            _("Concepten, nog niet gepubliceerd"),
            drafts,
            _sessions_url(congress, status__exact=SessionStatus.DRAFT),
        ),
        Line(
            _("Sessies zonder locatie"),
            selectors.sessions_without_venue(congress).count(),
            _check_url(congress, SessionCheckFilter.WITHOUT_VENUE),
        ),
        Line(
            _("Sessies zonder sprekers (pauzes niet meegeteld)"),
            selectors.sessions_without_speakers(congress).count(),
            _check_url(congress, SessionCheckFilter.WITHOUT_SPEAKERS),
        ),
        _clash_line(
            _("Sessies die tegelijk in dezelfde zaal staan"),
            selectors.room_clashes(congress),
            _check_url(congress, SessionCheckFilter.ROOM_CLASH),
            _room_clash,
        ),
        _clash_line(
            _("Sessies met een spreker die tegelijk ergens anders staat"),
            selectors.speaker_clashes(congress),
            _check_url(congress, SessionCheckFilter.SPEAKER_CLASH),
            _speaker_clash,
        ),
        Line(
            _("Volle middagsessies"),
            selectors.full_sessions(congress).filter(kind=SessionKind.AFTERNOON).count(),
            _check_url(congress, SessionCheckFilter.FULL, kind__exact=SessionKind.AFTERNOON),
        ),
    ]
    if user.has_perm("programme.view_registration"):
        signups = selectors.registration_counts(congress)
        lines += [
            Line(
                _("Aanmeldingen met een plaats"),
                signups["confirmed"],
                _registrations_url(congress, RegistrationStatus.CONFIRMED),
            ),
            Line(
                _("Aanmeldingen op de wachtlijst"),
                signups["waitlisted"],
                _registrations_url(congress, RegistrationStatus.WAITLISTED),
            ),
        ]
    return {
        "congress": congress,
        "table": kind_status_table(congress, counts),
        "lines": lines,
    }


def index_with_dashboard(index):
    """Wrap AdminSite.index so the admin's first page gets the dashboard in its context."""

    def view(request, extra_context=None):
        return index(
            request, extra_context={"dashboard": dashboard(request), **(extra_context or {})}
        )

    return view
