"""Create (or reset) a demo editor and a demo publisher, and print their passwords.

Used by `make run` so that a new developer can log in to the admin at once. Each run gives
fresh random passwords; the users are put in the Editors and Publishers groups.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_USERS = [("editor", "Editors"), ("publisher", "Publishers")]


class Command(BaseCommand):
    help = "Create or reset the demo editor and publisher accounts and print their passwords."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        User = get_user_model()
        with transaction.atomic():
            for username, group_name in DEMO_USERS:
                if dry_run:
                    self.stdout.write(f"Would create or reset {username!r} in {group_name}.")
                    continue
                password = secrets.token_urlsafe(12)
                user, _created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
                user.is_staff = True
                user.is_active = True
                user.set_password(password)
                user.save()
                user.groups.set([Group.objects.get(name=group_name)])
                self.stdout.write(self.style.SUCCESS(f"Demo {group_name[:-1].lower()}: {username} / {password}"))
