"""Helpers run with Django (the same settings as the server), as `manage.py shell -c` code."""

PROBE = """
import json
from items.models import EnforcementAction, Issue, NewsItem
from regulators.models import Instrument, Regulator
published = Issue.objects.filter(status=Issue.Status.PUBLISHED).order_by("issued_on")
toggled = published.first()  # the oldest issue: the publisher withdraws and republishes it
shown = published.exclude(pk=toggled.pk).order_by("-issued_on")[:2]
item = NewsItem.objects.filter(issue__in=list(shown)).order_by("pk").first()
action = EnforcementAction.objects.filter(news_item__issue__in=list(shown)).order_by("pk").first()
regulator = Regulator.objects.order_by("pk").first()
instrument = Instrument.objects.order_by("pk").first()
paths = ["/", "/issues/", *[issue.get_absolute_url() for issue in shown], "/items/", "/items/?jurisdiction=CN",
    item.get_absolute_url(), "/enforcement/", "/enforcement/?action_type=fine&o=-fine", action.get_absolute_url(),
    "/instruments/", instrument.get_absolute_url(), "/regulators/", regulator.get_absolute_url(),
    "/search/?q=personal+information", "/feeds/issues/rss/", "/items/feed/atom/", "/enforcement/feed/rss/"]
print(json.dumps({"paths": paths, "toggled": toggled.pk, "toggled_title": str(toggled)}))
"""

PUBLISHER = """
import json, os, time
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from items.models import Issue
from items.services import publish_issue, withdraw_issue
user, _created = get_user_model().objects.get_or_create(username="load-publisher", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Publishers"))
issue_id = int(os.environ["FAULTS_ISSUE"])
deadline = time.monotonic() + float(os.environ["FAULTS_SECONDS"])
done = {"withdrawn": 0, "published": 0}
while time.monotonic() < deadline:
    withdraw_issue(issue_id, user=user)
    done["withdrawn"] += 1
    time.sleep(0.5)
    publish_issue(issue_id, user=user)
    done["published"] += 1
    time.sleep(0.5)
done["final_status"] = Issue.objects.get(pk=issue_id).status
print(json.dumps(done))
"""

IMPORT_CHECK = """
import json
from items.models import Issue
issue = Issue.objects.filter(series__slug="weekly-review", number=NUMBER).first()
print(json.dumps({"exists": issue is not None, "items": issue.items.count() if issue else 0,
    "actions": sum(item.enforcement_actions.count() for item in issue.items.all()) if issue else 0,
    "status": issue.status if issue else None}))
"""
