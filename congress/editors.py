"""The editors' group: who may change the congress content in /beheer/."""

EDITOR_GROUP_NAME = "Redactie"

# Every content model, by app label and model name: editors may add, change, delete and view
# these, and nothing else (no users, groups or permissions).
CONTENT_MODELS = {
    "congress": ["congress", "theme", "page"],
    "venues": ["venue", "room", "venuephoto"],
    "programme": ["session", "speaker", "sessionspeaker"],
}
ACTIONS = ["add", "change", "delete", "view"]
# Sign-ups are made by attendees; editors see them and give waitlisted people a place.
REGISTRATION_PERMISSIONS = [
    ("programme", "view_registration"),
    ("programme", "change_registration"),
]
# Changes to the programme are recorded by the site; editors see them and mark one minor.
CHANGE_PERMISSIONS = [("programme", "view_sessionchange"), ("programme", "change_sessionchange")]


def content_permission_codenames():
    return (
        [
            (app_label, f"{action}_{model}")
            for app_label, models in CONTENT_MODELS.items()
            for model in models
            for action in ACTIONS
        ]
        + REGISTRATION_PERMISSIONS
        + CHANGE_PERMISSIONS
    )


def sync_editor_group(apps):
    """Create the group if needed and give it exactly the content permissions."""
    from django.contrib.auth.management import create_permissions
    from django.db.models import Q

    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for app_label, codename in content_permission_codenames():
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP_NAME)
    group.permissions.set(Permission.objects.filter(wanted))
