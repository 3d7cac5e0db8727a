"""Authentication backends that take the user the session was read with (accounts/sessions.py).

Django's `get_user(request)` reads the user id from the session and asks the backend for that
user, which would read the user again. While `AuthenticationMiddleware` (accounts/middleware.py)
resolves `request.user`, the backends look at the request's session store first: when it read
the same user with the session, that instance is used (after the same `user_can_authenticate`
check); otherwise they ask the database as Django's do. Django still verifies the session hash
against the user's password, so a changed password logs other sessions out as before.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from .sessions import NOT_LOADED

_session_store = ContextVar("accounts_session_store", default=None)


class PreloadedUserMixin:
    def get_user(self, user_id):
        store = _session_store.get()
        user = getattr(store, "loaded_user", NOT_LOADED) if store is not None else NOT_LOADED
        if user is not NOT_LOADED and user is not None and str(user.pk) == str(user_id):
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)


class ModelBackend(PreloadedUserMixin, django_backends.ModelBackend):
    pass


class AuthenticationBackend(PreloadedUserMixin, allauth_backends.AuthenticationBackend):
    pass


@contextmanager
def session_store_at_hand(request):
    """While Django's `get_user(request)` runs, let the backends see the request's session."""
    token = _session_store.set(request.session)
    try:
        yield
    finally:
        _session_store.reset(token)
