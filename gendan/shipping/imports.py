"""The forwarder's tracking sheet imported: one row per event — the booking, B/L or container number, what
happened, the date, the place — checked row by row (a number no shipment of yours carries, a date in the future
or before sailing: named), then recorded all together or not at all. An event already recorded is left as it is,
so the forwarder's weekly sheet can be imported again and again."""

from datetime import date

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.imports import Importer, RowResult
from gendan.core.text import normalize_code
from gendan.shipping.choices import TrackingStatus
from gendan.shipping.containers import normalized
from gendan.shipping.models import BillOfLading, Booking, LoadedContainer
from gendan.shipping.selectors import shipment_list_visible_to
from gendan.shipping.services import tracking_errors, tracking_record

# the words forwarders' sheets use for the four events, besides ours in English and Chinese
FORWARDER_WORDS = {
    TrackingStatus.DEPARTED: ["atd", "sailed", "departure", "on board", "loaded on board", "已开船", "开船", "离港",
                              "已离港", "已装船"],
    TrackingStatus.TRANSHIPPED: ["t/s", "ts", "transhipment", "transshipment", "transshipped", "中转", "已中转"],
    TrackingStatus.ARRIVED: ["ata", "arrival", "discharged", "arrived", "到港", "已到港", "抵港", "卸船"],
    TrackingStatus.DELIVERED: ["pod", "delivery", "delivered", "签收", "已签收", "送达", "已送达", "已派送"],
}


class TrackingRowForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Booking, B/L or container no."), max_length=40)
    status = forms.ChoiceField(label=gettext_lazy("What happened"), choices=TrackingStatus.choices)
    # unambiguous forms only: 2026-11-23, 2026/11/23, 2026.11.23, 23-Nov-2026 (never 11/12/2026)
    happened_on = forms.DateField(label=gettext_lazy("Date"), input_formats=[
        "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d-%b-%Y", "%d %b %Y", "%d-%b-%y"])
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


HEADER_WORDS = {
    "reference": ["booking no.", "booking no", "booking", "b/l no.", "b/l no", "bl no", "b/l", "container no.",
                  "container no", "container", "订舱号", "提单号", "柜号", "箱号", "reference"],
    "status": ["status", "event", "状态", "节点", "动态"],
    "happened_on": ["date", "日期", "时间"],
    "place": ["place", "location", "port", "地点", "港口"],
    "note": ["note", "remark", "remarks", "备注"],
}


class TrackingImporter(Importer):
    form_class = TrackingRowForm
    key_field = "reference"
    unique_key = False
    code_fields = ("reference",)

    def __init__(self, *, user):
        super().__init__(user=user)
        self.today = timezone.localdate()
        self._shipments: dict[str, object] = {}
        self._recorded: dict[int, set[tuple]] = {}  # per shipment: (status, day) recorded, or met earlier in the file

    def header_map(self) -> dict[str, str]:
        names = {}
        for name in self.form_class.base_fields:
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    names[self.label(name).lower()] = name
            names.update({word: name for word in HEADER_WORDS[name]})
        return names

    def read_header(self, header, result) -> list[str | None]:
        """A forwarder's sheet has columns of its own (vessel, ETA, consignee …): those are left unread."""
        known = self.header_map()
        columns = [known.get(str(title).strip().lower()) if title is not None else None for title in header]
        for index, name in enumerate(columns):
            if name:
                result.titles[name] = str(header[index]).strip()
        for name in ("reference", "status", "happened_on"):
            if name not in columns:
                result.errors.append(_("The first row must name the columns; the column “%(key)s” is missing.")
                                     % {"key": self.label(name)})
        return columns

    def label(self, name: str) -> str:
        field = self.form_class.base_fields.get(name)
        return str(field.label) if field else _("Whole row")

    def template_headers(self) -> list[str]:
        return [self.label(name) for name in self.form_class.base_fields]

    def choice_values(self, values: dict) -> dict:
        values = super().choice_values(values)
        words = {word: status for status, listed in FORWARDER_WORDS.items() for word in listed}
        status = values.get("status", "").strip().lower()
        values["status"] = words.get(status, values.get("status", ""))
        return values

    def cell_text(self, name: str, value) -> str:
        if isinstance(value, date):  # a date cell (openpyxl gives a datetime)
            return value.strftime("%Y-%m-%d")
        return super().cell_text(name, value)

    def check_row(self, number: int, values: dict) -> RowResult:
        form = self.form_class(data=self.choice_values(values))
        result = RowResult(number, values, form=form)
        if not form.is_valid():
            result.errors = {name: list(messages) for name, messages in form.errors.items()}
            return result
        data = form.cleaned_data
        shipment = self.shipment_for(data["reference"])
        if shipment is None:
            result.errors = {"reference": [_("No shipment of yours has this booking, B/L or container number.")]}
            return result
        errors = tracking_errors(shipment, data["status"], data["happened_on"], self.today)
        if errors:
            result.errors = {("reference" if key == "shipment" else key): [text] for key, text in errors.items()}
            return result
        if shipment.pk not in self._recorded:  # one read per shipment, not one per row
            self._recorded[shipment.pk] = set(shipment.tracking_events.values_list("status", "happened_on"))
        event = (data["status"], data["happened_on"])
        result.shipment, result.skip = shipment, event in self._recorded[shipment.pk]
        self._recorded[shipment.pk].add(event)
        return result

    def shipment_for(self, reference: str):
        """The shipment the user sees whose booking, B/L or a loaded container carries this number."""
        code = normalize_code(reference).replace(" ", "").upper()
        if code not in self._shipments:
            visible = shipment_list_visible_to(user=self.user)
            found = (visible.filter(pk__in=Booking.objects.filter(booking_number__iexact=code).values("shipment"))
                     | visible.filter(pk__in=BillOfLading.objects.filter(number__iexact=code).values("shipment"))
                     | visible.filter(pk__in=LoadedContainer.objects.filter(
                         container_number=normalized(code)).values("shipment")))
            self._shipments[code] = found.distinct().first()
        return self._shipments[code]

    def save_row(self, result: RowResult) -> None:
        if result.skip:
            return
        data = result.form.cleaned_data
        tracking_record(shipment=result.shipment, by=self.user, status=data["status"],
                        happened_on=data["happened_on"], place=data["place"], note=data["note"], today=self.today)
