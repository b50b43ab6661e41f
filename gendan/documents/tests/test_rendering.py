"""Issuing a document stores its page at once; the worker renders the PDF from that page afterwards, and whoever
asks for the PDF before the worker got to it gets it rendered there and then. A render run twice (a killed
worker's task put back on the queue) or two renderers racing store one file."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gendan.documents.models import Document
from gendan.documents.services import document_render, sales_document_generate
from gendan.documents.tasks import render_document
from gendan.documents.tests.conftest import pdf_text
from gendan.documents.tests.test_sales_documents import PI, company, order  # noqa: F401 — fixtures
from gendan.shipping.tests.test_load_plans import worker

RENDER_TASK = "gendan.documents.tasks.render_document"


@pytest.mark.django_db
def test_issuing_stores_the_page_and_queues_its_render(order, salesperson, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        document, made = sales_document_generate(kind=PI, order=order, by=salesperson)
    assert made and not document.pdf and document.rendered_at is None
    assert document.number in document.html and "PO-7781" in document.html
    queued = DBTaskResult.objects.get(task_path=RENDER_TASK)
    assert (queued.status, queued.args_kwargs["args"]) == ("READY", [document.pk])
    assert "html" not in {field.name for field in Document.history.model._meta.fields}  # kept once, not per change


@pytest.mark.django_db
def test_the_task_renders_once_and_a_second_run_changes_nothing(order, salesperson):  # noqa: F811
    document, _made = sales_document_generate(kind=PI, order=order, by=salesperson)
    assert render_document.call(document.pk) == {"status": "rendered"}
    document.refresh_from_db()
    name, rendered_at = document.pdf.name, document.rendered_at
    assert rendered_at is not None and name.endswith(f"{document.number}-v1.pdf")
    assert document.number in pdf_text(document.pdf) and "PO-7781" in pdf_text(document.pdf)
    assert render_document.call(document.pk) == {"status": "already"}
    document.refresh_from_db()
    assert (document.pdf.name, document.rendered_at) == (name, rendered_at)
    assert render_document.call(10**9) == {"status": "gone"}


@pytest.mark.django_db
def test_two_renderers_racing_store_one_file(order, salesperson):  # noqa: F811
    document, _made = sales_document_generate(kind=PI, order=order, by=salesperson)
    first, second = Document.objects.get(pk=document.pk), Document.objects.get(pk=document.pk)
    document_render(first)
    document_render(second)  # read before the first stored its file: renders, finds one stored, drops its own
    assert first.pdf.name == second.pdf.name == Document.objects.get(pk=document.pk).pdf.name
    folder = Path(first.pdf.storage.path(first.pdf.name)).parent
    assert [path.name for path in folder.iterdir()] == [f"{document.number}-v1.pdf"]


@pytest.mark.django_db
def test_a_download_before_the_worker_renders_it_then(client, order, salesperson):  # noqa: F811
    document, _made = sales_document_generate(kind=PI, order=order, by=salesperson)
    client.force_login(salesperson)
    response = client.get(reverse("documents:download", args=[document.pk, "pdf"]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    document.refresh_from_db()
    assert document.pdf and document.rendered_at is not None
    api = client.get(f"/api/v1/documents/{document.pk}/pdf/")
    assert api.status_code == 200 and b"".join(api.streaming_content).startswith(b"%PDF")
    assert Document.objects.get(pk=document.pk).pdf.name == document.pdf.name  # served the stored file again


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_queued_documents_and_one_a_killed_worker_left_running(order, salesperson):  # noqa: F811
    from django.db import connections
    from django.utils import timezone

    first, _made = sales_document_generate(kind=PI, order=order, by=salesperson)
    order.customer_po = "PO-7781-B"
    order.save(update_fields=["customer_po"])
    second, _made = sales_document_generate(kind=PI, order=order, by=salesperson)
    tasks = DBTaskResult.objects.filter(task_path=RENDER_TASK)
    assert tasks.count() == 2
    # what a worker killed mid-render leaves: the task RUNNING under its id, no PDF stored
    left = next(task.pk for task in tasks if task.args_kwargs["args"] == [second.pk])
    tasks.filter(pk=left).update(status="RUNNING", started_at=timezone.now(), worker_ids=["load-test"])
    connections.close_all()
    done = subprocess.run(**worker(), timeout=180)  # the same worker id: it takes back what it left running
    assert done.returncode == 0, done.stdout
    assert sorted(tasks.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.rendered_at is not None and second.rendered_at is not None
    assert "PO-7781" in pdf_text(first.pdf) and "PO-7781-B" not in pdf_text(first.pdf)
    assert "PO-7781-B" in pdf_text(second.pdf)
