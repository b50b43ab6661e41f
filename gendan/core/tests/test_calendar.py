"""The working-day calendar page and how a calendar change flows into plans (issue 13, findings 8–10).

An order confirmed on 24 November 2026 with ex-factory Friday 26 February 2027: its production starts 15
working days before ex-factory, across Spring Festival 2027, a year chinese-calendar does not know."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from gendan.accounts.roles import Role
from gendan.core.errors import ConcurrentChange
from gendan.core.models import CalendarDay, CalendarYear, DayKind
from gendan.followup.models import Milestone, Plan
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（星期五）至3日放假，共3天。
二、春节：2月5日（农历除夕）至11日放假调休，共7天。2月14日（星期日）、2月20日（星期六）上班。
"""
URL_2027 = "/calendar/2027/"


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                           confirm_on=date(2026, 11, 24), ex_factory=date(2027, 2, 26))


def production_start(order) -> Milestone:
    return Milestone.objects.get(plan__order=order, code="production_start")


# ---------------------------------------------------------------- finding 10: estimated holidays


def test_a_production_window_across_spring_festival_2027_is_estimated_not_a_week_optimistic(order):
    start = production_start(order)
    # Counting Monday to Friday put the start on 5 February, the first day of the holiday; the holidays
    # package's estimate (5–10 February off) starts production before it
    assert start.due_date == date(2027, 2, 1)
    assert start.estimated and order.plan.has_estimated_dates


# ---------------------------------------------------------------- finding 9: the calendar page


def test_the_page_lists_each_years_status(client, administrator):
    client.force_login(administrator)
    with at(date(2026, 11, 30)):
        page = client.get("/calendar/")
    assert page.status_code == 200
    statuses = {row.year: row.status for row in page.context["years"]}
    assert statuses[2026] == "package" and statuses[2027] == "estimated"
    assert 'href="/calendar/"' in client.get("/").content.decode()  # in the administrator's menu
    with at(date(2026, 11, 30)):
        estimate = client.get(URL_2027)
    assert estimate.status_code == 200
    assert (date(2027, 2, 5), "农历除夕") in estimate.context["estimated"]  # named in the reader's language
    assert client.get("/calendar/2026/").context["form"].initial["days"].startswith("2026-01-01\t休")


def test_a_salesperson_may_neither_see_nor_save_the_calendar(client, salesperson):
    client.force_login(salesperson)
    assert client.get("/calendar/").status_code == 403
    answer = client.post(URL_2027, {"source": "x", "days": NOTICE_2027, "save": "1", "version": 0})
    assert answer.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert 'href="/calendar/"' not in client.get("/").content.decode()


def test_the_preview_shows_what_will_be_saved_and_saves_nothing(client, administrator):
    client.force_login(administrator)
    answer = client.post(URL_2027, {"source": "国办发明电〔2026〕7号", "days": NOTICE_2027, "preview": "1",
                                    "version": 0})
    assert answer.status_code == 200
    preview = answer.context["preview"]
    assert [d.date for d in preview if d.kind == DayKind.WORKING_WEEKEND] == [date(2027, 2, 14), date(2027, 2, 20)]
    assert len([d for d in preview if d.kind == DayKind.HOLIDAY]) == 10
    assert 'name="save"' in answer.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_bad_lines_are_named_and_nothing_is_saved(client, administrator):
    client.force_login(administrator)
    text = NOTICE_2027 + "三、劳动节：5月1日至5日放假。5月10日（星期一）上班。\n2027-02-30 休 x\n2027-03-01 rest x\n"
    answer = client.post(URL_2027, {"source": "国办发明电〔2026〕7号", "days": text, "save": "1", "version": 0})
    assert answer.status_code == 200
    errors = answer.context["form"].errors["days"]
    assert any(e.startswith("第 4 行") and "2027-05-10" in e for e in errors)  # a Monday cannot be "worked"
    assert any(e.startswith("第 5 行") for e in errors) and any(e.startswith("第 6 行") for e in errors)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_year_without_holidays_is_refused(client, administrator):
    client.force_login(administrator)
    answer = client.post(URL_2027, {"source": "x", "days": "2027-02-14 班 春节", "save": "1", "version": 0})
    assert "days" in answer.context["form"].errors
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_django_admin_cannot_create_an_empty_year(client, administrator):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    assert client.get(reverse("admin:core_calendaryear_add")).status_code == 403
    client.post(reverse("admin:core_calendaryear_add"), {"year": 2027, "source": "empty"})
    client.post(reverse("admin:core_calendarday_add"), {"date": "2027-03-03", "kind": DayKind.CLOSURE})
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


