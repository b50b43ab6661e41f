"""What other apps hear about plans: the one way the follow-up engine speaks to the apps above it (DESIGN.md,
"apps talk downhill"). Sent inside the sending service's transaction.

milestone_completing(milestone, by)
    Sent by `milestone_complete` before a milestone is marked done; a listener that refuses raises
    ValidationError, and nothing changes.
    Listeners:
    - finance.receivers.hold_milestone_gates: `deposit` and `balance` only by confirmed receipts (on orders with
      a payment schedule); `production_start` only with the required deposit confirmed, `ex_factory` only with
      the money the terms want before shipment (unless an exception lifts the gate).
"""

from django.dispatch import Signal

milestone_completing = Signal()
