"""The company profile: an administrator enters who we are (names, address, logo); notices and documents
print it. One row, versioned, with history; the logo is served only to signed-in users."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from gendan.core.models import CompanyProfile
from gendan.core.services import company_profile_update

pytestmark = pytest.mark.django_db
URL = "/company/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(name="logo.png", size=(40, 20)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, (23, 55, 94)).save(data, format="PNG")
    data.seek(0)
    data.name = name
    return data


def png_file(name="logo.png") -> ContentFile:
    return ContentFile(png(name).getvalue(), name=name)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**changes) -> dict:
    return {"version": 0, "name_zh": "宁波恒泰五金厨具进出口有限公司", "name_en": "Ningbo Hengtai Hardware Co., Ltd.",
            "address_zh": "", "address_en": "588 Tiantong South Road, Ningbo", "phone": "+86 574 8790 6612",
            "email": "trade@hengtai.example", "website": "", "tax_id": "91330212MA2H4K7X3Q", "company_type": "trading",
            **changes}


def test_an_administrator_enters_the_profile_with_a_logo_and_it_keeps_its_history(administrator, media):
    client = signed_in(administrator)
    assert 'href="/company/"' in client.get("/").content.decode()  # in the administrator's menu
    response = client.post(URL, form(logo=png()))
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = CompanyProfile.objects.get()
    assert (profile.name_en, profile.version, profile.tax_id) == ("Ningbo Hengtai Hardware Co., Ltd.", 1,
                                                                  "91330212MA2H4K7X3Q")
    assert profile.logo.name.startswith("company/") and (media / profile.logo.name).exists()
    assert profile.history.get().history_user == administrator
    form_page = client.get(URL).content.decode()
    assert 'href="/company/logo/"' in form_page and "/media/" not in form_page  # the current logo's link works
    logo = client.get("/company/logo/")
    assert logo["Content-Type"] == "image/png" and b"".join(logo.streaming_content).startswith(b"\x89PNG")
    # the footer of every page carries the name in the reader's language
    assert "宁波恒泰五金厨具进出口有限公司 ·" in client.get("/").content.decode()

    response = client.post(URL, form(version=1, phone="+86 574 8790 0000"))  # no new file: the logo stays
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.phone, profile.version, bool(profile.logo)) == ("+86 574 8790 0000", 2, True)
    latest = profile.history.order_by("-history_id")[0]
    assert latest.history_user == administrator and latest.phone == "+86 574 8790 0000"


def test_replacing_the_logo_removes_the_old_file(administrator, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = company_profile_update(version=0, by=administrator, name_en="Hengtai", logo=png_file("a.png"))
    old = media / first.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = company_profile_update(version=1, by=administrator, logo=png_file("b.png"))
    assert not old.exists() and (media / second.logo.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        third = company_profile_update(version=2, by=administrator, logo=False)
    assert not third.logo and not (media / second.logo.name).exists()


def test_bad_input_is_named_and_nothing_is_saved(administrator):
    client = signed_in(administrator)
    page = client.post(URL, form(tax_id="91330212MA2H4K7X3O", email="not-an-address"))
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) == {"tax_id", "email"} and "18" in errors["tax_id"][0]
    html = io.BytesIO(b"<html><script>alert(1)</script></html>")
    html.name = "logo.png"
    page = client.post(URL, form(logo=html))
    assert "logo" in page.context["form"].errors
    assert not CompanyProfile.objects.exists() and not CompanyProfile.history.exists()


def test_of_two_administrators_the_second_is_told_to_reload(administrator):
    client = signed_in(administrator)
    assert client.post(URL, form(phone="1")).status_code == 302
    page = client.post(URL, form(phone="2"), follow=True)  # still holding version 0
    assert "已被他人修改，请刷新后重试" in page.content.decode()
    assert CompanyProfile.objects.get().phone == "1" and CompanyProfile.history.count() == 1


@pytest.mark.parametrize("role", ["salesperson", "merchandiser", "sales_manager"])
def test_other_roles_may_not_edit_it(request, role):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert 'href="/company/"' not in client.get("/").content.decode()
    assert not CompanyProfile.objects.exists()


def test_the_logo_is_not_served_to_anonymous_visitors(administrator):
    company_profile_update(version=0, by=administrator, name_en="Hengtai", logo=png_file())
    assert Client().get("/company/logo/").status_code == 302  # to the login page


def test_the_company_type_decides_the_refund_formula_and_keeps_its_history(administrator):
    from gendan.core.models import CompanyProfile, CompanyType

    client = signed_in(administrator)
    assert client.post(URL, form()).status_code == 302
    assert client.post(URL, form(version=1, company_type="bakery")).status_code == 200  # not a choice
    assert client.post(URL, form(version=1, company_type="manufacturer")).status_code == 302
    profile = CompanyProfile.objects.get()
    assert profile.company_type == CompanyType.MANUFACTURER
    assert [row.company_type for row in profile.history.order_by("history_id")] == ["trading", "manufacturer"]