# ---------------------------------------------------------------- finding 8: the change re-plans, in the worker


@pytest.mark.django_db(transaction=True)
def test_entering_the_year_replans_the_open_plans_in_the_worker(client, administrator, order):
    before = production_start(order)
    assert before.due_date == date(2027, 2, 1) and before.estimated
    client.force_login(administrator)
    with at(date(2026, 11, 30)):
        answer = client.post(URL_2027, {"source": "国办发明电〔2026〕7号", "days": NOTICE_2027, "save": "1",
                                        "version": 0})
    assert answer.status_code == 302
    # the year and its days are saved together, each with its history row and author
    entry = CalendarYear.objects.get(year=2027)
    assert entry.entered_by == administrator
    assert entry.history.get().history_user == administrator
    days = CalendarDay.objects.filter(date__year=2027)
    assert days.count() == 12
    assert CalendarDay.history.filter(date__year=2027, history_type="+", history_user=administrator).count() == 12
    # the plan has not moved yet: the worker re-plans it
    task = DBTaskResult.objects.get(task_path="gendan.followup.tasks.replan_after_calendar_change")
    assert production_start(order).due_date == date(2027, 2, 1)
    with at(date(2026, 11, 30)):
        call_command("db_worker", batch=True, interval=0, verbosity=0)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.exception_class_path
    after = production_start(order)
    # 15 working days back from 26 February: the Saturday 20th and Sunday 14th worked, 5–11 off
    assert after.due_date == date(2027, 2, 2) and not after.estimated
    plan = Plan.objects.get(order=order)
    assert not plan.has_estimated_dates
    assert not Milestone.objects.filter(plan=plan, estimated=True).exists()


def test_editing_a_known_year_replans_only_plans_reaching_the_change(client, administrator, order,
                                                                      salesperson, sales_manager, merchandiser,
                                                                      django_capture_on_commit_callbacks):
    from gendan.core.calendar_notice import as_table
    from gendan.followup.tasks import replan_after_calendar_change

    early = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=date(2026, 9, 28), ex_factory=date(2026, 11, 20))
    early_dates = dict(Milestone.objects.filter(plan__order=early).values_list("code", "due_date"))
    client.force_login(administrator)
    text = as_table(CalendarDay.objects.filter(date__year=2026)) + "\n2026-12-31 停工 年终盘点\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/calendar/2026/", {"source": "chinese-calendar + closure", "days": text, "save": "1",
                                         "version": 0})
    assert CalendarDay.objects.filter(date__year=2026, kind=DayKind.CLOSURE).count() == 1
    assert CalendarDay.history.filter(kind=DayKind.CLOSURE, history_user=administrator).count() == 1
    task = DBTaskResult.objects.get(task_path="gendan.followup.tasks.replan_after_calendar_change")
    assert task.args_kwargs["args"] == ["2026-12-31", "2026-12-31"]
    with at(date(2026, 11, 30)):
        result = replan_after_calendar_change.call(*task.args_kwargs["args"])  # as the worker runs it
    assert result["replanned"] == 1  # the early order's open milestones all end before 31 December
    assert dict(Milestone.objects.filter(plan__order=early).values_list("code", "due_date")) == early_dates


def test_two_administrators_entering_one_year_the_second_is_told_to_reload(client, administrator, make_user):
    other = make_user(Role.ADMINISTRATOR, username="second-admin")
    shown = {}
    for user in (administrator, other):  # both open 2027, not entered yet
        client.force_login(user)
        shown[user] = client.get(URL_2027).context["form"].initial["version"]
    client.force_login(administrator)
    first = client.post(URL_2027, {"source": "国办发明电〔2026〕7号", "days": NOTICE_2027, "save": "1",
                                   "version": shown[administrator]})
    assert first.status_code == 302
    client.force_login(other)
    second = client.post(URL_2027, {"source": "other", "days": "2027-02-05~2027-02-11 休 春节", "save": "1",
                                    "version": shown[other]})
    assert second.status_code == 200
    entry = CalendarYear.objects.get(year=2027)
    assert entry.source == "国办发明电〔2026〕7号" and entry.entered_by == administrator and entry.version == 1
    with translation.override(second.wsgi_request.LANGUAGE_CODE):
        assert escape(str(ConcurrentChange(entry))) in second.content.decode()
    assert CalendarDay.objects.filter(date__year=2027).count() == 12  # the first administrator's days only
