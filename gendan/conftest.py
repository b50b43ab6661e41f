"""Fixtures shared by every app's tests: one user per department (as STYLE.md §9)."""

import pytest

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory


@pytest.fixture
def make_user(db):
    def make(*roles: str, **fields):
        return UserFactory(roles=roles, **fields)

    return make


@pytest.fixture
def salesperson(make_user):
    return make_user(Role.SALES, username="sally")


@pytest.fixture
def other_salesperson(make_user):
    return make_user(Role.SALES, username="sam")


@pytest.fixture
def sales_manager(make_user):
    return make_user(Role.SALES_MANAGER, username="manny")


@pytest.fixture
def merchandiser(make_user):
    return make_user(Role.MERCHANDISER, username="mei")


@pytest.fixture
def other_merchandiser(make_user):
    return make_user(Role.MERCHANDISER, username="max")


@pytest.fixture
def general_manager(make_user):
    return make_user(Role.GENERAL_MANAGER, username="grace")


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE, username="fiona")


@pytest.fixture
def warehouse(make_user):
    return make_user(Role.WAREHOUSE, username="walt")


@pytest.fixture
def engineer(make_user):
    return make_user(Role.ENGINEERING, username="eddie")


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR, username="ada", is_staff=True)
