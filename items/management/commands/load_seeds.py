"""Load the seed newsletters (items/seed_fixtures.py) into an empty database.

A second `make run` must not put the fixtures back over the editors' corrections, so a database
that already holds issues or regulators is left as it is unless `--reload` is given.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from items.models import Issue
from items.seed_fixtures import SEED_FIXTURES
from regulators.models import Regulator


class Command(BaseCommand):
    help = "Load the seed newsletters' fixtures into an empty database (--reload: over what is there)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Load them although the database holds content (rows with the fixtures' keys are overwritten).",
        )

    def handle(self, *args, reload, **options):
        if not reload and (Issue.objects.exists() or Regulator.objects.exists()):
            self.stdout.write(
                "The database already holds content: the seed fixtures were not loaded "
                "(run `manage.py load_seeds --reload`, or `make load-fixtures RELOAD=1`, to load them over it)."
            )
            return
        call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
