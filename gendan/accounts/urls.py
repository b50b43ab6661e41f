from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from gendan.accounts import views
from gendan.accounts.forms import LoginForm, PasswordChangeForm

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True,
    ), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", form_class=PasswordChangeForm,
        success_url=reverse_lazy("accounts:password_change_done"),
    ), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html",
    ), name="password_change_done"),
]
