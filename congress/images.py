"""Uploaded pictures: what the site accepts, and how a picture is cleaned before it is stored.

Every upload field (congress hero image, venue photos, speaker photos) is a `CleanImageField`:

- its form field and its model validator accept JPEG, PNG and WebP only, up to 10 MB and
  40 megapixels, and refuse anything else (a renamed text file, a GIF or SVG, a truncated file,
  a decompression bomb) with a Dutch message;
- when the file is saved it is re-encoded with Pillow: turned upright as its EXIF orientation
  says, then written again in the same format without EXIF, XMP or other metadata, so location
  and camera data never reach the site;
- it is stored under an unguessable name, `<folder>/<uuid4 hex>.<ext>`, the extension following
  the picture's real format rather than the name it was uploaded with;
- beside it go smaller copies for phones, made with Pillow: for each of VARIANT_WIDTHS below the
  picture's own width (and its own width, up to the largest), a WebP and a fallback (PNG for a
  PNG, else JPEG, transparency on white): `<uuid4 hex>-<width>w.webp`, `<uuid4 hex>-<width>w.jpg`.
  The `picture` template tag (congress/templatetags/site_tags.py) offers them with srcset.
"""

import uuid
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000

# Pillow's name of each accepted format -> (format to write, file extension). MPO is how Pillow
# reads the multi-picture JPEGs many phones and cameras make; they are stored as plain JPEG.
ACCEPTED_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "MPO": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
}
# The only decoders that ever see an upload (Pillow's JPEG decoder also reads MPO).
DECODERS = ("JPEG", "PNG", "WEBP")
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
IMAGE_HELP = _(
    "Een JPEG-, PNG- of WebP-afbeelding van hoogstens 10 MB en 40 megapixel. Locatie- en "
    "cameragegevens worden bij het opslaan verwijderd."
)
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": False},
    "WEBP": {"quality": 85, "method": 4},
}
# What survives re-encoding from the picture's own information: its colour profile and, for
# palette PNGs, which colour is transparent. Everything else (EXIF, XMP, text chunks, comments)
# is dropped.
KEPT_INFO = ("icc_profile", "transparency")

