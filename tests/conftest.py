import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from items.models import Issue
from tests import factories
from tests.fuzzing import plant_archive
from tests.migrated_state import restore_migration_rows
from tests.ordering import database_order
from tests.seed_data import SeedSnapshot, load_seeds

LOCAL_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def pytest_configure(config):
    # Every test empties the cache (empty_cache below): never let that reach a shared Redis,
    # as it would if DJANGO_SETTINGS_MODULE in the environment named the site's own settings.
    if settings.CACHES["default"]["BACKEND"] != LOCAL_CACHE:
        raise pytest.UsageError(
            f"The tests need a local-memory cache (digest_site.settings_test), not {settings.CACHES['default']}"
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the transactional tests after all others that use the database, as pytest-django means to.

    pytest-django sorts them so (tryfirst), but pytest then regroups tests by their session-scoped
    parameters (the browser tests' "chromium"), which put the browser tests, whose flush empties
    the tables, amid the others. A stable sort keeps pytest's grouping within each kind.
    """
    items.sort(key=database_order)


@pytest.fixture(autouse=True)
def migration_rows_in_transactional_tests(request):
    """Each transactional test starts with the rows data migrations made (sections, groups).

    pytest-django runs transactional tests last and empties every table after each one, so
    without this a transactional test would see what migrate made only if it happened to run
    first (on PostgreSQL the alert concurrency tests run before the export ones).
    """
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & set(request.fixturenames) or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
        restore_migration_rows()


@pytest.fixture(scope="session")
def seed_snapshot(django_db_setup, django_db_blocker):
    """The seed newsletters, loaded once per session (and rolled back): see tests/seed_data.py."""
    with django_db_blocker.unblock():
        return SeedSnapshot.capture()


@pytest.fixture
def seeds(seed_snapshot, db):
    """The five seed newsletters, as `make load-fixtures` loads them."""
    if connection.in_atomic_block:
        seed_snapshot.restore()
    else:
        # A transactional test commits and flushes: the plain load suits it (its rows' keys are its own).
        load_seeds()


@pytest.fixture
def archive(db, settings):
    """A published fine and a draft marked DRAFT_MARK (tests/fuzzing.py), both CAC's."""
    # Hundreds of requests in a row from one address: the CSV's throttle would answer most with a 429.
    settings.EXPORT_ANON_RATE = "100000/min"
    plant_archive()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached reads of one test's data never reach another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language, whatever language the last test's pages used."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def pending_imports_in_a_test_folder(settings, tmp_path):
    """Uploads waiting for an import's confirmation are kept in this test's own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "pending-imports", "base_url": None},
        },
    }


def make_staff_user(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username=username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    """A staff user in the Editors group (made by migration): may edit, may not publish."""
    return make_staff_user(django_user_model, "editor", "Editors")


@pytest.fixture
def publisher(django_user_model):
    """A staff user in the Publishers group: may also publish and withdraw."""
    return make_staff_user(django_user_model, "publisher", "Publishers")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def newsroom(db):
    """A small connected landscape: one published and one draft issue, each with an item and an action.

    Two series, two regulators and a topic used in both issues, so that every admin list filter
    has something to offer.
    """
    cac = factories.RegulatorFactory(
        name="Cyberspace Administration of China", abbreviation="CAC", slug="cac", name_zh="国家互联网信息办公室"
    )
    miit = factories.RegulatorFactory(
        name="Ministry of Industry and Information Technology", abbreviation="MIIT", slug="miit"
    )
    pipl = factories.InstrumentFactory(
        title="Personal Information Protection Law",
        short_title="PIPL",
        slug="pipl",
        kind="law",
        status="in_force",
        published_on=datetime.date(2021, 8, 20),
        effective_on=datetime.date(2021, 11, 1),
    )
    pipl.issuers.set([cac])
    app_rules = factories.InstrumentFactory(
        title="Provisions on Mobile Internet Applications", short_title="App Provisions", slug="app-provisions"
    )
    app_rules.issuers.set([miit])
    weekly = factories.SeriesFactory()
    monthly = factories.SeriesFactory(slug="monthly-update", name="Monthly Data Protection Update")
    topic = factories.TopicFactory(slug="facial-recognition", name="Facial recognition")
    violation = factories.ViolationFactory(slug="excessive-collection", name="Excessive collection")
    organisation = factories.OrganisationFactory(slug="example-real-estate", name="Example Real Estate Co., Ltd.")

    issue = factories.IssueFactory(series=weekly, number=229, title="Weekly Review No.229", slug="weekly-review-229")
    item = factories.NewsItemFactory(issue=issue, headline="CAC Fines a Real Estate Company")
    item.regulators.set([cac])
    item.instruments.set([pipl])
    item.topics.set([topic])
    source = factories.SourceFactory(news_item=item, label="CAC notice")
    action = factories.EnforcementActionFactory(news_item=item, organisation=organisation, sector="real_estate")
    action.regulators.set([cac])
    action.legal_basis.set([pipl])
    action.violations.set([violation])

    draft_issue = factories.IssueFactory(
        series=monthly, number=7, title="Monthly Update July", slug="monthly-update-7", status=Issue.Status.DRAFT
    )
    draft_item = factories.NewsItemFactory(issue=draft_issue, headline="MIIT Names Sixty Apps")
    draft_item.regulators.set([miit])
    draft_item.topics.set([topic])
    draft_action = factories.EnforcementActionFactory(
        news_item=draft_item, action_type="public_naming", target="60 apps", fine_amount=None, currency=""
    )
    draft_action.regulators.set([miit])

    return SimpleNamespace(
        cac=cac,
        miit=miit,
        pipl=pipl,
        app_rules=app_rules,
        weekly=weekly,
        monthly=monthly,
        topic=topic,
        violation=violation,
        organisation=organisation,
        issue=issue,
        item=item,
        source=source,
        action=action,
        draft_issue=draft_issue,
        draft_item=draft_item,
        draft_action=draft_action,
    )
