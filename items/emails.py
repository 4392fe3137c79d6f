"""An issue as an email: an HTML part that common mail programs show alike, and a plain-text part.

Mail programs (Outlook's Word engine, Gmail, Apple Mail) agree on little: the HTML part is laid
out with tables 600 pixels wide, every style is inline on its element (no <style> block, no
class), fonts are web-safe, and every link is absolute. The plain-text part carries the same
content: the sections in order, each headline with its address, the bodies as text with their
links numbered and listed below them.

Both parts are rendered from templates/emails/issue.html and issue.txt. The item bodies, already
sanitised Markdown HTML, are restyled here (inline styles added, relative links made absolute).
"""

import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from items.models import NewsItem
from items.rendering import ALLOWED_TAGS, ALLOWED_URL_SCHEMES

WIDTH = 600
TEXT_WIDTH = 72

FONT = "Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#222222"
LINK_COLOUR = "#0b5394"
# The inline style of each element a rendered body may contain.
BODY_STYLES = {
    "p": f"margin:0 0 12px 0;font-family:{FONT};font-size:15px;line-height:22px;color:{TEXT_COLOUR};",
    "a": f"color:{LINK_COLOUR};text-decoration:underline;",
    "ul": f"margin:0 0 12px 0;padding:0 0 0 24px;font-family:{FONT};font-size:15px;line-height:22px;",
    "ol": f"margin:0 0 12px 0;padding:0 0 0 24px;font-family:{FONT};font-size:15px;line-height:22px;",
    "li": f"margin:0 0 6px 0;font-family:{FONT};font-size:15px;line-height:22px;color:{TEXT_COLOUR};",
    "blockquote": "margin:0 0 12px 0;padding:0 0 0 12px;border-left:3px solid #cccccc;color:#555555;",
    "code": "font-family:'Courier New', Courier, monospace;font-size:14px;",
    "pre": "margin:0 0 12px 0;font-family:'Courier New', Courier, monospace;font-size:14px;white-space:pre-wrap;",
    "h3": f"margin:16px 0 8px 0;font-family:{FONT};font-size:16px;line-height:22px;color:{TEXT_COLOUR};",
    "h4": f"margin:12px 0 6px 0;font-family:{FONT};font-size:15px;line-height:22px;color:{TEXT_COLOUR};",
    "strong": "font-weight:bold;",
    "em": "font-style:italic;",
    "sup": "font-size:11px;line-height:0;vertical-align:super;",
}


def site_url(request=None):
    """The site's address, for absolute links: settings.SITE_URL, else the request's host."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    raise ValueError("Give a request or set SITE_URL: an email's links must be absolute.")


def email_html(html, base_url):
    """Sanitised body HTML with an inline style on every element and every link made absolute."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative=("rewrite_with_base", f"{base_url}/"),
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: {"style": style} for tag, style in BODY_STYLES.items() if tag in ALLOWED_TAGS},
    )


class TextRenderer(HTMLParser):
    """Body HTML as plain text: paragraphs wrapped, lists bulleted, links numbered and listed."""

    BLOCKS = {"p", "blockquote", "h3", "h4", "pre", "ul", "ol"}

    def __init__(self, base_url):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.blocks = []  # (prefix, text)
        self.current = []
        self.prefix = ""
        self.lists = []  # a counter per open list: None for bullets, a number for an ordered list
        self.links = []
        self.href = None
        self.link_text = []

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append((self.prefix, text))
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "li":
            self.flush()
        if tag == "ul":
            self.lists.append(None)
        elif tag == "ol":
            self.lists.append(0)
        elif tag == "li":
            if self.lists and self.lists[-1] is not None:
                self.lists[-1] += 1
                self.prefix = f"{self.lists[-1]}. "
            else:
                self.prefix = "- "
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.href = urljoin(f"{self.base_url}/", href) if href else None
            self.link_text = []

    def handle_endtag(self, tag):
        if tag == "a" and self.href:
            text = " ".join("".join(self.link_text).split())
            if text != self.href:
                if self.href not in self.links:
                    self.links.append(self.href)
                self.current.append(f" [{self.links.index(self.href) + 1}]")
            self.href = None
        elif tag in self.BLOCKS or tag == "li":
            self.flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def handle_data(self, data):
        self.current.append(data)
        if self.href:
            self.link_text.append(data)

    def render(self, html):
        self.feed(html or "")
        self.close()
        self.flush()
        paragraphs = [
            textwrap.fill(
                text,
                TEXT_WIDTH,
                initial_indent=prefix,
                subsequent_indent=" " * len(prefix),
                break_long_words=False,
                break_on_hyphens=False,
            )
            for prefix, text in self.blocks
        ]
        return "\n\n".join(paragraphs), self.links


