from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gendan.core.services import company_profile_update
from gendan.followup.models import DelayNotice, Plan
from gendan.followup.replanning import plan_replan
from gendan.followup.services import (
    delay_notice_draft,
    delay_notice_record,
    delay_notice_send,
    delay_notice_update,
)
from gendan.followup.tests.factories import confirmed_order
from gendan.parties.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def at_risk_order(salesperson, sales_manager, merchandiser, **customer_fields):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, **customer_fields)
    ContactFactory(customer=customer, name="Anna Berg", email="anna@nordhem.se", is_primary=True)
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            customer=customer, customer_po="NH-4471")
    plan_replan(Plan.objects.get(order=order), today=date(2026, 11, 5))  # the BOM is five weeks late
    order.refresh_from_db()
    return order


def test_the_notice_is_english_by_default_with_reason_and_exact_new_date(salesperson, sales_manager,
                                                                         merchandiser):
    order = at_risk_order(salesperson, sales_manager, merchandiser)
    notice = delay_notice_draft(order=order, by=merchandiser)
    assert notice.language == "en" and notice.recipients == "anna@nordhem.se"
    assert notice.new_date == date(2026, 12, 3) and notice.old_date == date(2026, 11, 20)
    assert notice.subject == f"Your PO NH-4471 (our order {order.number}): new ex-factory date 2026-12-03"
    assert notice.body.startswith("Dear Anna Berg,")
    assert "will not leave our factory on the confirmed date, 2026-11-20" in notice.body
    assert "The new ex-factory date is 2026-12-03." in notice.body
    assert "Reason: the stage “Production order issued” is taking longer than planned." in notice.body
    assert str(merchandiser) in notice.body


def test_a_customer_reading_chinese_gets_it_in_chinese(salesperson, sales_manager, merchandiser):
    order = at_risk_order(salesperson, sales_manager, merchandiser, document_language="zh-hans")
    notice = delay_notice_draft(order=order, by=merchandiser)
    assert notice.language == "zh-hans"
    assert "2026-12-03" in notice.body and "出厂" in notice.body and "下达制造命令单" in notice.body
    assert "Dear" not in notice.body


def test_an_order_on_time_needs_no_notice(salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    with pytest.raises(ValidationError):
        delay_notice_draft(order=order, by=merchandiser)


def test_sending_emails_it_through_smtp_and_logs_it_on_the_order(smtp_server, salesperson, sales_manager,
                                                                  merchandiser):
    order = at_risk_order(salesperson, sales_manager, merchandiser)
    notice = delay_notice_draft(order=order, by=merchandiser)
    delay_notice_update(notice=notice, by=merchandiser, recipients="anna@nordhem.se, ops@nordhem.se")
    delay_notice_send(notice=notice, by=merchandiser)
    (mail,) = smtp_server
    assert sorted(mail["to"]) == ["anna@nordhem.se", "ops@nordhem.se"]
    assert mail["message"]["Subject"] == notice.subject and "2026-12-03" in mail["body"]
    notice.refresh_from_db()
    assert notice.status == DelayNotice.Status.SENT and notice.sent_at
    logged = order.activities.get(kind="delay_notice")
    assert "2026-12-03" in logged.summary and logged.by == merchandiser
    with pytest.raises(ValidationError):
        delay_notice_send(notice=notice, by=merchandiser)  # once only
    assert len(smtp_server) == 1


def test_a_bad_address_is_named_and_nothing_is_sent(smtp_server, salesperson, sales_manager, merchandiser):
    order = at_risk_order(salesperson, sales_manager, merchandiser)
    notice = delay_notice_draft(order=order, by=merchandiser)
    notice.recipients = "anna@nordhem.se, not-an-address"
    with pytest.raises(ValidationError) as error:
        delay_notice_send(notice=notice, by=merchandiser)
    assert "not-an-address" in str(error.value)
    assert smtp_server == [] and DelayNotice.objects.get().status == DelayNotice.Status.DRAFT


def test_recording_a_notice_sent_another_way(salesperson, sales_manager, merchandiser):
    order = at_risk_order(salesperson, sales_manager, merchandiser)
    notice = delay_notice_record(notice=delay_notice_draft(order=order, by=merchandiser), by=merchandiser)
    assert notice.status == DelayNotice.Status.RECORDED
    assert order.activities.filter(kind="delay_notice").count() == 1


def test_the_notice_is_signed_with_the_company_profile_in_the_customers_language(salesperson, sales_manager,
                                                                                 merchandiser, administrator):
    company_profile_update(version=0, by=administrator, name_zh="宁波恒泰五金厨具进出口有限公司",
                           name_en="Ningbo Hengtai Hardware Co., Ltd.", address_en="588 Tiantong South Road, Ningbo",
                           address_zh="宁波市鄞州区天童南路588号", phone="+86 574 8790 6612")
    english = delay_notice_draft(order=at_risk_order(salesperson, sales_manager, merchandiser), by=merchandiser)
    assert english.body.endswith(f"{merchandiser}\nNingbo Hengtai Hardware Co., Ltd.\n588 Tiantong South Road, "
                                 "Ningbo\nTel. +86 574 8790 6612\n")
    assert "Gendan" not in english.body
    chinese = delay_notice_draft(by=merchandiser, order=at_risk_order(
        salesperson, sales_manager, merchandiser, document_language="zh-hans"))
    assert "宁波恒泰五金厨具进出口有限公司\n宁波市鄞州区天童南路588号" in chinese.body


def test_before_the_profile_is_entered_the_notice_is_signed_by_the_sender_alone(salesperson, sales_manager,
                                                                                merchandiser):
    notice = delay_notice_draft(order=at_risk_order(salesperson, sales_manager, merchandiser), by=merchandiser)
    assert notice.body.endswith(f"Best regards,\n{merchandiser}\n")
