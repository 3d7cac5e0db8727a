from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Congress


class CopyEditionForm(forms.Form):
    """The name, year, slug and first day of a new edition (action "Kopieer naar nieuwe editie")."""

    year = forms.IntegerField(label=_("Jaar"), min_value=1900, max_value=2999)
    name = forms.CharField(label=_("Naam"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"), max_length=80, help_text=_("Kleine letters, cijfers en streepjes.")
    )
    start_date = forms.DateField(
        label=_("Eerste dag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Alle datums en tijden schuiven evenveel dagen op."),
    )
    with_sessions = forms.BooleanField(
        label=_("Ook de sessies kopiëren"),
        required=False,
        help_text=_(
            "Als concept, met hun sprekers; zonder aanmeldingen, favorieten en wijzigingen."
        ),
    )

    @classmethod
    def initial_for(cls, congress):
        """A proposal: the next year, the same name with that year, the same date a year later."""
        year = congress.year + 1
        name = congress.name.replace(str(congress.year), str(year))
        if name == congress.name:
            name = f"{congress.name} {year}"
        try:
            start_date = congress.start_date.replace(year=congress.start_date.year + 1)
        except ValueError:  # 29 February
            start_date = congress.start_date.replace(year=congress.start_date.year + 1, day=28)
        return {"year": year, "name": name, "slug": slugify(name), "start_date": start_date}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Congress.objects.filter(year=year).exists():
            raise forms.ValidationError(_("Er is al een editie in dit jaar."))
        return year

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Congress.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Er is al een editie met deze slug."))
        return slug
