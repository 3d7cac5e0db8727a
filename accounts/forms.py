from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, User
from .municipalities import municipality_choices


class ProfileFieldsMixin(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    municipality = forms.ChoiceField(
        label=_("Gemeente"),
        required=False,
        help_text=_("De gemeente waarvoor u werkt of in de raad zit. Leeg als dat niet geldt."),
    )
    role = forms.ChoiceField(label=_("Functie"), choices=[("", "—")] + list(Role.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("— geen gemeente —"))] + (
            municipality_choices()
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"


class ProfileSignupForm(ProfileFieldsMixin):
    """allauth's signup form gets these fields too (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request, user):
        for name in ("first_name", "last_name", "municipality", "role"):
            setattr(user, name, self.cleaned_data[name])
        user.save()


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "municipality", "role"]
