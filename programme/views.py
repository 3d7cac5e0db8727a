from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from congress import page_cache
from congress.current import current_congress_or_404

from . import exports, services
from .forms import FILTER_FIELDS, ProgrammeFilterForm, filter_choices
from .grouping import by_day_and_time, start_before
from .models import PROGRAMME_ORDER, Session, Speaker
from .paging import (
    PAGE_PARAMETER,
    page_to_return_to,
    programme_page_size,
    requested_page,
    speakers_page_size,
)
from .personal import mark_personal_state
from .structured_data import session_event


def _filter_form(request, congress):
    return ProgrammeFilterForm(request.GET, congress=congress, **filter_choices(congress))


@require_safe
@vary_on_headers("Accept")
def programme(request):
    # Software asking for JSON or a calendar gets the export, with the same filters.
    if (export := exports.negotiated_redirect(request)) is not None:
        return export
    congress = current_congress_or_404(request)
    form = _filter_form(request, congress)
    matching = form.apply(Session.objects.for_congress(congress).published())
    # How many sessions start at each time: the number of matches, and the size of each time
    # slot when a slot runs over two pages. One GROUP BY, far cheaper than reading the sessions.
    slot_sizes = dict(matching.order_by().values_list("start").annotate(total=Count("pk")))
    session_count = sum(slot_sizes.values())
    filter_query = form.query_string()
    pages, page_error = requested_page(request, session_count, programme_page_size(), filter_query)
    # The page's sessions are chosen first, from the index and the few columns the order needs;
    # only those are then read with everything a card shows (seats, changes, personal state):
    # the cost of a page stays that of its own sessions, however many match.
    on_page = matching.order_by(*PROGRAMME_ORDER).values("pk")[
        pages.offset : pages.offset + pages.size
    ]
    sessions = mark_personal_state(
        Session.objects.filter(pk__in=on_page).for_programme().with_personal_state(request.user),
        request.user,
    )
    context = {
        "form": form,
        "days": by_day_and_time(
            sessions,
            slot_sizes=slot_sizes,
            previous_start=start_before(slot_sizes, pages.offset - 1),
        ),
        "session_count": session_count,
        "is_filtered": bool(form.valid_filters()),
        "filter_query": filter_query,
        "pages": pages,
        "page_error": page_error,
    }
    # Unknown filter values are answered plainly (400) with the rest of the page still useful.
    status = 400 if form.errors or page_error else 200
    return render(request, "programme/programme.html", context, status=status)


@require_safe
def session_detail(request, slug):
    congress = current_congress_or_404(request)
    sessions = (
        Session.objects.for_congress(congress)
        .visible_to(request.user)
        .for_programme()
        .with_personal_state(request.user)
    )
    session = get_object_or_404(sessions, slug=slug)
    session.congress = congress
    mark_personal_state([session], request.user)
    # Carry only valid programme filters back, never arbitrary parameters.
    back = QueryDict(mutable=True)
    form = _filter_form(request, congress) if any(k in request.GET for k in FILTER_FIELDS) else None
    if form is not None:
        back.update(form.valid_filters())
    back_is_filtered = bool(back)
    if (page := page_to_return_to(request)) is not None:
        back[PAGE_PARAMETER] = str(page)
    registration = session.my_registration
    changes = list(session.changes.announced().newest_first())
    # Sign-up closes by the clock: a stored copy of this page must not outlive that moment.
    page_cache.changes_at(request, session.start, congress.signup_deadline)
    context = {
        "session": session,
        "back_query": back.urlencode(),
        "back_is_filtered": back_is_filtered,
        "speaker_links": list(session.session_speakers.all()),
        "changes": changes,
        "structured_data": session_event(
            session,
            absolute=request.build_absolute_uri,
            congress=congress,
            changed=bool(changes),
        ),
        "signup_closed_reason": services.signup_closed_reason(session),
        "session_upcoming": session.start > timezone.now(),
        "waitlist_position": (
            services.waitlist_position(registration) if registration is not None else None
        ),
    }
    return render(request, "programme/session_detail.html", context)


def back_to(request, default):
    """Where a POST form asked to return to (its `next` field), if that is a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _session_for_action(request, slug):
    congress = current_congress_or_404(request)
    return get_object_or_404(
        Session.objects.for_congress(congress).published().select_related("congress"), slug=slug
    )


@require_POST
def sign_up(request, slug):
    session = _session_for_action(request, slug)
    if not request.user.is_authenticated:
        messages.info(request, _("Log in of maak een account om u aan te melden."))
        return redirect_to_login(session.get_absolute_url())
    try:
        registration = services.sign_up(user=request.user, session=session)
    except services.SignupRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if registration.is_confirmed:
            messages.success(
                request, _("U bent aangemeld voor ‘%(title)s’.") % {"title": session.title}
            )
        else:
            messages.warning(
                request,
                _(
                    "‘%(title)s’ is vol. U staat op de wachtlijst, op plaats %(position)d. Komt er "
                    "een plaats vrij, dan krijgt u die meteen en sturen we u een e-mail."
                )
                % {"title": session.title, "position": services.waitlist_position(registration)},
            )
    return redirect(back_to(request, session.get_absolute_url()))


@require_POST
def cancel(request, slug):
    session = _session_for_action(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(session.get_absolute_url())
    try:
        services.cancel(user=request.user, session=session)
    except services.SignupRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("U bent afgemeld voor ‘%(title)s’.") % {"title": session.title})
    return redirect(back_to(request, session.get_absolute_url()))


@require_safe
def speaker_list(request):
    congress = current_congress_or_404(request)
    speakers = Speaker.objects.for_congress(congress).with_published_sessions()
    speaker_count = speakers.count()
    pages, page_error = requested_page(request, speaker_count, speakers_page_size())
    listed = speakers.for_list().with_sessions(Session.objects.published())[
        pages.offset : pages.offset + pages.size
    ]
    context = {
        "speakers": list(listed),
        "speaker_count": speaker_count,
        "pages": pages,
        "page_error": page_error,
    }
    return render(
        request, "programme/speaker_list.html", context, status=400 if page_error else 200
    )


@require_safe
def speaker_detail(request, slug):
    congress = current_congress_or_404(request)
    visible_sessions = Session.objects.visible_to(request.user)
    speakers = (
        Speaker.objects.for_congress(congress)
        .visible_to(request.user)
        .with_sessions(visible_sessions.for_programme().with_personal_state(request.user))
    )
    speaker = get_object_or_404(speakers, slug=slug)
    mark_personal_state(speaker.listed_sessions, request.user)
    return render(request, "programme/speaker_detail.html", {"speaker": speaker})
