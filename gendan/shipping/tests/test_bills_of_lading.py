"""The B/L from draft to release (seed 001: 核对提单; copy B/L → 余款 → 正本提单): its date cannot come before the
loading and starts the balance's terms; the copy completes `bl_copy`; the release is refused while the balance is
open unless finance granted an exception, needs the courier's tracking number or how a telex release request was
verified, and completes `originals_released`. Each refusal names its field and saves nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.core.errors import ConcurrentChange
from gendan.finance.choices import Gate
from gendan.finance.models import ScheduleLine
from gendan.finance.services import gate_exception_grant
from gendan.finance.tests.factories import pay
from gendan.followup.choices import MilestoneStatus
from gendan.followup.tests.factories import at
from gendan.parties.choices import BalanceCondition
from gendan.sales.models import SalesOrder
from gendan.shipping.choices import BankAnswer, BLStatus, BLType, ReleaseMethod
from gendan.shipping.models import BillOfLading
from gendan.shipping.services import (
    LoadedGoods,
    bl_bank_answer,
    bl_copy_sent,
    bl_draft_confirm,
    bl_draft_received,
    bl_issue,
    bl_release,
    container_load,
    late_presentation,
    shipment_create,
    shipment_ship,
)

pytestmark = pytest.mark.django_db
LOADED, SAILED = date(2026, 11, 20), date(2026, 11, 23)


@pytest.fixture
def shipped(ready, customer, merchandiser, warehouse):
    """One order (T/T 30 % deposit paid, balance against copy B/L), loaded on Nov 20 and shipped."""
    order = ready()
    with at(LOADED):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in order.lines.all()])
        container_load(shipment=shipment, by=warehouse, container_number="CSQU3054383", seal_number="S1",
                       container_type="40HQ", tare_kg=Decimal(3900), loaded_on=LOADED, goods=[
                           LoadedGoods(line, 10, line.quantity) for line in shipment.lines.all()])
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version)
    return shipment, order


def milestone(order, code):
    return order.plan.milestones.get(code=code)


def issued(shipment, by):
    with at(SAILED):
        bl = bl_draft_received(shipment=shipment, by=by, note="Consignee address: add the postcode")
        bl_draft_confirm(bl=bl, by=by, version=bl.version)
        bl_issue(bl=bl, by=by, version=bl.version, number="COSU6301234560", issued_on=SAILED,
                 bl_type=BLType.ORIGINAL)
    return bl


def test_the_bl_from_draft_to_originals_released(shipped, merchandiser, finance):
    shipment, order = shipped
    with at(SAILED):
        bl = bl_draft_received(shipment=shipment, by=merchandiser)
        bl_draft_confirm(bl=bl, by=merchandiser, version=bl.version)
        with pytest.raises(ValidationError) as error:
            bl_issue(bl=bl, by=merchandiser, version=bl.version, number="COSU6301234560",
                     issued_on=LOADED - timedelta(days=1), bl_type=BLType.ORIGINAL)
    assert list(error.value.message_dict) == ["issued_on"]
    assert "loaded on 2026-11-20" in error.value.message_dict["issued_on"][0]
    with at(SAILED):
        bl_issue(bl=bl, by=merchandiser, version=bl.version, number="COSU6301234560", issued_on=SAILED,
                 bl_type=BLType.ORIGINAL)
    balance = ScheduleLine.objects.get(order=order, kind="balance")
    assert (balance.due_from, balance.due_date) == (SAILED, SAILED)  # against copy B/L, 0 days

    with at(date(2026, 11, 24)):
        bl_copy_sent(bl=bl, by=merchandiser, version=bl.version)
    done = milestone(order, "bl_copy")
    assert (done.status, done.actual_date) == (MilestoneStatus.DONE, date(2026, 11, 24))

    with at(date(2026, 11, 25)), pytest.raises(ValidationError) as error:  # the balance is still open
        bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.COURIER, released_to="ACME",
                   courier="DHL", tracking_number="1234567890")
    assert order.number in error.value.message_dict["method"][0]
    bl.refresh_from_db()
    assert bl.status == BLStatus.COPY_SENT

    pay(order, by=finance, kinds=("balance",), received_on=date(2026, 11, 25))
    with at(date(2026, 11, 25)):
        with pytest.raises(ValidationError) as error:
            bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.COURIER,
                       released_to="ACME", courier="DHL")
        assert list(error.value.message_dict) == ["tracking_number"]
        bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.COURIER,
                   released_to="ACME Imports, Rotterdam", courier="DHL", tracking_number="1234567890")
    bl.refresh_from_db()
    assert (bl.status, bl.released_by, bl.released_on, bl.tracking_number) == (
        BLStatus.RELEASED, merchandiser, date(2026, 11, 25), "1234567890")
    assert list(bl.history.order_by("history_id").values_list("status", flat=True)) == [
        "draft_received", "draft_confirmed", "issued", "copy_sent", "released"]
    assert milestone(order, "originals_released").status == MilestoneStatus.DONE


def test_a_telex_release_needs_its_verification_and_an_exception_lets_it_go_before_the_balance(
        shipped, merchandiser, finance):
    shipment, order = shipped
    bl = issued(shipment, merchandiser)
    with at(date(2026, 11, 24)):
        bl_copy_sent(bl=bl, by=merchandiser, version=bl.version)
        gate_exception_grant(order=order, gate=Gate.RELEASE, by=finance, reason="Customer of ten years, pays in 5 days")
        with pytest.raises(ValidationError) as error:
            bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.TELEX,
                       released_to="COSCO Ningbo")
        assert list(error.value.message_dict) == ["verification"]
        with pytest.raises(ValidationError) as error:  # a T/T order's documents do not go to a bank
            bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.BANK,
                       released_to="Bank of China")
        assert list(error.value.message_dict) == ["method"]
        bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.TELEX, released_to="COSCO Ningbo",
                   verification="Called Jane Doe back on +31 10 555 0100 (number on file since 2019)")
    bl.refresh_from_db()
    assert (bl.status, bl.release_method) == (BLStatus.RELEASED, ReleaseMethod.TELEX)
    assert "Called Jane Doe back" in bl.verification


def test_the_bl_waits_for_the_shipment_and_only_the_shipping_people_release(ready, customer, merchandiser, finance,
                                                                            shipped):
    shipment, _order = shipped
    with at(SAILED), pytest.raises(PermissionDenied):
        bl_draft_received(shipment=shipment, by=finance)
    bl = issued(shipment, merchandiser)
    with at(date(2026, 11, 24)):
        bl_copy_sent(bl=bl, by=merchandiser, version=bl.version)
        with pytest.raises(PermissionDenied):
            bl_release(bl=bl, by=finance, version=bl.version, method=ReleaseMethod.COURIER, released_to="ACME",
                       courier="DHL", tracking_number="1")
    other = ready()
    with at(LOADED):
        draft = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in other.lines.all()])
        bl = bl_draft_received(shipment=draft, by=merchandiser)
        bl_draft_confirm(bl=bl, by=merchandiser, version=bl.version)
        with pytest.raises(ValidationError) as error:
            bl_issue(bl=bl, by=merchandiser, version=bl.version, number="X1", issued_on=LOADED,
                     bl_type=BLType.ORIGINAL)
    assert list(error.value.message_dict) == ["shipment"]
    assert BillOfLading.objects.get(shipment=draft).status == BLStatus.DRAFT_CONFIRMED


def test_documents_presented_under_an_lc_record_its_number_and_the_banks_answer(shipped, merchandiser, finance):
    """L/C at sight: the documents go to the bank under the L/C number; the bank notifies discrepancies (named),
    the buyer waives them and the bank accepts; presented 23 days after the B/L date, the card warns (UCP 600)."""
    shipment, order = shipped
    SalesOrder.objects.filter(pk=order.pk).update(balance_condition=BalanceCondition.LC_AT_SIGHT)
    bl = issued(shipment, merchandiser)
    presented = SAILED + timedelta(days=23)
    with at(presented):
        bl_copy_sent(bl=bl, by=merchandiser, version=bl.version)
        with pytest.raises(ValidationError) as error:
            bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.BANK,
                       released_to="Bank of China Ningbo")
        assert list(error.value.message_dict) == ["lc_number"]
        bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.BANK,
                   released_to="Bank of China Ningbo", lc_number=" LC-HSBC-2611 ")
        assert late_presentation(bl)
        with pytest.raises(ValidationError) as error:  # discrepancies must be named
            bl_bank_answer(bl=bl, by=merchandiser, version=bl.version, answer=BankAnswer.DISCREPANT)
        assert list(error.value.message_dict) == ["discrepancies"]
        with pytest.raises(PermissionDenied):
            bl_bank_answer(bl=bl, by=finance, version=bl.version, answer=BankAnswer.ACCEPTED)
        bl = bl_bank_answer(bl=bl, by=merchandiser, version=bl.version, answer=BankAnswer.DISCREPANT,
                            discrepancies="Late presentation; invoice names the goods differently from the L/C")
        stale = bl.version - 1
        with pytest.raises(ConcurrentChange):
            bl_bank_answer(bl=bl, by=merchandiser, version=stale, answer=BankAnswer.ACCEPTED)
        bl_bank_answer(bl=bl, by=merchandiser, version=bl.version, answer=BankAnswer.ACCEPTED,
                       discrepancies="Waived by the applicant", maturity_on=presented + timedelta(days=5))
    bl.refresh_from_db()
    assert (bl.lc_number, bl.bank_answer, bl.answered_on, bl.maturity_on) == (
        "LC-HSBC-2611", BankAnswer.ACCEPTED, presented, presented + timedelta(days=5))
    assert list(bl.history.order_by("history_id").values_list("bank_answer", flat=True))[-2:] == [
        "discrepant", "accepted"]


def test_only_documents_at_the_bank_get_its_answer(shipped, merchandiser):
    shipment, _order = shipped
    bl = issued(shipment, merchandiser)
    with at(date(2026, 11, 24)), pytest.raises(ValidationError) as error:
        bl_bank_answer(bl=bl, by=merchandiser, version=bl.version, answer=BankAnswer.ACCEPTED)
    assert list(error.value.message_dict) == ["answer"] and not late_presentation(bl)
