"""The admin login is throttled (django-axes): five wrong passwords lock a username from one address for an hour."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery"
LOCKOUT_TEXT = "Too many failed logins"


@pytest.fixture
def staff(django_user_model):
    return [
        django_user_model.objects.create_user(username=name, password=PASSWORD, is_staff=True)
        for name in ("editor", "publisher")
    ]


def log_in(client, username, password, address="127.0.0.1"):
    return client.post(f"{LOGIN_URL}?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail_five_times(client, username, address="127.0.0.1"):
    responses = [log_in(client, username, f"wrong guess {attempt}", address) for attempt in range(5)]
    assert all(response.status_code == 200 for response in responses[:4])  # the form again, with its error
    return responses[-1]


def test_throttling_is_configured_as_documented():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600


def test_a_right_password_logs_in(client, staff):
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_five_wrong_passwords_lock_the_username_and_the_right_one_is_then_refused(client, staff):
    fifth = fail_five_times(client, "editor")
    assert fifth.status_code == 429
    assert LOCKOUT_TEXT in fifth.content.decode()

    sixth = log_in(client, "editor", PASSWORD)
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert LOCKOUT_TEXT in page
    assert "After 5 failed attempts" in page
    assert "_auth_user_id" not in client.session
    assert not logged_in(sixth)


def test_four_wrong_passwords_do_not_lock(client, staff):
    for attempt in range(4):
        log_in(client, "editor", f"wrong guess {attempt}")
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_a_lock_holds_one_username_only(client, staff):
    fail_five_times(client, "editor")
    client.logout()
    assert logged_in(log_in(client, "publisher", PASSWORD))


def test_a_lock_holds_one_address_only(client, staff):
    fail_five_times(client, "editor", address="203.0.113.7")
    assert logged_in(log_in(client, "editor", PASSWORD, address="198.51.100.20"))


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, staff):
    fail_five_times(client, "editor")
    response = client.post(
        LOGIN_URL, {"username": "editor", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert response.status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, staff):
    fail_five_times(client, "editor")
    assert log_in(client, "editor", PASSWORD).status_code == 429
    # Time travel: the failed attempts were made an hour and a minute ago.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=1, minutes=1))
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_the_lock_does_not_lift_before_the_cool_off(client, staff):
    fail_five_times(client, "editor")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=59))
    assert log_in(client, "editor", PASSWORD).status_code == 429


def test_an_administrator_can_lift_the_lock_with_the_reset_command(client, staff):
    fail_five_times(client, "editor")
    call_command("axes_reset_username", "editor", verbosity=0)
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_a_successful_login_clears_earlier_failures(client, staff):
    for attempt in range(4):
        log_in(client, "editor", f"wrong guess {attempt}")
    assert logged_in(log_in(client, "editor", PASSWORD))
    client.logout()
    for attempt in range(4):
        log_in(client, "editor", f"wrong again {attempt}")
    assert logged_in(log_in(client, "editor", PASSWORD))
