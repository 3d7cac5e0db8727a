import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, PublicationStatus, Theme
from venues.models import Room, Venue

SESSION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "sessies.vngjaarcongres.nl")


class SessionKind(models.TextChoices):
    """The kinds of programme item; the values are the Dutch slugs of the `soort` filter."""

    PLENARY = "plenair", _("Plenair programma")
    AFTERNOON = "middagsessie", _("Middagsessie")
    RECEPTION = "ontvangst", _("Ontvangst")
    EVENING = "avondprogramma", _("Avondprogramma")
    GENERAL_ASSEMBLY = "alv", _("Algemene Ledenvergadering")
    BREAK = "pauze", _("Pauze en ontmoeting")


class SessionQuerySet(models.QuerySet):
    def for_congress(self, congress):
        return self.filter(congress=congress)

    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def visible_to(self, user):
        """Published sessions for everyone; staff also see drafts (to preview them)."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()

    def with_speakers(self):
        return self.prefetch_related(
            Prefetch(
                "session_speakers",
                queryset=SessionSpeaker.objects.select_related("speaker").order_by("order", "pk"),
            )
        )

    def with_seat_counts(self):
        """Annotate places taken (`confirmed_count`) and the waitlist length (`waitlist_count`)."""

        def count(status):
            return Coalesce(
                Subquery(
                    Registration.objects.filter(session=OuterRef("pk"), status=status)
                    .order_by()
                    .values("session")
                    .annotate(total=Count("pk"))
                    .values("total")
                ),
                0,
            )

        return self.annotate(
            confirmed_count=count(RegistrationStatus.CONFIRMED),
            waitlist_count=count(RegistrationStatus.WAITLISTED),
        )

    def with_places_left(self):
        """Only sessions with a capacity that still have a free place."""
        return self.with_seat_counts().filter(
            capacity__isnull=False, confirmed_count__lt=F("capacity")
        )

    def for_programme(self):
        """Everything a session card shows: venue, room, themes, speakers and seats, 3 queries."""
        return (
            self.with_seat_counts()
            .select_related("venue", "room")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name")))
            .with_speakers()
            .order_by("start", "end", "title")
        )

    def search(self, text):
        """Sessions whose title, summary, host or speakers' names contain every word of `text`."""
        queryset = self
        for word in text.split():
            matching_speakers = SessionSpeaker.objects.filter(speaker__name__icontains=word).values(
                "session_id"
            )
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(host_organisation__icontains=word)
                | Q(pk__in=matching_speakers)
            )
        return queryset

    def on_day(self, day):
        """Sessions starting on this calendar day in the site's time zone (Europe/Amsterdam)."""
        start = timezone.make_aware(datetime.combine(day, time.min))
        end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        return self.filter(start__gte=start, start__lt=end)

    def livestreamed(self):
        return self.filter(livestream=True)


