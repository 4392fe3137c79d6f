"""Who may open what: every admin page, action, import and export, every public page, export and feed.

`EXPECTED` is the contract, written out as a table: one row per page, one column per kind of user,
the HTTP status each gets. A 302 for the anonymous visitor and the logged-in reader always leads to
the admin login. Beside the statuses, every page that lists things is read for the draft and
withdrawn content planted in `world()`: it must not appear, whoever asks. Only the draft and
withdrawn pages themselves show it, as a preview, to staff who may view issues.

Each row is one test that asks its page as each user in turn. The small world they look at is
built once for the module, inside a transaction that is rolled back at the end (as Django's
`setUpTestData` does); each test runs in a savepoint of it, so what one test changes, the next
does not see.
"""

import datetime
import logging
import re
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from alerts.models import DeadlineReminder, Delivery, StageNotice
from items import urls as items_urls
from items.models import Issue, Section
from regulators import urls as regulators_urls
from tests.alerts.factories import SubscriptionFactory
from tests.factories import (
    EnforcementActionFactory,
    InstrumentFactory,
    IssueFactory,
    NewsItemFactory,
    OrganisationFactory,
    RegulatorFactory,
    SeriesFactory,
    SourceFactory,
    TopicFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "reader", "staff", "editor", "publisher", "superuser")
OK, LOGIN, DENIED, MISSING = 200, 302, 403, 404
# Sent back to the record's change page with the reason (a published issue's row, for an editor).
SENT_BACK = 302

# Written so that no random token (a CSRF token, a hashed file name) can contain them by chance.
DRAFT_MARKER = "zetadraftmarker"
WITHDRAWN_MARKER = "omegawithdrawnmarker"
UNREPORTED_MARKER = "kappaunreportedmarker"
PREVIEW_BANNER = "Draft preview: this page is not public."

