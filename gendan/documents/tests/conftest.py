import subprocess
from pathlib import Path

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(file) -> str:
    """What a reader of the PDF sees, as poppler extracts it (layout kept, so a table row stays one line). A
    document the worker has not rendered yet is rendered now, as a download would."""
    if not file:
        from gendan.documents.services import document_render

        file = document_render(file.instance).pdf
    path = Path(file.path)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
