"""/sitemap.xml: every public page of the current congress."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programme.models import Session, Speaker
from venues.models import Venue

from .models import Congress, Page


class FixedPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def __init__(self, congress=None):
        self.congress = congress

    def items(self):
        return [
            "congress:home",
            "programme:list",
            "speakers:list",
            "venues:list",
            "congress:livestream",
            "programme:changes",
        ]

    def location(self, item):
        return reverse(item)


class CongressContentSitemap(Sitemap):
    """Base for content of the current edition; an empty list when there is none.

    The items are one list, read in one query (a queryset would be counted first, then read).
    """

    def __init__(self, congress=None):
        self.congress = congress if congress is not None else Congress.objects.current()

    def items(self):
        return list(self.for_congress(self.congress)) if self.congress else []


class SessionSitemap(CongressContentSitemap):
    changefreq = "daily"
    priority = 0.6

    def for_congress(self, congress):
        return Session.objects.for_congress(congress).published().order_by("start", "pk")

    def lastmod(self, session):
        return session.updated_at


class SpeakerSitemap(CongressContentSitemap):
    priority = 0.4

    def for_congress(self, congress):
        return Speaker.objects.for_congress(congress).with_published_sessions().order_by("pk")


class VenueSitemap(CongressContentSitemap):
    priority = 0.5

    def for_congress(self, congress):
        return Venue.objects.for_congress(congress).order_by("pk")


class PageSitemap(CongressContentSitemap):
    priority = 0.5

    def for_congress(self, congress):
        return Page.objects.published().filter(congress=congress).order_by("pk")

    def lastmod(self, page):
        return page.updated_at


SITEMAPS = {
    "paginas": FixedPagesSitemap,
    "sessies": SessionSitemap,
    "sprekers": SpeakerSitemap,
    "locaties": VenueSitemap,
    "informatie": PageSitemap,
}
