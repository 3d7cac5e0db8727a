"""Pictures for the demo congress, drawn with Pillow at load time (nothing is downloaded)."""

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

# Calm, high-contrast backgrounds from the site's palette; white text on each passes WCAG AA.
PALETTE = ["#00446b", "#1f5f3f", "#6b2c5f", "#7a3d00", "#2d3f8f", "#5a4a00"]


def _colour_for(text):
    digest = hashlib.sha256(text.encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def _shade(colour, factor):
    """The colour lightened (factor > 1) or darkened (factor < 1)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    if factor >= 1:
        return tuple(int(c + (255 - c) * (factor - 1)) for c in (red, green, blue))
    return tuple(int(c * factor) for c in (red, green, blue))


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: a fixed bitmap font
        return ImageFont.load_default()


def _jpeg(image):
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()


def venue_picture(name, subtitle, *, width=960, height=640):
    """A banner with the venue's name: honest about being an illustration, not a photo."""
    background = _colour_for(name)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    for step in range(-height // 2, width, 48):  # a light diagonal pattern
        draw.line([(step, height), (step + height // 2, 0)], fill=_shade(background, 1.15), width=3)
    draw.rectangle([0, height - 180, width, height], fill=_shade(background, 0.6))
    draw.text((48, height - 150), name, font=_font(56), fill="white")
    draw.text((48, height - 70), subtitle, font=_font(30), fill="white")
    return ContentFile(_jpeg(image))


def initials_picture(name, *, size=400):
    """A round badge with a person's initials, for speakers without a photo."""
    background = _colour_for(name)
    image = Image.new("RGB", (size, size), "#f4f6f8")
    draw = ImageDraw.Draw(image)
    draw.ellipse([16, 16, size - 16, size - 16], fill=background)
    words = [word for word in name.split() if word[:1].isupper()]
    initials = (words[0][0] + (words[-1][0] if len(words) > 1 else "")) if words else "?"
    font = _font(size // 3)
    box = draw.textbbox((0, 0), initials, font=font)
    x = (size - (box[2] - box[0])) / 2 - box[0]
    y = (size - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), initials, font=font, fill="white")
    return ContentFile(_jpeg(image))
