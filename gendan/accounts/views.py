from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from gendan.accounts.forms import ProfileForm
from gendan.accounts.services import profile_update


@login_required
def profile(request):
    """A person's own details and language (used by their pages, their morning digest and notifications)."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, **form.cleaned_data)
        translation.activate(request.user.language or translation.get_language())
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def language_switch(request):
    """The language switch: remembered in the profile of a logged-in user (their digest follows it), and in
    a cookie for the login page."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(ProfileForm.base_fields["language"].choices):
        profile_update(user=request.user, language=language)
    return set_language(request)
