"""Evidence attached when completing a milestone: checked like any upload, sent only to people who may see the
order."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gendan.followup.choices import MilestoneStatus
from gendan.followup.tests.test_milestone_versions import act, bom, order, shown_version  # noqa: F401

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_evidence_is_served_to_the_orders_people_only(client, order, bom, engineer, salesperson,  # noqa: F811
                                                     other_salesperson):
    client.force_login(engineer)
    version = shown_version(client, bom, order)
    act(client, bom, "done", version=version, note="BOM signed",
        evidence=SimpleUploadedFile("bom.pdf", PDF, content_type="application/pdf"))
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.DONE and bom.evidence
    url = reverse("followup:milestone_evidence", args=[bom.pk])
    client.force_login(salesperson)
    assert url in client.get(reverse("followup:order_plan", args=[order.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(other_salesperson)
    assert client.get(url).status_code == 404


def test_evidence_that_could_run_in_a_browser_is_refused_and_nothing_saved(client, order, bom, engineer):  # noqa: F811
    client.force_login(engineer)
    version = shown_version(client, bom, order)
    response = act(client, bom, "done", version=version,
                   evidence=SimpleUploadedFile("bom.html", b"<html><script>alert(1)</script>", "text/html"))
    bom.refresh_from_db()
    assert bom.status == MilestoneStatus.OPEN and not bom.evidence and str(bom.version) == version
    assert ".html" in response.content.decode()
