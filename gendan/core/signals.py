"""What other apps hear from `core`. Core imports no app, so this is the one way its changes reach them.
Sent inside the service's transaction: a receiver that only schedules work does so with
`transaction.on_commit`, so a rolled-back change schedules nothing.

calendar_days_changed(first, last, by)
    Working days between `first` and `last` (dates, inclusive) changed: a year's holidays and adjusted
    working days entered or edited (which may also make the year known, no longer estimated), or a company
    closure. Sent by `core.services.calendar_year_enter`.
    Listeners:
    - followup.receivers.replan_for_calendar: enqueues the worker task
      `followup.tasks.replan_after_calendar_change`, which re-plans the open plans with open milestones
      dated on or after `first` (due dates, projection and "estimated" flags) and scans their reminders.
"""

from django.dispatch import Signal

calendar_days_changed = Signal()
