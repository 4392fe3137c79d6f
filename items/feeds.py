"""RSS and Atom feeds: new issues, and any filtered list of news items or enforcement actions.

Every feed starts at published(). A filtered feed (core/feeds.py) takes the query string of its
list page and reads the rows through that page's list (items/lists.py), so
`/enforcement/feed/rss/?regulator=miit` lists exactly what `/enforcement/?regulator=miit` lists,
in the same order; invalid filters give an empty feed.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.feeds import FilteredListFeed
from items.lists import ENFORCEMENT, ITEMS
from items.models import Issue


def issue_publication_time(issue):
    """When the issue went public; an issue imported without that time counts from its date."""
    if issue.published_at:
        return issue.published_at
    return timezone.make_aware(datetime.datetime.combine(issue.issued_on, datetime.time.min))


def last_change(published, updated_at):
    """Atom wants each entry's last change; an edit before publication counts from publication."""
    return max(published, updated_at)


class IssueFeed(Feed):
    title = _("New issues · Cybersecurity and Data Protection Review")
    description = _("Each newly published issue of the Cybersecurity and Data Protection Review.")
    limit = 20

    def link(self):
        return reverse("items:issue-archive")

    def items(self):
        return Issue.objects.published().select_related("series")[: self.limit]

    def item_title(self, issue):
        return issue.display_title

    def item_description(self, issue):
        return issue.summary_html

    def item_pubdate(self, issue):
        return issue_publication_time(issue)

    def item_updateddate(self, issue):
        return last_change(issue_publication_time(issue), issue.updated_at)


class IssueAtomFeed(IssueFeed):
    feed_type = Atom1Feed
    subtitle = IssueFeed.description


class NewsItemFeed(FilteredListFeed):
    public_list = ITEMS
    title = _("News · Cybersecurity and Data Protection Review")
    description = _("Newly reported cybersecurity and data-protection developments, as filtered on the news page.")

    def item_title(self, item):
        return item.display_headline

    def item_description(self, item):
        # Rendered from Markdown and sanitised when the item was saved.
        return item.display_body_html

    def item_pubdate(self, item):
        return issue_publication_time(item.issue)

    def item_updateddate(self, item):
        return last_change(issue_publication_time(item.issue), item.updated_at)


class NewsItemAtomFeed(NewsItemFeed):
    feed_type = Atom1Feed
    subtitle = NewsItemFeed.description


class EnforcementActionFeed(FilteredListFeed):
    public_list = ENFORCEMENT
    title = _("Enforcement · Cybersecurity and Data Protection Review")
    description = _("Enforcement actions and judgments reported in the Review, as filtered on the enforcement page.")
    summary_length = 300

    def item_title(self, action):
        label = f"{action.public_id}: {action.get_action_type_display()}"
        target = action.display_target
        return f"{label} – {target}" if target else label

    def item_description(self, action):
        """One line of facts (who, when, how much), then the start of the summary."""
        regulators = ", ".join(regulator.display_short_name for regulator in action.regulators.all())
        facts = [regulators, action.decided_on_display, action.fine_display, action.sentence]
        lines = [" · ".join(fact for fact in facts if fact)]
        if action.summary:
            lines.append(Truncator(action.display_summary).chars(self.summary_length))
        # The description is HTML to feed readers: the editors' plain text is escaped.
        return "<br>".join(escape(line) for line in lines if line)

    def item_pubdate(self, action):
        return issue_publication_time(action.news_item.issue)

    def item_updateddate(self, action):
        return last_change(issue_publication_time(action.news_item.issue), action.updated_at)


class EnforcementActionAtomFeed(EnforcementActionFeed):
    feed_type = Atom1Feed
    subtitle = EnforcementActionFeed.description
