from django.core.exceptions import DisallowedHost
from django.utils.functional import SimpleLazyObject

from . import current


def site(request):
    """The current congress and the information pages in the navigation, on every page.

    Both are lazy, and come from the one row every request reads (congress/current.py).
    """

    try:
        # The page's own address without filters or tracking parameters, for search engines.
        canonical_url = request.build_absolute_uri(request.path)
        site_root = request.build_absolute_uri("/").removesuffix("/")
    except DisallowedHost:
        # The 400 page for a forged Host header must not fail on that header again (a 500).
        canonical_url = site_root = ""
    return {
        "canonical_url": canonical_url,
        "site_root": site_root,
        "congress": SimpleLazyObject(lambda: current.current_congress(request)),
        "navigation_pages": SimpleLazyObject(lambda: current.navigation_pages(request)),
    }