# The widths kept beside each picture (besides its own, when smaller than the largest).
# 200: a speaker's 96 px portrait on a sharp phone screen; 400 and 800: photos on a phone or in a
# column on a desktop.
VARIANT_WIDTHS = (200, 400, 800)
VARIANT_OPTIONS = {
    "WEBP": {"quality": 78, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
}

# The first bytes of formats people often try, to name them in the refusal.
OTHER_SIGNATURES = [
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF", "PDF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
]

MESSAGES = {
    "too_large": _(
        "Dit bestand is %(size)s groot. Een afbeelding mag hoogstens 10 MB zijn; "
        "verklein haar eerst."
    ),
    "other_format": _(
        "Dit is een %(format)s-bestand. De website neemt alleen afbeeldingen in JPEG-, PNG- of "
        "WebP-formaat aan; sla het bestand eerst op als JPEG of PNG."
    ),
    "not_an_image": _(
        "Dit bestand is geen afbeelding in JPEG-, PNG- of WebP-formaat. De website neemt alleen "
        "die drie soorten afbeeldingen aan."
    ),
    "too_many_pixels": _(
        "Deze afbeelding is %(megapixels)s megapixel. Het maximum is 40 megapixel; "
        "verklein haar eerst."
    ),
    "too_many_pixels_unknown": _(
        "Deze afbeelding is veel groter dan 40 megapixel, het maximum. Verklein haar eerst."
    ),
    "damaged": _(
        "Dit afbeeldingsbestand is beschadigd of onvolledig. Sla het opnieuw op en probeer het "
        "nog eens."
    ),
}

# A file that passed check_image() remembers its format, so the form and the model validator
# do not decode the same upload twice.
_CHECKED = "_checked_image_format"


def _refuse(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


def _other_format(head):
    for signature, name in OTHER_SIGNATURES:
        if head.startswith(signature):
            return name
    lowered = head.lower()
    if b"<svg" in lowered or (b"<?xml" in lowered and b"svg" in lowered):
        return "SVG"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "HEIC/AVIF"
    return None


def _looks_accepted(data):
    """Starts like a JPEG, PNG or WebP file (which Pillow could then not read: damaged)."""
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def _open_checked(file):
    """Open an uploaded picture with Pillow, fully decoded, or refuse it with a ValidationError.

    Only the accepted formats' decoders ever see the data. The caller closes the image.
    """
    size = _size_of(file)
    if size > MAX_BYTES:
        raise _refuse("too_large", size=filesizeformat(size))
    # Pillow gets its own copy (at most 10 MB), so closing the image leaves the upload be.
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        image = Image.open(BytesIO(data), formats=DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow refuses (or, in between, warns about) sizes far beyond ours on its own.
        raise _refuse("too_many_pixels_unknown") from error
    except Exception as error:  # Pillow raises many kinds of error on data it cannot read
        if _looks_accepted(data):
            raise _refuse("damaged") from error
        other = _other_format(data[:512])
        if other:
            raise _refuse("other_format", format=other) from error
        raise _refuse("not_an_image") from error
    try:
        width, height = image.size
        if width * height > MAX_PIXELS:
            megapixels = f"{width * height / 1_000_000:.1f}".replace(".", ",")
            raise _refuse("too_many_pixels", megapixels=megapixels)
        try:
            image.load()  # a truncated or corrupt file only shows itself when decoded
        except Exception as error:
            raise _refuse("damaged") from error
    except BaseException:
        image.close()
        raise
    return image


def check_image(file):
    """Refuse anything but an intact JPEG, PNG or WebP of at most 10 MB and 40 megapixels.

    Returns Pillow's name of the format.
    """
    checked = getattr(file, _CHECKED, None)
    if checked:
        return checked
    with _open_checked(file) as image:
        image_format = image.format
    setattr(file, _CHECKED, image_format)
    return image_format


def validate_image(value):
    """Model field validator: checks a new upload; a file already stored was checked then."""
    if isinstance(value, FieldFile):
        if value._committed:
            return
        value = value.file
    check_image(value)


def clean_image(file):
    """The picture upright and re-encoded in its own format without metadata.

    Returns a ContentFile and the extension that belongs to the format. Raises ValidationError
    for a file check_image() refuses.
    """
    with _open_checked(file) as image:
        save_format, extension = ACCEPTED_FORMATS[image.format]
        upright = ImageOps.exif_transpose(image)
    upright.info = {key: upright.info[key] for key in KEPT_INFO if key in upright.info}
    buffer = BytesIO()
    upright.save(buffer, format=save_format, **SAVE_OPTIONS[save_format])
    return ContentFile(buffer.getvalue()), extension


def variant_widths(width):
    """The widths a picture `width` pixels wide is kept in: 200, 400, 800, or up to its own."""
    if not width:
        return []
    widths = [candidate for candidate in VARIANT_WIDTHS if candidate < width]
    if width <= VARIANT_WIDTHS[-1]:
        widths.append(width)
    return widths


def fallback_extension(name):
    """The format of a picture's non-WebP copies: PNG stays PNG, everything else is JPEG."""
    return "png" if PurePosixPath(name).suffix.lower() == ".png" else "jpg"


def variant_name(name, width, extension):
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w.{extension}"))


def make_variants(storage, name, image=None):
    """Store the WebP and fallback copies of the stored picture `name` that are not there yet.

    `image` is the picture itself when the caller has it open (else it is read from storage).
    Returns the names written.
    """
    fallback = fallback_extension(name)
    formats = (("webp", "WEBP"), (fallback, "PNG" if fallback == "png" else "JPEG"))
    if image is None:
        with storage.open(name, "rb") as stored, Image.open(stored) as opened:
            missing = [
                variant_name(name, width, extension)
                for width in variant_widths(opened.width)
                for extension, _ in formats
                if not storage.exists(variant_name(name, width, extension))
            ]
            if not missing:
                return []  # all there: the picture is not even decoded
            opened.load()
            return make_variants(storage, name, opened)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    written = []
    for width in variant_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = None
        for extension, image_format in formats:
            target = variant_name(name, width, extension)
            if storage.exists(target):
                continue
            if resized is None:
                resized = image.convert("RGBA" if has_alpha else "RGB")
                if width != image.width:
                    resized = resized.resize((width, height), Image.Resampling.LANCZOS)
            copy = resized
            if image_format == "JPEG" and has_alpha:  # JPEG has no transparency: on white
                copy = Image.new("RGB", resized.size, "white")
                copy.paste(resized, mask=resized.getchannel("A"))
            buffer = BytesIO()
            copy.save(buffer, format=image_format, **VARIANT_OPTIONS[image_format])
            written.append(storage.save(target, ContentFile(buffer.getvalue())))
    return written


@deconstructible
class RandomName:
    """upload_to that stores a file as `<folder>/<uuid4 hex>.<ext>`: not guessable from outside."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = PurePosixPath(filename).suffix.lower()
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder

    def __hash__(self):
        return hash(self.folder)


class CleanImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        """Store the cleaned picture, named after its real format, and its smaller copies."""
        cleaned, extension = clean_image(content)
        super().save(f"afbeelding.{extension}", cleaned, save)
        make_variants(self.storage, self.name)


class ImageUploadFormField(forms.ImageField):
    """Form field with the same checks as the model, so refusals show at the field."""

    default_validators = []  # check_image() decides by content, not by the file's name

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is not None:
            check_image(file)
        return file

    def widget_attrs(self, widget):
        attrs = forms.FileField.widget_attrs(self, widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT_ATTRIBUTE)
        return attrs


class CleanImageField(models.ImageField):
    """An ImageField that accepts only safe pictures and strips their metadata when saving."""

    attr_class = CleanImageFieldFile
    default_validators = [validate_image]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadFormField, **kwargs})

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        """Fill width and height; none yet for a picture claiming absurd dimensions.

        Django reads them as soon as a file is assigned, before validation can refuse it; Pillow
        then raises on a decompression bomb. The validators give the editor the reason.
        """
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            for name in (self.width_field, self.height_field):
                if name:
                    setattr(instance, name, None)
