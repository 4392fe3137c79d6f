"""The demo data generator: deterministic, the sizes asked for, valid rows, and a clean --clear."""

import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from items.demo_data import DEMO_PREFIX
from items.models import EnforcementAction, Issue, NewsItem, Organisation, PublicIdCounter, Source
from items.rendering import render_markdown
from items.services import deleted_records
from regulators.models import Instrument, Regulator

SIZES = {"items": 120, "actions": 70, "instruments": 40, "regulators": 30, "issues": 12, "organisations": 25}


def generate(*flags, **options):
    out = StringIO()
    call_command("generate_demo_data", *flags, **{**SIZES, "verbosity": 0, **options}, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot():
    """What must not change between two runs with the same seed, independent of database ids."""
    demo_regulators = Regulator.objects.filter(slug__startswith=DEMO_PREFIX).order_by("slug")
    demo_instruments = Instrument.objects.filter(slug__startswith=DEMO_PREFIX).order_by("slug")
    items = NewsItem.objects.order_by("issue__slug", "position")
    sources = Source.objects.order_by("news_item__issue__slug", "news_item__position", "footnote")
    return {
        "regulators": list(demo_regulators.values_list("slug", "abbreviation", "parent__slug")),
        "instruments": list(demo_instruments.values_list("slug", "status", "published_on", "comment_deadline")),
        "actions": list(
            EnforcementAction.objects.order_by("public_id").values_list(
                "public_id", "fine_amount", "currency", "target", "news_item__headline"
            )
        ),
        "items": list(items.values_list("issue__slug", "position", "headline", "headline_zh", "body")),
        "sources": list(sources.values_list("url", "footnote")),
    }


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_after_clear():
    generate(seed=7)
    first = snapshot()
    generate("--clear", seed=7)
    assert snapshot() == first
    generate("--clear", seed=8)
    assert snapshot()["actions"] != first["actions"]


@pytest.mark.django_db
def test_the_sizes_asked_for_are_created():
    generate()
    assert Regulator.objects.filter(slug__startswith=DEMO_PREFIX).count() == SIZES["regulators"]
    assert Instrument.objects.filter(slug__startswith=DEMO_PREFIX).count() == SIZES["instruments"]
    assert Organisation.objects.filter(slug__startswith=DEMO_PREFIX).count() == SIZES["organisations"]
    assert Issue.objects.filter(series__slug__startswith=DEMO_PREFIX).count() == SIZES["issues"]
    assert NewsItem.objects.count() == SIZES["items"]
    assert EnforcementAction.objects.count() == SIZES["actions"]
    # Every action is reported by an item; every issue has items; items have sources and topics.
    assert not EnforcementAction.objects.filter(news_item__isnull=True).exists()
    assert not Issue.objects.filter(items__isnull=True).exists()
    assert Source.objects.count() >= SIZES["items"] * 0.9
    assert not NewsItem.objects.filter(topics__isnull=True, section__slug="enforcement-developments").exists()


@pytest.mark.django_db
def test_issues_default_to_one_per_thirty_items():
    generate(issues=None, items=95, actions=10)
    assert Issue.objects.count() == 4


@pytest.mark.django_db
def test_public_ids_are_unique_numbered_by_year_and_later_saves_continue():
    generate()
    public_ids = list(EnforcementAction.objects.values_list("public_id", "decided_on"))
    assert len({public_id for public_id, _date in public_ids}) == len(public_ids)
    numbers_by_year = {}
    for public_id, decided_on in public_ids:
        year, number = re.fullmatch(r"EA-(\d{4})-(\d{4,})", public_id).groups()
        assert int(year) == decided_on.year
        numbers_by_year.setdefault(int(year), []).append(int(number))
    for year, numbers in numbers_by_year.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), year
        assert PublicIdCounter.objects.get(year=year).last_number == len(numbers)

    year = max(numbers_by_year)
    action = EnforcementAction(decided_on=datetime.date(year, 12, 31), action_type="warning", target="Later Co")
    action.save()
    assert action.public_id == f"EA-{year}-{len(numbers_by_year[year]) + 1:04d}"


@pytest.mark.django_db
def test_items_of_draft_and_withdrawn_issues_stay_unpublished():
    generate()
    unpublished = Issue.objects.exclude(status=Issue.Status.PUBLISHED)
    assert unpublished.filter(status=Issue.Status.DRAFT, items__isnull=False).exists()
    assert unpublished.filter(status=Issue.Status.WITHDRAWN).exists()
    published_items = NewsItem.objects.published()
    hidden_items = NewsItem.objects.filter(issue__in=unpublished)
    assert hidden_items.exists()
    assert not published_items.filter(pk__in=hidden_items).exists()
    assert published_items.count() + hidden_items.count() == NewsItem.objects.count()
    hidden_actions = EnforcementAction.objects.filter(news_item__issue__in=unpublished)
    assert not EnforcementAction.objects.published().filter(pk__in=hidden_actions).exists()
    assert not Issue.objects.published().filter(published_at__isnull=True).exists()


@pytest.mark.django_db
def test_generated_rows_pass_model_validation():
    generate()
    for instrument in Instrument.objects.order_by("pk"):
        instrument.full_clean()
        if instrument.status == Instrument.Status.DRAFT and instrument.comment_deadline:
            assert instrument.comment_deadline >= instrument.published_on
    assert Instrument.objects.filter(status=Instrument.Status.DRAFT, comment_deadline__isnull=False).exists()
    for model in (Regulator, Organisation, NewsItem, Source, EnforcementAction, Issue):
        for obj in model.objects.order_by("pk")[:40]:
            obj.full_clean()


