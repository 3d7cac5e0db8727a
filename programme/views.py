from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from congress.current import current_congress_or_404
from venues.models import Venue

from .forms import FILTER_FIELDS, ProgrammeFilterForm
from .grouping import by_day_and_time
from .models import Session, Speaker


def _filter_form(request, congress):
    themes = list(congress.themes.order_by("order", "name"))
    venues = list(Venue.objects.for_congress(congress).order_by("name").only("name", "slug"))
    return ProgrammeFilterForm(request.GET, congress=congress, themes=themes, venues=venues)


@require_safe
def programme(request):
    congress = current_congress_or_404(request)
    form = _filter_form(request, congress)
    sessions = list(form.apply(Session.objects.for_congress(congress).published()).for_programme())
    context = {
        "form": form,
        "days": by_day_and_time(sessions),
        "session_count": len(sessions),
        "is_filtered": bool(form.valid_filters()),
        "filter_query": form.query_string(),
    }
    # Unknown filter values are answered plainly (400) with the rest of the page still useful.
    status = 400 if form.errors else 200
    return render(request, "programme/programme.html", context, status=status)


@require_safe
def session_detail(request, slug):
    congress = current_congress_or_404(request)
    sessions = Session.objects.for_congress(congress).visible_to(request.user).for_programme()
    session = get_object_or_404(sessions, slug=slug)
    # Carry only valid programme filters back, never arbitrary parameters.
    back = QueryDict(mutable=True)
    form = _filter_form(request, congress) if any(k in request.GET for k in FILTER_FIELDS) else None
    if form is not None:
        back.update(form.valid_filters())
    context = {
        "session": session,
        "back_query": back.urlencode(),
        "speaker_links": list(session.session_speakers.all()),
    }
    return render(request, "programme/session_detail.html", context)


@require_safe
def speaker_list(request):
    congress = current_congress_or_404(request)
    speakers = (
        Speaker.objects.for_congress(congress)
        .with_published_sessions()
        .for_list()
        .with_sessions(Session.objects.published())
    )
    return render(request, "programme/speaker_list.html", {"speakers": list(speakers)})


@require_safe
def speaker_detail(request, slug):
    congress = current_congress_or_404(request)
    visible_sessions = Session.objects.visible_to(request.user)
    speakers = (
        Speaker.objects.for_congress(congress)
        .visible_to(request.user)
        .with_sessions(visible_sessions.for_programme())
    )
    speaker = get_object_or_404(speakers, slug=slug)
    return render(request, "programme/speaker_detail.html", {"speaker": speaker})
