"""The demo company: a Ningbo hardware & kitchenware exporter with a year of orders behind it.

Everything is made through the services (customer_create, product_create, order_create,
order_submit, order_confirm, …) so permissions, numbering, history, events and revisions are
the real thing. A fixed seed makes the company the same on every machine; dates are offsets
from today, so the order book always covers the last twelve months.

Each service call runs on a simulated clock set to the moment the step "happened" (an order
confirmed two days after it was entered shows so in its events and history), instead of every
record being stamped with the minute the demo was loaded.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role, sync_roles
from gendan.catalog.models import Product
from gendan.catalog.services import customer_item_set, product_create
from gendan.core.money import round_amount
from gendan.core.services import company_profile_update
from gendan.demo import data
from gendan.demo import followup as demo_followup
from gendan.demo import shipping as demo_shipping
from gendan.demo.clock import at as _at
from gendan.demo.clock import clock as _clock
from gendan.demo.logo import demo_logo
from gendan.documents.choices import DocumentKind, Response
from gendan.documents.models import Document
from gendan.documents.services import (
    document_record_response,
    document_render,
    document_send,
    sales_document_generate,
    statement_generate,
)
from gendan.finance.choices import Gate, ScheduleKind
from gendan.finance.credit import credit_check
from gendan.finance.gates import PAID_BEFORE_SHIPMENT
from gendan.finance.models import VatRefund
from gendan.finance.selectors import aging_by_customer, schedule_of
from gendan.finance.services import (
    bank_account_save,
    credit_approval_decide,
    credit_approval_request,
    expense_record,
    expense_void,
    gate_exception_grant,
    receipt_allocate,
    receipt_confirm,
    receipt_record,
    refund_rate_save,
    vat_refund_record,
)
from gendan.followup.models import Notification, ReminderKind
from gendan.parties.models import Customer, PaymentTerm, Supplier
from gendan.parties.services import contact_save, customer_create, customer_update, supplier_create
from gendan.sales.choices import FollowupDepth, OrderStatus
from gendan.sales.models import SalesOrder
from gendan.sales.services import (
    LineInput,
    order_cancel,
    order_complete,
    order_confirm,
    order_create,
    order_line_update,
    order_mark_ready,
    order_return_to_draft,
    order_ship,
    order_start_production,
    order_submit,
)

SEED = 20261124
ORDER_COUNT = 330
HISTORY_DAYS = 365
MARKER_CUSTOMER = data.CUSTOMERS[0][0]
S = OrderStatus

# Where an order of a given age (days) usually stands: (max age, {final state: weight}).
STATE_BY_AGE = [
    (3, {S.DRAFT: 45, S.UNDER_REVIEW: 35, S.CONFIRMED: 15, S.CANCELLED: 5}),
    (10, {S.DRAFT: 12, S.UNDER_REVIEW: 18, S.CONFIRMED: 55, S.IN_PRODUCTION: 10, S.CANCELLED: 5}),
    (30, {S.DRAFT: 3, S.CONFIRMED: 30, S.IN_PRODUCTION: 62, S.CANCELLED: 5}),
    (50, {S.CONFIRMED: 5, S.IN_PRODUCTION: 60, S.READY_TO_SHIP: 20, S.PARTIALLY_SHIPPED: 5, S.SHIPPED: 5,
          S.CANCELLED: 5}),
    (75, {S.IN_PRODUCTION: 20, S.READY_TO_SHIP: 25, S.PARTIALLY_SHIPPED: 15, S.SHIPPED: 30, S.COMPLETED: 5,
          S.CANCELLED: 5}),
    (120, {S.READY_TO_SHIP: 3, S.PARTIALLY_SHIPPED: 5, S.SHIPPED: 40, S.COMPLETED: 47, S.CANCELLED: 5}),
    (HISTORY_DAYS, {S.SHIPPED: 5, S.COMPLETED: 90, S.CANCELLED: 5}),
]
# The path every order walks; an order stops at its final state.
PATH = [S.DRAFT, S.UNDER_REVIEW, S.CONFIRMED, S.IN_PRODUCTION, S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED,
        S.COMPLETED]
GRADE_WEIGHT = {"A": 5, "B": 3, "C": 1.5, "D": 0.5}
GRADE_PRICE = {"A": 0.96, "B": 1.0, "C": 1.05, "D": 1.08}
# Days from shipment until the balance is in, by balance condition (how long "shipped" lasts).
DAYS_TO_PAYMENT = {"in_advance": (1, 4), "before_shipment": (1, 4), "against_copy_bl": (6, 15),
                   "lc_sight": (10, 21), "lc_usance": (70, 80), "dp_sight": (25, 40), "da": (70, 80),
                   "open_account": (None, None)}


@dataclass
class Login:
    username: str
    password: str
    full_name: str
    roles: list[str]


def demo_logins() -> list[Login]:
    return [Login(username, data.PASSWORD, name, [str(Role(role).label)])
            for username, name, role, _phone in data.USERS]


def demo_exists() -> bool:
    return Customer.objects.filter(code=MARKER_CUSTOMER).exists()


def database_has_other_data() -> bool:
    """True when the database already holds a company that is not the demo: the demo never mixes in."""
    usernames = [row[0] for row in data.USERS]
    return (
        Customer.objects.exists() or SalesOrder.objects.exists()
        or User.objects.filter(username__in=usernames).exists()
    )


def build_demo(*, log: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Create the whole demo company in one transaction; returns what was made, by kind."""
    today = timezone.localdate()
    with transaction.atomic():
        builder = _Builder(rng=random.Random(SEED), today=today, log=log)
        builder.run()
    return builder.made


