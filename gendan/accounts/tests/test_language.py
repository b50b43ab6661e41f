"""Each person chooses their language, and it follows them: their pages (without a cookie, on any PC), the
language switch remembers it, and their morning digest is written in it (issue 14, finding 7: the digest read
a `user.language` that did not exist, so everyone got Chinese)."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_profile_language_rules_the_pages(client, merchandiser):
    client.force_login(merchandiser)
    assert "工作台" in client.get(reverse("home")).content.decode()  # the company's default
    response = client.post(reverse("accounts:profile"), {"full_name": "Zhang Xiaoyan", "phone": "", "email": "",
                                                         "language": "en"})
    assert response.status_code == 302
    merchandiser.refresh_from_db()
    assert (merchandiser.language, merchandiser.full_name) == ("en", "Zhang Xiaoyan")
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)  # another PC: no cookie
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en"' in page


def test_the_language_switch_is_remembered_in_the_profile(client, merchandiser):
    client.force_login(merchandiser)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    merchandiser.refresh_from_db()
    assert merchandiser.language == "en"
