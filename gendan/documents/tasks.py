"""Background work of documents, run by `gendan worker`: rendering an issued document's PDF.

Rendering writes the file and then stores its name only if no PDF is stored yet, so a task run twice (a killed
worker's task put back on the queue) or racing a reader who asked for the PDF first changes nothing."""

from django_tasks import task

from gendan.documents.models import Document
from gendan.documents.services import document_render


@task()
def render_document(document_id: int) -> dict:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return {"status": "gone"}
    was_rendered = bool(document.pdf)
    document_render(document)
    return {"status": "rendered" if not was_rendered else "already"}
