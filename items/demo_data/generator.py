"""The generator: plans a whole landscape in memory from one seed, kind by kind, then writes it.

Every random choice comes from `random.Random` seeded with the seed and a stage name, so a
given seed and set of sizes gives the same rows, in the same order, on every run.
"""

import random
import time
from functools import partial

from django.utils import timezone

from core.content_cache import content_changed, one_change_for_all
from items.models import Issue, Organisation, Series
from regulators.models import Instrument, Regulator

from .enforcement import ActionPlanner, number_public_ids, write_actions, write_public_id_counters
from .instruments import InstrumentPlan, write_instruments
from .issues import IssuePlan, write_issues
from .items import plan_item_context, plan_items, write_items
from .organisations import OrganisationPlan, write_organisations
from .regulators import RegulatorPlan, write_regulators
from .vocabulary import DEMO_PREFIX
from .writer import BATCH_SIZE, BulkWriter, ensure_vocabulary


def generated_data_exists():
    return any(
        model.objects.filter(slug__startswith=DEMO_PREFIX).exists()
        for model in (Series, Regulator, Instrument, Organisation)
    )


class DemoDataGenerator:
    """Plan (`plan()`, no writes) and then write (`write()`) a deterministic demo landscape."""

    def __init__(
        self,
        *,
        regulators,
        instruments,
        organisations,
        issues,
        items,
        actions,
        seed=1,
        batch_size=BATCH_SIZE,
        progress=None,
    ):
        self.sizes = {
            "regulators": regulators,
            "instruments": instruments,
            "organisations": organisations,
            "issues": issues,
            "items": items,
            "actions": actions,
        }
        self.seed = seed
        self.batch_size = batch_size
        self.progress = progress
        self.planned = False
        self.timings = {}

    def rng(self, stage):
        return random.Random(f"{self.seed}:{stage}")  # noqa: S311 - demo data, not secrets

    def plan(self):
        if self.sizes["actions"] and not self.sizes["items"]:
            raise ValueError("Enforcement actions are reported by news items: ask for some items too.")
        if self.sizes["items"] and not self.sizes["issues"]:
            raise ValueError("News items belong to issues: ask for at least one issue.")
        if self.sizes["actions"] and not self.sizes["regulators"]:
            raise ValueError("Enforcement actions need regulators: ask for at least one regulator.")
        started, cpu = time.perf_counter(), time.process_time()
        sizes = self.sizes
        self.regulators = RegulatorPlan(self.rng("regulators"), sizes["regulators"])
        self.organisations = OrganisationPlan(self.rng("organisations"), sizes["organisations"])
        self.instruments = InstrumentPlan(self.rng("instruments"), sizes["instruments"], self.regulators)
        self.issues = IssuePlan(self.rng("issues"), sizes["issues"], sizes["items"])
        self.items = plan_items(self.rng("items"), self.issues)
        rng = self.rng("actions")
        planner = ActionPlanner(self.regulators, self.organisations, self.instruments)
        self.actions = planner.plan(rng, sizes["actions"], self.items)
        # An item's links and subject follow from its actions: drawn after them, from the same stream.
        for item in self.items:
            plan_item_context(rng, item, self.regulators, self.organisations, self.instruments)
        self.public_id_counters = number_public_ids(self.actions)
        self.timings["planning"] = (time.perf_counter() - started, time.process_time() - cpu)
        self.planned = True
        return self

    def counts(self):
        """How many rows of each kind the plan will write."""
        issues = [issue for issue, _weight, _sections in self.issues.issues]
        return {
            "series": len(self.issues.series),
            "regulators": len(self.regulators.specs),
            "organisations": len(self.organisations.specs),
            "instruments": len(self.instruments.entries),
            "instrument issuers": sum(len(issuers) for _o, _s, issuers, _i in self.instruments.entries),
            "issues": len(issues),
            "draft issues": sum(1 for issue in issues if issue.status == Issue.Status.DRAFT),
            "withdrawn issues": sum(1 for issue in issues if issue.status == Issue.Status.WITHDRAWN),
            "news items": len(self.items),
            "bilingual items": sum(1 for item in self.items if item.bilingual),
            "sources": sum(item.sources for item in self.items),
            "enforcement actions": len(self.actions),
            "actions with a fine": sum(1 for plan in self.actions if plan.obj.fine_amount is not None),
        }

    def total_rows(self):
        """The rows the progress bar counts: records, not their links or history."""
        return sum(
            map(
                len,
                (
                    self.regulators.specs,
                    self.organisations.specs,
                    self.instruments.entries,
                    self.issues.issues,
                    self.items,
                    self.actions,
                ),
            )
        )

    @one_change_for_all()  # each bulk_create would replace the content version otherwise
    def write(self):
        """Insert the plan. Call inside transaction.atomic(); every insert is a bulk insert."""
        if not self.planned:
            self.plan()
        writer = BulkWriter(self.batch_size, history_date=timezone.now(), progress=self.progress)
        vocabulary = ensure_vocabulary(writer)
        for stage, step in (
            ("regulators", partial(write_regulators, writer, self.regulators)),
            ("organisations", partial(write_organisations, writer, self.organisations)),
            ("instruments", partial(write_instruments, writer, self.instruments)),
            ("issues", partial(write_issues, writer, self.issues, self.rng("issue-summaries"))),
            (
                "news items and sources",
                partial(write_items, writer, self.items, vocabulary, self.instruments, self.rng("texts")),
            ),
            ("enforcement actions", partial(write_actions, writer, self.actions, vocabulary)),
            ("public id counters", partial(write_public_id_counters, self.public_id_counters)),
        ):
            started, cpu = time.perf_counter(), time.process_time()
            step()
            self.timings[stage] = (time.perf_counter() - started, time.process_time() - cpu)
        content_changed()  # the links' raw inserts send no signals
