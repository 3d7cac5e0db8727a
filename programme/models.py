import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.content import ContentQuerySet
from congress.images import IMAGE_HELP, CleanImageField, RandomName
from congress.models import Congress, PublicationStatus, Theme
from congress.rich_text import markdown_help
from venues.models import Room, Venue

SESSION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "sessies.vngjaarcongres.nl")


class SessionStatus(models.TextChoices):
    DRAFT = PublicationStatus.DRAFT.value, _("Concept")
    PUBLISHED = PublicationStatus.PUBLISHED.value, _("Gepubliceerd")
    CANCELLED = "vervallen", _("Vervallen")


# Public sessions: published ones and, so that people notice, cancelled ones marked "vervallen".
PUBLIC_STATUSES = [SessionStatus.PUBLISHED, SessionStatus.CANCELLED]

# A Sessiehouder's one permission: change the sessions they host (see Session.hosts).
HOST_PERMISSION = "programme.host_session"


class SessionKind(models.TextChoices):
    """The kinds of programme item; the values are the Dutch slugs of the `soort` filter."""

    PLENARY = "plenair", _("Plenair programma")
    AFTERNOON = "middagsessie", _("Middagsessie")
    RECEPTION = "ontvangst", _("Ontvangst")
    EVENING = "avondprogramma", _("Avondprogramma")
    GENERAL_ASSEMBLY = "alv", _("Algemene Ledenvergadering")
    BREAK = "pauze", _("Pauze en ontmoeting")


