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
           **fields):
    """A receipt recorded through the service (not yet confirmed)."""
    account = account or BankAccount.objects.filter(currency=currency).first() or bank_account(currency)
    return receipt_record(by=by, customer=customer, received_on=received_on, bank_account=account,
                          currency=currency, amount=Decimal(amount), rate_to_cny=Decimal(rate),
                          today=date(2026, 11, 30), **fields)
