"""The content version: one number that changes whenever anything a visitor can see changes.

Cached pages (congress/page_cache.py) are stored under the version they were made from, so a bump
makes every stored page unreachable at once: an edit shows on the next request, in every worker
process and on every server, because the number lives in the database that they all share.

What bumps it:

- any save or delete of congress content (signals, connected in congress/apps.py), and a change
  of a session's themes;
- any bulk write on a content model's queryset (`update()`, `bulk_create()`, `bulk_update()`),
  which sends no signals: `ContentQuerySet` is the base of those models' managers;
- the few writes that bypass both (copying an edition writes with `_base_manager`), which call
  `bump()` themselves.

The bump runs right after the transaction commits, once per transaction however many rows it
wrote, as one short UPDATE: sign-ups in different sessions never wait for each other on the
version row, and no reader can store the old content under the new number.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import F
from django.db.models.functions import Now

from .version_watch import watch

logger = logging.getLogger(__name__)

VERSION_ROW = 1

# Every model whose rows some public page shows (Registration: the places left).
CONTENT_MODELS = (
    "congress.Congress",
    "congress.Theme",
    "congress.Page",
    "venues.Venue",
    "venues.Room",
    "venues.VenuePhoto",
    "programme.Session",
    "programme.Speaker",
    "programme.SessionSpeaker",
    "programme.Registration",
    "programme.SessionChange",
)


def _version_model():
    from .models import ContentVersion

    return ContentVersion


def bump_now():
    """Give the content a new version, now (outside any transaction of the caller's)."""
    version = _version_model()
    updated = version.objects.filter(pk=VERSION_ROW).update(
        number=F("number") + 1, changed_at=Now()
    )
    if not updated:
        # The row is made by a migration; a database emptied since (a test flush) gets it back.
        version.objects.get_or_create(pk=VERSION_ROW, defaults={"number": 1})
    # Other processes are told by the database; this one need not wait for that.
    watch.forget()


def bump(using=DEFAULT_DB_ALIAS):
    """Bump the version once the current transaction commits (at once outside a transaction).

    A transaction that writes many rows bumps once: a bump already waiting in the same savepoint
    is enough (should that savepoint roll back, the bump goes with it, as do these writes).
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        # None stands for an atomic block without a savepoint of its own (savepoint=False).
        here = set(connection.savepoint_ids) - {None}
        if any(
            callback is bump_now and savepoints - {None} == here
            for savepoints, callback, _ in connection.run_on_commit
        ):
            return
    transaction.on_commit(bump_now, using=using, robust=True)


def current_version():
    """(number, changed_at) of the content as committed now; (0, None) before the first bump."""
    row = _version_model().objects.filter(pk=VERSION_ROW).values_list("number", "changed_at")
    return row.first() or (0, None)


class ContentQuerySet(models.QuerySet):
    """A queryset whose bulk writes, which send no signals, bump the content version."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            bump(self.db)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump(self.db)
        return created

    # bulk_update() writes through update(), and so bumps.


def _content_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    bump(using)


def _relation_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump(using)


def connect_signals():
    """Bump on every save and delete of content, and on every change of a session's themes."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"content-save-{label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"content-del-{label}")
    session_themes = apps.get_model("programme.Session").themes.through
    m2m_changed.connect(_relation_changed, sender=session_themes, dispatch_uid="content-themes")
