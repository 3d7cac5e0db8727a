"""factory_boy factories for every model; tests build exactly the data they need."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from congress.models import Congress, Page, PublicationStatus, Theme
from programme.models import (
    Favourite,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionSpeaker,
    Speaker,
)
from venues.models import Room, Venue, VenueKind, VenuePhoto

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FIRST_DAY = date(2023, 6, 13)


def at(day, hhmm):
    """An aware datetime in Amsterdam: at(FIRST_DAY, '13:30')."""
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=AMSTERDAM)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@gemeente.example")
    password = factory.PostGenerationMethodCall("set_password", "een-lang-wachtwoord")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """Accounts have a verified address unless a test asks otherwise (verified_email=False)."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def editor_group():
    """The group the migration makes; rebuilt the same way if a transactional test flushed it."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    from congress.editors import EDITOR_GROUP_NAME, content_permission_codenames

    group, created = Group.objects.get_or_create(name=EDITOR_GROUP_NAME)
    if created:
        wanted = Q(pk__in=[])
        for app_label, codename in content_permission_codenames():
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


def activate_two_factor(user):
    """Set up TOTP for a user the way allauth's own set-up page does."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret())


class EditorFactory(UserFactory):
    """A VNG editor: staff, in the group Redactie, with two-factor authentication set up."""

    is_staff = True

    @factory.post_generation
    def in_editor_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(editor_group())

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            activate_two_factor(obj)


def host_group():
    """The Sessiehouder group the migration makes; rebuilt the same way if a test flushed it."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    from programme.hosts import HOST_GROUP_NAME, HOST_GROUP_PERMISSIONS

    group, created = Group.objects.get_or_create(name=HOST_GROUP_NAME)
    if created:
        wanted = Q(pk__in=[])
        for app_label, codename in HOST_GROUP_PERMISSIONS:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


class HostFactory(UserFactory):
    """A Sessiehouder: staff, in the group Sessiehouder, with two-factor authentication set up.

    `HostFactory(sessions=[session])` makes them host of those sessions.
    """

    is_staff = True

    @factory.post_generation
    def in_host_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(host_group())

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            activate_two_factor(obj)

    @factory.post_generation
    def sessions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.hosted_sessions.add(*extracted)


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress
        django_get_or_create = ["slug"]

    name = "VNG Jaarcongres 2023"
    slug = "vng-jaarcongres-2023"
    year = 2023
    start_date = FIRST_DAY
    end_date = FIRST_DAY + timedelta(days=1)
    city = "Groningen"
    host_municipality = "Gemeente Groningen"
    motto = "Gemeenten zetten een stap naar voren"
    is_current = True


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    congress = factory.SubFactory(CongressFactory)
    title = factory.Sequence(lambda n: f"Informatie {n}")
    slug = factory.Sequence(lambda n: f"informatie-{n}")
    summary = "Alles wat u moet weten."
    body = "## Kopje\n\nEen alinea tekst."
    status = PublicationStatus.PUBLISHED


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"Dorpshuis {n}")
    slug = factory.Sequence(lambda n: f"dorpshuis-{n}")
    kind = VenueKind.REGIONAL
    street = factory.Sequence(lambda n: f"Hoofdstraat {n + 1}")
    postcode = "9700 AA"
    town = "Winsum"
    municipality = "Het Hogeland"
    latitude = "53.330000"
    longitude = "6.520000"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Zaal {n}")
    capacity = 80
    floor = "begane grond"


class VenuePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VenuePhoto

    venue = factory.SubFactory(VenueFactory)
    image = factory.django.ImageField(width=64, height=48, format="JPEG")
    alt_text = "De voorgevel van het dorpshuis"
    credit = "Foto: VNG"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"Spreker Nummer{n}")
    slug = factory.Sequence(lambda n: f"spreker-{n}")
    role = "wethouder"
    organisation = "Gemeente Voorbeeld"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    congress = factory.SubFactory(CongressFactory)
    title = factory.Sequence(lambda n: f"Middagsessie {n}")
    slug = factory.Sequence(lambda n: f"middagsessie-{n}")
    kind = SessionKind.AFTERNOON
    summary = "Een middag over wat gemeenten samen kunnen."
    start = factory.LazyFunction(lambda: at(FIRST_DAY, "13:30"))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=3))
    venue = factory.SubFactory(VenueFactory, congress=factory.SelfAttribute("..congress"))
    host_organisation = "Gemeente Groningen"
    capacity = 40
    status = PublicationStatus.PUBLISHED


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(
        SpeakerFactory, congress=factory.SelfAttribute("..session.congress")
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed place; `status=RegistrationStatus.WAITLISTED` for a place on the waitlist."""

    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = RegistrationStatus.CONFIRMED
    created_at = factory.LazyFunction(lambda: at(FIRST_DAY - timedelta(days=14), "10:00"))
    confirmed_at = factory.LazyAttribute(
        lambda o: o.created_at if o.status == RegistrationStatus.CONFIRMED else None
    )


class FavouriteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favourite

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
