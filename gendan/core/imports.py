"""Importing records from an XLSX file: every bad row and field is listed before anything is saved,
then all rows are saved in one transaction or none is.
"""

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from zipfile import BadZipFile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 5000
UPLOAD_DIR = "imports"


@dataclass
class RowResult:
    row: int  # spreadsheet row number, as the user sees it
    values: dict
    errors: dict[str, list[str]] = field(default_factory=dict)
    instance: object = None
    form: forms.ModelForm | None = None

    @property
    def is_update(self) -> bool:
        return self.instance is not None and self.instance.pk is not None


@dataclass
class ImportPreview:
    token: str
    rows: list[RowResult]
    file_errors: list[str]

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.bad_rows and bool(self.rows)


class ImportRejected(Exception):
    def __init__(self, preview: ImportPreview):
        super().__init__(_("The file has errors; nothing was imported."))
        self.preview = preview


class Importer:
    """Subclasses name the ModelForm, the key field (e.g. code) and how a row is saved."""

    form_class: type[forms.ModelForm]
    key_field = "code"

    def __init__(self, *, user):
        self.user = user

    # -- headers: a column may be named by the field name or its label in English or Chinese
    def header_map(self) -> dict[str, str]:
        names = {}
        model = self.form_class._meta.model
        for name in self.form_class._meta.fields:
            names[name.lower()] = name
            label = model._meta.get_field(name).verbose_name
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    names[str(label).strip().lower()] = name
        return names

    def template_headers(self) -> list[str]:
        return list(self.form_class._meta.fields)

    # -- reading
    def store(self, upload) -> str:
        token = uuid.uuid4().hex
        path = self.path_for(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return token

    @staticmethod
    def path_for(token: str) -> Path:
        if not token.isalnum():
            raise ValueError("bad import token")
        return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{token}.xlsx"

    def read(self, token: str) -> tuple[list[tuple[int, dict]], list[str]]:
        try:
            book = load_workbook(self.path_for(token), read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError):
            return [], [_("The file is not an Excel .xlsx workbook.")]
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        known = self.header_map()
        columns, errors = [], []
        for index, title in enumerate(header, start=1):
            name = known.get(str(title).strip().lower()) if title is not None else None
            if title is not None and name is None:
                errors.append(_("Column %(col)s “%(title)s” is not a known field.") % {"col": index, "title": title})
            columns.append(name)
        if self.key_field not in columns:
            errors.append(_("The first row must name the columns; the column “%(key)s” is missing.")
                          % {"key": self.key_field})
        data = []
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if len(data) == MAX_ROWS:
                errors.append(_("At most %(max)s rows can be imported at once.") % {"max": MAX_ROWS})
                break
            data.append((number, {c: _text(v) for c, v in zip(columns, values, strict=False) if c}))
        book.close()
        return data, errors

    # -- checking
    def preview(self, token: str) -> ImportPreview:
        data, file_errors = self.read(token)
        results, seen = [], {}
        for number, values in data:
            result = self.check_row(number, values)
            key = values.get(self.key_field, "")
            if key and key in seen:
                result.errors.setdefault(self.key_field, []).append(
                    _("The same %(key)s is already on row %(row)s.") % {"key": key, "row": seen[key]}
                )
            seen.setdefault(key, number)
            results.append(result)
        if not data and not file_errors:
            file_errors.append(_("The file has no data rows."))
        return ImportPreview(token, results, file_errors)

    def check_row(self, number: int, values: dict) -> RowResult:
        model = self.form_class._meta.model
        instance = model.objects.filter(**{self.key_field: values.get(self.key_field)}).first()
        initial = self.initial_values(instance) if instance else {}
        form = self.form_class(data={**initial, **self.prepare(values)}, instance=instance, **self.form_kwargs())
        result = RowResult(number, values, instance=instance, form=form)
        if not form.is_valid():
            result.errors = {name: list(messages) for name, messages in form.errors.items()}
        elif instance is not None and not self.may_update(instance):
            result.errors = {self.key_field: [_("Exists already and you may not change it.")]}
        return result

    def initial_values(self, instance) -> dict:
        return forms.model_to_dict(instance, fields=self.form_class._meta.fields)

    def prepare(self, values: dict) -> dict:
        return values

    def form_kwargs(self) -> dict:
        return {}

    def may_update(self, instance) -> bool:
        return True

    # -- saving: all or nothing
    def commit(self, token: str) -> int:
        """Save every row in one transaction; on any error nothing is saved and ImportRejected tells why."""
        preview = self.preview(token)
        if not preview.ok:
            raise ImportRejected(preview)
        with transaction.atomic():
            for result in preview.rows:
                try:
                    self.save_row(result)
                except ValidationError as error:  # e.g. a code taken since the preview
                    result.errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
                    raise ImportRejected(preview) from error
        self.path_for(token).unlink(missing_ok=True)
        return len(preview.rows)

    def save_row(self, result: RowResult) -> None:
        raise NotImplementedError


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
