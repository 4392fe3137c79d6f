"""Runs at the same time, and a run killed with SIGKILL, on PostgreSQL (the production database).

Each run has its own database connection: threads (Django gives each thread its own) and real
`manage.py send_alerts` processes. SQLite serialises writers on one file and is not run
concurrently in production; its share (the sequential double run, and the race decided by the
unique constraint) is in test_send_alerts.py.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, connections

from alerts import services
from alerts.models import Delivery, SendStatus
from tests import factories
from tests.alerts.factories import SubscriberFactory, SubscriptionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent runs are tested on PostgreSQL"),
]

PROJECT = Path(__file__).resolve().parents[2]
READERS = 5


@pytest.fixture
def busy_site(transactional_db):
    """Committed data every connection sees: a published issue with a CAC item, and five readers
    who each follow new issues, CAC, and the item list filtered to CAC."""
    cac = factories.RegulatorFactory(slug="cac", abbreviation="CAC")
    item = factories.NewsItemFactory(headline="CAC Fines a Platform")
    item.regulators.set([cac])
    for number in range(READERS):
        reader = SubscriberFactory(email=f"reader{number}@example.com")
        SubscriptionFactory(subscriber=reader)
        SubscriptionFactory(subscriber=reader, kind="regulator", regulator=cac)
        SubscriptionFactory(subscriber=reader, kind="list", list_name="items", query_string="regulator=cac")


def run_in_threads(count, target):
    errors = []

    def run():
        try:
            target()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


@pytest.mark.parametrize("turns", ["taken by one run", "free for all"])
def test_concurrent_runs_send_each_match_once(busy_site, monkeypatch, turns):
    runs = 4
    barrier = threading.Barrier(runs, timeout=20)
    claim = services.claim

    def claim_together(*args):
        barrier.wait()  # every run has found the same new matches; now they all claim them
        return claim(*args)

    monkeypatch.setattr(services, "claim", claim_together)
    if turns == "free for all":
        # As if every run took the alert's turn: only the unique delivery rows stand in the way.
        monkeypatch.setattr(services, "take_turn", lambda subscription, now: True)
    run_in_threads(runs, lambda: services.send_alerts(base_url="http://testserver"))

    assert sorted(message.to[0] for message in mail.outbox) == [f"reader{n}@example.com" for n in range(READERS)]
    # Per reader: the issue, and the item once for each of the two alerts that match it.
    assert Delivery.objects.count() == READERS * 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {SendStatus.SENT}
    for message in mail.outbox:
        assert message.body.count("CAC Fines a Platform") == 1


def send_alerts_process(tmp_path, **env):
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "outbox"),
        "ALERT_SITE_URL": "http://testserver",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_alerts", "--verbosity", "0"],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def sent_emails(tmp_path):
    outbox = tmp_path / "outbox"
    if not outbox.exists():
        return []
    return [
        message
        for path in outbox.iterdir()
        for message in path.read_text().split("\n" + "-" * 79 + "\n")
        if message.strip()
    ]


def test_two_send_alerts_processes_at_once_send_each_match_once(busy_site, tmp_path):
    connections.close_all()  # the processes must see the committed rows, not wait on this test
    processes = [send_alerts_process(tmp_path) for _ in range(2)]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    assert len(sent_emails(tmp_path)) == READERS
    assert Delivery.objects.count() == READERS * 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {SendStatus.SENT}


def test_a_run_killed_with_sigkill_while_sending_is_never_sent_twice(busy_site, tmp_path):
    marker = tmp_path / "sending"
    process = send_alerts_process(
        tmp_path,
        EMAIL_BACKEND="tests.alerts.slow_email_backend.EmailBackend",
        ALERTS_SENDING_MARKER=str(marker),
        ALERTS_SEND_DELAY="60",
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), process.stderr.read().decode() if process.poll() is not None else "no send began"
    os.kill(process.pid, signal.SIGKILL)  # mid-send: claimed, the email not yet handed over
    process.wait(timeout=10)

    claimed = Delivery.objects.filter(status=SendStatus.CLAIMED)
    assert claimed.count() == 3  # the first reader's matches, claimed before the send began
    assert sent_emails(tmp_path) == []

    rerun = send_alerts_process(tmp_path)
    assert rerun.wait(timeout=120) == 0
    # The other four readers get their email; the killed one's claim is left alone (it may have
    # gone out), until the timeout turns it "interrupted" for an editor to see and send again.
    assert len(sent_emails(tmp_path)) == READERS - 1
    assert claimed.count() == 3
    (victim,) = {
        delivery.subscription.subscriber.email for delivery in claimed.select_related("subscription__subscriber")
    }
    assert all(victim not in message for message in sent_emails(tmp_path))
