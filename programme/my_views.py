"""My programme: the sessions a person chose, their sign-ups, and their calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress.current import current_congress_or_404

from . import services
from .grouping import by_day_and_time
from .ical import calendar_response
from .models import Registration, Session
from .personal import mark_personal_state
from .views import _session_for_action, back_to


def my_sessions(user, congress):
    """The sessions in a person's programme: chosen ones and those they signed up for."""
    return (
        Session.objects.for_congress(congress)
        .published()
        .with_personal_state(user)
        .filter(Q(my_favourite_pk__isnull=False) | Q(my_registration_pk__isnull=False))
        .for_programme()
    )


def overlaps(sessions):
    """Pairs of sessions (in time order) that overlap; sessions must be ordered by start."""
    pairs = []
    for index, session in enumerate(sessions):
        for later in sessions[index + 1 :]:
            if later.start >= session.end:
                break
            pairs.append((session, later))
    return pairs


@login_required
@require_safe
def my_programme(request):
    congress = current_congress_or_404(request)
    sessions = mark_personal_state(my_sessions(request.user, congress), request.user)
    clashes = overlaps(sessions)
    clashing_ids = {session.pk for pair in clashes for session in pair}
    for session in sessions:
        session.has_clash = session.pk in clashing_ids
    feed_path = f"/mijn-programma/{request.user.calendar_token}.ics"
    context = {
        "days": by_day_and_time(sessions),
        "session_count": len(sessions),
        "clashes": clashes,
        "feed_url": request.build_absolute_uri(feed_path),
        "webcal_url": "webcal://" + request.get_host() + feed_path,
    }
    return render(request, "programme/my_programme.html", context)


def _answer(request, session, message, *, level=messages.SUCCESS, status=200):
    """JSON for the script that enhances the buttons, a redirect with a message otherwise."""
    if request.headers.get("Accept", "").startswith("application/json"):
        mark_personal_state([session], request.user)
        return JsonResponse(
            {"in_my_programme": session.in_my_programme, "message": message}, status=status
        )
    messages.add_message(request, level, message)
    return redirect(back_to(request, session.get_absolute_url()))


@require_POST
def add(request, slug):
    session = _session_for_action(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(session.get_absolute_url())
    services.add_favourite(user=request.user, session=session)
    return _answer(
        request, session, _("‘%(title)s’ staat in uw programma.") % {"title": session.title}
    )


@require_POST
def remove(request, slug):
    session = _session_for_action(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(session.get_absolute_url())
    try:
        services.remove_favourite(user=request.user, session=session)
    except services.SignupRefused as refusal:
        return _answer(request, session, refusal.message, level=messages.ERROR, status=409)
    return _answer(
        request, session, _("‘%(title)s’ is uit uw programma gehaald.") % {"title": session.title}
    )


@require_safe
def calendar_feed(request, token):
    """The subscribable feed of my programme, found by the secret token.

    Chosen sessions and confirmed places are CONFIRMED events; waitlist spots are TENTATIVE.
    """
    user = get_user_model().objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("Unknown calendar token.")
    congress = current_congress_or_404(request)
    sessions = (
        Session.objects.for_congress(congress)
        .published()
        .filter(Q(favourites__user=user) | Q(registrations__user=user))
        .distinct()
        .select_related("venue", "room")
        .order_by("start")
    )
    waitlisted = set(
        Registration.objects.filter(user=user).waitlisted().values_list("session_id", flat=True)
    )
    response = calendar_response(
        sessions,
        waitlisted_ids=waitlisted,
        name=_("Mijn programma – %(name)s") % {"name": congress.name},
        base_url=settings.SITE_URL,
        filename="mijn-programma.ics",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
