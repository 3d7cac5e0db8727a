"""PostgreSQL tells listeners of every change of the content version (congress/version_watch.py).

A statement-level trigger on the version table sends a notification on the channel
`congress_content_version` in every transaction that changes the table (UPDATE, INSERT, DELETE,
TRUNCATE); PostgreSQL delivers it when that transaction commits. Other databases have no
notifications: there the version is read per request, and this migration does nothing.
"""

from django.db import migrations

CHANNEL = "congress_content_version"
TRIGGER = "congress_content_version_notify"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("congress", "ContentVersion")._meta.db_table)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END
        $$
        """
    )
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("congress", "ContentVersion")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0010_picture_variants"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
