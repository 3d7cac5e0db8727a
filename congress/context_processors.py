from django.utils.functional import SimpleLazyObject

from .current import current_congress
from .models import Page


def site(request):
    """The current congress and the information pages in the navigation, on every page.

    Both are lazy, so a page that does not show them does not query for them.
    """

    def navigation_pages():
        congress = current_congress(request)
        if congress is None:
            return []
        return list(Page.objects.in_navigation().filter(congress=congress).only("title", "slug"))

    return {
        "congress": SimpleLazyObject(lambda: current_congress(request)),
        "navigation_pages": SimpleLazyObject(navigation_pages),
    }
