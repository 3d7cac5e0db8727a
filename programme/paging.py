"""Long lists in pages of a fixed size, so that a page costs the same however large the congress.

`?pagina=N` chooses the page. A value that is no page of the list shows the first page, with a
message saying why, and status 400 (as for an unknown filter value).
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import ngettext

PAGE_PARAMETER = "pagina"
# Page links shown on either side of the current page (first and last are always shown).
NEIGHBOURS = 2


@dataclass(frozen=True)
class Pages:
    """Page `number` of `count` pages, each of `size` items; `query` holds the filters to keep."""

    number: int
    count: int
    size: int
    query: str = ""

    @property
    def offset(self):
        return (self.number - 1) * self.size

    @property
    def previous(self):
        return self.link(self.number - 1) if self.number > 1 else None

    @property
    def next(self):
        return self.link(self.number + 1) if self.number < self.count else None

    @property
    def links(self):
        """Links to pages, None where some are left out: 1 None 4 5 6 7 8 None 60."""
        shown = {1, self.count, *range(self.number - NEIGHBOURS, self.number + NEIGHBOURS + 1)}
        links = []
        for number in sorted(number for number in shown if 1 <= number <= self.count):
            if links and number - links[-1].number > 1:
                links.append(None)
            links.append(self.link(number))
        return links

    def link(self, number):
        return PageLink(number, self.url_query(number), number == self.number)

    def url_query(self, number):
        """The query string for page `number`, with the filters of this list."""
        query = QueryDict(self.query, mutable=True)
        if number > 1:
            query[PAGE_PARAMETER] = str(number)
        return query.urlencode()

    @cached_property
    def here(self):
        """The query string of this page itself (filters and page), to come back to it."""
        return self.url_query(self.number)


@dataclass(frozen=True)
class PageLink:
    number: int
    query: str
    current: bool


def programme_page_size():
    return settings.PROGRAMME_PAGE_SIZE


def speakers_page_size():
    return settings.SPEAKERS_PAGE_SIZE


def page_count(items, size):
    return max(1, -(-items // size))


def requested_page(request, items, size, query=""):
    """(Pages, Dutch message or None) for the page `?pagina=` asks of `items` items."""
    count = page_count(items, size)
    raw = request.GET.get(PAGE_PARAMETER, "").strip()
    if not raw:
        return Pages(1, count, size, query), None
    if len(raw) <= 6 and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= count:
        return Pages(int(raw), count, size, query), None
    message = ngettext(
        "Pagina ‘%(value)s’ bestaat niet: er is %(count)d pagina. U ziet de eerste pagina.",
        "Pagina ‘%(value)s’ bestaat niet: er zijn %(count)d pagina’s. U ziet de eerste pagina.",
        count,
    ) % {"value": raw[:20], "count": count}
    return Pages(1, count, size, query), message


def page_to_return_to(request):
    """The page number a link from a list carried (?pagina=N), when it is a plausible one."""
    raw = request.GET.get(PAGE_PARAMETER, "").strip()
    if len(raw) <= 6 and raw.isascii() and raw.isdigit() and int(raw) > 1:
        return int(raw)
    return None
