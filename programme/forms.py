import unicodedata
from typing import NamedTuple

from django import forms
from django.db.models import Value
from django.http import QueryDict
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from congress.models import Theme
from venues.models import Venue

from .models import SessionKind

FILTER_FIELDS = ("dag", "soort", "thema", "locatie", "plaats", "q")


class Choice(NamedTuple):
    pk: int
    slug: str
    name: str


def filter_choices(congress):
    """The congress's themes (in their order) and venues (by name) for the filters, as Choices.

    One query, a UNION of the two: {"themes": [...], "venues": [...]}.
    """
    themes = (
        Theme.objects.filter(congress=congress)
        .annotate(choice_of=Value(0))
        .values_list("choice_of", "order", "name", "pk", "slug")
        .order_by()
    )
    venues = (
        Venue.objects.filter(congress=congress)
        .annotate(choice_of=Value(1), position=Value(0))
        .values_list("choice_of", "position", "name", "pk", "slug")
        .order_by()
    )
    choices = {"themes": [], "venues": []}
    for choice_of, _order, name, pk, slug in themes.union(venues, all=True).order_by(
        "choice_of", "order", "name"
    ):
        choices["venues" if choice_of else "themes"].append(Choice(pk, slug, name))
    return choices


# Characters a message never repeats from a visitor's value: control and format characters (NUL,
# escapes, direction overrides) and separators other than the space.
UNSHOWN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
SHOWN_LENGTH = 40


def shown(value):
    """A visitor's value as an error message repeats it: printable, and short."""
    text = " ".join(
        "".join(
            " " if unicodedata.category(char) in UNSHOWN else char for char in str(value)
        ).split()
    )
    return Truncator(text).chars(SHOWN_LENGTH)


class FilterChoiceField(forms.ChoiceField):
    """A filter's choice; a value that is not one of them is named, printably, in the error."""

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": shown(value)},
            ) from None


class ProgrammeFilterForm(forms.Form):
    """The filters of /programma/. Every field is optional and they combine."""

    dag = FilterChoiceField(label=_("Dag"), required=False)
    soort = FilterChoiceField(label=_("Soort"), required=False)
    thema = FilterChoiceField(label=_("Thema"), required=False)
    locatie = FilterChoiceField(label=_("Locatie"), required=False)
    plaats = FilterChoiceField(
        label=_("Alleen sessies met nog plaats"),
        required=False,
        choices=[("ja", _("Alleen sessies met nog plaats"))],
    )
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        help_text=_("Titel, samenvatting, spreker of organisatie"),
    )

    def __init__(self, data, *, congress, themes, venues):
        super().__init__(data)
        everything = [("", _("Alle"))]
        self.days = {day.isoformat(): day for day in congress.days}
        self.fields["dag"].choices = everything + [
            (key, formats.date_format(day, "l j F")) for key, day in self.days.items()
        ]
        self.fields["soort"].choices = everything + list(SessionKind.choices)
        self.themes = {theme.slug: theme for theme in themes}
        self.fields["thema"].choices = everything + [(t.slug, t.name) for t in themes]
        self.venues = {venue.slug: venue for venue in venues}
        self.fields["locatie"].choices = everything + [(v.slug, v.name) for v in venues]
        for name in ("dag", "soort", "thema", "locatie", "plaats"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "De gekozen waarde ‘%(value)s’ bestaat niet; dit filter is niet toegepast."
            )
        self.fields["q"].error_messages["max_length"] = _(
            "Gebruik hoogstens %(limit_value)d tekens om te zoeken; de zoekterm is niet toegepast."
        )

    def valid_filters(self):
        """The filters that hold a valid value; invalid ones are left out (and shown as errors)."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in ("", None)
        }

    def apply(self, sessions):
        filters = self.valid_filters()
        if "dag" in filters:
            sessions = sessions.on_day(self.days[filters["dag"]])
        if "soort" in filters:
            sessions = sessions.filter(kind=filters["soort"])
        if "thema" in filters:
            sessions = sessions.filter(themes=self.themes[filters["thema"]].pk)
        if "locatie" in filters:
            sessions = sessions.filter(venue=self.venues[filters["locatie"]].pk)
        if "plaats" in filters:
            sessions = sessions.with_places_left()
        if "q" in filters:
            sessions = sessions.search(filters["q"])
        return sessions

    def query_string(self):
        """The valid filters as a query string, to carry to a session and back."""
        query = QueryDict(mutable=True)
        for name, value in self.valid_filters().items():
            query[name] = value
        return query.urlencode()
