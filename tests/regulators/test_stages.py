"""The public stage of an instrument follows from its facts as of a day, in Python and in SQL alike."""

import datetime

import pytest

from regulators.models import Instrument
from regulators.stages import Stage, open_for_comment, stage
from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db

day = datetime.date


def stage_in_sql(instrument, today):
    return Instrument.objects.with_stage(today).values_list("stage", flat=True).get(pk=instrument.pk)


def stage_everywhere(instrument, today):
    """The stage as the page (Python) and as filters and counts (SQL) see it; they must agree."""
    instrument = Instrument.objects.prefetch_related("superseded_by", "amended_by", "repealed_by").get(pk=instrument.pk)
    python = stage(instrument, today).code
    assert stage_in_sql(instrument, today) == python, (instrument.slug, today)
    return python


def test_a_draft_walks_through_every_stage_of_its_family_as_the_days_pass():
    draft = InstrumentFactory(
        slug="draft-rules",
        status="draft",
        published_on=day(2021, 11, 14),
        comment_deadline=day(2021, 12, 13),
    )
    final = InstrumentFactory(
        slug="final-rules", status="final", adopted_on=day(2024, 9, 24), effective_on=day(2025, 1, 1)
    )
    final.supersedes.add(draft)
    amending = InstrumentFactory(slug="amending-decision", status="final", effective_on=day(2026, 3, 1))
    amending.amends.add(final)
    repealing = InstrumentFactory(slug="repealing-law", status="final", effective_on=day(2027, 1, 1))
    repealing.repeals.add(final)

    walk = {
        day(2021, 11, 1): (Stage.DRAFT, Stage.ADOPTED),  # released later; the final not yet out
        day(2021, 11, 14): (Stage.OPEN, Stage.ADOPTED),
        day(2021, 12, 13): (Stage.OPEN, Stage.ADOPTED),  # the deadline day itself is open
        day(2021, 12, 14): (Stage.CLOSED, Stage.ADOPTED),
        day(2024, 9, 23): (Stage.CLOSED, Stage.ADOPTED),
        day(2024, 9, 24): (Stage.SUPERSEDED, Stage.ADOPTED),  # the final text is out
        day(2024, 12, 31): (Stage.SUPERSEDED, Stage.ADOPTED),
        day(2025, 1, 1): (Stage.SUPERSEDED, Stage.IN_FORCE),
        day(2026, 3, 1): (Stage.SUPERSEDED, Stage.AMENDED),
        day(2027, 1, 1): (Stage.SUPERSEDED, Stage.REPEALED),
    }
    for today, (draft_stage, final_stage) in walk.items():
        assert (stage_everywhere(draft, today), stage_everywhere(final, today)) == (draft_stage, final_stage), today
    draft_now = stage(Instrument.objects.get(pk=draft.pk), day(2025, 1, 1))
    assert draft_now.by == final and str(draft_now.label) == "superseded"


def test_a_deadline_known_to_the_month_closes_at_that_months_end():
    draft = InstrumentFactory(
        status="draft",
        published_on=day(2022, 1, 5),
        comment_deadline=day(2022, 2, 1),
        comment_deadline_precision="month",
    )
    assert stage_everywhere(draft, day(2022, 2, 28)) == Stage.OPEN
    assert stage_everywhere(draft, day(2022, 3, 1)) == Stage.CLOSED


def test_a_deadline_known_to_the_year_closes_at_that_years_end():
    draft = InstrumentFactory(status="draft", comment_deadline=day(2022, 1, 1), comment_deadline_precision="year")
    assert stage_everywhere(draft, day(2022, 12, 31)) == Stage.OPEN
    assert stage_everywhere(draft, day(2023, 1, 1)) == Stage.CLOSED


def test_an_effective_date_known_to_the_month_counts_as_come_on_that_months_last_day():
    rules = InstrumentFactory(status="final", effective_on=day(2022, 7, 1), effective_on_precision="month")
    assert stage_everywhere(rules, day(2022, 7, 15)) == Stage.ADOPTED
    assert stage_everywhere(rules, day(2022, 7, 31)) == Stage.IN_FORCE


def test_a_year_precise_adoption_of_a_final_version_supersedes_the_draft_once_that_year_is_over():
    draft = InstrumentFactory(status="draft", comment_deadline=day(2020, 6, 1))
    final = InstrumentFactory(status="final", adopted_on=day(2021, 1, 1), adopted_on_precision="year")
    final.supersedes.add(draft)
    assert stage_everywhere(draft, day(2021, 6, 1)) == Stage.CLOSED
    assert stage_everywhere(draft, day(2021, 12, 31)) == Stage.SUPERSEDED


