"""Locations as CSV or Excel rows (import and export in /beheer/); see docs/import-export.md."""

from django.utils.translation import gettext as _
from import_export import fields, widgets

from congress.importing import (
    SEPARATOR,
    ChoiceWidget,
    CongressResource,
    DecimalWidget,
    IntegerWidget,
    TextWidget,
    is_empty,
    split_list,
)

from .models import Room, Venue, VenueKind


class RoomNamesWidget(widgets.ManyToManyWidget):
    """The names of a location's rooms, separated by ';'.

    Importing adds the rooms that are missing; it never removes one (that is done in the admin,
    where it shows which sessions use the room).
    """

    ordered = False

    def __init__(self, **kwargs):
        super().__init__(Room, separator=SEPARATOR, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = list(dict.fromkeys(split_list(value)))
        max_length = Room._meta.get_field("name").max_length
        too_long = [name for name in names if len(name) > max_length]
        if too_long:
            raise ValueError(
                _("Een zaalnaam heeft hoogstens %(max)d tekens: %(names)s.")
                % {"max": max_length, "names": ", ".join(too_long)}
            )
        return names

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(self.keys(value))

    def keys(self, value):
        if value is None:
            return []
        items = value.all() if hasattr(value, "all") else value
        return [item if isinstance(item, str) else item.name for item in items]

    def unchanged(self, new, old):
        return set(new) <= set(old)


class RoomNamesField(fields.Field):
    def get_value(self, instance):
        return instance.rooms.all() if instance.pk is not None else []

    def save(self, instance, row, is_m2m=False, **kwargs):
        existing = set(instance.rooms.values_list("name", flat=True))
        Room.objects.bulk_create(
            Room(venue=instance, name=name, order=position)
            for position, name in enumerate(self.clean(row), start=1)
            if name not in existing
        )


class RoomWidget(widgets.ForeignKeyWidget):
    """A room by its name, within the location in the row's `venue_column` (empty: no room)."""

    congress = None

    def __init__(self, venue_column, **kwargs):
        super().__init__(Room, field="name", **kwargs)
        self.venue_column = venue_column

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        name = str(value).strip()
        venue_slug = str((row or {}).get(self.venue_column) or "").strip()
        if not venue_slug:
            raise ValueError(
                _("Zaal ‘%(name)s’ kan alleen met een locatie in de kolom ‘%(column)s’.")
                % {"name": name, "column": self.venue_column}
            )
        rooms = {
            room.name: room
            for room in Room.objects.filter(
                venue__congress=self.congress, venue__slug=venue_slug
            ).select_related("venue")
        }
        if name not in rooms:
            raise ValueError(
                _("Locatie ‘%(venue)s’ heeft geen zaal ‘%(name)s’ (wel: %(rooms)s).")
                % {"venue": venue_slug, "name": name, "rooms": ", ".join(rooms) or "–"}
            )
        return rooms[name]


class VenueResource(CongressResource):
    slug = fields.Field(attribute="slug", column_name="Slug", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="Naam", widget=TextWidget())
    kind = fields.Field(
        attribute="kind",
        column_name="Soort",
        widget=ChoiceWidget(VenueKind.choices),
        saves_null_values=False,
    )
    street = fields.Field(
        attribute="street", column_name="Straat en huisnummer", widget=TextWidget()
    )
    postcode = fields.Field(attribute="postcode", column_name="Postcode", widget=TextWidget())
    town = fields.Field(attribute="town", column_name="Plaats", widget=TextWidget())
    municipality = fields.Field(
        attribute="municipality", column_name="Gemeente", widget=TextWidget()
    )
    latitude = fields.Field(
        attribute="latitude", column_name="Breedtegraad", widget=DecimalWidget()
    )
    longitude = fields.Field(
        attribute="longitude", column_name="Lengtegraad", widget=DecimalWidget()
    )
    description = fields.Field(
        attribute="description", column_name="Omschrijving", widget=TextWidget()
    )
    route_public_transport = fields.Field(
        attribute="route_public_transport",
        column_name="Route met het openbaar vervoer",
        widget=TextWidget(),
    )
    route_car = fields.Field(
        attribute="route_car", column_name="Route met de auto", widget=TextWidget()
    )
    parking = fields.Field(attribute="parking", column_name="Parkeren", widget=TextWidget())
    accessibility = fields.Field(
        attribute="accessibility", column_name="Toegankelijkheid", widget=TextWidget()
    )
    website = fields.Field(attribute="website", column_name="Website", widget=TextWidget())
    order = fields.Field(
        attribute="order", column_name="Volgorde", widget=IntegerWidget(), default=0
    )
    rooms = RoomNamesField(attribute="rooms", column_name="Zalen", widget=RoomNamesWidget())

    class Meta(CongressResource.Meta):
        model = Venue
        name = "Locaties"
        fields = [
            "slug",
            "name",
            "kind",
            "street",
            "postcode",
            "town",
            "municipality",
            "latitude",
            "longitude",
            "description",
            "route_public_transport",
            "route_car",
            "parking",
            "accessibility",
            "website",
            "order",
            "rooms",
        ]
        import_order = fields
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).prefetch_related("rooms")
