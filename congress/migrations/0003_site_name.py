from django.db import migrations


def name_the_site(apps, schema_editor):
    # django-allauth signs its emails with the site's name ("Hallo van VNG Jaarcongres").
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=1, defaults={"domain": "vngjaarcongres.nl", "name": "VNG Jaarcongres"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_editor_group"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
