"""The programme for other software: iCal for calendars, c3voc/frab schedules for conference apps.

The programme exports honour exactly the filters of /programma/. Where the page shows a bad filter
value as a message, an export cannot: it answers 400 with a short text instead.
"""

import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from congress.current import current_congress_or_404

from . import exports
from .ical import calendar_response
from .models import Session
from .views import _filter_form


def _base_url(request):
    return request.build_absolute_uri("/")


def _filtered_sessions(request, congress):
    """(the published sessions matching the request's filters, None) or (None, a 400 answer)."""
    form = _filter_form(request, congress)
    if not form.is_valid():
        message = _(
            "Ongeldig filter: %(fields)s. Zie /programma/ voor de waarden die kunnen, "
            "bijvoorbeeld ?dag=%(day)s&soort=middagsessie."
        ) % {"fields": ", ".join(form.errors), "day": congress.start_date.isoformat()}
        return None, HttpResponseBadRequest(
            message + "\n", content_type="text/plain; charset=utf-8"
        )
    return form.apply(Session.objects.for_congress(congress).published()), None


@require_safe
def programme_calendar(request):
    """/programma.ics: the (filtered) programme as a calendar to import or subscribe to."""
    congress = current_congress_or_404(request)
    sessions, refusal = _filtered_sessions(request, congress)
    if refusal is not None:
        return refusal
    return calendar_response(
        exports.for_calendar(sessions),
        name=_("%(name)s – programma") % {"name": congress.name},
        base_url=_base_url(request),
        filename="programma.ics",
        categories=True,
    )


@require_safe
def session_calendar(request, slug):
    """/programma/<slug>.ics: one published (or cancelled) session; drafts are 404."""
    congress = current_congress_or_404(request)
    sessions = exports.for_calendar(Session.objects.for_congress(congress).published())
    session = get_object_or_404(sessions, slug=slug)
    return calendar_response(
        [session],
        name=_("%(name)s – %(title)s") % {"name": congress.name, "title": session.title},
        base_url=_base_url(request),
        filename=f"{session.slug}.ics",
        categories=True,
    )


def _schedule(request):
    congress = current_congress_or_404(request)
    sessions, refusal = _filtered_sessions(request, congress)
    if refusal is not None:
        return None, refusal
    document = exports.schedule(
        congress, exports.for_schedule(sessions), base_url=_base_url(request)
    )
    return document, None


@require_safe
def schedule_xml(request):
    """/programma/schedule.xml: the frab/c3voc schedule for conference apps."""
    document, refusal = _schedule(request)
    if refusal is not None:
        return refusal
    return HttpResponse(
        exports.schedule_xml(document, url=request.build_absolute_uri()),
        content_type="application/xml; charset=utf-8",
    )


@require_safe
def schedule_json(request):
    """/programma/schedule.json: the c3voc JSON schedule for conference apps."""
    document, refusal = _schedule(request)
    if refusal is not None:
        return refusal
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
