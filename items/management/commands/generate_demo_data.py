"""Fill the database with realistic, deterministic demo data: regulators to enforcement actions.

    python manage.py generate_demo_data --items 100000 --actions 50000 --instruments 5000 \\
        --regulators 300 --seed 1

The same seed and sizes give the same rows on every run on an empty database (or after
--clear): regulator slugs, public ids, fines and headlines alike. Distributions follow the seed
newsletters: Chinese national, provincial and municipal regulators with their parents plus
foreign data protection authorities; a few regulators doing most of the enforcement (a Zipf
law); fines log-uniform over four orders of magnitude (CNY 10,000 to 100,000,000, and EUR, USD
or GBP abroad); many actions without a fine (rectification orders, app removals of batches of
apps); about a fifth of items in both languages; dates over six years (2020 to 2025); most
issues published, a few drafts and withdrawn ones.

Generated rows are marked: regulators, instruments, organisations and series have slugs
starting with "demo-", and issues, items, sources and actions hang off those series. --clear
removes exactly those rows (fixtures and editors' data stay) before generating; --clear-only
removes them and stops.

Rows are inserted in bulk (bulk_create in batches of --batch-size, many-to-many links as
multi-row INSERTs), all in one transaction, so model save() and signals do not run: the
command renders the Markdown bodies itself and numbers the EA-<year>-NNNN public ids in
decision-date order, moving each year's PublicIdCounter past them so that later saves continue
after them.

History: every generated row gets its "created" record in django-simple-history, with its
many-to-many links and the change reason "Generated demo data", written per batch by one
INSERT ... SELECT per history table (core/bulk_history.py); simple_history's
bulk_create_with_history, which builds each historical row in Python, more than doubled the
work. --clear removes the demo rows' history with them, so nothing generated lingers in the
recycle bin.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from items.demo_data import (
    BATCH_SIZE,
    DemoDataGenerator,
    clear_demo_data,
    count_demo_data,
    generated_data_exists,
)


def positive_int(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate realistic, deterministic demo data (regulators, instruments, organisations, issues, "
        "news items, sources and enforcement actions) with bulk inserts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=positive_int, default=300, help="News items to create (default 300).")
        parser.add_argument(
            "--actions", type=positive_int, default=150, help="Enforcement actions to create (default 150)."
        )
        parser.add_argument("--instruments", type=positive_int, default=60, help="Instruments to create (default 60).")
        parser.add_argument("--regulators", type=positive_int, default=40, help="Regulators to create (default 40).")
        parser.add_argument(
            "--issues", type=positive_int, default=None, help="Issues to create (default: one per 30 items)."
        )
        parser.add_argument(
            "--organisations",
            type=positive_int,
            default=None,
            help="Organisations to create (default: one per 30 items, at least 20).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument(
            "--batch-size", type=positive_int, default=BATCH_SIZE, help="Rows per bulk insert (default 5000)."
        )
        parser.add_argument("--clear", action="store_true", help="Delete previously generated demo data first.")
        parser.add_argument(
            "--clear-only", action="store_true", help="Delete previously generated demo data and generate nothing."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be created, change nothing.")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        items = options["items"]
        issues = options["issues"] if options["issues"] is not None else -(-items // 30)
        organisations = options["organisations"]
        if organisations is None:
            organisations = max(20, items // 30) if items else 0
        clear = options["clear"] or options["clear_only"]
        dry_run = options["dry_run"]
        started = time.perf_counter()

        # One transaction: a failed run leaves the database as it was, old demo data included.
        with transaction.atomic():
            if clear:
                if dry_run:
                    self._report(verbosity, "Would delete", count_demo_data())
                else:
                    self._report(verbosity, "Deleted", clear_demo_data())
            if options["clear_only"]:
                return
            if not clear and generated_data_exists():
                raise CommandError("Demo data already exists: run again with --clear to replace it.")
            generator = DemoDataGenerator(
                regulators=options["regulators"],
                instruments=options["instruments"],
                organisations=organisations,
                issues=issues,
                items=items,
                actions=options["actions"],
                seed=options["seed"],
                batch_size=options["batch_size"] or BATCH_SIZE,
            )
            try:
                generator.plan()
            except ValueError as error:
                raise CommandError(str(error)) from error
            if dry_run:
                self._report(verbosity, "Would create", generator.counts())
                return
            with tqdm(
                total=generator.total_rows(), unit="rows", file=sys.stderr, disable=verbosity == 0, smoothing=0
            ) as progress:
                generator.progress = progress
                generator.write()

        if verbosity >= 2:
            self.stdout.write(
                "Seconds (wall/CPU of this process): "
                + ", ".join(f"{stage} {wall:.1f}/{cpu:.1f}" for stage, (wall, cpu) in generator.timings.items())
            )
        if verbosity >= 1:
            self._report(verbosity, "Created", generator.counts())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated demo data (seed {options['seed']}) in {time.perf_counter() - started:.1f} s."
                )
            )

    def _report(self, verbosity, verb, counts):
        if verbosity >= 1:
            self.stdout.write(f"{verb}: " + ", ".join(f"{count:,} {name}" for name, count in counts.items()) + ".")
