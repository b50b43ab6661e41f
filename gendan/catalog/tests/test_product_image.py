"""Product pictures: checked when uploaded, sent only by the app to people who may see products."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from gendan.catalog.models import Product
from gendan.catalog.tests.test_catalog import product_form

pytestmark = pytest.mark.django_db


def png(size=(8, 8)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile("towel holder.png", buffer.getvalue(), content_type="image/png")


def test_uploaded_picture_is_served_by_the_app_to_whoever_sees_products(client, engineer, salesperson, make_user):
    client.force_login(engineer)
    assert client.post(reverse("catalog:product_create"), product_form(image=png())).status_code == 302
    product = Product.objects.get(code="KT-5501")
    url = reverse("catalog:product_image", args=[product.pk])
    assert url in client.get(reverse("catalog:product_detail", args=[product.pk])).content.decode()
    client.force_login(salesperson)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(make_user())  # no role: may not see products
    assert client.get(url).status_code == 404


def test_product_without_picture_has_no_image_url(client, engineer):
    client.force_login(engineer)
    client.post(reverse("catalog:product_create"), product_form())
    assert client.get(reverse("catalog:product_image", args=[Product.objects.get().pk])).status_code == 404


@override_settings(GENDAN_UPLOAD_MAX_MB=0)
def test_oversized_picture_is_refused_and_nothing_saved(client, engineer):
    client.force_login(engineer)
    response = client.post(reverse("catalog:product_create"), product_form(image=png()))
    assert response.status_code == 200 and not Product.objects.exists()
    assert "image" in response.context["form"].errors
