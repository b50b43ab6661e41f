"""Order attachments: limited in size and type when uploaded, sent back only to people who may see the order."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import OrderAttachment, OrderEvent
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def order(salesperson, merchandiser):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser)
    return make_order(by=salesperson, customer=customer)


def attach(client, user, order, name, content):
    client.force_login(user)
    return client.post(reverse("sales:attachment_add", args=[order.pk]),
                       {"file": SimpleUploadedFile(name, content), "description": "artwork"}, follow=True)


def download(client, order, attachment):
    return client.get(reverse("sales:attachment_download", args=[order.pk, attachment.pk]))


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def file_label() -> str:
    with translation.override("zh-hans"):  # the company's language, which the pages are in
        return capfirst(str(OrderAttachment._meta.get_field("file").verbose_name))


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize("who", ["salesperson", "merchandiser", "sales_manager", "general_manager"])
def test_the_orders_people_download_an_attachment(request, client, order, salesperson, who):
    attach(client, salesperson, order, "artwork.pdf", PDF)
    attachment = OrderAttachment.objects.get(order=order)
    # the order page links to the download view, not to /media/
    page = client.get(order.get_absolute_url()).content.decode()
    assert reverse("sales:attachment_download", args=[order.pk, attachment.pk]) in page and "/media/" not in page

    client.force_login(request.getfixturevalue(who))
    response = download(client, order, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")  # a PDF may be shown in the browser


@pytest.mark.parametrize("who", ["other_salesperson", "other_merchandiser", "engineer"])
def test_people_who_cannot_see_the_order_get_404(request, client, order, salesperson, who):
    attach(client, salesperson, order, "artwork.pdf", PDF)
    attachment = OrderAttachment.objects.get(order=order)
    client.force_login(request.getfixturevalue(who))
    assert download(client, order, attachment).status_code == 404


def test_an_attachment_is_only_found_under_its_own_order(client, order, salesperson):
    attach(client, salesperson, order, "artwork.pdf", PDF)
    attachment = OrderAttachment.objects.get(order=order)
    other = make_order(by=salesperson, customer=order.customer)  # visible too, but not the attachment's order
    assert download(client, other, attachment).status_code == 404


def test_anonymous_is_sent_to_login(client, order, salesperson):
    attach(client, salesperson, order, "artwork.pdf", PDF)
    attachment = OrderAttachment.objects.get(order=order)
    client.logout()
    response = download(client, order, attachment)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_type_that_is_not_shown_inline_is_a_download(client, order, salesperson):
    attach(client, salesperson, order, "notes.txt", b"<b>not markup at the start</b> but still text")
    response = download(client, order, OrderAttachment.objects.get(order=order))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name,content", [
    ("page.html", b"<html><script>alert(document.cookie)</script></html>"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("drawing.pdf", b"<html><script>alert(1)</script></html>"),  # a page dressed as a PDF
    ("photo.jpg", PDF),  # not what its name says
    ("setup.exe", b"MZ\x90\x00"),
])
def test_types_that_are_not_allowed_are_refused_and_nothing_is_stored(client, order, salesperson, media,
                                                                       name, content):
    response = attach(client, salesperson, order, name, content)
    assert messages_of(response).startswith(f"{file_label()}:")  # the message names the field
    assert not OrderAttachment.objects.exists()
    assert not OrderEvent.objects.filter(order=order, kind="attachment").exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(client, order, salesperson, media, settings):
    settings.GENDAN_UPLOAD_MAX_MB = 1
    response = attach(client, salesperson, order, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert messages_of(response).startswith(f"{file_label()}:") and "1 MB" in messages_of(response)
    assert not OrderAttachment.objects.exists() and stored_files(media) == []
    # at the limit it is accepted
    attach(client, salesperson, order, "fits.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    assert OrderAttachment.objects.count() == 1


def test_same_names_never_overwrite_and_paths_stay_in_the_order_folder(client, order, salesperson, media):
    attach(client, salesperson, order, "artwork.pdf", PDF + b"first")
    attach(client, salesperson, order, "../../../artwork.pdf", PDF + b"second")
    first, second = OrderAttachment.objects.order_by("pk")
    assert first.file.name != second.file.name
    folder = (media / "orders" / f"{order.order_date:%Y-%m}" / order.number).resolve()
    for attachment in (first, second):
        assert Path(attachment.file.path).resolve().parent == folder
    assert b"".join(download(client, order, first).streaming_content).endswith(b"first")
    assert b"".join(download(client, order, second).streaming_content).endswith(b"second")


def test_a_file_missing_from_disk_is_a_404(client, order, salesperson):
    attach(client, salesperson, order, "artwork.pdf", PDF)
    attachment = OrderAttachment.objects.get(order=order)
    Path(attachment.file.path).unlink()
    assert download(client, order, attachment).status_code == 404


@pytest.mark.parametrize("name", ["page.html", "logo.svg", "script.js", "data.xml"])
def test_a_file_that_could_run_in_a_browser_is_always_a_download(client, order, salesperson, name):
    # e.g. stored before uploads were checked: it is still never shown by the browser
    attachment = OrderAttachment(order=order, uploaded_by=salesperson)
    attachment.file.save(name, ContentFile(b"<html><script>alert(1)</script></html>"))
    client.force_login(salesperson)
    response = download(client, order, attachment)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
