"""Smaller WebP and JPEG/PNG copies of every picture stored before copies were made on upload."""

import logging

from django.core.files.storage import default_storage
from django.db import migrations

logger = logging.getLogger(__name__)

PICTURES = [
    ("congress", "Congress", "hero_image"),
    ("venues", "VenuePhoto", "image"),
    ("programme", "Speaker", "photo"),
]


def make_copies(apps, schema_editor):
    from congress.images import make_variants

    for app_label, model_name, field in PICTURES:
        model = apps.get_model(app_label, model_name)
        names = model.objects.exclude(**{field: ""}).values_list(field, flat=True).distinct()
        for name in names.iterator():
            try:
                make_variants(default_storage, name)
            except Exception:  # noqa: BLE001 - a missing or unreadable file keeps its original
                logger.warning("No smaller copies of %s.", name, exc_info=True)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0009_content_version"),
        ("venues", "0003_clean_images_and_markdown"),
        ("programme", "0006_clean_images_and_markdown"),
    ]

    operations = [migrations.RunPython(make_copies, migrations.RunPython.noop, elidable=True)]
