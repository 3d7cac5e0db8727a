from django.db import migrations

from congress.editors import sync_editor_group


def update_editor_group(apps, schema_editor):
    sync_editor_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0004_congress_signup_deadline"),
        ("programme", "0002_favourite_registration"),
    ]

    operations = [migrations.RunPython(update_editor_group, migrations.RunPython.noop)]
