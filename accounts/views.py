"""The account page: profile, calendar address, the person's data (AVG) and deleting the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programme.services import delete_account

from .forms import ProfileForm
from .personal_data import personal_data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        return redirect("accounts:profile")
    feed_path = f"/mijn-programma/{request.user.calendar_token}.ics"
    context = {
        "form": form,
        "feed_url": request.build_absolute_uri(feed_path),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def renew_calendar(request):
    request.user.renew_calendar_token()
    messages.success(
        request,
        _(
            "Uw agenda-adres is vernieuwd. Het oude adres werkt niet meer; abonneer u opnieuw met "
            "het nieuwe adres."
        ),
    )
    return redirect("accounts:profile")


@login_required
@require_safe
def download_data(request):
    data = personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request):
    if request.method == "POST":
        if request.POST.get("bevestig") != request.user.email:
            messages.error(
                request,
                _("Typ uw e-mailadres precies zoals het hier staat om te bevestigen."),
            )
            return render(request, "accounts/delete.html", status=400)
        user = request.user
        logout(request)
        delete_account(user=user)
        messages.success(request, _("Uw account en al uw gegevens zijn verwijderd."))
        return redirect("congress:home")
    return render(request, "accounts/delete.html")