class Session(models.Model):
    """Every programme item: plenary, afternoon session, reception, evening, ALV, break."""

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("congres")
    )
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Het adres van de sessie: /programma/<slug>/.")
    )
    kind = models.CharField(
        _("soort"), max_length=20, choices=SessionKind, default=SessionKind.AFTERNOON
    )
    summary = models.CharField(
        _("samenvatting"),
        max_length=300,
        blank=True,
        help_text=_("Eén of twee zinnen voor het programmaoverzicht."),
    )
    description = models.TextField(
        _("beschrijving"), blank=True, help_text=_("Alinea's scheiden met een witregel.")
    )
    start = models.DateTimeField(_("begin"))
    end = models.DateTimeField(_("einde"))
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
        verbose_name=_("locatie"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        related_name="sessions",
        null=True,
        blank=True,
        verbose_name=_("zaal"),
        help_text=_("Een zaal van de gekozen locatie."),
    )
    themes = models.ManyToManyField(
        Theme, related_name="sessions", blank=True, verbose_name=_("thema's")
    )
    speakers = models.ManyToManyField(
        "Speaker",
        through="SessionSpeaker",
        related_name="sessions",
        blank=True,
        verbose_name=_("sprekers"),
    )
    host_organisation = models.CharField(
        _("organiserende partij"),
        max_length=200,
        blank=True,
        help_text=_("Wie de sessie organiseert, bijv. Gemeente Groningen."),
    )
    capacity = models.PositiveIntegerField(
        _("aantal plaatsen"),
        null=True,
        blank=True,
        help_text=_("Leeg laten als er geen aanmelding nodig is."),
    )
    livestream = models.BooleanField(
        _("livestream"), default=False, help_text=_("Deze sessie is ook online te volgen.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["start", "end", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="session_ends_after_start",
                violation_error_message=_("Een sessie eindigt na haar begin."),
            ),
            models.UniqueConstraint(
                fields=["congress", "slug"],
                name="session_slug_unique_per_congress",
                violation_error_message=_("Dit congres heeft al een sessie met deze slug."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message=_("Het aantal plaatsen is minstens 1, of leeg."),
            ),
            models.CheckConstraint(
                condition=Q(room__isnull=True) | Q(venue__isnull=False),
                name="session_room_needs_venue",
                violation_error_message=_("Kies eerst de locatie van de zaal."),
            ),
        ]
        indexes = [models.Index(fields=["congress", "status", "start"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Het einde ligt na het begin.")
        if self.room_id and self.room.venue_id != self.venue_id:
            errors["room"] = _("Deze zaal hoort niet bij de gekozen locatie.")
        if self.venue_id and self.congress_id and self.venue.congress_id != self.congress_id:
            errors["venue"] = _("Deze locatie hoort bij een ander congres.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("programme:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    @property
    def day(self):
        return timezone.localtime(self.start).date()

    @property
    def speakers_in_order(self):
        return [link.speaker for link in self.session_speakers.all()]

    @property
    def needs_signup(self):
        return self.capacity is not None

    @property
    def places_left(self):
        """Free places, from `with_seat_counts()`; None for a session without sign-up."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def guid(self):
        """A stable UUID for calendars and conference apps: the same for as long as it exists."""
        return uuid.uuid5(SESSION_NAMESPACE, f"{self.congress_id}/{self.pk}")

    @property
    def uid(self):
        return f"{self.guid}@vngjaarcongres.nl"


class SpeakerQuerySet(models.QuerySet):
    def for_congress(self, congress):
        return self.filter(congress=congress)

    def visible_to(self, user):
        """Speakers of at least one published session; staff see every speaker."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.with_published_sessions()

    def with_published_sessions(self):
        return self.filter(
            pk__in=SessionSpeaker.objects.filter(
                session__status=PublicationStatus.PUBLISHED
            ).values("speaker_id")
        )

    def for_list(self):
        return self.order_by("sort_name", "name")

    def with_sessions(self, sessions):
        """Prefetch the given sessions of each speaker, in time order, as `listed_sessions`."""
        return self.prefetch_related(
            Prefetch(
                "sessions",
                queryset=sessions.select_related("venue").order_by("start", "title"),
                to_attr="listed_sessions",
            )
        )


class Speaker(models.Model):
    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("congres")
    )
    name = models.CharField(_("naam"), max_length=150)
    sort_name = models.CharField(
        _("sorteernaam"),
        max_length=150,
        blank=True,
        help_text=_(
            "Achternaam eerst, zonder tussenvoegsel, bijv. 'Zanen, Jan van'. Leeg: de naam."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=80)
    role = models.CharField(
        _("functie"), max_length=200, blank=True, help_text=_("Bijv. burgemeester, wethouder.")
    )
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    bio = models.TextField(_("biografie"), blank=True)
    photo = models.ImageField(
        _("foto"),
        upload_to="speakers/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        _("alternatieve tekst foto"),
        max_length=250,
        blank=True,
        help_text=_("Beschrijf de foto; verplicht als er een foto is."),
    )
    photo_credit = models.CharField(_("fotograaf of bron"), max_length=150, blank=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        verbose_name = _("spreker")
        verbose_name_plural = _("sprekers")
        ordering = ["congress_id", "sort_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "slug"],
                name="speaker_slug_unique_per_congress",
                violation_error_message=_("Dit congres heeft al een spreker met deze slug."),
            ),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""),
                name="speaker_photo_has_alt_text",
                violation_error_message=_("Een foto heeft een alternatieve tekst nodig."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.sort_name:
            self.sort_name = self.name
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.photo and not self.photo_alt:
            raise ValidationError({"photo_alt": _("Geef een alternatieve tekst bij de foto.")})

    def get_absolute_url(self):
        return reverse("speakers:detail", kwargs={"slug": self.slug})

    @property
    def role_line(self):
        return ", ".join(part for part in [self.role, self.organisation] if part)


class SpeakerRole(models.TextChoices):
    SPEAKER = "spreker", _("Spreker")
    CHAIR = "dagvoorzitter", _("Dagvoorzitter")
    MODERATOR = "gespreksleider", _("Gespreksleider")
    HOST = "gastheer", _("Gastheer of gastvrouw")


class SessionSpeaker(models.Model):
    """A speaker in a session, in the order the programme lists them."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="session_speakers", verbose_name=_("sessie")
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="session_links", verbose_name=_("spreker")
    )
    role = models.CharField(
        _("rol"), max_length=20, choices=SpeakerRole, default=SpeakerRole.SPEAKER
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("spreker in sessie")
        verbose_name_plural = _("sprekers in sessie")
        ordering = ["session_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"],
                name="sessionspeaker_once_per_session",
                violation_error_message=_("Deze spreker staat al bij deze sessie."),
            ),
        ]

    def __str__(self):
        return f"{self.speaker} – {self.session}"

    def clean(self):
        super().clean()
        if (
            self.session_id
            and self.speaker_id
            and self.session.congress_id != self.speaker.congress_id
        ):
            raise ValidationError({"speaker": _("Deze spreker hoort bij een ander congres.")})


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "bevestigd", _("Plaats bevestigd")
    WAITLISTED = "wachtlijst", _("Op de wachtlijst")


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=RegistrationStatus.WAITLISTED)

    def in_queue_order(self):
        """First come, first served: the order in which people signed up."""
        return self.order_by("created_at", "pk")


class Registration(models.Model):
    """A person's place in a session with limited places, or their place on its waitlist."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("sessie")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("deelnemer"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus)
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("plaats sinds"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["session_id", "status", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                name="registration_once_per_person_per_session",
                violation_error_message=_("Deze persoon is al aangemeld voor deze sessie."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.WAITLISTED) | Q(confirmed_at__isnull=False),
                name="registration_confirmed_has_moment",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self):
        return f"{self.user} – {self.session} ({self.get_status_display().lower()})"

    @property
    def is_confirmed(self):
        return self.status == RegistrationStatus.CONFIRMED


class Favourite(models.Model):
    """A session a person put in their own programme."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="favourites", verbose_name=_("sessie")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="favourites",
        verbose_name=_("deelnemer"),
    )
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("sessie in mijn programma")
        verbose_name_plural = _("sessies in mijn programma")
        ordering = ["user_id", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="favourite_once_per_session"),
        ]

    def __str__(self):
        return f"{self.user} – {self.session}"