def test_a_final_text_without_an_effective_date_is_in_force_once_adopted():
    undated = InstrumentFactory(status="final")
    adopted_later = InstrumentFactory(status="final", adopted_on=day(2030, 5, 1))
    assert stage_everywhere(undated, day(2021, 1, 1)) == Stage.IN_FORCE
    assert stage_everywhere(adopted_later, day(2030, 4, 30)) == Stage.ADOPTED
    assert stage_everywhere(adopted_later, day(2030, 5, 1)) == Stage.IN_FORCE


def test_a_draft_without_a_deadline_reads_as_a_draft_and_a_withdrawn_one_as_withdrawn():
    assert stage_everywhere(InstrumentFactory(status="draft"), day(2022, 1, 1)) == Stage.DRAFT
    withdrawn = InstrumentFactory(status="withdrawn", comment_deadline=day(2030, 1, 1))
    assert stage_everywhere(withdrawn, day(2022, 1, 1)) == Stage.WITHDRAWN


def test_a_second_draft_supersedes_the_first_when_it_is_published_and_several_drafts_lead_to_one_final():
    first = InstrumentFactory(status="draft", published_on=day(2021, 1, 1), comment_deadline=day(2021, 2, 1))
    second = InstrumentFactory(status="draft", published_on=day(2021, 6, 1), comment_deadline=day(2021, 7, 1))
    second.supersedes.add(first)
    final = InstrumentFactory(status="final", adopted_on=day(2022, 1, 1), effective_on=day(2022, 3, 1))
    final.supersedes.add(first, second)
    assert stage_everywhere(first, day(2021, 5, 31)) == Stage.CLOSED
    assert stage_everywhere(first, day(2021, 6, 1)) == Stage.SUPERSEDED
    assert stage(Instrument.objects.get(pk=first.pk), day(2021, 6, 1)).by == second
    assert stage_everywhere(second, day(2021, 6, 15)) == Stage.OPEN
    assert stage_everywhere(second, day(2022, 1, 1)) == Stage.SUPERSEDED


def test_an_old_version_stays_in_force_until_the_new_one_is():
    old = InstrumentFactory(status="final", effective_on=day(2017, 6, 1))
    new = InstrumentFactory(status="final", adopted_on=day(2025, 10, 28), effective_on=day(2026, 1, 1))
    new.supersedes.add(old)
    assert stage_everywhere(old, day(2025, 12, 31)) == Stage.IN_FORCE
    assert stage_everywhere(old, day(2026, 1, 1)) == Stage.SUPERSEDED


def test_a_withdrawn_later_version_supersedes_nothing():
    draft = InstrumentFactory(status="draft", comment_deadline=day(2021, 2, 1))
    InstrumentFactory(status="withdrawn").supersedes.add(draft)
    assert stage_everywhere(draft, day(2022, 1, 1)) == Stage.CLOSED


TODAYS = [
    day(2020, 12, 31),
    day(2021, 4, 20),
    day(2021, 5, 31),
    day(2021, 12, 13),
    day(2022, 1, 1),
    day(2022, 7, 31),
    day(2024, 9, 24),
    day(2025, 1, 1),
    day(2026, 12, 7),
]


def test_the_sql_stage_agrees_with_the_python_stage_on_every_fixture_instrument(seeds):
    instruments = list(Instrument.objects.prefetch_related("superseded_by", "amended_by", "repealed_by"))
    assert len(instruments) > 50
    for today in TODAYS:
        in_sql = dict(Instrument.objects.with_stage(today).values_list("slug", "stage"))
        in_python = {instrument.slug: stage(instrument, today).code for instrument in instruments}
        assert in_sql == in_python, today


def test_the_home_pages_open_drafts_are_exactly_those_the_stage_calls_open(seeds):
    # open_for_comment() is the OPEN branch of with_stage() alone, cheaper to compile.
    for today in TODAYS:
        everything = Instrument.objects.with_stage(today)
        expected = set(everything.filter(stage=Stage.OPEN).values_list("slug", flat=True))
        assert set(open_for_comment(Instrument.objects.all(), today).values_list("slug", flat=True)) == expected, today
    opened = set()
    for today in TODAYS:
        opened |= set(open_for_comment(Instrument.objects.all(), today).values_list("slug", flat=True))
    assert opened, "some fixture draft is open on one of the days, or the test proves little"


def test_a_draft_superseded_or_not_yet_published_is_not_open_for_comment():
    draft = InstrumentFactory(
        status=Instrument.Status.DRAFT,
        published_on=day(2030, 1, 1),
        comment_deadline=day(2030, 2, 1),
    )
    assert not open_for_comment(Instrument.objects.filter(pk=draft.pk), day(2029, 12, 31)).exists()
    assert open_for_comment(Instrument.objects.filter(pk=draft.pk), day(2030, 1, 15)).exists()
    final = InstrumentFactory(status=Instrument.Status.FINAL, published_on=day(2030, 1, 10))
    final.supersedes.add(draft)
    assert not open_for_comment(Instrument.objects.filter(pk=draft.pk), day(2030, 1, 15)).exists()
