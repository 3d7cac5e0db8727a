"""The current edition of the congress, looked up once per request."""

from django.http import Http404

from .models import Congress

_ATTRIBUTE = "_current_congress"
# Set by the page cache (congress/page_cache.py), which read the congress's row with the content
# version: a function that makes the Congress from that row, without another query.
_FROM_ROW_READ = "_current_congress_from_row"


def current_congress(request):
    """The congress the site shows, or None when no edition is marked current."""
    if not hasattr(request, _ATTRIBUTE):
        from_row = getattr(request, _FROM_ROW_READ, None)
        setattr(request, _ATTRIBUTE, from_row() if from_row else Congress.objects.current())
    return getattr(request, _ATTRIBUTE)


def current_congress_or_404(request):
    congress = current_congress(request)
    if congress is None:
        raise Http404("No current congress.")
    return congress
