"""/programma/wijzigingen/: what changed in the published programme, newest first, and its feed."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from congress.current import current_congress_or_404

from .models import PUBLIC_STATUSES, SessionChange

FEED_SIZE = 50


def announced_changes(congress):
    return (
        SessionChange.objects.for_congress(congress)
        .announced()
        .filter(session__status__in=PUBLIC_STATUSES)
        .select_related("session")
        .newest_first()
    )


@require_safe
def change_list(request):
    congress = current_congress_or_404(request)
    changes = list(announced_changes(congress)[:500])
    return render(request, "programme/changes.html", {"changes": changes})


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        return current_congress_or_404(request)

    def title(self, congress):
        return _("Wijzigingen in het programma – %(name)s") % {"name": congress.name}

    def subtitle(self, congress):
        return _("Verplaatste, verschoven en vervallen sessies van het %(name)s.") % {
            "name": congress.name
        }

    def link(self, congress):
        return reverse("programme:changes")

    def items(self, congress):
        return announced_changes(congress)[:FEED_SIZE]

    def item_title(self, change):
        if change.field == SessionChange.Field.STATUS and change.new_value == "Vervallen":
            return _("Vervallen: %(title)s") % {"title": change.session.title}
        return _("Gewijzigd: %(title)s") % {"title": change.session.title}

    def item_description(self, change):
        return _("%(what)s: was %(old)s, wordt %(new)s.") % {
            "what": change.get_field_display(),
            "old": change.old_value,
            "new": change.new_value,
        }

    def item_link(self, change):
        return change.session.get_absolute_url()

    def item_guid(self, change):
        return f"wijziging-{change.pk}@vngjaarcongres.nl"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.changed_at

    def item_updateddate(self, change):
        return change.changed_at
