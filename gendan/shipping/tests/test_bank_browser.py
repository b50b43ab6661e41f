"""Documents under an L/C go to the bank, clicked at desktop and phone width: the L/C number is asked for, the
late presentation is flagged, the bank's discrepancies and then its acceptance recorded; the database is read
after each step. Finance sees the answer and has no form."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.followup.tests.factories import at
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.parties.choices import BalanceCondition
from gendan.sales.models import SalesOrder
from gendan.shipping.choices import BankAnswer, BLStatus, BLType, ReleaseMethod
from gendan.shipping.models import BillOfLading
from gendan.shipping.services import (
    LoadedGoods,
    bl_copy_sent,
    bl_draft_confirm,
    bl_draft_received,
    bl_issue,
    container_load,
    shipment_create,
    shipment_ship,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_presents_the_documents_under_the_lc_and_records_the_banks_answer(
        page, live_server, ready, customer, merchandiser, warehouse, finance, width):
    today = timezone.localdate()
    sailed = today - timedelta(days=25)  # presented today: more than 21 days after shipment
    order = ready()
    SalesOrder.objects.filter(pk=order.pk).update(balance_condition=BalanceCondition.LC_AT_SIGHT)
    with at(sailed):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in order.lines.all()])
        container_load(shipment=shipment, by=warehouse, container_number="CSQU3054383", seal_number="S1",
                       container_type="40HQ", tare_kg=Decimal(3900), loaded_on=sailed,
                       goods=[LoadedGoods(line, 10, line.quantity) for line in shipment.lines.all()])
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version, shipped_on=sailed)
        bl = bl_draft_received(shipment=shipment, by=merchandiser)
        bl_draft_confirm(bl=bl, by=merchandiser, version=bl.version)
        bl_issue(bl=bl, by=merchandiser, version=bl.version, number="COSU6301234560", issued_on=sailed,
                 bl_type=BLType.ORIGINAL)
        bl_copy_sent(bl=bl, by=merchandiser, version=bl.version)
    for user in (merchandiser, finance):
        user.language = "en"
        user.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    card = page.locator("[data-testid=bl]")
    card.locator("#release-method").select_option(ReleaseMethod.BANK)
    card.locator("#released-to").fill("Bank of China Ningbo")
    card.locator("[data-testid=bl-release]").click()
    expect(page.locator("[data-testid=message]").first).to_contain_text("Enter the L/C number")
    assert BillOfLading.objects.get().status == BLStatus.COPY_SENT

    card.locator("#release-method").select_option(ReleaseMethod.BANK)
    card.locator("#released-to").fill("Bank of China Ningbo")
    card.locator("#lc-number").fill("LC-HSBC-2611")
    card.locator("[data-testid=bl-release]").click()
    expect(card.locator("[data-testid=late-presentation]")).to_be_visible()
    bl = BillOfLading.objects.get()
    assert (bl.status, bl.release_method, bl.lc_number) == (BLStatus.RELEASED, ReleaseMethod.BANK, "LC-HSBC-2611")

    card.locator("#bank-answer-input").select_option(BankAnswer.DISCREPANT)
    card.locator("#discrepancies-input").fill("Late presentation")
    card.locator("[data-testid=bank-answer-save]").click()
    expect(card.locator("[data-testid=bank-answer]")).to_have_attribute("data-answer", "discrepant")
    expect(card.locator("[data-testid=discrepancies]")).to_contain_text("Late presentation")
    bl.refresh_from_db()
    assert (bl.bank_answer, bl.discrepancies, bl.answered_on) == ("discrepant", "Late presentation", today)
    assert bl.history.first().history_user == merchandiser

    card.locator("#bank-answer-input").select_option(BankAnswer.ACCEPTED)
    card.locator("[data-testid=bank-answer-save]").click()
    expect(card.locator("[data-testid=bank-answer]")).to_have_attribute("data-answer", "accepted")
    bl.refresh_from_db()
    assert bl.bank_answer == BankAnswer.ACCEPTED
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    switch_user(page, live_server, finance, width)  # finance sees the answer, cannot record one
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=bank-answer]")).to_have_attribute("data-answer", "accepted")
    expect(page.locator("[data-testid=bank-answer-form]")).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    page.request.post(f"{live_server.url}/shipping/{shipment.pk}/bl/bank/", headers={"X-CSRFToken": token},
                      form={"version": str(bl.version), "answer": "refused", "discrepancies": "x"})
    bl.refresh_from_db()
    assert bl.bank_answer == BankAnswer.ACCEPTED
    assert not problems, problems
