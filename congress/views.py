from django.contrib.sites.requests import RequestSite
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from programme.models import Session, SessionKind
from programme.personal import mark_personal_state
from programme.structured_data import congress_event
from venues.models import Venue, VenueKind

from . import health
from .current import about_page, current_congress, current_congress_or_404
from .models import Congress, Page
from .sitemaps import SITEMAPS


def _count(rows, field="pk", *, distinct=False):
    """The number of `rows` (a queryset filtered on OuterRef("pk") of a congress) as a subquery."""
    counted = rows.order_by().values("congress").annotate(total=Count(field, distinct=distinct))
    return Coalesce(Subquery(counted.values("total")), 0)


@require_safe
def home(request):
    congress = current_congress(request)
    if congress is None:
        return render(request, "congress/no_congress.html", status=404)
    sessions = Session.objects.for_congress(congress).published()
    # The highlights (plenary and ALV) and every livestreamed session, not only highlights (the
    # same set /livestream/ lists), in one query.
    listed = list(
        sessions.filter(
            Q(kind__in=[SessionKind.PLENARY, SessionKind.GENERAL_ASSEMBLY]) | Q(livestream=True)
        )
        .for_programme()
        .with_personal_state(request.user)
        .defer("description")
    )
    highlights = [
        session
        for session in listed
        if session.kind in (SessionKind.PLENARY, SessionKind.GENERAL_ASSEMBLY)
    ]
    main_venues = list(
        Venue.objects.for_congress(congress)
        .filter(kind__in=[VenueKind.PLENARY, VenueKind.EVENING])
        .order_by("order", "name")
    )
    regional = Venue.objects.filter(congress=OuterRef("pk"), kind=VenueKind.REGIONAL)
    counts = (
        Congress.objects.filter(pk=congress.pk)
        .values(
            afternoon=_count(
                Session.objects.filter(
                    congress=OuterRef("pk"), kind=SessionKind.AFTERNOON
                ).published()
            ),
            regional_venues=_count(regional),
            municipalities=_count(regional.exclude(municipality=""), "municipality", distinct=True),
        )
        .get()
    )
    context = {
        "highlights": mark_personal_state(highlights, request.user),
        "main_venues": main_venues,
        "regional_venue_count": counts["regional_venues"],
        "regional_municipality_count": counts["municipalities"],
        "afternoon_session_count": counts["afternoon"],
        "themes": list(congress.themes.order_by("order", "name")),
        "about_page": about_page(request),
        "structured_data": congress_event(
            congress, absolute=request.build_absolute_uri, venues=main_venues
        ),
        "livestream_sessions": [session for session in listed if session.livestream],
    }
    return render(request, "congress/home.html", context)


@require_safe
def livestream(request):
    congress = current_congress_or_404(request)
    sessions = Session.objects.for_congress(congress).published().livestreamed().for_programme()
    sessions = mark_personal_state(sessions.with_personal_state(request.user), request.user)
    return render(request, "congress/livestream.html", {"sessions": sessions})


@require_safe
def page(request, slug):
    congress = current_congress_or_404(request)
    pages = Page.objects.filter(congress=congress)
    if not (request.user.is_authenticated and request.user.is_staff):
        pages = pages.published()
    return render(request, "congress/page.html", {"page": get_object_or_404(pages, slug=slug)})


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the cache both answer, else 503 naming the one that does not."""
    checks = {
        "database": "ok" if health.database_answers() else "error",
        "cache": "ok" if health.cache_answers() else "error",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /account/",
        "Disallow: /mijn-programma/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request):
    """/sitemap.xml with addresses on the host that was asked (not a fixed Site domain)."""
    site = RequestSite(request)
    congress = current_congress(request)
    urls = []
    for sitemap_class in SITEMAPS.values():
        urls.extend(sitemap_class(congress).get_urls(site=site, protocol=request.scheme))
    return TemplateResponse(
        request, "sitemap.xml", {"urlset": urls}, content_type="application/xml; charset=utf-8"
    )
