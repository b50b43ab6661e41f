from datetime import date
from decimal import Decimal

from gendan.finance.models import BankAccount
from gendan.finance.services import receipt_record


def bank_account(currency="USD", **fields) -> BankAccount:
    return BankAccount.objects.create(**{
        "name": f"BOC {currency}", "beneficiary": "Ningbo Hengtai Hardware Import & Export Co., Ltd.",
        "bank_name": "Bank of China, Ningbo Branch", "account_no": "3583 5820 1234", "swift": "BKCHCNBJ92A",
        "currency": currency, **fields})


def record(*, by, customer, amount, currency="USD", account=None, received_on=date(2026, 10, 5), rate="7.1",
           today=date(2026, 11, 30), **fields):
    """A receipt recorded through the service (not yet confirmed), checked as on `today` (a fixed day the tests'
    dates were chosen around, unless a test dates the receipt from the real clock)."""
    account = account or BankAccount.objects.filter(currency=currency).first() or bank_account(currency)
    return receipt_record(by=by, customer=customer, received_on=received_on, bank_account=account,
                          currency=currency, amount=Decimal(amount), rate_to_cny=Decimal(rate),
                          today=today, **fields)


def pay(order, *, by, kinds=("deposit", "balance"), received_on=date(2026, 10, 5)):
    """The customer pays what is open on these schedule lines; finance allocates and confirms it (the deposit and
    balance milestones are then done, and the money gates open)."""
    from gendan.finance.selectors import schedule_of
    from gendan.finance.services import receipt_allocate, receipt_confirm

    lines = [line for line in schedule_of(order) if line.kind in kinds and line.open > 0]
    receipt = record(by=by, customer=order.customer, currency=order.currency, received_on=received_on,
                     amount=sum(line.open for line in lines))
    receipt_allocate(receipt=receipt, by=by, version=receipt.version, allocations=[(line, line.open) for line in lines])
    receipt_confirm(receipt=receipt, by=by, version=receipt.version)
    return receipt
