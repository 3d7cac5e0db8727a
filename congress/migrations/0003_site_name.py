from django.core.management.color import no_style
from django.db import migrations


def name_the_site(apps, schema_editor):
    # django-allauth signs its emails with the site's name ("Hallo van VNG Jaarcongres").
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=1, defaults={"domain": "vngjaarcongres.nl", "name": "VNG Jaarcongres"}
    )
    # An explicit pk leaves PostgreSQL's id sequence behind: the next site added in the admin
    # would collide with id 1. Move the sequence past it, as Django's own create_default_site does.
    connection = schema_editor.connection
    sequence_sql = connection.ops.sequence_reset_sql(no_style(), [Site])
    if sequence_sql:
        with connection.cursor() as cursor:
            for statement in sequence_sql:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_editor_group"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