class M2MHistoricalRecords(HistoricalRecords):
    """HistoricalRecords for a model whose many-to-many fields are kept in its versions.

    simple-history records a version when the relation changes from this model's side only, and
    does so even when nothing changed; changed from the other side (`theme.sessions.add(s)`) it
    fails. This records a version of each session whose relation changed, from either side.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            if action in ("post_add", "post_remove") and not pk_set:
                return  # nothing was added or removed
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":
            accessor = self.cls._meta.get_field(attr).remote_field.get_accessor_name()
            instance._history_cleared = list(
                getattr(instance, accessor).values_list("pk", flat=True)
            )
            return None
        if action == "post_clear":
            action, pk_set = "post_remove", instance.__dict__.pop("_history_cleared", [])
        if action in ("post_add", "post_remove"):
            for obj in self.cls.objects.filter(pk__in=pk_set or []):
                super().m2m_changed(obj, action, attr, {instance.pk}, False, **kwargs)
        return None


# The programme's order; the primary key last, so that pages of it never overlap or skip.
PROGRAMME_ORDER = ("start", "end", "title", "pk")


class SessionQuerySet(ContentQuerySet):
    def for_congress(self, congress):
        return self.filter(congress=congress)

    def published(self):
        """Sessions the public sees: published and cancelled (shown as "vervallen")."""
        return self.filter(status__in=PUBLIC_STATUSES)

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
            .annotate(
                is_changed=Exists(SessionChange.objects.filter(session=OuterRef("pk"), minor=False))
            )
            .select_related("venue", "room")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("order", "name")))
            .with_speakers()
            .order_by(*PROGRAMME_ORDER)
        )

    def with_personal_state(self, user):
        """Annotate this person's own state on each session, in the same query (none for anonymous).

        `my_favourite_pk` and the `my_registration_*` columns come from one LEFT JOIN each: a
        person has at most one favourite and one registration per session.
        """
        if not user.is_authenticated:
            return self
        return self.annotate(
            my_favourite=FilteredRelation("favourites", condition=Q(favourites__user=user)),
            my_registration=FilteredRelation(
                "registrations", condition=Q(registrations__user=user)
            ),
        ).annotate(
            my_favourite_pk=F("my_favourite__pk"),
            my_registration_pk=F("my_registration__pk"),
            my_registration_status=F("my_registration__status"),
            my_registration_created_at=F("my_registration__created_at"),
            my_registration_confirmed_at=F("my_registration__confirmed_at"),
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

    def editable_by(self, user):
        """The sessions this person may change in the back office.

        Editors (Redactie, who may change any session) get every session; a Sessiehouder gets
        the sessions they host; anyone else none.
        """
        if user.has_perm("programme.change_session"):
            return self
        if user.has_perm(HOST_PERMISSION):
            return self.filter(hosts=user)
        return self.none()


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
    description = models.TextField(_("beschrijving"), blank=True, help_text=markdown_help())
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
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="hosted_sessions",
        blank=True,
        verbose_name=_("sessiehouders"),
        help_text=_(
            "Wie deze sessie in het beheer mag bijwerken (inhoud en sprekers) en de "
            "deelnemerslijst mag inzien. Alleen leden van de groep Sessiehouder staan in de lijst."
        ),
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
        _("status"),
        max_length=20,
        choices=SessionStatus,
        default=SessionStatus.DRAFT,
        help_text=_("Vervallen sessies blijven zichtbaar, met de vermelding ‘vervallen’."),
    )
    sequence = models.PositiveIntegerField(
        _("versie"),
        default=0,
        editable=False,
        help_text=_("Telt op bij elke wijziging van tijd, plaats of status (voor agenda's)."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    objects = SessionQuerySet.as_manager()
    # Every version, with who saved it; the version counter and the moment of the last change
    # are not content (restoring an earlier version keeps the current ones).
    history = M2MHistoricalRecords(
        excluded_fields=["sequence", "updated_at"],
        m2m_fields=[themes, hosts],
        verbose_name=_("versie van een sessie"),
        verbose_name_plural=_("versies van sessies"),
    )

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
        # The programme in time order, unfiltered or by day (the first), and by kind (and day):
        # a kind filter reads only its own sessions, from the index alone where it counts them.
        indexes = [
            models.Index(fields=["congress", "status", "start"]),
            models.Index(fields=["congress", "status", "kind", "start"]),
        ]
        permissions = [
            (
                "host_session",
                _("Kan als sessiehouder de eigen sessies bijwerken en hun deelnemers inzien"),
            )
        ]

    # Fields whose change is announced to people who go: time, place and whether it happens.
    TRACKED_FIELDS = ("start", "end", "venue_id", "room_id", "status")

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {
            name: getattr(instance, name)
            for name in cls.TRACKED_FIELDS
            if name in instance.__dict__
        }
        return instance

    def tracked_changes(self):
        """(field, old, new) for each tracked field changed since this row was loaded."""
        loaded = getattr(self, "_loaded", None)
        if not loaded or self._state.adding:
            return []
        return [
            (name, loaded[name], getattr(self, name))
            for name in self.TRACKED_FIELDS
            if name in loaded and loaded[name] != getattr(self, name)
        ]

    def save(self, *args, **kwargs):
        """Save, and once a session is public, record each change of time, place or status.

        A change bumps `sequence` (so calendars update the event) and is kept as a SessionChange,
        announced unless the editor marked it minor (`session.minor_change = True`).
        """
        if not self._state.adding and not hasattr(self, "_loaded"):
            # Built rather than loaded (an earlier version restored from the history, say):
            # compare with the row as stored, and keep counting versions from there.
            stored = type(self).objects.filter(pk=self.pk).values(*self.TRACKED_FIELDS, "sequence")
            self._loaded = stored.first() or {}
            self.sequence = self._loaded.pop("sequence", self.sequence)
        changes = self.tracked_changes()
        was_public = getattr(self, "_loaded", {}).get("status") in PUBLIC_STATUSES
        if changes:
            self.sequence += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence", "updated_at"}
        super().save(*args, **kwargs)
        if changes and was_public:
            SessionChange.record(self, changes, minor=getattr(self, "minor_change", False))
        self._loaded = {name: getattr(self, name) for name in self.TRACKED_FIELDS}

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

    def is_editable_by(self, user):
        """Whether this person may change this session in the back office (see editable_by)."""
        return Session.objects.editable_by(user).filter(pk=self.pk).exists()

    @property
    def is_published(self):
        """Visible to the public (published or cancelled), as opposed to a draft."""
        return self.status in PUBLIC_STATUSES

    @property
    def is_cancelled(self):
        return self.status == SessionStatus.CANCELLED

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


class SpeakerQuerySet(ContentQuerySet):
    def for_congress(self, congress):
        return self.filter(congress=congress)

    def visible_to(self, user):
        """Speakers of at least one published session; staff see every speaker."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.with_published_sessions()

    def with_published_sessions(self):
        return self.filter(
            pk__in=SessionSpeaker.objects.filter(session__status__in=PUBLIC_STATUSES).values(
                "speaker_id"
            )
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
    bio = models.TextField(_("biografie"), blank=True, help_text=markdown_help())
    photo = CleanImageField(
        _("foto"),
        upload_to=RandomName("speakers"),
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text=IMAGE_HELP,
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        _("alternatieve tekst foto"),
        max_length=250,
        blank=True,
        help_text=_("Beschrijf de foto; verplicht als er een foto is."),
    )
    photo_credit = models.CharField(
        _("fotograaf of bron"),
        max_length=150,
        blank=True,
        help_text=_("Staat bij de foto op de website, bijv. Foto: Jan Jansen"),
    )

    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("versie van een spreker"), verbose_name_plural=_("versies van sprekers")
    )

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

    objects = ContentQuerySet.as_manager()

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


