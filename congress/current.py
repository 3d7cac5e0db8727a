"""The current edition of the congress, looked up once per request."""

from django.http import Http404

from .models import Congress

_ATTRIBUTE = "_current_congress"


def current_congress(request):
    """The congress the site shows, or None when no edition is marked current."""
    if not hasattr(request, _ATTRIBUTE):
        setattr(request, _ATTRIBUTE, Congress.objects.current())
    return getattr(request, _ATTRIBUTE)


def current_congress_or_404(request):
    congress = current_congress(request)
    if congress is None:
        raise Http404("No current congress.")
    return congress