@pytest.mark.django_db
def test_bodies_are_rendered_as_save_would_render_them():
    generate()
    for item in NewsItem.objects.all():
        assert item.body_html == render_markdown(item.body)
        assert item.body_zh_html == render_markdown(item.body_zh)
    for issue in Issue.objects.all():
        assert issue.summary_html == render_markdown(issue.summary)


@pytest.mark.django_db
def test_distributions_look_like_the_newsletters():
    generate(items=300, actions=200, regulators=60, issues=None, organisations=None)
    assert NewsItem.objects.exclude(headline_zh="").count() in range(30, 100)  # about a fifth bilingual
    actions = EnforcementAction.objects.all()
    fined = actions.filter(fine_amount__isnull=False)
    assert 0 < fined.count() < actions.count() / 2
    assert not fined.filter(currency="").exists()
    assert actions.filter(action_type__in=["rectification_order", "app_removal"], target_count__gt=1).exists()
    busiest = Counter(actions.values_list("regulators__slug", flat=True)).most_common(3)
    assert sum(count for _slug, count in busiest) > actions.count() / 3  # a few regulators do most
    assert Regulator.objects.filter(slug__startswith=DEMO_PREFIX, parent__isnull=False).exists()
    assert Regulator.objects.filter(slug__startswith=DEMO_PREFIX).exclude(jurisdiction__startswith="CN").exists()


@pytest.mark.django_db
def test_dry_run_creates_nothing():
    output = generate("--dry-run", verbosity=1)
    assert "Would create" in output
    assert f"{SIZES['items']} news items" in output
    assert not Regulator.objects.exists()
    assert not NewsItem.objects.exists()
    assert not EnforcementAction.objects.exists()
    assert not PublicIdCounter.objects.exists()


@pytest.mark.django_db
def test_generating_twice_without_clear_is_refused():
    generate()
    with pytest.raises(CommandError, match="--clear"):
        generate()


@pytest.mark.django_db
def test_a_failed_run_with_clear_keeps_the_old_demo_data():
    generate()
    first = snapshot()
    with pytest.raises(CommandError, match="regulators"):
        generate("--clear", regulators=100_000)
    assert snapshot() == first


@pytest.mark.django_db
def test_clear_removes_only_generated_data_and_regenerates_the_same():
    # The regulators, instruments and organisations of the seeds, and the issue with the highest
    # 2021 public id (EA-2021-0023).
    call_command("loaddata", "series", "landscape", "issue_bird_bird_2021_12", verbosity=0)
    before = {
        model: model.objects.count()
        for model in (Regulator, Instrument, Organisation, Issue, NewsItem, Source, EnforcementAction)
    }
    seed_regulators = set(Regulator.objects.values_list("slug", "abbreviation"))
    generate(seed=3)  # beside the fixtures: their abbreviations (CAC, MIIT…) stay theirs
    assert NewsItem.objects.count() == before[NewsItem] + SIZES["items"]
    first = snapshot()

    generate("--clear", seed=3)
    assert snapshot() == first

    output = generate("--clear-only", verbosity=1)
    assert "Deleted" in output
    assert {model: model.objects.count() for model in before} == before
    assert set(Regulator.objects.values_list("slug", "abbreviation")) == seed_regulators
    # The fixtures' own actions keep their ids, and numbering continues after them.
    action = EnforcementAction(decided_on=datetime.date(2021, 6, 1), action_type="warning", target="Later Co")
    action.save()
    assert action.public_id == "EA-2021-0024"


@pytest.mark.django_db
def test_every_generated_row_has_a_created_record_with_its_links():
    generate(seed=4)
    for model in (Regulator, Instrument, Organisation, Issue, NewsItem, Source, EnforcementAction):
        live = set(model.objects.values_list("pk", flat=True))
        created = model.history.filter(history_type="+", history_change_reason="Generated demo data")
        assert set(created.values_list("id", flat=True)) == live, model
        assert created.count() == len(live), model
    # The record holds the row as written, links included: what the admin's history shows and
    # what the recycle bin would restore from.
    action = EnforcementAction.objects.filter(regulators__isnull=False, violations__isnull=False).first()
    record = action.history.get()
    assert (record.public_id, record.fine_amount, record.news_item_id) == (
        action.public_id,
        action.fine_amount,
        action.news_item_id,
    )
    assert set(record.regulators.values_list("regulator_id", flat=True)) == set(
        action.regulators.values_list("pk", flat=True)
    )
    assert set(record.violations.values_list("violation_id", flat=True)) == set(
        action.violations.values_list("pk", flat=True)
    )
    item = NewsItem.objects.filter(topics__isnull=False).first()
    assert set(item.history.get().topics.values_list("topic_id", flat=True)) == set(
        item.topics.values_list("pk", flat=True)
    )
    instrument = Instrument.objects.filter(implements__isnull=False).first()
    assert set(instrument.history.get().implements.values_list("to_instrument_id", flat=True)) == set(
        instrument.implements.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_clear_removes_the_generated_rows_history_and_leaves_the_recycle_bin_empty():
    call_command("loaddata", "series", "landscape", "issue_bird_bird_2021_12", verbosity=0)
    kept = {model: model.history.count() for model in (Regulator, NewsItem, EnforcementAction)}
    generate(seed=5)
    generate("--clear-only")
    assert {model: model.history.count() for model in kept} == kept
    assert not NewsItem.history.filter(history_change_reason="Generated demo data").exists()
    for model in (Issue, NewsItem, EnforcementAction):
        assert list(deleted_records(model)) == []
