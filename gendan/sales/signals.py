"""What other apps hear about orders: the one way sales speaks to the apps above it (DESIGN.md, "apps talk
downhill"). Sent inside the sending service's transaction, so a receiver that fails rolls the whole change
back (the follow-up plan and its order never disagree); a receiver that only schedules work does so with
`transaction.on_commit`. Receivers call keyword-only, `@transaction.atomic` services of their own app.

order_status_changed(order, old, new, by)
    Sent by every order move (`sales.services._move`: submit, confirm, start production, ready, ship,
    complete, cancel, back to draft).
    Listeners:
    - followup.receivers.follow_status:
      confirmed → `followup.services.plan_create` (the plan from the default template; its reminders are
      scanned by the worker once committed);
      cancelled → `plan_cancel_for_order` (the plan and its open milestones cancelled, with history);
      shipped or partially shipped → `plan_order_shipped` (the ex-factory milestone done).

order_moving(order, old, new, by)
    Sent by every order move before it happens; a listener that refuses raises ValidationError, and nothing moves.
    Listeners:
    - finance.receivers.hold_the_gates: confirmed only within the customer's credit limit or with an approved
      credit approval covering the order's total; into production only with the required deposit confirmed,
      shipped (or partially) only with the money the terms want before shipment, unless an exception lifts the gate.

order_header_changed(order, fields, by)
    Sent by `order_update` (and so `order_reassign`) when header fields of an order changed; `fields` are
    their names.
    Listeners:
    - followup.receivers.follow_header → `followup.services.plan_follow_order`: a new confirmed ex-factory
      date moves the plan's target; a new merchandiser or salesperson moves the plan's owners (with history);
      steps that now apply are added and those that no longer apply waived; the plan is re-planned.

order_revised(order, by)
    Sent by every change to a confirmed order (`_revise`: header or lines, once the new totals are stored),
    after its revision is recorded.
    Listeners:
    - finance.receivers.schedule_on_revision → `finance.services.schedule_sync`: the open schedule lines
      follow the new total and terms; a change that would leave a line owing less than was paid into it is
      refused (and with it the change).
      It also estimates the order's export VAT refund again (`finance.services.vat_refund_refresh`).
    order_status_changed's confirmed → `finance.receivers.schedule_on_confirmation` makes the schedule and the
    first refund estimate.
"""

from django.dispatch import Signal

order_moving = Signal()
order_status_changed = Signal()
order_header_changed = Signal()
order_revised = Signal()
