"""Session engines that read a session together with its user, in one query.

`SESSION_ENGINE = "accounts.sessions"` is Django's database engine and
`"accounts.cached_sessions"` its cached_db engine (with Redis), each storing sessions in
`LoginSession` (accounts/models.py), whose `user` column is filled from the session data each time
the session is saved. Reading a session then joins its user, and keeps it on the store as
`loaded_user`, where the authentication backends (accounts/backends.py) take it instead of asking
the database again.
"""

import logging

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import cached_db, db
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.utils import timezone

NOT_LOADED = object()


def user_id_of(data):
    """The logged-in user's id in session data, as the user model's primary key, or None."""
    value = data.get(SESSION_KEY)
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


class UserColumnMixin:
    """For Django's database-backed session stores: the user column, and the user read with it."""

    loaded_user = NOT_LOADED

    @classmethod
    def get_model_class(cls):
        from .models import LoginSession

        return LoginSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = user_id_of(data)
        return instance

    def _get_session_from_db(self):
        # Django's own lookup, with the user joined (None when the session has no user).
        try:
            session = self.model.objects.select_related("user").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                name = f"django.security.{error.__class__.__name__}"
                logging.getLogger(name).warning(str(error))
            self._session_key = None
            return None
        self.loaded_user = session.user
        return session


class SessionStore(UserColumnMixin, db.SessionStore):
    pass


class CachedSessionStore(UserColumnMixin, cached_db.SessionStore):
    """Sessions read from the cache first (Redis); only a miss reads the database and the user."""

    cache_key_prefix = "accounts.sessions.cached"
