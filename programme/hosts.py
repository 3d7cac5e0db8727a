"""The Sessiehouder role: people who look after the sessions they host in /beheer/.

A Sessiehouder is staff (so needs two-factor authentication, like every editor) and a member of
the group "Sessiehouder", which holds one permission: programme.host_session. Which sessions they
host, the Redactie sets on each session (`Session.hosts`); there they may change the content
(summary, description, speakers) and see who signed up. Nothing else: no other sessions, no
venues, speakers, pages, congress or users, no publishing. See SessionAdmin.
"""

HOST_GROUP_NAME = "Sessiehouder"

# The group's permissions, by app label and codename: exactly these.
HOST_GROUP_PERMISSIONS = [("programme", "host_session")]


def sync_host_group(apps):
    """Create the group if needed and give it exactly the Sessiehouder permissions."""
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
    for app_label, codename in HOST_GROUP_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group, _ = Group.objects.get_or_create(name=HOST_GROUP_NAME)
    group.permissions.set(Permission.objects.filter(wanted))


def host_candidates():
    """The people the Redactie can make host of a session: active members of the group."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=HOST_GROUP_NAME, is_active=True)