def html_to_text(html, base_url):
    """(text, [link, …]): the body as wrapped text, its links numbered [1], [2]… in order."""
    return TextRenderer(base_url).render(html)


@dataclass
class EmailItem:
    item: NewsItem
    url: str
    html: str
    text: str
    links: list = field(default_factory=list)
    sources: list = field(default_factory=list)


@dataclass
class IssueEmail:
    subject: str
    text: str
    html: str


def issue_sections(issue, base_url):
    """[(section, [EmailItem, …]), …] in the order the issue page shows them."""
    items = (
        issue.items.select_related("section")
        .prefetch_related("sources")
        .order_by("section__order", "section__name", "position", "pk")
    )
    sections = []
    for item in items:
        body_html = item.display_body_html
        text, links = html_to_text(body_html, base_url)
        entry = EmailItem(
            item=item,
            url=f"{base_url}{item.get_absolute_url()}",
            html=email_html(body_html, base_url),
            text=text,
            links=links,
            sources=[
                {"label": source.label or source.url, "url": urljoin(f"{base_url}/", source.url)}
                for source in item.sources.all()
            ],
        )
        if sections and sections[-1][0] == item.section:
            sections[-1][1].append(entry)
        else:
            sections.append((item.section, [entry]))
    return sections


def render_issue_email(issue, base_url, language=None):
    """The issue's email (subject, text and HTML parts), its links absolute under `base_url`,
    in `language` (default: the active one)."""
    if language:
        with translation.override(language):
            return render_issue_email(issue, base_url)
    base_url = base_url.rstrip("/")
    summary_text, summary_links = html_to_text(issue.summary_html, base_url)
    context = {
        "issue": issue,
        "issue_url": f"{base_url}{issue.get_absolute_url()}",
        "site_url": f"{base_url}/",
        "summary_html": email_html(issue.summary_html, base_url),
        "summary_text": summary_text,
        "summary_links": summary_links,
        "sections": [{"section": section, "items": items} for section, items in issue_sections(issue, base_url)],
        "language": get_language(),
        "width": WIDTH,
        "font": FONT,
        "text_colour": TEXT_COLOUR,
        "link_colour": LINK_COLOUR,
    }
    return IssueEmail(
        # A header holds one line; a title imported with a line break would make sending fail.
        subject=" ".join(issue.display_title.split()),
        text=render_to_string("emails/issue.txt", context).strip() + "\n",
        html=render_to_string("emails/issue.html", context),
    )


def issue_message(issue, to, base_url, subject_prefix="", language=None):
    """An EmailMultiAlternatives of the issue: the text part, with the HTML part as alternative,
    in `language` (a reader's; default: the active one)."""
    email = render_issue_email(issue, base_url, language)
    message = EmailMultiAlternatives(
        subject=f"{subject_prefix}{email.subject}", body=email.text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach_alternative(email.html, "text/html")
    return message


class NoEmailAddress(ValueError):
    pass


def send_test_email(issue, user, base_url):
    """Send the issue, marked as a test, to `user` alone. Raises NoEmailAddress when they have none."""
    if not user.email:
        raise NoEmailAddress(
            _("Your account has no email address. Add one to your user account, then send the test again.")
        )
    message = issue_message(issue, [user.email], base_url, subject_prefix=_("[Test] "))
    message.send(fail_silently=False)
    return user.email
