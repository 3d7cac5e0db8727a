"""`SESSION_ENGINE = "accounts.cached_sessions"`: sessions in the cache (Redis) and the database,
with the user in a column of its own (accounts/sessions.py)."""

from .sessions import CachedSessionStore as SessionStore

__all__ = ["SessionStore"]