class RegistrationQuerySet(ContentQuerySet):
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


class SessionChangeQuerySet(ContentQuerySet):
    def announced(self):
        return self.filter(minor=False)

    def for_congress(self, congress):
        return self.filter(session__congress=congress)

    def newest_first(self):
        return self.order_by("-changed_at", "-pk")


class SessionChange(models.Model):
    """A change to a public session's time, place or status, kept to tell people who go."""

    class Field(models.TextChoices):
        TIME = "tijd", _("Tijd")
        VENUE = "locatie", _("Locatie")
        ROOM = "zaal", _("Zaal")
        STATUS = "status", _("Status")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="changes", verbose_name=_("sessie")
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    field = models.CharField(_("wat"), max_length=20, choices=Field)
    old_value = models.CharField(_("was"), max_length=300, blank=True)
    new_value = models.CharField(_("wordt"), max_length=300, blank=True)
    minor = models.BooleanField(
        _("kleine wijziging"),
        default=False,
        help_text=_("Een kleine correctie (zoals een tikfout) wordt niet aangekondigd."),
    )

    objects = SessionChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.session}: {self.get_field_display()} {self.old_value} → {self.new_value}"

    @classmethod
    def record(cls, session, changes, *, minor=False):
        """Turn raw field changes into readable rows (start and end together as 'tijd')."""
        values = {name: (old, new) for name, old, new in changes}
        rows = []
        if "start" in values or "end" in values:
            old_start, new_start = values.get("start", (session.start, session.start))
            old_end, new_end = values.get("end", (session.end, session.end))
            rows.append(
                (cls.Field.TIME, _time_range(old_start, old_end), _time_range(new_start, new_end))
            )
        if "venue_id" in values:
            old, new = values["venue_id"]
            rows.append((cls.Field.VENUE, _name_of(Venue, old), _name_of(Venue, new)))
        if "room_id" in values:
            old, new = values["room_id"]
            rows.append(
                (cls.Field.ROOM, _name_of(Room, old), _name_of(Room, new, attribute="name"))
            )
        if "status" in values:
            old, new = values["status"]
            rows.append((cls.Field.STATUS, SessionStatus(old).label, SessionStatus(new).label))
        now = timezone.now()
        return cls.objects.bulk_create(
            cls(
                session=session,
                changed_at=now,
                field=field,
                old_value=old,
                new_value=new,
                minor=minor,
            )
            for field, old, new in rows
            if old != new
        )


def _time_range(start, end):
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{formats.date_format(start, 'l j F')} {start:%H:%M}–{end:%H:%M}"


def _name_of(model, pk, attribute="name"):
    if pk is None:
        return "–"
    return model.objects.filter(pk=pk).values_list(attribute, flat=True).first() or "–"
