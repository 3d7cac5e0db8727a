"""Uploaded pictures: only safe JPEG, PNG and WebP, stored without metadata under random names,
with smaller WebP and JPEG (or PNG) copies offered to browsers with srcset."""

import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import ExifTags, Image

from congress.images import make_variants, variant_name
from programme.models import Speaker
from tests.factories import (
    EditorFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    VenueFactory,
    VenuePhotoFactory,
)
from tests.html_forms import form_data
from venues.models import VenuePhoto

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = (
    "Dit bestand is geen afbeelding in JPEG-, PNG- of WebP-formaat. De website neemt alleen "
    "die drie soorten afbeeldingen aan."
)
OTHER_FORMAT = (
    "Dit is een {}-bestand. De website neemt alleen afbeeldingen in JPEG-, PNG- of WebP-formaat "
    "aan; sla het bestand eerst op als JPEG of PNG."
)
DAMAGED = (
    "Dit afbeeldingsbestand is beschadigd of onvolledig. Sla het opnieuw op en probeer het nog "
    "eens."
)


def picture(image_format="JPEG", size=(64, 48), **options):
    buffer = BytesIO()
    Image.new("RGB", size, "#00446b").save(buffer, format=image_format, **options)
    return buffer.getvalue()


def noisy_jpeg():
    """A JPEG with enough picture data that cutting it in half cuts the picture itself."""
    buffer = BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def gps_exif(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS 5D"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (53.0, 12.0, 10.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 33.0, 20.0)
    return exif


def png_declaring(width, height):
    """Just a PNG header and a tiny body: enough for a file that claims to be huge."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def stored_files(settings):
    media = Path(settings.MEDIA_ROOT)
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


def post_venue_photo(client, venue, upload, **fields):
    client.force_login(EditorFactory())
    data = {
        "venue": venue.pk,
        "image": upload,
        "alt_text": "De zaal",
        "caption": "",
        "credit": "Foto: VNG",
        "order": 0,
        "_save": "Opslaan",
    }
    return client.post(reverse("admin:venues_venuephoto_add"), {**data, **fields})


def form_errors(response):
    return response.context["adminform"].form.errors


REFUSALS = [
    pytest.param("foto.jpg", b"Dit is gewoon tekst, geen foto.\n" * 20, NOT_AN_IMAGE, id="text"),
    pytest.param("foto.gif", picture("GIF"), OTHER_FORMAT.format("GIF"), id="gif"),
    pytest.param(
        "logo.svg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>",
        OTHER_FORMAT.format("SVG"),
        id="svg",
    ),
    pytest.param(
        "groot.jpg",
        picture() + b"\x00" * (11 * 1024 * 1024),
        "Dit bestand is 11,0\xa0MB groot. Een afbeelding mag hoogstens 10 MB zijn; verklein haar "
        "eerst.",
        id="11-mb",
    ),
    pytest.param(
        "bom.png",
        png_declaring(8000, 5125),
        "Deze afbeelding is 41,0 megapixel. Het maximum is 40 megapixel; verklein haar eerst.",
        id="41-megapixel",
    ),
    pytest.param(
        "bom.png",
        png_declaring(100_000, 100_000),
        "Deze afbeelding is veel groter dan 40 megapixel, het maximum. Verklein haar eerst.",
        id="decompression-bomb",
    ),
    pytest.param("half.jpg", noisy_jpeg()[:4000], DAMAGED, id="truncated-jpeg"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS)
def test_admin_refuses_unsafe_upload_with_a_dutch_message(
    client, settings, congress, name, content, message
):
    venue = VenueFactory(congress=congress)

    response = post_venue_photo(client, venue, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert form_errors(response) == {"image": [message]}
    assert VenuePhoto.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS)
def test_model_validation_refuses_unsafe_upload(congress, settings, name, content, message):
    speaker = SpeakerFactory.build(
        congress=congress, photo=SimpleUploadedFile(name, content), photo_alt="Een portret"
    )

    with pytest.raises(ValidationError) as refusal:
        speaker.full_clean()

    assert refusal.value.message_dict == {"photo": [message]}
    assert stored_files(settings) == []


def test_admin_form_offers_only_the_accepted_types(client, congress):
    client.force_login(EditorFactory())

    response = client.get(reverse("admin:programme_speaker_add"))

    assert re.search(
        r'<input type="file" name="photo" accept="image/jpeg,image/png,image/webp"[^>]*>',
        response.content.decode(),
    )


def test_jpeg_loses_gps_and_camera_data_and_is_stored_upright(client, settings, congress):
    venue = VenueFactory(congress=congress)
    # Orientation 6: the camera was turned; the picture shows upright when rotated 90 degrees.
    upload = SimpleUploadedFile("foto.jpg", picture(size=(60, 40), exif=gps_exif(orientation=6)))

    response = post_venue_photo(client, venue, upload)

    assert response.status_code == 302
    photo = VenuePhoto.objects.get()
    with photo.image.open("rb") as stored_file:
        raw = stored_file.read()
    with Image.open(BytesIO(raw)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (40, 60))
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
    assert b"Canon" not in raw
    assert (photo.width, photo.height) == (40, 60)


@pytest.mark.parametrize(
    ("image_format", "name", "extension"),
    [("JPEG", "foto.jpeg", "jpg"), ("PNG", "foto.png", "png"), ("WEBP", "foto.webp", "webp")],
)
def test_every_accepted_format_keeps_its_format_and_loses_metadata(
    congress, image_format, name, extension
):
    content = picture(image_format, exif=gps_exif(), xmp=b"<x:xmpmeta>Groningen</x:xmpmeta>")

    speaker = SpeakerFactory(
        congress=congress, photo=SimpleUploadedFile(name, content), photo_alt="Een portret"
    )

    with speaker.photo.open("rb") as stored_file:
        raw = stored_file.read()
    with Image.open(BytesIO(raw)) as stored:
        assert stored.format == image_format
        assert dict(stored.getexif()) == {}
        assert "xmp" not in stored.info
    assert b"Canon" not in raw
    assert b"Groningen" not in raw
    assert speaker.photo.name.endswith(f".{extension}")


def test_stored_name_follows_the_content_not_the_uploaded_name(congress):
    speaker = SpeakerFactory(
        congress=congress,
        photo=SimpleUploadedFile("portret.jpg", picture("PNG")),
        photo_alt="Een portret",
    )

    assert re.fullmatch(r"speakers/[0-9a-f]{32}\.png", speaker.photo.name)


def test_two_uploads_of_the_same_name_get_different_random_names(client, congress):
    venue = VenueFactory(congress=congress)

    post_venue_photo(client, venue, SimpleUploadedFile("foto.jpg", picture()))
    post_venue_photo(client, venue, SimpleUploadedFile("foto.jpg", picture()))

    first, second = VenuePhoto.objects.order_by("pk").values_list("image", flat=True)
    assert first != second
    assert re.fullmatch(r"venues/[0-9a-f]{32}\.jpg", first)
    assert re.fullmatch(r"venues/[0-9a-f]{32}\.jpg", second)
    assert "foto" not in first + second


def test_hero_image_gets_a_random_name_in_the_congress_folder(congress):
    congress.hero_image = SimpleUploadedFile("groningen-hero.jpg", picture())
    congress.hero_image_alt = "De Martinitoren"

    congress.save()

    assert re.fullmatch(r"congress/[0-9a-f]{32}\.jpg", congress.hero_image.name)


# Alt text


def test_speaker_photo_without_alt_text_is_refused_on_the_form(client, settings, congress):
    client.force_login(EditorFactory())

    response = client.post(
        reverse("admin:programme_speaker_add"),
        {
            "congress": congress.pk,
            "name": "Jan van Zanen",
            "slug": "jan-van-zanen",
            "photo": SimpleUploadedFile("foto.jpg", picture()),
            "photo_alt": "",
            "_save": "Opslaan",
        },
    )

    assert response.status_code == 200
    assert form_errors(response) == {"photo_alt": ["Geef een alternatieve tekst bij de foto."]}
    assert Speaker.objects.count() == 0
    assert stored_files(settings) == []


def test_hero_image_without_alt_text_is_refused_on_the_form(client, settings, congress):
    client.force_login(EditorFactory())
    change_url = reverse("admin:congress_congress_change", args=[congress.pk])
    data = form_data(client.get(change_url).content.decode(), "congress_form")
    data.update(
        {
            "hero_image": SimpleUploadedFile("hero.jpg", picture()),
            "hero_image_alt": "",
            "_save": "Opslaan",
        }
    )

    response = client.post(change_url, data)

    assert response.status_code == 200
    assert form_errors(response) == {
        "hero_image_alt": ["Geef een alternatieve tekst bij de afbeelding."]
    }
    congress.refresh_from_db()
    assert congress.hero_image.name == ""
    assert stored_files(settings) == []


def test_hero_image_needs_alt_text_in_the_database(congress):
    congress.hero_image = "congress/bestaat.jpg"
    congress.hero_image_alt = ""

    with pytest.raises(IntegrityError), transaction.atomic():
        congress.save()


# Credits on the site


def test_venue_page_shows_the_photo_credit(client, congress):
    venue = VenueFactory(congress=congress, slug="forum")
    VenuePhotoFactory(venue=venue, caption="", credit="Foto: Marcel Groen")

    response = client.get(reverse("venues:detail", kwargs={"slug": "forum"}))

    assert '<figcaption> <span class="credit">Foto: Marcel Groen</span></figcaption>' in (
        response.content.decode()
    )


def test_speaker_pages_show_the_photo_credit(client, congress):
    speaker = SpeakerFactory(
        congress=congress,
        slug="jan-van-zanen",
        photo=SimpleUploadedFile("foto.jpg", picture(size=(96, 96))),
        photo_alt="Portret van Jan van Zanen",
        photo_credit="Foto: VNG / Jiri Büller",
    )
    SessionSpeakerFactory(speaker=speaker, session__congress=congress)

    detail = client.get(reverse("speakers:detail", kwargs={"slug": "jan-van-zanen"}))
    listing = client.get(reverse("speakers:list"))

    credit = '<figcaption class="credit">Foto: VNG / Jiri Büller</figcaption>'
    assert credit in detail.content.decode()
    assert credit in listing.content.decode()


# Smaller copies for phones


def sizes_and_formats(settings):
    found = {}
    for path in stored_files(settings):
        with Image.open(path) as image:
            found[path.name.split("-")[-1] if "-" in path.name else "original"] = (
                image.format,
                image.size,
                dict(image.getexif()),
            )
    return found


def test_an_upload_is_kept_in_three_widths_as_webp_and_jpeg_without_metadata(
    client, settings, congress
):
    venue = VenueFactory(congress=congress)
    upload = SimpleUploadedFile("foto.jpg", picture(size=(1200, 800), exif=gps_exif()))

    post_venue_photo(client, venue, upload)

    assert sizes_and_formats(settings) == {
        "original": ("JPEG", (1200, 800), {}),
        "200w.webp": ("WEBP", (200, 133), {}),
        "200w.jpg": ("JPEG", (200, 133), {}),
        "400w.webp": ("WEBP", (400, 267), {}),
        "400w.jpg": ("JPEG", (400, 267), {}),
        "800w.webp": ("WEBP", (800, 533), {}),
        "800w.jpg": ("JPEG", (800, 533), {}),
    }


def test_a_small_png_is_kept_at_its_own_width_with_a_png_fallback(settings, congress):
    SpeakerFactory(
        congress=congress,
        photo=SimpleUploadedFile("portret.png", picture("PNG", size=(400, 400))),
        photo_alt="Een portret",
    )

    assert sizes_and_formats(settings) == {
        "original": ("PNG", (400, 400), {}),
        "200w.webp": ("WEBP", (200, 200), {}),
        "200w.png": ("PNG", (200, 200), {}),
        "400w.webp": ("WEBP", (400, 400), {}),
        "400w.png": ("PNG", (400, 400), {}),
    }


def test_speaker_list_offers_the_copies_with_srcset_and_loads_later_photos_lazily(client, congress):
    for number in range(5):
        speaker = SpeakerFactory(
            congress=congress,
            name=f"Spreker {number}",
            sort_name=f"{number}",
            photo=SimpleUploadedFile("foto.jpg", picture(size=(400, 400))),
            photo_alt=f"Portret {number}",
        )
        SessionSpeakerFactory(speaker=speaker, session__congress=congress)

    content = client.get(reverse("speakers:list")).content.decode()

    pictures = re.findall(r"<picture>.*?</picture>", content)
    assert len(pictures) == 5
    assert re.fullmatch(
        r'<picture><source type="image/webp" '
        r'srcset="/media/speakers/(?P<n>[0-9a-f]{32})-200w\.webp 200w, '
        r'/media/speakers/(?P=n)-400w\.webp 400w" sizes="96px"><img '
        r'src="/media/speakers/(?P=n)-400w\.jpg" srcset="/media/speakers/(?P=n)-200w\.jpg 200w, '
        r'/media/speakers/(?P=n)-400w\.jpg 400w" sizes="96px" alt="Portret 0" width="400" '
        r'height="400" class="speaker-card__photo" decoding="async"></picture>',
        pictures[0],
    )
    assert ['loading="lazy"' in item for item in pictures] == [False, False, False, True, True]


def test_a_picture_stored_before_copies_existed_shows_as_it_is_until_they_are_made(
    client, congress, settings
):
    venue = VenueFactory(congress=congress, slug="forum")
    name = default_storage.save("venues/oud.jpg", ContentFile(picture(size=(800, 600))))
    VenuePhoto.objects.create(venue=venue, image=name, alt_text="De zaal", width=800, height=600)
    url = reverse("venues:detail", kwargs={"slug": "forum"})

    before = client.get(url).content.decode()
    made = make_variants(default_storage, name)
    cache.clear()  # the page cache keeps the page until an edit: the copies are not one
    after = client.get(url).content.decode()

    assert '<img src="/media/venues/oud.jpg" alt="De zaal" width="800" height="600"' in before
    assert sorted(made) == [
        "venues/oud-200w.jpg",
        "venues/oud-200w.webp",
        "venues/oud-400w.jpg",
        "venues/oud-400w.webp",
        "venues/oud-800w.jpg",
        "venues/oud-800w.webp",
    ]
    assert (
        'srcset="/media/venues/oud-200w.webp 200w, /media/venues/oud-400w.webp 400w, '
        '/media/venues/oud-800w.webp 800w"' in after
    )
    assert make_variants(default_storage, name) == []


def test_demo_pictures_get_their_copies(settings, db):
    call_command("load_demo", verbosity=0)

    photo = VenuePhoto.objects.order_by("pk").first()
    speaker = Speaker.objects.exclude(photo="").order_by("pk").first()
    for field_file, width in [(photo.image, 800), (speaker.photo, 400)]:
        for extension in ("webp", "jpg"):
            assert default_storage.exists(variant_name(field_file.name, width, extension))
