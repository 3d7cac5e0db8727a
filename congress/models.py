from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .content import ContentQuerySet
from .images import IMAGE_HELP, CleanImageField, RandomName
from .rich_text import markdown_help


class PublicationStatus(models.TextChoices):
    DRAFT = "concept", _("Concept")
    PUBLISHED = "gepubliceerd", _("Gepubliceerd")


class CongressQuerySet(ContentQuerySet):
    def current(self):
        """The edition the public site shows, or None when there is none yet."""
        return self.filter(is_current=True).first()


class Congress(models.Model):
    """One edition of the VNG Jaarcongres."""

    name = models.CharField(_("naam"), max_length=200, help_text=_("Bijv. VNG Jaarcongres 2023."))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    year = models.PositiveIntegerField(_("jaar"), unique=True)
    start_date = models.DateField(_("eerste dag"))
    end_date = models.DateField(_("laatste dag"))
    city = models.CharField(_("plaats"), max_length=100)
    host_municipality = models.CharField(
        _("gastgemeente"), max_length=100, blank=True, help_text=_("Bijv. Gemeente Groningen.")
    )
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    introduction = models.TextField(
        _("introductie"),
        blank=True,
        help_text=markdown_help(_("Korte tekst voor de voorpagina.")),
    )
    livestream_url = models.URLField(
        _("livestream-adres"), blank=True, help_text=_("Waar de livestream te volgen is.")
    )
    livestream_text = models.TextField(
        _("livestream-tekst"),
        blank=True,
        help_text=markdown_help(_("Uitleg op de livestreampagina.")),
    )
    hero_image = CleanImageField(
        _("hoofdafbeelding"), upload_to=RandomName("congress"), blank=True, help_text=IMAGE_HELP
    )
    hero_image_alt = models.CharField(
        _("alternatieve tekst hoofdafbeelding"),
        max_length=250,
        blank=True,
        help_text=_(
            "Beschrijf wat er op de afbeelding staat, voor wie haar niet kan zien. Verplicht als "
            "er een afbeelding is."
        ),
    )
    signup_deadline = models.DateTimeField(
        _("aanmelden kan tot"),
        null=True,
        blank=True,
        help_text=_(
            "Tot dit moment kunnen deelnemers zich aanmelden voor sessies met een beperkt aantal "
            "plaatsen. Leeg: tot de sessie begint."
        ),
    )
    is_current = models.BooleanField(
        _("huidige editie"),
        default=False,
        help_text=_("De website toont de huidige editie. Er is er altijd hoogstens één."),
    )

    objects = CongressQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("versie van een congres"), verbose_name_plural=_("versies van congressen")
    )

    class Meta:
        verbose_name = _("congres")
        verbose_name_plural = _("congressen")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="congress_ends_on_or_after_start",
                violation_error_message=_("De laatste dag ligt niet voor de eerste dag."),
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="congress_only_one_current",
                violation_error_message=_("Er kan maar één huidige editie zijn."),
            ),
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_image_alt=""),
                name="congress_hero_image_has_alt_text",
                violation_error_message=_("Een afbeelding heeft een alternatieve tekst nodig."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De laatste dag ligt niet voor de eerste dag.")})
        if self.hero_image and not self.hero_image_alt:
            raise ValidationError(
                {"hero_image_alt": _("Geef een alternatieve tekst bij de afbeelding.")}
            )

    def get_absolute_url(self):
        return reverse("congress:home")

    def signup_is_open(self, now=None):
        now = now or timezone.now()
        return self.signup_deadline is None or now < self.signup_deadline

    @property
    def days(self):
        from datetime import timedelta

        return [
            self.start_date + timedelta(days=offset)
            for offset in range((self.end_date - self.start_date).days + 1)
        ]


class Theme(models.Model):
    """A question municipalities face, used to find sessions on it."""

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="themes", verbose_name=_("congres")
    )
    name = models.CharField(_("naam"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.TextField(_("omschrijving"), blank=True, help_text=markdown_help())
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["congress_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "slug"],
                name="theme_slug_unique_per_congress",
                violation_error_message=_("Dit congres heeft al een thema met deze slug."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('programme:list')}?thema={self.slug}"


# First path segments the site uses itself; an information page cannot take one of these.
RESERVED_PAGE_SLUGS = (
    "programma",
    "sprekers",
    "locaties",
    "mijn-programma",
    "account",
    "accounts",
    "beheer",
    "livestream",
    "static",
    "media",
    "healthz",
    "sitemap",
    "robots",
)


class PageQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def in_navigation(self):
        return self.published().filter(show_in_navigation=True)


class Page(models.Model):
    """An information page: Over de VNG, Praktische informatie, Privacy and the like."""

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="pages", verbose_name=_("congres")
    )
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Het adres van de pagina: /<slug>/.")
    )
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    body = models.TextField(
        _("tekst"),
        blank=True,
        help_text=markdown_help(),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    show_in_navigation = models.BooleanField(_("in de navigatie"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        verbose_name=_("versie van een informatiepagina"),
        verbose_name_plural=_("versies van informatiepagina's"),
    )

    class Meta:
        verbose_name = _("informatiepagina")
        verbose_name_plural = _("informatiepagina's")
        ordering = ["congress_id", "order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "slug"],
                name="page_slug_unique_per_congress",
                violation_error_message=_("Dit congres heeft al een pagina met deze slug."),
            ),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_PAGE_SLUGS),
                name="page_slug_not_reserved",
                violation_error_message=_("Deze slug is al in gebruik door de website zelf."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.slug in RESERVED_PAGE_SLUGS:
            raise ValidationError(
                {"slug": _("Deze slug is al in gebruik door de website zelf; kies een andere.")}
            )

    def get_absolute_url(self):
        return reverse("congress:page", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED


class ContentVersion(models.Model):
    """One row: the version of everything the public site shows (see congress/content.py)."""

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("inhoudsversie")
        verbose_name_plural = _("inhoudsversies")

    def __str__(self):
        return str(self.number)
