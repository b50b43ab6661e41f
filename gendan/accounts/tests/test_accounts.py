import pytest
from django.conf import settings
from django.urls import reverse

from gendan.accounts.roles import ROLE_PERMISSIONS, Role
from gendan.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_role_has_a_group_with_its_permissions(make_user):
    for role in Role:
        user = make_user(role, username=f"u-{role}")
        for perm in ROLE_PERMISSIONS[role]:
            assert user.has_perm(perm), (role, perm)


def test_login_and_logout(client, salesperson):
    response = client.post(reverse("accounts:login"), {"username": salesperson.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failed_logins_lock_the_account(client, salesperson):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login"), {"username": salesperson.username, "password": "wrong"})
    assert response.status_code == 429
    # even the right password is refused while locked
    response = client.post(reverse("accounts:login"), {"username": salesperson.username, "password": PASSWORD})
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_language_switch_sets_english_and_back(client, salesperson):
    client.force_login(salesperson)
    assert 'lang="zh-hans"' in client.get(reverse("home")).content.decode()  # Chinese first
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in content and "Sales orders" in content
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "销售订单" in client.get(reverse("home")).content.decode()


def test_browser_language_does_not_override_company_default(client, salesperson):
    client.force_login(salesperson)
    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert 'lang="zh-hans"' in content


def test_password_change(client, salesperson):
    client.force_login(salesperson)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Hinges&Handles-2027", "new_password2": "Hinges&Handles-2027"})
    assert response.status_code == 302
    salesperson.refresh_from_db()
    assert salesperson.check_password("Hinges&Handles-2027")
