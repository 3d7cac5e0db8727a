from django.db import migrations

from programme.hosts import sync_host_group


def create_host_group(apps, schema_editor):
    sync_host_group(apps)


def remove_host_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Sessiehouder").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programme", "0004_session_hosts_and_history"),
    ]

    operations = [migrations.RunPython(create_host_group, remove_host_group)]
