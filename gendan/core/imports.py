"""Importing records from an XLSX file: every bad row and field is listed before anything is saved,
then all rows are saved in one transaction or none is.

An uploaded workbook is untrusted: before openpyxl opens it, the sizes its zip parts unpack to are added up
and a workbook over GENDAN_IMPORT_MAX_UNPACKED_MB is refused unread (a 1 MB zip bomb would otherwise take
a web worker to a gigabyte). Rows are then streamed, and reading stops at the first row over
GENDAN_IMPORT_MAX_ROWS, before any row is checked. The stored upload is deleted as soon as the import
ends, whether it was imported or refused; a preview nobody committed is swept after a day.
"""

import re
import time
import uuid
import zipfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gendan.core.text import normalize_code

UPLOAD_DIR = "imports"
KEEP_UNCOMMITTED_SECONDS = 24 * 3600
EXCEL_MAX_ROW = 1_048_576  # a row number beyond this is no real sheet
MAX_LISTED_CHOICES = 20


@dataclass
class RowResult:
    row: int  # spreadsheet row number, as the user sees it
    values: dict
    errors: dict[str, list[str]] = field(default_factory=dict)
    instance: object = None
    form: forms.ModelForm | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column as the user sees it, message)
    key: str = ""  # the row's key value, as the preview lists it
    skip: bool = False  # already recorded: the import leaves it

    @property
    def is_update(self) -> bool:
        return self.instance is not None and self.instance.pk is not None


@dataclass
class ImportPreview:
    token: str
    rows: list[RowResult]
    file_errors: list[str]
    sheet: str = ""  # the name of the sheet that was read

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.bad_rows and bool(self.rows)


@dataclass
class SheetData:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sheet: str = ""
    titles: dict[str, str] = field(default_factory=dict)  # field name → the column's title in the file


class ImportRejected(Exception):
    def __init__(self, preview: ImportPreview):
        super().__init__(_("The file has errors; nothing was imported."))
        self.preview = preview