# ---------------------------------------------------------------- simulated clock


# ---------------------------------------------------------------- order plans


@dataclass
class Step:
    name: str
    day: date
    moment: datetime | None = None


@dataclass
class OrderPlan:
    customer: Customer
    order_date: date
    final: str
    cancel_from: str | None = None
    returned: bool = False
    revised: bool = False
    partial: bool = False
    requested: date | None = None
    ex_factory: date | None = None
    steps: list[Step] = field(default_factory=list)


class _Builder:
    def __init__(self, *, rng: random.Random, today: date, log: Callable[[str], None]):
        self.rng = rng
        self.today = today
        self.now = timezone.now()
        self.log = log
        self.made: dict[str, int] = Counter()
        self.setup_day = today - timedelta(days=HISTORY_DAYS + 30)
        self.needs_rng = random.Random(SEED + 1)  # its own stream: the order book stays as it was
        self.money_rng = random.Random(SEED + 3)  # and the money its own
        self.credit_rng = random.Random(SEED + 4)  # and credit its own

    def run(self) -> None:
        sync_roles()
        with _clock(_at(self.setup_day, 9, 0)):
            self.make_users()
            self.make_company_profile()
            self.make_payment_terms()
            self.make_suppliers()
            self.make_products()
            self.make_refund_rates()
            self.make_customers()
            self.make_customer_items()
            self.make_bank_accounts()
            demo_followup.assign_department_owners(self.users)
        self.make_orders()
        with _clock(self.now - timedelta(minutes=2)):
            self.make_money_in_progress()
        with _clock(self.now - timedelta(minutes=1)):
            self.make_costs()
            self.make_documents()
            self.make_credit_request()
        self.made.update(demo_shipping.make_shipments(
            self.users, self.today, random.Random(SEED + 5),
            lambda order, kinds, day: self._pay(order, kinds, day), self.log))
        self.made.update(demo_followup.work_through_plans(self.users, self.today, SEED + 2, self.log))
        for document in Document.objects.filter(pdf=""):
            document_render(document)  # the worker's job, done here: the demo opens with its PDFs ready

    # ------------------------------------------------------------ people and master data

    def make_company_profile(self) -> None:
        company_profile_update(version=0, by=self.users["admin"], logo=demo_logo(), **data.COMPANY_PROFILE)
        self.log(f"  company profile: {data.COMPANY_NAME_ZH}")

    def make_bank_accounts(self) -> None:
        self.accounts = {currency: bank_account_save(
            by=self.users["finance"], name=name, beneficiary=data.COMPANY_NAME_EN, bank_name=bank,
            bank_address=data.BANK_ADDRESS, account_no=number, swift=swift, currency=currency,
        ) for name, currency, bank, number, swift in data.BANK_ACCOUNTS}
        self.made["bank_accounts"] = len(self.accounts)

    def make_users(self) -> None:
        password = make_password(data.PASSWORD)  # hashed once: 13 PBKDF2 rounds would take seconds
        groups = {g.name: g for g in Group.objects.all()}
        self.users: dict[str, User] = {}
        for username, name, role, phone in data.USERS:
            admin = role == Role.ADMINISTRATOR
            user = User.objects.create(
                username=username, full_name=name, last_name=name[0], first_name=name[1:], phone=phone,
                email=f"{username}@{data.EMAIL_DOMAIN}", password=password, is_staff=admin, is_superuser=admin,
            )
            user.groups.add(groups[role])
            self.users[username] = user
        self.made["users"] = len(self.users)
        self.log(f"  {len(self.users)} users, one per role")

    def make_payment_terms(self) -> None:
        self.terms = {}
        for name, deposit, condition, days, name_zh in data.PAYMENT_TERMS:
            self.terms[name], _created = PaymentTerm.objects.get_or_create(name=name, defaults={
                "name_zh": name_zh, "deposit_percent": deposit, "balance_condition": condition, "balance_days": days})
        self.made["payment_terms"] = len(self.terms)

    def make_suppliers(self) -> None:
        buyer = self.users["buyer"]
        self.suppliers: dict[str, Supplier] = {}
        for code, kind, name_zh, name_en, address, notes, (person, role, mobile) in data.SUPPLIERS:
            supplier = supplier_create(
                by=buyer, kind=kind, code=code, name_zh=name_zh, name_en=name_en, country="CN", address=address,
                currency="CNY", notes=notes,
            )
            contact_save(by=buyer, supplier=supplier, name=person, role=role, phone=mobile,
                         messaging_id=f"WeChat {mobile.replace(' ', '')[3:]}", is_primary=True)
            self.suppliers[code] = supplier
        self.made["suppliers"] = len(self.suppliers)
        self.log(f"  {len(self.suppliers)} suppliers, factories and forwarders")

    def make_products(self) -> None:
        engineer = self.users["engineer"]
        self.products_by_family: dict[str, list[Product]] = {}
        self.base_price: dict[int, float] = {}
        for (prefix, name_en, name_zh, material, hs_code, unit, supplier, per_inner, finishes,
             sizes) in data.FAMILIES:
            family = self.products_by_family.setdefault(prefix, [])
            for size, label, price, per_carton, length, width, height, net_kg in sizes:
                for finish, finish_en, finish_zh in finishes:
                    cbm = length * width * height / 1_000_000
                    product = product_create(
                        by=engineer,
                        code=f"{prefix}-{size}-{finish}",
                        name_en=f"{name_en}, {label}, {finish_en}",
                        name_zh=f"{name_zh} {label} {finish_zh}",
                        specification=label,
                        material=material,
                        surface_finish=finish_en,
                        hs_code=data.HS_BY_ARTICLE.get(size, hs_code),
                        unit=unit,
                        default_supplier=self.suppliers[supplier],
                        cost=_dec(price * data.CNY_PER_USD * self.rng.uniform(0.72, 0.86), "0.01"),
                        cost_currency="CNY",
                        units_per_inner=per_inner or None,
                        units_per_carton=per_carton,
                        carton_length_cm=Decimal(length),
                        carton_width_cm=Decimal(width),
                        carton_height_cm=Decimal(height),
                        net_weight_kg=_dec(net_kg, "0.01"),
                        gross_weight_kg=_dec(net_kg + 0.4 + cbm * 12, "0.01"),  # carton, dividers, tape
                    )
                    family.append(product)
                    self.base_price[product.pk] = price * self.rng.uniform(0.97, 1.03)
        self.made["products"] = len(self.base_price)
        self.log(f"  {len(self.base_price)} products in {len(self.products_by_family)} families")

    def make_customers(self) -> None:
        manager = self.users["salesmgr"]
        self.customers: list[Customer] = []
        self.assortment: dict[int, list[Product]] = {}
        self.po_style: dict[int, int] = {}
        for (code, name_en, name_zh, country, address, currency, incoterm, place, term, grade, credit, owner,
             merchandiser, domain, families) in data.CUSTOMERS:
            customer = customer_create(
                by=manager,
                contacts=self._contacts(country, domain),
                code=code, name_en=name_en, name_zh=name_zh, country=country, address=address, currency=currency,
                payment_term=self.terms[term], incoterm=incoterm, incoterm_place=place, owner=self.users[owner],
                merchandiser=self.users[merchandiser], grade=grade, credit_limit=Decimal(credit),
                notes=self._customer_notes(grade),
            )
            self.customers.append(customer)
            self.assortment[customer.pk] = [p for f in families.split() for p in self.products_by_family[f]]
            self.po_style[customer.pk] = self.rng.randrange(4)
        self.made["customers"] = len(self.customers)
        self.log(f"  {len(self.customers)} customers in {len({c.country.code for c in self.customers})} countries")

    def _contacts(self, country: str, domain: str) -> list[dict]:
        given, family, prefix, app = data.PEOPLE[country]
        contacts = []
        roles = self.rng.sample(data.CONTACT_ROLES, self.rng.choice([1, 2, 2, 3]))
        for index, role in enumerate(roles):
            first, last = self.rng.choice(given), self.rng.choice(family)
            phone = f"{prefix} {self.rng.randint(200, 999)} {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}"
            contacts.append({
                "name": f"{first} {last}", "role": role, "email": f"{_ascii(first)}.{_ascii(last)}@{domain}",
                "phone": phone, "messaging_id": f"{app} {phone}", "is_primary": index == 0,
            })
        return contacts

    def _customer_notes(self, grade: str) -> str:
        since = self.today.year - self.rng.randint(1, 9)
        return {
            "A": f"Key account since {since}; yearly business review in March. Ship on time above all.",
            "B": f"Regular buyer since {since}; orders mostly before their autumn season.",
            "C": f"Occasional buyer since {since}; check the deposit before releasing production.",
            "D": "Prospect from the Canton Fair; first trial order needs full payment in advance.",
        }[grade]

    def make_customer_items(self) -> None:
        made = 0
        for customer in self.customers:
            pattern = data.CUSTOMER_ITEM_FORMATS.get(customer.code)
            if not pattern:
                continue
            products = self.assortment[customer.pk]
            numbers = self.rng.sample(range(1000, 99999), len(products))
            for product, number in zip(products, sorted(numbers), strict=True):
                customer_item_set(product=product, customer=customer, item_no=pattern.format(n=number),
                                  by=customer.owner)
                made += 1
        self.made["customer_items"] = made
        self.log(f"  {made} customer item numbers")

    # ------------------------------------------------------------ orders

    def make_orders(self) -> None:
        plans = self.plan_orders()
        finals = Counter(plan.final for plan in plans)
        missing = set(S.values) - set(finals)
        if missing:  # the plan is fixed by the seed, so this only trips when the tables above change
            raise RuntimeError(f"demo plan leaves states without orders: {sorted(missing)}")
        self.log(f"  {len(plans)} orders over {HISTORY_DAYS} days:")
        self.po_counter: Counter = Counter()
        for index, plan in enumerate(plans, 1):
            self.play(plan)
            if index % 50 == 0:
                self.log(f"    {index}/{len(plans)}")
        self.made["orders"] = len(plans)
        self.log("    " + ", ".join(f"{S(state).label}: {finals[state]}" for state in S.values))

    def plan_orders(self) -> list[OrderPlan]:
        rng = self.rng
        # Business grows a little over the year: more recent orders than old ones. The newest few are
        # pinned so the demo always has fresh drafts and orders waiting for review.
        ages = [0, 0, 1, 2, HISTORY_DAYS - 1]
        ages += [min(HISTORY_DAYS - 1, int(HISTORY_DAYS * rng.random() ** 1.15)) for _ in range(ORDER_COUNT - 5)]
        ages.sort(reverse=True)
        weights = [GRADE_WEIGHT[c.grade] for c in self.customers]
        plans = []
        for age in ages:
            customer = rng.choices(self.customers, weights)[0]
            plan = OrderPlan(customer=customer, order_date=self.today - timedelta(days=age),
                             final=self._final_state(age, customer))
            if age <= 2 and len(plans) >= ORDER_COUNT - 4:  # the pinned newest orders
                plan.final = [S.UNDER_REVIEW, S.DRAFT, S.DRAFT, S.UNDER_REVIEW][ORDER_COUNT - 1 - len(plans)]
            if plan.final == S.CANCELLED:
                choices = [S.DRAFT, S.UNDER_REVIEW] if age <= 10 else [S.UNDER_REVIEW, S.CONFIRMED, S.IN_PRODUCTION]
                plan.cancel_from = rng.choice(choices)
            reach = PATH.index(plan.cancel_from or plan.final)
            plan.returned = reach >= 1 and rng.random() < 0.06
            plan.revised = reach >= 2 and rng.random() < 0.12
            plan.partial = reach >= PATH.index(S.PARTIALLY_SHIPPED) and (
                plan.final == S.PARTIALLY_SHIPPED or rng.random() < 0.12
            )
            self._schedule(plan)
            plans.append(plan)
        return plans

    def _final_state(self, age: int, customer: Customer) -> str:
        for max_age, weights in STATE_BY_AGE:
            if age <= max_age:
                state = self.rng.choices(list(weights), list(weights.values()))[0]
                break
        # Long after shipment only deferred terms (O/A, D/A, usance L/C) are still unpaid.
        deferred = customer.payment_term.balance_condition in ("open_account", "da", "lc_usance")
        if state == S.SHIPPED and age > 100 and not deferred:
            state = S.COMPLETED
        return state

    def _schedule(self, plan: OrderPlan) -> None:
        """Lay the order's steps on the calendar, squeezed into the days between its date and today."""
        rng, start = self.rng, plan.order_date
        lead = rng.randint(35, 55)
        plan.requested = start + timedelta(days=lead)
        plan.ex_factory = plan.requested + timedelta(days=rng.choice([-3, 0, 0, 0, 4, 7]))
        term = plan.customer.payment_term.balance_condition
        natural: list[tuple[str, int]] = [("create", 0)]
        offset = rng.choice([0, 0, 1, 2])
        last = PATH.index(plan.cancel_from or plan.final)
        if last >= 1:
            if plan.returned:
                natural += [("submit", offset), ("return", offset + 1)]
                offset += 2
            natural.append(("submit", offset))
        if last >= 2:
            offset += rng.randint(1, 2)
            natural.append(("confirm", offset))
            if plan.revised:
                natural.append(("revise", offset + rng.randint(1, 5)))
        if last >= 3:
            offset = max(offset + rng.randint(3, 9), natural[-1][1])
            natural.append(("start_production", offset))
        if last >= 4:
            offset = max(offset + 10, lead + rng.randint(-2, 4))
            natural.append(("mark_ready", offset))
        if plan.partial and last >= 5:
            offset += rng.randint(2, 6)
            natural.append(("ship_partially", offset))
        if last >= 6:
            offset += rng.randint(8, 20) if plan.partial else rng.randint(2, 7)
            natural.append(("ship", offset))
        if last >= 7:
            low, high = DAYS_TO_PAYMENT[term]
            if low is None:
                days = plan.customer.payment_term.balance_days
                low, high = days, days + 7
            offset += rng.randint(low, high)
            natural.append(("complete", offset))
        if plan.final == S.CANCELLED:
            natural.append(("cancel", natural[-1][1] + rng.randint(1, 6)))
        # Squeeze into [order date, today]: an order "in production" for six weeks did not wait the natural
        # gaps, it got there sooner.
        available = (self.today - start).days
        span = natural[-1][1]
        scale = min(1.0, available / span) if span else 1.0
        minute = rng.randint(0, 120)
        previous = None
        for name, days in natural:
            day = start + timedelta(days=math.floor(days * scale))
            moment = _at(day, 9, 0) + timedelta(minutes=minute)
            if previous and moment <= previous:
                moment = previous + timedelta(minutes=rng.randint(7, 45))
            plan.steps.append(Step(name, day, moment))
            previous = moment
            minute = rng.randint(0, 480)
        limit = self.now - timedelta(minutes=1)
        for step in reversed(plan.steps):  # today's steps cannot happen later than now
            if step.moment <= limit:
                break
            step.moment = limit
            limit -= timedelta(minutes=9)  # not drawn from rng: the rest of the demo must not depend on the hour

    def play(self, plan: OrderPlan) -> None:
        customer = plan.customer
        sales, manager = customer.owner, self.users["salesmgr"]
        reviewer = self.users["gm"] if self.rng.random() < 0.2 else manager
        order = None
        for step in plan.steps:
            with _clock(step.moment):
                if step.name == "create":
                    order = self._create(plan)
                elif step.name == "submit":
                    order_submit(order=order, by=sales)
                elif step.name == "return":
                    order_return_to_draft(order=order, by=reviewer, reason=self.rng.choice(data.RETURN_REASONS))
                elif step.name == "confirm":
                    self._credit(order, reviewer)
                    order_confirm(order=order, by=reviewer)
                elif step.name == "revise":
                    self._revise(order, plan)
                elif step.name == "start_production":
                    self._pay(order, [ScheduleKind.DEPOSIT], step.day)  # no production before the deposit
                    order_start_production(order=order, by=self.users["production"])
                elif step.name == "mark_ready":
                    order_mark_ready(order=order, by=self.users["production"])
                elif step.name == "ship_partially":
                    self._pay(order, [ScheduleKind.DEPOSIT], step.day, before_shipment=True)
                    order_ship(order=order, by=self.users["warehouse"], partially=True,
                               note="First container loaded; remaining cartons on the next vessel.")
                elif step.name == "ship":
                    self._pay(order, [ScheduleKind.DEPOSIT], step.day, before_shipment=True)
                    order_ship(order=order, by=self.users["warehouse"], note=self._shipping_note(step.day))
                elif step.name == "complete":
                    self._pay(order, [ScheduleKind.DEPOSIT, ScheduleKind.BALANCE], step.day)  # the last payment
                    order_complete(order=order, by=self.users["finance"])
                elif step.name == "cancel":
                    early = order.status in (S.DRAFT, S.UNDER_REVIEW)
                    order_cancel(order=order, by=sales if early else manager,
                                 reason=self.rng.choice(data.CANCEL_REASONS))

    def make_refund_rates(self) -> None:
        """Refund rates for the demo products' HS codes, before any order is confirmed (so each gets its estimate)."""
        for prefix, refund, note in data.REFUND_RATES:
            refund_rate_save(by=self.users["finance"], hs_prefix=prefix, refund_rate=Decimal(refund),
                             vat_rate=Decimal(13), valid_from=date(self.setup_day.year, 1, 1), note=note)
        self.made["refund_rates"] = len(data.REFUND_RATES)

    def make_costs(self) -> None:
        """What the shipped orders cost beyond the goods (freight, trucking, inspection, certificates, courier; one
        entered twice and voided), and their export VAT refunds declared 20 days after shipment and received 50 days
        after, as far as today has come."""
        finance, rng, made = self.users["finance"], self.money_rng, 0
        shipped = (SalesOrder.objects.filter(status__in=[S.SHIPPED, S.COMPLETED], events__new_status=S.SHIPPED)
                   .annotate(shipped_at=Max("events__at")).order_by("number"))
        usd_rate = Decimal(str(data.CNY_PER_USD))
        for index, order in enumerate(shipped):
            day = timezone.localdate(order.shipped_at)
            costs = [("trucking", Decimal(rng.choice([600, 800, 1200, 1500])), "CNY", Decimal(1), "宁波北仑集卡车队")]
            if order.incoterm in ("CFR", "CIF", "CPT", "CIP", "DAP", "DDP", "DPU"):
                costs.append(("freight", Decimal(rng.choice([850, 1150, 1650, 2300])), "USD", usd_rate,
                              "Ningbo Ocean Forwarding"))
            if order.needs_commodity_inspection:
                costs.append(("inspection", Decimal(rng.choice([300, 450])), "CNY", Decimal(1), "宁波海关"))
            if order.needs_certificate_of_origin:
                costs.append(("certificate", Decimal(80), "CNY", Decimal(1), "宁波贸促会"))
            if index % 4 == 0:
                costs.append(("courier", Decimal(rng.choice([180, 260])), "CNY", Decimal(1), "顺丰速运"))
            for kind, amount, currency, rate, payee in costs:
                expense = expense_record(by=finance, order=order, kind=kind, amount=amount, currency=currency,
                                         rate_to_cny=rate, incurred_on=min(day, self.today), payee=payee,
                                         reference=f"FP{day:%y%m%d}{order.pk:04d}{kind[:2].upper()}")
                made += 1
            if index == 0:
                expense_void(expense=expense, by=finance, version=expense.version, reason="重复录入（同一张发票）")
            refund = VatRefund.objects.filter(order=order).first()
            declared_on, received_on = day + timedelta(days=20), day + timedelta(days=50)
            if refund is not None and refund.estimated_cny and declared_on <= self.today:
                received = received_on <= self.today
                vat_refund_record(order=order, by=finance, version=refund.version, declared_cny=refund.estimated_cny,
                                  declared_on=declared_on, received_cny=refund.estimated_cny if received else None,
                                  received_on=received_on if received else None)
        self.made["expenses"] = made
        self.log(f"  {made} expenses on {len(shipped)} shipped orders; refunds declared and received")

    def make_documents(self) -> None:
        """PIs for the orders waiting on their deposit (one revised into version 2 and mailed to the buyer), sales
        contracts for two, and last month's statements for the customers who owe most: one confirmed, one
        disputed, the rest not answered yet."""
        finance = self.users["finance"]
        waiting = list(SalesOrder.objects.filter(status__in=[S.DRAFT, S.CONFIRMED]).exclude(lines=None)
                       .select_related("customer", "salesperson").order_by("-order_date", "number")[:6])
        for index, order in enumerate(waiting):
            document, _made = sales_document_generate(kind=DocumentKind.PROFORMA_INVOICE, order=order,
                                                      by=order.salesperson)
            if index == 0:
                order.customer_po = f"{order.customer_po}-R1" if order.customer_po else "R1"
                order.save(update_fields=["customer_po"])  # the buyer re-issued the PO: version 2
                document, _made = sales_document_generate(kind=DocumentKind.PROFORMA_INVOICE, order=order,
                                                          by=order.salesperson)
                contact = order.customer.contacts.exclude(email="").first()
                if contact is not None:
                    document_send(document=document, by=order.salesperson, recipients=[contact.email],
                                  subject=f"PI {document.number} · PO {order.customer_po}", message="")
            if index < 2:
                sales_document_generate(kind=DocumentKind.SALES_CONTRACT, order=order, by=order.salesperson)
        month_end = self.today.replace(day=1) - timedelta(days=1)
        rows = sorted(aging_by_customer(month_end), key=lambda row: (-row["total"], row["customer"].code))
        owing = list(dict.fromkeys(row["customer"] for row in rows))[:4]
        for index, customer in enumerate(owing):
            statement, _made = statement_generate(customer=customer, by=finance, period_start=month_end.replace(day=1),
                                                  as_of=month_end)
            if index == 0:
                document_record_response(document=statement, by=finance, response=Response.CONFIRMED,
                                         note="客户邮件确认无误")
            elif index == 1:
                document_record_response(document=statement, by=finance, response=Response.DISPUTED,
                                         note="Customer says the deposit of the last order was paid on the 28th.")
        self.made["documents"] = Document.objects.count()
        self.log(f"  {self.made['documents']} documents: PIs, sales contracts and last month's statements")

    def make_money_in_progress(self) -> None:
        """What finance is in the middle of today: a deposit paid in part, a remittance that paid more than was
        owed (the customer's credit), one not yet confirmed, and production let go ahead on trust."""
        waiting = list(SalesOrder.objects.filter(status=S.CONFIRMED, deposit_percent__gt=0).order_by("number"))
        shipped = list(SalesOrder.objects.filter(status=S.SHIPPED).order_by("number"))
        finance, gm = self.users["finance"], self.users["gm"]
        if len(waiting) >= 3:
            half = next(line for line in schedule_of(waiting[0]) if line.kind == ScheduleKind.DEPOSIT)
            self._remit(waiting[0], [(half, round_amount(half.open / 2, half.currency))], confirm=True)
            whole = next(line for line in schedule_of(waiting[1]) if line.kind == ScheduleKind.DEPOSIT)
            self._remit(waiting[1], [(whole, whole.open)], confirm=False)  # in the statement, not yet confirmed
            gate_exception_grant(order=waiting[2], gate=Gate.PRODUCTION, by=gm, expires_on=self.today + timedelta(14),
                                 reason="老客户，定金已汇出（水单已收），先安排生产")
        owing = next((line for order in shipped for line in schedule_of(order) if line.open > 0), None)
        if owing is not None:
            self._remit(owing.order, [(owing, owing.open)], extra=Decimal(350))  # 350 more: the customer's credit
        self.log(f"  money in progress: a receipt for {finance} to confirm, a partial deposit, a credit, an exception")

    def _credit(self, order: SalesOrder, manager: User) -> None:
        """An order past its customer's credit limit: the salesperson asks for credit, the reviewer approves it."""
        if credit_check(order).needs_approval:
            approval = credit_approval_request(order=order, by=order.salesperson,
                                               reason=self.credit_rng.choice(data.CREDIT_REASONS))
            credit_approval_decide(approval=approval, by=manager, approve=True, version=approval.version,
                                   note=self.credit_rng.choice(data.CREDIT_NOTES))
            self.made["credit_approvals"] += 1

    def make_credit_request(self) -> None:
        """One order waiting for review whose customer is past the limit, its credit asked for and not decided yet:
        when no waiting order is past it by itself, the sales manager has just lowered that customer's limit after
        its late payments (to halfway through the order)."""
        waiting = [order for order in SalesOrder.objects.filter(status=S.UNDER_REVIEW).select_related("customer")
                   .order_by("number") if order.customer.credit_limit and order.currency == order.customer.currency]
        if not waiting:
            return
        order = next((o for o in waiting if credit_check(o).needs_approval), None)
        if order is None:
            order = waiting[0]
            check = credit_check(order)
            limit = (check.others.total + order.total_amount / 2) // 1000 * 1000
            customer = order.customer
            customer_update(customer=customer, by=self.users["salesmgr"], version=customer.version,
                            credit_limit=max(limit, Decimal(1000)))
            order.customer.refresh_from_db()
        # the requests decided over the year were read at the time: only the one waiting is news
        Notification.objects.filter(kind__in=[ReminderKind.CREDIT_REQUESTED, ReminderKind.CREDIT_APPROVED,
                                            ReminderKind.CREDIT_REJECTED]).update(read_at=timezone.now())
        credit_approval_request(order=order, by=order.salesperson, reason=data.CREDIT_REASONS[0])
        self.log(f"  credit: {self.made['credit_approvals']} approved on confirmation, {order.number} waiting "
                 f"for the sales manager")

    def _remit(self, order, allocations, *, confirm: bool = True, extra: Decimal = Decimal(0), on: date | None = None,
               charges_usd: int = 20, reference: str = "") -> None:
        """The customer remits what the allocations take (and `extra` on account); finance records and allocates
        it, and confirms it once it is in the account (the banks took their charges on the way)."""
        finance, currency, on = self.users["finance"], order.currency, on or timezone.localdate()
        per_usd = Decimal(str(data.FX_PER_USD.get(currency, 1)))
        cny = currency == "CNY"
        rate = Decimal(1) if cny else (Decimal(str(data.CNY_PER_USD)) / per_usd).quantize(Decimal("0.0001"))
        receipt = receipt_record(
            by=finance, customer=order.customer, received_on=on, bank_account=self.accounts[currency],
            currency=currency, amount=sum(amount for _line, amount in allocations) + extra, rate_to_cny=rate,
            bank_charges=Decimal(0) if cny else round_amount(Decimal(charges_usd) * per_usd, currency),
            reference=reference or f"FT{on:%y%m%d}{order.pk:04d}")
        receipt_allocate(receipt=receipt, by=finance, version=receipt.version, allocations=allocations)
        if confirm:
            receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
        self.made["receipts"] += 1

    def _pay(self, order: SalesOrder, kinds: list[str], day: date, before_shipment: bool = False) -> None:
        """The customer pays what is open on these lines (and, before shipment, a balance its terms want first) in
        one remittance."""
        lines = [line for line in schedule_of(order) if line.open > 0 and (
            line.kind in kinds or (before_shipment and line.due_after in PAID_BEFORE_SHIPMENT))]
        if lines:
            charges = self.money_rng.choice([15, 20, 25, 35])
            self._remit(order, [(line, line.open) for line in lines], on=day, charges_usd=charges,
                        reference=f"FT{day:%y%m%d}{self.money_rng.randint(1000, 9999)}")

    def _create(self, plan: OrderPlan) -> SalesOrder:
        rng, customer = self.rng, plan.customer
        products = self.assortment[customer.pk]
        count = min(len(products), rng.choices(range(1, 9), [8, 14, 18, 18, 15, 12, 8, 7])[0])
        lines = [self._line(customer, product, plan.order_date) for product in rng.sample(products, count)]
        po = self._customer_po(customer, plan.order_date)
        needs_date = PATH.index(plan.cancel_from or plan.final) >= 2
        depth = {"A": FollowupDepth.TO_PAYMENT, "B": FollowupDepth.TO_PAYMENT, "C": FollowupDepth.TO_LOADING,
                 "D": FollowupDepth.TO_WAREHOUSE}[customer.grade]
        return order_create(
            by=customer.owner, customer=customer, lines=lines,
            customer_po=po, order_date=plan.order_date, requested_ex_factory=plan.requested,
            confirmed_ex_factory=plan.ex_factory if needs_date else None, followup_depth=depth,
            shipping_marks=(f"{customer.code}\n{customer.incoterm_place.upper()}\nPO NO.: {po}\n"
                            "ITEM NO.:\nC/NO.: 1-UP\nMADE IN CHINA"),
            packing_requirements=rng.choice(data.PACKING_REQUIREMENTS),
            customer_specifics=rng.choice(data.CUSTOMER_SPECIFICS),
            **demo_followup.order_needs(self.needs_rng, customer.country.code),
        )

    def _line(self, customer: Customer, product: Product, day: date) -> LineInput:
        rng = self.rng
        price = self._price(customer, product, day)
        per_carton = product.units_per_carton
        target_value = rng.uniform(1200, 14000)  # USD per line
        usd_price = self.base_price[product.pk]
        cartons = max(5, min(600, round(target_value / (usd_price * per_carton))))
        quantity = Decimal(cartons * per_carton)
        if product.unit == "pcs" and rng.random() < 0.2:  # some buyers order round numbers, not full cartons
            quantity = Decimal(max(100, round(cartons * per_carton, -2)))
        return LineInput(product=product, quantity=quantity, unit_price=price)

    def _price(self, customer: Customer, product: Product, day: date) -> Decimal:
        # The same customer pays about the same for an article all year, rising ~3% after the steel price rise.
        drift = 1.03 if (self.today - day).days < 150 else 1.0
        usd = self.base_price[product.pk] * GRADE_PRICE[customer.grade] * drift
        amount = usd * data.FX_PER_USD[customer.currency] * self.rng.uniform(0.99, 1.01)
        if customer.currency == "JPY":
            return _dec(amount, "1" if amount >= 100 else "0.1")
        return _dec(amount, "0.0001" if amount < 1 else "0.01")

    def _customer_po(self, customer: Customer, day: date) -> str:
        self.po_counter[customer.pk] += 1
        seq = self.po_counter[customer.pk]
        style = self.po_style[customer.pk]
        if style == 0:
            return f"4500{(customer.pk * 7919 + seq * 131) % 1_000_000:06d}"
        if style == 1:
            return f"PO-{day:%y}{seq + 100:04d}"
        if style == 2:
            return f"{customer.code[:4]}-{day:%y%m}-{seq:03d}"
        return f"{day:%Y}/{seq + 20:03d}"

    def _revise(self, order: SalesOrder, plan: OrderPlan) -> None:
        line = order.lines.select_related("product").order_by("position").first()
        reason = self.rng.choice(data.REVISION_REASONS)
        if "Price" in reason:
            changes = {"unit_price": _dec(line.unit_price * Decimal("0.97"), "0.0001")}
        else:
            factor = Decimal("1.2") if "increased" in reason else Decimal("0.8")
            cartons = max(1, round(line.quantity * factor / line.product.units_per_carton))
            changes = {"quantity": Decimal(cartons * line.product.units_per_carton)}
        order_line_update(order=order, line=line, by=plan.customer.merchandiser, version=order.version,
                          reason=reason, **changes)

    def _shipping_note(self, day: date) -> str:
        vessel = self.rng.choice(data.VESSELS)
        return (f"Loaded 1 × 40HQ, {vessel} V.{self.rng.randint(100, 999)}E, ETD Ningbo {day:%Y-%m-%d}, "
                f"B/L NGB{self.rng.randint(10_000_000, 99_999_999)}.")


def _dec(value, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())
