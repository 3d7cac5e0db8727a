from django.db import migrations, models

import accounts.models


def give_every_user_a_token(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(calendar_token__isnull=True).only("pk"):
        user.calendar_token = accounts.models.new_calendar_token()
        user.save(update_fields=["calendar_token"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="municipality",
            field=models.CharField(
                blank=True,
                help_text="De gemeente waarvoor u werkt of in de raad zit.",
                max_length=100,
                verbose_name="gemeente",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("burgemeester", "Burgemeester"),
                    ("wethouder", "Wethouder"),
                    ("raadslid", "Raadslid"),
                    ("griffier", "Griffier"),
                    ("gemeentesecretaris", "Gemeentesecretaris"),
                    ("ambtenaar", "Ambtenaar"),
                    ("anders", "Anders"),
                ],
                max_length=30,
                verbose_name="functie",
            ),
        ),
        # A unique column with a per-row default: add it empty, fill it, then make it unique.
        migrations.AddField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(max_length=64, null=True, editable=False),
        ),
        migrations.RunPython(give_every_user_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(
                default=accounts.models.new_calendar_token,
                editable=False,
                help_text="Geheim deel van het adres van de persoonlijke agenda-feed.",
                max_length=64,
                unique=True,
                verbose_name="agendasleutel",
            ),
        ),
    ]
