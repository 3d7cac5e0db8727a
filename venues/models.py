from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.content import ContentQuerySet
from congress.images import IMAGE_HELP, CleanImageField, RandomName
from congress.models import Congress, PublicationStatus
from congress.rich_text import markdown_help


class VenueKind(models.TextChoices):
    PLENARY = "plenair", _("Plenaire locatie")
    EVENING = "avond", _("Ontvangst en avondprogramma")
    REGIONAL = "regio", _("Middagsessies in de regio")


class VenueQuerySet(ContentQuerySet):
    def for_congress(self, congress):
        return self.filter(congress=congress)

    def for_list(self):
        """Everything the venues list shows, in one query per relation."""
        return self.annotate(
            published_session_count=models.Count(
                "sessions", filter=Q(sessions__status=PublicationStatus.PUBLISHED), distinct=True
            )
        ).order_by("order", "name")

    def for_detail(self):
        return self.prefetch_related(
            Prefetch("rooms", queryset=Room.objects.order_by("order", "name")),
            Prefetch("photos", queryset=VenuePhoto.objects.order_by("order", "pk")),
        )


class Venue(models.Model):
    """A place where part of the congress happens: Martiniplaza, Forum, a regional site."""

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="venues", verbose_name=_("congres")
    )
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(
        _("soort locatie"),
        max_length=20,
        choices=VenueKind,
        default=VenueKind.REGIONAL,
        help_text=_("Bepaalt onder welk kopje de locatie in het overzicht staat."),
    )
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("plaats"), max_length=100)
    municipality = models.CharField(
        _("gemeente"),
        max_length=100,
        blank=True,
        help_text=_("De gemeente waarin de locatie ligt."),
    )
    latitude = models.DecimalField(
        _("breedtegraad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_("Bijv. 53.202780"),
    )
    longitude = models.DecimalField(
        _("lengtegraad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text=_("Bijv. 6.556390"),
    )
    description = models.TextField(_("omschrijving"), blank=True, help_text=markdown_help())
    route_public_transport = models.TextField(
        _("route met het openbaar vervoer"), blank=True, help_text=markdown_help()
    )
    route_car = models.TextField(_("route met de auto"), blank=True, help_text=markdown_help())
    parking = models.TextField(_("parkeren"), blank=True, help_text=markdown_help())
    accessibility = models.TextField(
        _("toegankelijkheid"),
        blank=True,
        help_text=markdown_help(
            _("Drempels, liften, invalidentoilet, ringleiding, rustruimte en dergelijke.")
        ),
    )
    website = models.URLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = VenueQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("versie van een locatie"), verbose_name_plural=_("versies van locaties")
    )

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["congress_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "slug"],
                name="venue_slug_unique_per_congress",
                violation_error_message=_("Dit congres heeft al een locatie met deze slug."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="venue_coordinates_both_or_none_and_in_range",
                violation_error_message=_(
                    "Geef breedte- én lengtegraad op (of geen van beide), "
                    "binnen het geldige bereik."
                ),
            ),
        ]

    def __str__(self):
        return (
            f"{self.name} ({self.town})" if self.town and self.town not in self.name else self.name
        )

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Geef breedte- én lengtegraad op, of geen van beide."))

    def get_absolute_url(self):
        return reverse("venues:detail", kwargs={"slug": self.slug})

    @property
    def address_line(self):
        return ", ".join(
            part for part in [self.street, f"{self.postcode} {self.town}".strip()] if part
        )

    @property
    def openstreetmap_url(self):
        if self.latitude is None or self.longitude is None:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
            f"#map=17/{self.latitude}/{self.longitude}"
        )


class Room(models.Model):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("locatie")
    )
    name = models.CharField(_("naam"), max_length=150)
    capacity = models.PositiveIntegerField(
        _("capaciteit"), null=True, blank=True, help_text=_("Aantal personen; leeg als onbekend.")
    )
    floor = models.CharField(_("verdieping"), max_length=100, blank=True)
    accessibility = models.TextField(_("toegankelijkheid"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("versie van een zaal"), verbose_name_plural=_("versies van zalen")
    )

    class Meta:
        verbose_name = _("zaal")
        verbose_name_plural = _("zalen")
        ordering = ["venue_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="room_name_unique_per_venue",
                violation_error_message=_("Deze locatie heeft al een zaal met deze naam."),
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.venue.name}"

    def clean(self):
        super().clean()
        if ";" in self.name:
            # The import and export files list a location's rooms separated by ';'.
            raise ValidationError({"name": _("Een zaalnaam bevat geen puntkomma (;).")})


def venue_photo_path(instance, filename):
    """The photos' former upload_to, which migration 0001 still refers to."""
    return f"venues/{instance.venue.slug}/{filename}"


class VenuePhoto(models.Model):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="photos", verbose_name=_("locatie")
    )
    image = CleanImageField(
        _("afbeelding"),
        upload_to=RandomName("venues"),
        width_field="width",
        height_field="height",
        help_text=IMAGE_HELP,
    )
    width = models.PositiveIntegerField(_("breedte"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("hoogte"), null=True, blank=True, editable=False)
    alt_text = models.CharField(
        _("alternatieve tekst"),
        max_length=250,
        help_text=_("Beschrijf wat er op de foto staat, voor wie haar niet kan zien. Verplicht."),
    )
    caption = models.CharField(_("bijschrift"), max_length=250, blank=True)
    credit = models.CharField(
        _("fotograaf of bron"), max_length=150, blank=True, help_text=_("Bijv. Foto: Jan Jansen")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")
        ordering = ["venue_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""),
                name="venuephoto_alt_text_required",
                violation_error_message=_("Een foto heeft een alternatieve tekst nodig."),
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text