class Importer:
    """Subclasses name the ModelForm, the key field (e.g. code) and how a row is saved."""

    form_class: type[forms.ModelForm]
    key_field = "code"
    unique_key = True  # False: several rows may share a key (events of one shipment)
    code_fields: tuple[str, ...] = ("code",)  # typed codes: full-width characters become ASCII

    def __init__(self, *, user):
        self.user = user
        self.titles: dict[str, str] = {}
        self._aliases: dict[str, dict[str, str]] | None = None
        self._allowed: dict[str, str] = {}

    # -- headers: a column may be named by the field name or its label in English or Chinese
    def header_map(self) -> dict[str, str]:
        names = {}
        for name in self.form_class._meta.fields:
            names[name.lower()] = name
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    names[self.label(name).strip().lower()] = name
        return names

    def label(self, name: str) -> str:
        """The column's name in the template, in the current language."""
        if name == "__all__":
            return _("Whole row")
        try:
            return capfirst(str(self.form_class._meta.model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            return name

    def column(self, name: str) -> str:
        """The column as the user knows it: its label in the template, and the file's own title if it differs."""
        label, title = self.label(name), self.titles.get(name)
        return f"{label} ({title})" if title and title.lower() != label.lower() else label

    def template_headers(self) -> list[str]:
        return [self.label(name) for name in self.form_class._meta.fields]

    # -- storing the upload between preview and commit
    def store(self, upload) -> str:
        token = uuid.uuid4().hex
        path = self.path_for(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path.parent)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return token

    @staticmethod
    def path_for(token: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
            raise ValueError("bad import token")
        return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{token}.xlsx"

    def discard(self, token: str) -> None:
        with suppress(ValueError):
            self.path_for(token).unlink(missing_ok=True)

    # -- reading
    def read(self, token: str) -> SheetData:
        try:
            path = self.path_for(token)
        except ValueError:
            path = None
        if path is None or not path.exists():
            return SheetData(errors=[_("The uploaded file is no longer here (already imported, or left too long); "
                                       "choose it again.")])
        if problem := _archive_problem(path):
            return SheetData(errors=[problem])
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # a malformed workbook can fail anywhere inside openpyxl
            return SheetData(errors=[_("The file is not an Excel .xlsx workbook.")])
        try:
            sheet = next((s for s in book.worksheets if s.sheet_state == "visible"), None)
            if sheet is None:
                return SheetData(errors=[_("The workbook has no visible sheet.")])
            try:
                return self.read_sheet(sheet)
            except Exception:
                return SheetData(sheet=sheet.title, errors=[_("The sheet “%(sheet)s” cannot be read; save the file "
                                                              "again from Excel.") % {"sheet": sheet.title}])
        finally:
            book.close()

    def read_sheet(self, sheet) -> SheetData:
        result = SheetData(sheet=sheet.title)
        sheet.reset_dimensions()  # the size a file declares may be wrong: stream until its last row
        rows = sheet.iter_rows(values_only=True)
        columns = self.read_header(next(rows, None) or (), result)
        max_rows = settings.GENDAN_IMPORT_MAX_ROWS
        for number, values in enumerate(rows, start=2):
            if number > EXCEL_MAX_ROW:
                result.errors.append(_("The sheet has more rows than Excel allows."))
                break
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if len(result.rows) == max_rows:
                # Refuse before anything is checked: the rest of the file is never read.
                result.errors.append(_("The sheet “%(sheet)s” has more than %(max)s rows; at most %(max)s rows "
                                       "can be imported at once. Split the file.")
                                     % {"sheet": sheet.title, "max": max_rows})
                result.rows = []
                break
            result.rows.append((number, {c: self.cell_text(c, v) for c, v in zip(columns, values, strict=False) if c}))
        return result

    def read_header(self, header, result: SheetData) -> list[str | None]:
        known = self.header_map()
        columns = []
        for index, title in enumerate(header, start=1):
            name = known.get(str(title).strip().lower()) if title is not None else None
            if title is not None and name is None:
                result.errors.append(_("Column %(col)s “%(title)s” is not a known field.")
                                     % {"col": index, "title": title})
            if name:
                result.titles[name] = str(title).strip()
            columns.append(name)
        if self.key_field not in columns:
            result.errors.append(_("The first row must name the columns; the column “%(key)s” is missing.")
                                 % {"key": self.label(self.key_field)})
        return columns

    def cell_text(self, name: str, value) -> str:
        text = _text(value)
        return normalize_code(text) if name in self.code_fields else text

    # -- checking
    def preview(self, token: str) -> ImportPreview:
        data = self.read(token)
        self.titles = data.titles
        file_errors = data.errors
        results, seen = [], {}
        for number, values in data.rows:
            result = self.check_row(number, values)
            key = result.key = values.get(self.key_field, "")
            if self.unique_key and key and key in seen:
                result.errors.setdefault(self.key_field, []).append(
                    _("The same %(key)s is already on row %(row)s.") % {"key": key, "row": seen[key]}
                )
            seen.setdefault(key, number)
            results.append(result)
        if not data.rows and not file_errors:
            file_errors.append(_("The file has no data rows."))
        preview = ImportPreview(token, results, file_errors, sheet=data.sheet)
        for result in preview.bad_rows:
            result.problems = self.problems(result)
        if not preview.ok:
            self.discard(token)  # nothing can be imported from it: the user fixes the file and uploads again
        return preview

    def check_row(self, number: int, values: dict) -> RowResult:
        model = self.form_class._meta.model
        instance = model.objects.filter(**{self.key_field: values.get(self.key_field)}).first()
        initial = self.initial_values(instance) if instance else {}
        values_in = self.prepare(self.choice_values(values))
        form = self.form_class(data={**initial, **values_in}, instance=instance, **self.form_kwargs())
        result = RowResult(number, values, instance=instance, form=form)
        if not form.is_valid():
            result.errors = {name: list(messages) for name, messages in form.errors.items()}
        elif instance is not None and not self.may_update(instance):
            result.errors = {self.key_field: [_("Exists already and you may not change it.")]}
        return result

    def choice_values(self, values: dict) -> dict:
        """A choice column may hold the stored value or its label in English or Chinese."""
        values = dict(values)
        for name, text in values.items():
            aliases = self.choice_aliases().get(name)
            if aliases and text.lower() in aliases:
                values[name] = aliases[text.lower()]
        return values

    def choice_aliases(self) -> dict[str, dict[str, str]]:
        if self._aliases is None:
            self._aliases = {}
            for name, form_field in self.form_class.base_fields.items():
                if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field, forms.ModelChoiceField):
                    aliases = {}
                    for language in ("en", "zh-hans"):
                        with translation.override(language):
                            for value, label in form_field.choices:
                                if value != "":
                                    aliases[str(label).strip().lower()] = value
                    aliases.update({str(value).lower(): value for value, _label in form_field.choices if value})
                    self._aliases[name] = aliases
        return self._aliases

    def problems(self, result: RowResult) -> list[tuple[str, str]]:
        problems = []
        for name, messages in result.errors.items():
            text = " ".join(str(m) for m in messages)
            allowed = self.allowed_values(result.form, name)
            if allowed:
                text = f"{text} {allowed}"
            problems.append((self.column(name), text))
        return problems

    def allowed_values(self, form, name: str) -> str:
        """The values a choice column accepts, for its error message (once per column, not per row)."""
        listed = self._allowed
        if name not in listed:
            form_field = form.fields.get(name) if form is not None else None
            if isinstance(form_field, forms.ModelChoiceField):
                key = form_field.to_field_name or "pk"
                values = [str(getattr(obj, key)) for obj in form_field.queryset[:MAX_LISTED_CHOICES + 1]]
            elif isinstance(form_field, forms.ChoiceField):
                values = [f"{value} ({label})" if str(label) != str(value) else str(value)
                          for value, label in form_field.choices if value != ""]
            else:
                values = []
            text = ", ".join(values[:MAX_LISTED_CHOICES]) + ("…" if len(values) > MAX_LISTED_CHOICES else "")
            listed[name] = _("Allowed values: %(values)s.") % {"values": text} if values else ""
        return listed[name]

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
        try:
            preview = self.preview(token)
            if not preview.ok:
                raise ImportRejected(preview)
            with transaction.atomic():
                for result in preview.rows:
                    try:
                        self.save_row(result)
                    except ValidationError as error:  # e.g. a code taken since the preview
                        result.errors = (error.message_dict if hasattr(error, "error_dict")
                                         else {"__all__": error.messages})
                        result.problems = self.problems(result)
                        raise ImportRejected(preview) from error
        finally:
            self.discard(token)
        return len(preview.rows)

    def save_row(self, result: RowResult) -> None:
        raise NotImplementedError


def _archive_problem(path: Path) -> str | None:
    """Why the file cannot be opened safely, judged from its zip directory alone, or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return _("The file is not an Excel .xlsx workbook.")
    limit = settings.GENDAN_IMPORT_MAX_UNPACKED_MB
    if unpacked > limit * 1024 * 1024:
        return _("The workbook unpacks to %(size)s MB, more than the %(max)s MB an import may hold; "
                 "split it into smaller files.") % {"size": unpacked // (1024 * 1024), "max": limit}
    return None


def _sweep(folder: Path) -> None:
    """Delete uploads whose preview was never committed."""
    cutoff = time.time() - KEEP_UNCOMMITTED_SECONDS
    for stale in folder.glob("*.xlsx"):
        try:
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
        except FileNotFoundError:  # another request swept it first
            pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
