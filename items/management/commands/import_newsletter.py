"""Import a newsletter (.txt, .docx or .pdf) as one draft issue.

    python manage.py import_newsletter FILE [--series S] [--number N] [--date YYYY-MM] [--dry-run]

The format is recognised from the text. The issue is identified by series and number: a draft
with that number has its items replaced; a published one is never touched. Nothing is
published. The report lists what was recognised and what the editor should check.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from items.importers import NewsletterFileError, read_newsletter_file
from items.importers.files import check_size
from items.importers.service import NewsletterImportError, import_newsletter


class Command(BaseCommand):
    help = "Import a newsletter file (.txt, .docx, .pdf) as a draft issue, and report what was recognised."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The newsletter: a .txt (UTF-8 or Windows-1252), .docx or .pdf file.")
        parser.add_argument("--series", help="Series slug (default: the series of the recognised format).")
        parser.add_argument("--number", type=int, help="Issue number within the series (default: from the text).")
        parser.add_argument("--date", help="Issue date, YYYY-MM or YYYY-MM-DD, when the text does not print it.")
        parser.add_argument("--dry-run", action="store_true", help="Read and report, but save nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        verbosity = options["verbosity"]
        try:
            check_size(path.stat().st_size, path.name)
            text = read_newsletter_file(path.name, path.read_bytes())
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except (NewsletterFileError, OSError) as error:
            raise CommandError(str(error)) from error

        bars = []

        def progress(done, total):
            if not bars:  # the number of items is known once the text is read
                bars.append(tqdm(total=total, unit="item", desc="Importing", disable=verbosity < 1, file=self.stderr))
            bars[0].update(done - bars[0].n)

        try:
            report = import_newsletter(
                text,
                series=options["series"],
                number=options["number"],
                issued_on=options["date"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except NewsletterImportError as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars:
                bar.close()

        if verbosity >= 1:
            for line in report.lines(verbosity):
                style = self.style.WARNING if line.startswith(("  !", "Unsure")) else None
                self.stdout.write(style(line) if style else line)
        return None
