import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


def new_calendar_token():
    """A secret for the personal calendar feed URL: unguessable, URL-safe."""
    return secrets.token_urlsafe(24)


class Role(models.TextChoices):
    MAYOR = "burgemeester", _("Burgemeester")
    ALDERMAN = "wethouder", _("Wethouder")
    COUNCILLOR = "raadslid", _("Raadslid")
    CLERK = "griffier", _("Griffier")
    SECRETARY = "gemeentesecretaris", _("Gemeentesecretaris")
    OFFICIAL = "ambtenaar", _("Ambtenaar")
    OTHER = "anders", _("Anders")


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: attendees and VNG editors alike. The email address is the login."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    first_name = models.CharField(_("voornaam"), max_length=150, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Mag inloggen in het beheer (/beheer/)."),
    )
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_("Zet dit uit in plaats van het account te verwijderen."),
    )
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    municipality = models.CharField(
        _("gemeente"),
        max_length=100,
        blank=True,
        help_text=_("De gemeente waarvoor u werkt of in de raad zit."),
    )
    role = models.CharField(_("functie"), max_length=30, choices=Role, blank=True)
    calendar_token = models.CharField(
        _("agendasleutel"),
        max_length=64,
        unique=True,
        default=new_calendar_token,
        editable=False,
        help_text=_("Geheim deel van het adres van de persoonlijke agenda-feed."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def renew_calendar_token(self):
        """Give the calendar feed a new secret address; the old one stops working at once."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email


class LoginSession(AbstractBaseSession):
    """A visitor's session (django.contrib.sessions), with its logged-in user in a column.

    Django keeps the user's id inside the encoded session data, so a logged-in request would read
    the session, then the user: two queries before the page asks anything. With the user in a
    column the session is read together with its user, in one query (accounts/sessions.py,
    accounts/backends.py). Sessions go when their user is deleted. The column has no database
    constraint: a session saved while its user is being deleted must not fail the request; its
    user then reads as missing, and the visitor as logged out.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="login_sessions",
        verbose_name=_("gebruiker"),
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_login_session"
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
