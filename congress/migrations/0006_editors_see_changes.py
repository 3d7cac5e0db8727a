from django.db import migrations

from congress.editors import sync_editor_group


def update_editor_group(apps, schema_editor):
    sync_editor_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0005_editors_see_registrations"),
        ("programme", "0003_session_status_sequence_changes"),
    ]

    operations = [migrations.RunPython(update_editor_group, migrations.RunPython.noop)]
