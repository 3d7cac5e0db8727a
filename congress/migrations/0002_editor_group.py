from django.db import migrations

from congress.editors import sync_editor_group


def create_editor_group(apps, schema_editor):
    sync_editor_group(apps)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Redactie").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("congress", "0001_initial"),
        ("venues", "0001_initial"),
        ("programme", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
