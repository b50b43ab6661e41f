"""Background work for the follow-up engine, run by `gendan worker` (django-tasks, database backend)."""

from django_tasks import task

from gendan.followup import reminders


@task()
def scan_reminders() -> dict:
    result = reminders.scan()
    return {"replanned": result.replanned, "notifications": result.notifications, "digests": result.digests_sent}


@task()
def scan_plans(plan_ids: list[int]) -> dict:
    """After changes: the reminders of the plans they touched (e.g. one just went at risk)."""
    result = reminders.scan(plan_ids=plan_ids)
    return {"notifications": result.notifications}
