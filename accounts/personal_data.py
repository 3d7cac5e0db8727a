"""Everything the site holds about one person, for the AVG right of access (Article 15)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator


def personal_data(user):
    from programme.models import Favourite, Registration

    return {
        "account": {
            "e-mailadres": user.email,
            "voornaam": user.first_name,
            "achternaam": user.last_name,
            "gemeente": user.municipality,
            "functie": user.get_role_display(),
            "aangemaakt_op": user.date_joined,
            "laatst_ingelogd": user.last_login,
            "toegang_tot_beheer": user.is_staff,
        },
        "e-mailadressen": [
            {"adres": address.email, "bevestigd": address.verified, "primair": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "tweestapsverificatie": [
            {"soort": authenticator.get_type_display(), "sinds": authenticator.created_at}
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "mijn_programma": [
            {
                "sessie": favourite.session.title,
                "begin": favourite.session.start,
                "toegevoegd_op": favourite.created_at,
            }
            for favourite in Favourite.objects.filter(user=user).select_related("session")
        ],
        "aanmeldingen": [
            {
                "sessie": registration.session.title,
                "begin": registration.session.start,
                "status": registration.get_status_display(),
                "aangemeld_op": registration.created_at,
                "plaats_sinds": registration.confirmed_at,
            }
            for registration in Registration.objects.filter(user=user).select_related("session")
        ],
    }
