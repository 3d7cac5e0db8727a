from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


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
