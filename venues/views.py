from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from congress.current import current_congress_or_404
from programme.grouping import by_day_and_time
from programme.models import Session
from programme.personal import mark_personal_state

from .models import Venue, VenueKind
from .structured_data import place_document


@require_safe
def venue_list(request):
    congress = current_congress_or_404(request)
    venues = list(Venue.objects.for_congress(congress).for_list())
    groups = []
    for kind, label in VenueKind.choices:
        members = [venue for venue in venues if venue.kind == kind]
        if kind == VenueKind.REGIONAL:
            members.sort(key=lambda venue: (venue.municipality, venue.town, venue.name))
        if members:
            groups.append({"kind": kind, "label": label, "venues": members})
    return render(request, "venues/venue_list.html", {"groups": groups})


@require_safe
def venue_detail(request, slug):
    congress = current_congress_or_404(request)
    venue = get_object_or_404(Venue.objects.for_congress(congress).for_detail(), slug=slug)
    sessions = mark_personal_state(
        Session.objects.for_congress(congress)
        .published()
        .filter(venue=venue)
        .for_programme()
        .with_personal_state(request.user),
        request.user,
    )
    context = {
        "venue": venue,
        "days": by_day_and_time(sessions),
        "session_count": len(sessions),
        "structured_data": place_document(venue, absolute=request.build_absolute_uri),
    }
    return render(request, "venues/venue_detail.html", context)
