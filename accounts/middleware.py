from django.contrib import auth, messages
from django.contrib.auth import middleware as auth_middleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .backends import session_store_at_hand


def get_user(request):
    """Django's `get_user(request)`, with the session's own user at hand for the backends."""
    if not hasattr(request, "_cached_user"):
        with session_store_at_hand(request):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, where `request.user` is the user read with the session (accounts/backends.py):
    one query for a logged-in visitor's session and user, not two."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class StaffTwoFactorMiddleware:
    """Staff reach /beheer/ only after setting up two-factor authentication (TOTP).

    Anyone with staff rights who has not yet set it up is sent to allauth's TOTP set-up page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = request.user
        if (
            request.path.startswith(self.admin_prefix)
            and user.is_authenticated
            and user.is_staff
            and not has_two_factor(user)
        ):
            messages.warning(
                request,
                _(
                    "Voor het beheer is tweestapsverificatie verplicht. Stel die eerst in met een "
                    "authenticator-app; daarna komt u in het beheer."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


def has_two_factor(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
