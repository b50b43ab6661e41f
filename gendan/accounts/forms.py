from django import forms
from django.contrib.auth import forms as auth_forms

from gendan.accounts.models import User
from gendan.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    wide_fields = ("username", "password")


class ProfileForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "email", "language"]


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    wide_fields = ("old_password", "new_password1", "new_password2")
