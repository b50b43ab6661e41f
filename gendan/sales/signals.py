"""What other apps hear about orders. Sent inside the service's transaction, so a receiver that fails
rolls the whole change back (the follow-up plan and its order never disagree)."""

from django.dispatch import Signal

# order, old, new, by
order_status_changed = Signal()
# order, fields (names of the header fields that changed), by
order_header_changed = Signal()
