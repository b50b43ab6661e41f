from django.contrib.auth import forms as auth_forms

from gendan.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    wide_fields = ("username", "password")


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    wide_fields = ("old_password", "new_password1", "new_password2")
