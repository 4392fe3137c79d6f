import re

import pytest
from django.core import mail
from django.core.management import call_command

from items.models import Issue
from tests import factories

URL = re.compile(r"https?://testserver(/alerts/[a-z]+/[^/\s\"<>]+/)")


def links_in(message, kind):
    """The paths of the /alerts/<kind>/… links in an email's plain-text part."""
    return [path for path in URL.findall(message.body) if path.startswith(f"/alerts/{kind}/")]


def run_alerts(*args):
    """One cron run of send_alerts, quiet; returns the emails it sent."""
    before = len(mail.outbox)
    call_command("send_alerts", "--verbosity", "0", "--site-url", "http://testserver", *args)
    return mail.outbox[before:]


@pytest.fixture
def published_issue(db):
    """A published issue with one item (CAC) and one fine (CAC), just published."""
    cac = factories.RegulatorFactory(slug="cac", abbreviation="CAC", name="Cyberspace Administration of China")
    issue = factories.IssueFactory(title="Weekly Review No.300", slug="weekly-review-300", number=300)
    item = factories.NewsItemFactory(issue=issue, headline="CAC Fines a Platform")
    item.regulators.set([cac])
    action = factories.EnforcementActionFactory(news_item=item, target="Platform Ltd")
    action.regulators.set([cac])
    return issue


@pytest.fixture
def draft_issue(db):
    issue = factories.IssueFactory(
        title="Secret Draft Issue", slug="secret-draft", number=301, status=Issue.Status.DRAFT
    )
    factories.NewsItemFactory(issue=issue, headline="Secret draft headline")
    return issue
