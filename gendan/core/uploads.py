"""Uploaded files: the checks a file passes before it is stored, and the one way a stored file is sent back.

Files live under MEDIA_ROOT but are never served from it as static files: a view checks that the user
may see the record first, then calls `file_response`, which lets the browser show only types that
cannot run (PDF, raster images) and makes everything else a download.
"""

import mimetypes
import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# What the first bytes of a file must be for its extension; types not listed have no reliable mark.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
    "bmp": (b"BM",),
    "tif": (b"II*\x00", b"MM\x00*"),
    "tiff": (b"II*\x00", b"MM\x00*"),
    **dict.fromkeys(("docx", "xlsx", "pptx", "odt", "ods", "zip"), (b"PK\x03\x04", b"PK\x05\x06")),
    **dict.fromkeys(("doc", "xls", "ppt", "msg"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "7z": (b"7z\xbc\xaf\x27\x1c",),
    "rar": (b"Rar!\x1a\x07",),
}
# Markup a browser would render and run, whatever the file is called.
MARKUP = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|meta)\b",
                    re.IGNORECASE)
# Shown in the browser; everything else is downloaded. Their content type comes from this table, not a guess.
INLINE_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "webp": "image/webp",
}


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def max_upload_bytes() -> int:
    return settings.GENDAN_UPLOAD_MAX_MB * 1024 * 1024


def check_size(file, *, field: str) -> None:
    if file.size > max_upload_bytes():
        raise ValidationError({field: _("The file is %(size)s MB; at most %(max)s MB can be uploaded.") % {
            "size": f"{file.size / 1024 / 1024:.1f}", "max": settings.GENDAN_UPLOAD_MAX_MB}})


def check_upload(file, *, field: str, extensions=None, sniff: bool = True) -> None:
    """Refuse a file that is too big, of a type not allowed, or whose content is not what its name says."""
    check_size(file, field=field)
    allowed = settings.GENDAN_UPLOAD_EXTENSIONS if extensions is None else extensions
    kind = extension(file.name)
    if kind not in allowed:
        raise ValidationError({field: _("Files of type “.%(ext)s” cannot be uploaded. Allowed: %(allowed)s.") % {
            "ext": kind, "allowed": ", ".join(allowed)}})
    if not sniff:
        return
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    signatures = SIGNATURES.get(kind)
    if (signatures and not head.startswith(signatures)) or MARKUP.match(head):
        raise ValidationError({field: _("The content of “%(name)s” is not a .%(ext)s file.") % {
            "name": file.name, "ext": kind}})


def file_response(file, *, filename: str) -> FileResponse:
    """Send a stored file: inline only when a browser cannot run it, and never content-sniffed."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    kind = extension(filename)
    inline = kind in INLINE_TYPES
    content_type = INLINE_TYPES.get(kind) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if content_type.startswith("text/") or "xml" in content_type or "javascript" in content_type:
        content_type = "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
