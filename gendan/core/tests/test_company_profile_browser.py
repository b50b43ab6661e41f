"""An administrator enters the company profile with its logo in a real Chromium, at desktop and phone width;
a salesperson finds no way to it."""


import pytest
from PIL import Image
from playwright.sync_api import expect

from gendan.core.models import CompanyProfile
from gendan.followup.tests.test_browser_actions import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def logo_png(tmp_path):
    path = tmp_path / "hengtai.png"
    Image.new("RGB", (120, 40), (23, 55, 94)).save(path)
    return path


@pytest.mark.parametrize("width", [1366, 390])
def test_an_administrator_enters_the_company_profile(page, live_server, administrator, tmp_path, width):
    problems = log_in(page, live_server, administrator, width)
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    if width < 500:
        page.click(".navbar-toggler")
    page.click("a[href='/company/']")
    page.fill("#id_name_zh", "宁波恒泰五金厨具进出口有限公司")
    page.fill("#id_name_en", "Ningbo Hengtai Hardware & Kitchenware Import & Export Co., Ltd.")
    page.fill("#id_address_en", "588 Tiantong South Road, Ningbo 315100, China")
    page.fill("#id_phone", "+86 574 8790 6612")
    page.fill("#id_tax_id", "91330212MA2H4K7X3")  # 17 characters: refused, the field named
    page.set_input_files("#id_logo", str(logo_png(tmp_path)))
    page.click("[data-testid=company-profile-form] button[type=submit]")
    expect(page.locator("#id_tax_id.is-invalid")).to_be_visible()
    assert not CompanyProfile.objects.exists()

    page.fill("#id_tax_id", "91330212MA2H4K7X3Q")
    page.check("#id_tracking_shows_prices")  # customers' tracking pages show prices
    page.set_input_files("#id_logo", str(logo_png(tmp_path)))  # a refused form does not keep its file
    page.click("[data-testid=company-profile-form] button[type=submit]")
    expect(page.locator("[data-testid=company-logo]")).to_be_visible()
    profile = CompanyProfile.objects.get()
    assert profile.name_zh == "宁波恒泰五金厨具进出口有限公司"
    assert (profile.tax_id, profile.version, profile.tracking_shows_prices) == ("91330212MA2H4K7X3Q", 1, True)
    assert profile.logo and profile.history.get().history_user == administrator
    expect(page.locator("[data-testid=history]")).to_contain_text(str(administrator))
    expect(page.locator("footer")).to_contain_text("宁波恒泰五金厨具进出口有限公司")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems == []


@pytest.mark.parametrize("width", [1366, 390])
def test_a_salesperson_has_no_way_to_it(page, live_server, salesperson, width):
    log_in(page, live_server, salesperson, width)
    expect(page.locator("a[href='/company/']")).to_have_count(0)
    response = page.goto(f"{live_server.url}/company/")
    assert response.status == 403
    expect(page.locator("[data-testid=error-page]")).to_be_visible()
    assert not CompanyProfile.objects.exists()
