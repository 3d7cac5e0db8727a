"""Sessions and speakers as CSV or Excel rows (import and export in /beheer/).

See docs/import-export.md for the columns. Every session is saved through Session.save(), one by
one, so a change to a public session's time, place or status is recorded as for an edit in the
admin.
"""

from django.db.models import Prefetch
from import_export import fields

from congress.importing import (
    ChoiceWidget,
    CongressForeignKeyWidget,
    CongressResource,
    CongressSlugListWidget,
    IntegerWidget,
    LocalDateTimeWidget,
    TextWidget,
    YesNoWidget,
)
from congress.models import Theme
from venues.models import Venue
from venues.resources import RoomWidget

from .models import Session, SessionKind, SessionSpeaker, SessionStatus, Speaker

VENUE_COLUMN = "Locatie"


class SpeakerResource(CongressResource):
    slug = fields.Field(attribute="slug", column_name="Slug", widget=TextWidget())
    name = fields.Field(attribute="name", column_name="Naam", widget=TextWidget())
    sort_name = fields.Field(attribute="sort_name", column_name="Sorteernaam", widget=TextWidget())
    role = fields.Field(attribute="role", column_name="Functie", widget=TextWidget())
    organisation = fields.Field(
        attribute="organisation", column_name="Organisatie", widget=TextWidget()
    )
    bio = fields.Field(attribute="bio", column_name="Biografie", widget=TextWidget())
    photo_alt = fields.Field(
        attribute="photo_alt", column_name="Alternatieve tekst foto", widget=TextWidget()
    )
    photo_credit = fields.Field(
        attribute="photo_credit", column_name="Fotograaf of bron", widget=TextWidget()
    )

    class Meta(CongressResource.Meta):
        model = Speaker
        name = "Sprekers"
        fields = [
            "slug",
            "name",
            "sort_name",
            "role",
            "organisation",
            "bio",
            "photo_alt",
            "photo_credit",
        ]
        import_order = fields
        export_order = fields


class SpeakersField(fields.Field):
    """A session's speakers in programme order; importing keeps the role of a speaker who stays."""

    def get_value(self, instance):
        if instance.pk is None:
            return []
        links = sorted(instance.session_speakers.all(), key=lambda link: (link.order, link.pk))
        return [link.speaker for link in links]

    def save(self, instance, row, is_m2m=False, **kwargs):
        speakers = self.clean(row)
        if [speaker.pk for speaker in self.get_value(instance)] == [s.pk for s in speakers]:
            return
        links = {link.speaker_id: link for link in instance.session_speakers.all()}
        wanted = {speaker.pk for speaker in speakers}
        instance.session_speakers.exclude(speaker_id__in=wanted).delete()
        for order, speaker in enumerate(speakers, start=1):
            link = links.get(speaker.pk)
            if link is None:
                SessionSpeaker.objects.create(session=instance, speaker=speaker, order=order)
            elif link.order != order:
                link.order = order
                link.save(update_fields=["order"])


class SessionResource(CongressResource):
    slug = fields.Field(attribute="slug", column_name="Slug", widget=TextWidget())
    title = fields.Field(attribute="title", column_name="Titel", widget=TextWidget())
    kind = fields.Field(
        attribute="kind",
        column_name="Soort",
        widget=ChoiceWidget(SessionKind.choices),
        saves_null_values=False,
    )
    status = fields.Field(
        attribute="status",
        column_name="Status",
        widget=ChoiceWidget(SessionStatus.choices),
        saves_null_values=False,
    )
    start = fields.Field(attribute="start", column_name="Begin", widget=LocalDateTimeWidget())
    end = fields.Field(attribute="end", column_name="Einde", widget=LocalDateTimeWidget())
    venue = fields.Field(
        attribute="venue", column_name=VENUE_COLUMN, widget=CongressForeignKeyWidget(Venue)
    )
    room = fields.Field(attribute="room", column_name="Zaal", widget=RoomWidget(VENUE_COLUMN))
    themes = fields.Field(
        attribute="themes", column_name="Thema's", widget=CongressSlugListWidget(Theme)
    )
    speakers = SpeakersField(
        attribute="speakers",
        column_name="Sprekers",
        widget=CongressSlugListWidget(Speaker, ordered=True),
    )
    summary = fields.Field(attribute="summary", column_name="Samenvatting", widget=TextWidget())
    description = fields.Field(
        attribute="description", column_name="Beschrijving", widget=TextWidget()
    )
    host_organisation = fields.Field(
        attribute="host_organisation", column_name="Organiserende partij", widget=TextWidget()
    )
    capacity = fields.Field(
        attribute="capacity", column_name="Aantal plaatsen", widget=IntegerWidget()
    )
    livestream = fields.Field(
        attribute="livestream", column_name="Livestream", widget=YesNoWidget()
    )

    class Meta(CongressResource.Meta):
        model = Session
        name = "Sessies"
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "start",
            "end",
            "venue",
            "room",
            "themes",
            "speakers",
            "summary",
            "description",
            "host_organisation",
            "capacity",
            "livestream",
        ]
        import_order = fields
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("venue", "room")
            .prefetch_related(
                "themes",
                Prefetch(
                    "session_speakers",
                    queryset=SessionSpeaker.objects.select_related("speaker"),
                ),
            )
        )