# fmt: off
EXPECTED = {
    # page                                           anonymous reader  staff   editor  publisher superuser
    "admin index":                                   (LOGIN, LOGIN, OK, OK, OK, OK),
    "admin regulators.regulator changelist":         (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.regulator add":                (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.regulator change":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.regulator delete":             (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin regulators.regulator history":            (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.regulator history-record":     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.regulator import":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.regulator export":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.instrument changelist":        (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.instrument add":               (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.instrument change":            (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.instrument delete":            (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin regulators.instrument history":           (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.instrument history-record":    (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.instrument import":            (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin regulators.instrument export":            (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue changelist":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue add":                         (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue change":                      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue delete":                      (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin items.issue history":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue history-record":              (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue import":                      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue export":                      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.issue import-newsletter":           (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.newsitem changelist":               (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.newsitem add":                      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.newsitem change":                   (LOGIN, LOGIN, DENIED, OK, OK, OK),
    # The item and action are a published issue's: deleting them is a publisher's act.
    "admin items.newsitem delete":                   (LOGIN, LOGIN, DENIED, SENT_BACK, OK, OK),
    "admin items.newsitem history":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.newsitem history-record":           (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.newsitem import":                   (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.newsitem export":                   (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.enforcementaction changelist":      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.enforcementaction add":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.enforcementaction change":          (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.enforcementaction delete":          (LOGIN, LOGIN, DENIED, SENT_BACK, OK, OK),
    "admin items.enforcementaction history":         (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.enforcementaction history-record":  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.enforcementaction import":          (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.enforcementaction export":          (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source changelist":                 (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source add":                        (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source change":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source delete":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source history":                    (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source history-record":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source import":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.source export":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.organisation changelist":           (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.organisation add":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.organisation change":               (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.organisation delete":               (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin items.organisation history":              (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.organisation history-record":       (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.organisation import":               (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.organisation export":               (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.series changelist":                 (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.series add":                        (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.series change":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.series delete":                     (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin items.series history":                    (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.series history-record":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.series import":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.series export":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.section changelist":                (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.section add":                       (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.section change":                    (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.section delete":                    (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin items.section history":                   (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.section history-record":            (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.section import":                    (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.section export":                    (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.topic changelist":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.topic add":                         (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.topic change":                      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.topic delete":                      (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin items.topic history":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.topic history-record":              (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.topic import":                      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.topic export":                      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.violation changelist":              (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.violation add":                     (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.violation change":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.violation delete":                  (LOGIN, LOGIN, DENIED, DENIED, OK, OK),
    "admin items.violation history":                 (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.violation history-record":          (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.violation import":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin items.violation export":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    # Readers' alerts and the send log: editors and publishers read them, nobody adds by hand,
    # only the superuser deletes (subscribers' addresses are personal data).
    "admin alerts.subscriber changelist":            (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.subscriber add":                   (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin alerts.subscriber change":                (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.subscriber delete":                (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin alerts.subscriber history":               (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.subscription changelist":          (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.subscription add":                 (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin alerts.subscription change":              (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.subscription delete":              (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin alerts.subscription history":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.delivery changelist":              (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.delivery add":                     (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin alerts.delivery change":                  (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.delivery delete":                  (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin alerts.delivery history":                 (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.deadlinereminder changelist":      (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.deadlinereminder add":             (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin alerts.deadlinereminder change":          (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.deadlinereminder delete":          (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin alerts.deadlinereminder history":         (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.stagenotice changelist":         (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.stagenotice add":                (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin alerts.stagenotice change":             (LOGIN, LOGIN, DENIED, OK, OK, OK),
    "admin alerts.stagenotice delete":             (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin alerts.stagenotice history":            (LOGIN, LOGIN, DENIED, OK, OK, OK),
    # Accounts and the login throttle's records are the superuser's alone.
    "admin auth.user changelist":                    (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.user add":                           (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.user change":                        (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.user delete":                        (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.user history":                       (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.group changelist":                   (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.group add":                          (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.group change":                       (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.group delete":                       (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin auth.group history":                      (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessattempt changelist":           (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessattempt add":                  (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin axes.accessattempt change":               (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessattempt delete":               (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessattempt history":              (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accesslog changelist":               (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accesslog add":                      (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin axes.accesslog change":                   (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accesslog delete":                   (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accesslog history":                  (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessfailurelog changelist":        (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessfailurelog add":               (LOGIN, LOGIN, DENIED, DENIED, DENIED, DENIED),
    "admin axes.accessfailurelog change":            (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessfailurelog delete":            (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    "admin axes.accessfailurelog history":           (LOGIN, LOGIN, DENIED, DENIED, DENIED, OK),
    # The public site: the same for everyone, except the draft, withdrawn and unreported records,
    # which only staff who may view issues see (as a preview).
    "home":                                          (OK, OK, OK, OK, OK, OK),
    "issue archive":                                 (OK, OK, OK, OK, OK, OK),
    "published issue":                               (OK, OK, OK, OK, OK, OK),
    "draft issue":                                   (MISSING, MISSING, MISSING, OK, OK, OK),
    "withdrawn issue":                               (MISSING, MISSING, MISSING, OK, OK, OK),
    "item list":                                     (OK, OK, OK, OK, OK, OK),
    "item list filtered by a draft-only topic":      (OK, OK, OK, OK, OK, OK),
    "published item":                                (OK, OK, OK, OK, OK, OK),
    "draft item":                                    (MISSING, MISSING, MISSING, OK, OK, OK),
    "withdrawn item":                                (MISSING, MISSING, MISSING, OK, OK, OK),
    "search for draft words":                        (OK, OK, OK, OK, OK, OK),
    "search for withdrawn words":                    (OK, OK, OK, OK, OK, OK),
    "enforcement list":                              (OK, OK, OK, OK, OK, OK),
    "enforcement list of a draft-only organisation": (OK, OK, OK, OK, OK, OK),
    "published action":                              (OK, OK, OK, OK, OK, OK),
    "enforcement statistics":                        (OK, OK, OK, OK, OK, OK),
    "enforcement report, every year":                (OK, OK, OK, OK, OK, OK),
    "enforcement report of the action's year":       (OK, OK, OK, OK, OK, OK),
    "enforcement report table (CSV)":                (OK, OK, OK, OK, OK, OK),
    "enforcement report table of a year (CSV)":      (OK, OK, OK, OK, OK, OK),
    "organisation list":                             (OK, OK, OK, OK, OK, OK),
    "organisation of the published action":          (OK, OK, OK, OK, OK, OK),
    "organisation named only in drafts":             (MISSING, MISSING, MISSING, MISSING, MISSING, MISSING),
    "recent changes":                                (OK, OK, OK, OK, OK, OK),
    "recent changes feed rss":                       (OK, OK, OK, OK, OK, OK),
    "draft action":                                  (MISSING, MISSING, MISSING, OK, OK, OK),
    "withdrawn action":                              (MISSING, MISSING, MISSING, OK, OK, OK),
    "unreported action":                             (MISSING, MISSING, MISSING, OK, OK, OK),
    "regulator list":                                (OK, OK, OK, OK, OK, OK),
    "regulator named only in drafts":                (OK, OK, OK, OK, OK, OK),
    "regulator of the published issue":              (OK, OK, OK, OK, OK, OK),
    "instrument list":                               (OK, OK, OK, OK, OK, OK),
    "consultations":                                 (OK, OK, OK, OK, OK, OK),
    "instrument cited only in drafts":               (OK, OK, OK, OK, OK, OK),
    "instrument calendar":                           (OK, OK, OK, OK, OK, OK),
    "instrument feed rss":                           (OK, OK, OK, OK, OK, OK),
    "instrument feed atom":                          (OK, OK, OK, OK, OK, OK),
    "instrument family feed":                        (OK, OK, OK, OK, OK, OK),
    "instrument comparison":                         (OK, OK, OK, OK, OK, OK),
    "sitemap":                                       (OK, OK, OK, OK, OK, OK),
    "issue feed rss":                                (OK, OK, OK, OK, OK, OK),
    "issue feed atom":                               (OK, OK, OK, OK, OK, OK),
    "item feed rss":                                 (OK, OK, OK, OK, OK, OK),
    "item feed atom":                                (OK, OK, OK, OK, OK, OK),
    "enforcement feed rss":                          (OK, OK, OK, OK, OK, OK),
    "enforcement feed atom":                         (OK, OK, OK, OK, OK, OK),
    "enforcement csv":                               (OK, OK, OK, OK, OK, OK),
    # Staff exports: logged-in readers and staff without the right to view issues are refused.
    "staff csv of the archive":                      (LOGIN, DENIED, DENIED, OK, OK, OK),
    "staff csv of the published issue":              (LOGIN, DENIED, DENIED, OK, OK, OK),
    "staff csv of the draft issue":                  (LOGIN, DENIED, DENIED, OK, OK, OK),
    "staff csv of the withdrawn issue":              (LOGIN, DENIED, DENIED, OK, OK, OK),
}

# The issue's status after each user runs the action on a draft (publish) or a published issue
# (withdraw): only publishers and the superuser may.
ACTIONS_EXPECTED = {
    # action              anonymous  reader     staff      editor     publisher    superuser
    "publish_selected":  ("draft", "draft", "draft", "draft", "published", "published"),
    "withdraw_selected": ("published", "published", "published", "published", "withdrawn", "withdrawn"),
}
# The changelist redirects back after an action; an editor, who has no action to choose, gets the list again.
ACTION_STATUS_EXPECTED = (LOGIN, LOGIN, DENIED, OK, LOGIN, LOGIN)
# fmt: on

# Pages that show the draft or withdrawn content on purpose, to those allowed to preview or export it.
SHOWS_HIDDEN_CONTENT = {
    "draft issue",
    "withdrawn issue",
    "draft item",
    "withdrawn item",
    "draft action",
    "withdrawn action",
    "unreported action",
    "staff csv of the draft issue",
    "staff csv of the withdrawn issue",
}
PREVIEWS = SHOWS_HIDDEN_CONTENT - {"staff csv of the draft issue", "staff csv of the withdrawn issue"}


def build_world():
    """One published, one draft and one withdrawn issue (each with an item, a source and an action),
    an action no item reports, and one user of each kind."""
    cac = RegulatorFactory(name="Cyberspace Administration of China", abbreviation="CAC", slug="cac")
    miit = RegulatorFactory(name="Ministry of Industry and Information Technology", abbreviation="MIIT", slug="miit")
    pipl = InstrumentFactory(title="Personal Information Protection Law", short_title="PIPL", slug="pipl")
    app_rules = InstrumentFactory(
        title="Provisions on Mobile Apps",
        short_title="App Provisions",
        slug="app-rules",
        text_en="Article 1 Apps shall obtain consent.\nArticle 2 Apps shall allow deletion.",
    )
    app_rules_draft = InstrumentFactory(
        title="Provisions on Mobile Apps (Draft)",
        slug="app-rules-draft",
        text_en="Article 1 Apps shall obtain consent.",
    )
    app_rules.supersedes.add(app_rules_draft)
    weekly = SeriesFactory()
    topic = TopicFactory(slug="apps", name="Apps")
    hidden_topic = TopicFactory(slug="hidden-topic", name=f"Topic {DRAFT_MARKER}")
    violation = ViolationFactory(slug="no-consent", name="No consent")
    organisation = OrganisationFactory(slug="example-co", name="Example Co")
    hidden_organisation = OrganisationFactory(slug="hidden-co", name=f"Company {DRAFT_MARKER}")
    section = Section.objects.get(slug="domestic-news")
    section.save()  # made by a migration, which keeps no history: give it a first record

    def issue_with_content(status, number, marker, organisation, topic, regulator, instrument):
        text = f" {marker}" if marker else ""
        issue = IssueFactory(
            series=weekly, number=number, status=status, title=f"Weekly Review No.{number}{text}", summary=text
        )
        item = NewsItemFactory(issue=issue, headline=f"Regulator acts{text}", body=f"Body{text}")
        item.regulators.set([regulator])
        item.instruments.set([instrument])
        item.topics.set([topic])
        source = SourceFactory(news_item=item, label=f"Notice{text}")
        action = EnforcementActionFactory(news_item=item, target=f"Target{text}", organisation=organisation)
        action.regulators.set([regulator])
        action.legal_basis.set([instrument])
        action.violations.set([violation])
        return issue, item, source, action

    issue, item, source, action = issue_with_content(Issue.Status.PUBLISHED, 229, "", organisation, topic, cac, pipl)
    draft_issue, draft_item, _, draft_action = issue_with_content(
        Issue.Status.DRAFT, 230, DRAFT_MARKER, hidden_organisation, hidden_topic, miit, app_rules
    )
    withdrawn_issue, withdrawn_item, _, withdrawn_action = issue_with_content(
        Issue.Status.WITHDRAWN, 231, WITHDRAWN_MARKER, hidden_organisation, hidden_topic, miit, app_rules
    )
    unreported_action = EnforcementActionFactory(news_item=None, target=f"Target {UNREPORTED_MARKER}")
    unreported_action.regulators.set([cac])

    access = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "test"}
    users = {"anonymous": None}
    users["reader"] = User.objects.create_user("reader", password="pw")
    users["staff"] = User.objects.create_user("staff", password="pw", is_staff=True)
    for name, group in [("editor", "Editors"), ("publisher", "Publishers")]:
        users[name] = User.objects.create_user(name, password="pw", is_staff=True)
        users[name].groups.add(Group.objects.get(name=group))
    users["superuser"] = User.objects.create_superuser("superuser", password="pw")
    return SimpleNamespace(
        users=users,
        records={
            "regulators.regulator": cac,
            "regulators.instrument": pipl,
            "items.issue": issue,
            "items.newsitem": item,
            "items.enforcementaction": action,
            "items.source": source,
            "items.organisation": organisation,
            "items.series": weekly,
            "items.section": section,
            "items.topic": topic,
            "items.violation": violation,
            "auth.user": users["reader"],
            "auth.group": Group.objects.get(name="Editors"),
            "axes.accessattempt": AccessAttempt.objects.create(**access, failures_since_start=1),
            **alert_records(pipl),
            "axes.accesslog": AccessLog.objects.create(**access),
            "axes.accessfailurelog": AccessFailureLog.objects.create(**access),
        },
        issue=issue,
        item=item,
        action=action,
        draft_issue=draft_issue,
        draft_item=draft_item,
        draft_action=draft_action,
        withdrawn_issue=withdrawn_issue,
        withdrawn_item=withdrawn_item,
        withdrawn_action=withdrawn_action,
        unreported_action=unreported_action,
        hidden_topic=hidden_topic,
        hidden_organisation=hidden_organisation,
        cac=cac,
        miit=miit,
        app_rules=app_rules,
        hidden_texts=[
            DRAFT_MARKER,
            WITHDRAWN_MARKER,
            UNREPORTED_MARKER,
            *(record.public_id for record in (draft_action, withdrawn_action, unreported_action)),
        ],
        hidden_urls=[
            record.get_absolute_url()
            for record in (draft_issue, draft_item, draft_action, withdrawn_issue, withdrawn_item, withdrawn_action)
        ]
        + [unreported_action.get_absolute_url()],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            w = build_world()
            # One logged-in client per user, kept for the module: logging in is most of a request's cost.
            w.clients = {name: Client() for name in USERS}
            for name, user in w.users.items():
                if user is not None:
                    w.clients[name].force_login(user)
            # A refused request logs its traceback; hundreds of them are expected here.
            request_log = logging.getLogger("django.request")
            level = request_log.level
            request_log.setLevel(logging.ERROR)
            yield w
            request_log.setLevel(level)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def alert_records(instrument):
    """A confirmed reader following new issues, one sent delivery, deadline reminder and stage notice."""
    subscription = SubscriptionFactory()
    subscriber = subscription.subscriber
    logged = {"claim_token": "matrix", "claimed_at": timezone.now(), "status": "sent"}
    delivery = Delivery.objects.create(
        subscription=subscription, content_type=ContentType.objects.get_for_model(Issue), object_id=1, **logged
    )
    reminder = DeadlineReminder.objects.create(
        subscriber=subscriber, instrument=instrument, comment_deadline=datetime.date(2021, 5, 26), **logged
    )
    notice = StageNotice.objects.create(
        subscriber=subscriber, instrument=instrument, stage="in_force", stage_key="in_force", **logged
    )
    return {
        "alerts.subscriber": subscriber,
        "alerts.subscription": subscription,
        "alerts.delivery": delivery,
        "alerts.deadlinereminder": reminder,
        "alerts.stagenotice": notice,
    }


def admin_page_url(w, page):
    if page == "admin index":
        return reverse("admin:index")
    _admin, label, view = page.split(" ")
    app_label, model_name = label.split(".")
    name = f"admin:{app_label}_{model_name}"
    record = w.records[label]
    if view in ("changelist", "add", "import", "export"):
        return reverse(f"{name}_{view}")
    if view == "import-newsletter":
        return reverse("admin:items_issue_import_newsletter")
    if view == "history-record":
        return reverse(f"{name}_simple_history", args=[record.pk, record.history.latest().history_id])
    return reverse(f"{name}_{view}", args=[record.pk])


def export_url(issue):
    return f"{issue.get_absolute_url()}export.csv"


PUBLIC_URLS = {
    "home": lambda w: "/",
    "issue archive": lambda w: "/issues/",
    "published issue": lambda w: w.issue.get_absolute_url(),
    "draft issue": lambda w: w.draft_issue.get_absolute_url(),
    "withdrawn issue": lambda w: w.withdrawn_issue.get_absolute_url(),
    "item list": lambda w: "/items/",
    "item list filtered by a draft-only topic": lambda w: f"/items/?topic={w.hidden_topic.slug}",
    "published item": lambda w: w.item.get_absolute_url(),
    "draft item": lambda w: w.draft_item.get_absolute_url(),
    "withdrawn item": lambda w: w.withdrawn_item.get_absolute_url(),
    "search for draft words": lambda w: f"/search/?q={DRAFT_MARKER}",
    "search for withdrawn words": lambda w: f"/search/?q={WITHDRAWN_MARKER}",
    "enforcement list": lambda w: "/enforcement/",
    "enforcement list of a draft-only organisation": lambda w: (
        f"/enforcement/?organisation={w.hidden_organisation.slug}"
    ),
    "published action": lambda w: w.action.get_absolute_url(),
    "enforcement statistics": lambda w: "/enforcement/stats/",
    "enforcement report, every year": lambda w: "/enforcement/report/",
    "enforcement report of the action's year": lambda w: f"/enforcement/report/{report_year(w)}/",
    "enforcement report table (CSV)": lambda w: "/enforcement/report/organisations.csv",
    "enforcement report table of a year (CSV)": lambda w: f"/enforcement/report/{report_year(w)}/largest-fines.csv",
    "organisation list": lambda w: "/organisations/",
    "organisation of the published action": lambda w: f"/organisations/{w.action.organisation.slug}/",
    "organisation named only in drafts": lambda w: f"/organisations/{w.hidden_organisation.slug}/",
    "recent changes": lambda w: "/changes/",
    "recent changes feed rss": lambda w: "/changes/feed/rss/",
    "draft action": lambda w: w.draft_action.get_absolute_url(),
    "withdrawn action": lambda w: w.withdrawn_action.get_absolute_url(),
    "unreported action": lambda w: w.unreported_action.get_absolute_url(),
    "regulator list": lambda w: "/regulators/",
    "regulator named only in drafts": lambda w: w.miit.get_absolute_url(),
    "regulator of the published issue": lambda w: w.cac.get_absolute_url(),
    "instrument list": lambda w: "/instruments/",
    "consultations": lambda w: "/instruments/consultations/",
    "instrument cited only in drafts": lambda w: w.app_rules.get_absolute_url(),
    "instrument calendar": lambda w: "/instruments/calendar.ics",
    "instrument feed rss": lambda w: "/instruments/feed/rss/",
    "instrument feed atom": lambda w: "/instruments/feed/atom/",
    "instrument family feed": lambda w: f"{w.app_rules.get_absolute_url()}feed/",
    "instrument comparison": lambda w: f"{w.app_rules.get_absolute_url()}compare/app-rules-draft/",
    "sitemap": lambda w: "/sitemap.xml",
    "issue feed rss": lambda w: "/feeds/issues/rss/",
    "issue feed atom": lambda w: "/feeds/issues/atom/",
    "item feed rss": lambda w: "/items/feed/rss/",
    "item feed atom": lambda w: "/items/feed/atom/",
    "enforcement feed rss": lambda w: "/enforcement/feed/rss/",
    "enforcement feed atom": lambda w: "/enforcement/feed/atom/",
    "enforcement csv": lambda w: "/enforcement/export.csv",
    "staff csv of the archive": lambda w: "/issues/export.csv",
    "staff csv of the published issue": lambda w: export_url(w.issue),
    "staff csv of the draft issue": lambda w: export_url(w.draft_issue),
    "staff csv of the withdrawn issue": lambda w: export_url(w.withdrawn_issue),
}


def page_url(w, page):
    return PUBLIC_URLS[page](w) if page in PUBLIC_URLS else admin_page_url(w, page)


def report_year(w):
    """The year of the published action (the draft and withdrawn ones planted beside it share it)."""
    return w.action.decided_on.year if w.action.decided_on else 2021


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def without_search_words(text, url):
    """The page without the places that repeat the words searched for (the title, the form, links,
    the chip of the filter in use)."""
    words = url.partition("?q=")[2]
    if not words:
        return text
    text = re.sub(r"<title>.*?</title>", "", text, flags=re.DOTALL)
    text = re.sub(r'(<span class="chip-label">[^<]*</span>) ' + re.escape(words), r"\1", text)
    return text.replace(f'value="{words}"', "").replace(f"q={words}", "")


def hidden_content_in(w, text):
    """The planted draft, withdrawn and unreported texts and links that appear in `text`."""
    found = [marker for marker in w.hidden_texts if marker.lower() in text.lower()]
    found += [url for url in w.hidden_urls if re.search(re.escape(url) + r"[\"<\s]", text)]
    return found


@pytest.mark.parametrize(("page", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_who_may_open_the_page(world, page, expected):
    w = world
    url = page_url(w, page)
    statuses, leaks, missing_banners = {}, {}, []
    for name in USERS:
        response = w.clients[name].get(url)
        statuses[name] = response.status_code
        if response.status_code == LOGIN and name in ("anonymous", "reader"):
            assert response["Location"].startswith("/admin/login/"), (name, response["Location"])
        elif response.status_code == SENT_BACK and page.endswith(" delete"):
            assert response["Location"] == url.replace("/delete/", "/change/"), (name, response["Location"])
        if response.status_code != OK or page.startswith("admin "):
            continue
        text = without_search_words(body_of(response), url)
        found = hidden_content_in(w, text)
        if page not in SHOWS_HIDDEN_CONTENT and found:
            leaks[name] = found
        if page in SHOWS_HIDDEN_CONTENT:
            assert found, f"{page} as {name} should show the hidden record (else the leak check sees nothing)"
        if page in PREVIEWS and PREVIEW_BANNER not in text:
            missing_banners.append(name)
    assert statuses == dict(zip(USERS, expected, strict=True))
    assert leaks == {}, "unpublished content shown on a public page"
    assert missing_banners == [], "a draft shown without the preview banner"


@pytest.mark.parametrize(("action", "expected"), ACTIONS_EXPECTED.items(), ids=list(ACTIONS_EXPECTED))
def test_who_may_publish_and_withdraw(world, action, expected):
    w = world
    start = Issue.Status.DRAFT if action == "publish_selected" else Issue.Status.PUBLISHED
    statuses, outcomes = {}, {}
    for name in USERS:
        issue = IssueFactory(series=w.issue.series, status=start)
        NewsItemFactory(issue=issue)
        response = w.clients[name].post(
            reverse("admin:items_issue_changelist"),
            # "post": the confirmed publish, as sent from its confirmation page.
            {"action": action, "_selected_action": [issue.pk], "index": "0", "select_across": "0", "post": "yes"},
        )
        statuses[name] = response.status_code
        issue.refresh_from_db()
        outcomes[name] = issue.status
    assert statuses == dict(zip(USERS, ACTION_STATUS_EXPECTED, strict=True))
    assert outcomes == dict(zip(USERS, expected, strict=True))


# Admin models that arrived while this table was written, with work still under way; their rows
# belong with that work. Any other model added to the admin fails the test below until it has rows.
NOT_YET_IN_TABLE = set()


def test_the_table_covers_every_model_in_the_admin_and_every_public_url():
    registered = {model._meta.label_lower for model in admin.site._registry}
    in_table = {page.split(" ")[1] for page in EXPECTED if page.startswith("admin ") and page != "admin index"}
    assert in_table == registered - NOT_YET_IN_TABLE
    assert {page for page in EXPECTED if not page.startswith("admin ")} == set(PUBLIC_URLS)


def test_the_table_covers_every_public_url_pattern(world):
    named = {
        f"{namespace}:{pattern.name}"
        for namespace, module in [("items", items_urls), ("regulators", regulators_urls)]
        for pattern in module.urlpatterns
    }
    covered = {resolve(PUBLIC_URLS[page](world).partition("?")[0]).view_name for page in PUBLIC_URLS}
    assert named - covered == set()
