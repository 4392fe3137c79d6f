"""An issue as an email: the seed issues' content in both parts, mail-client-safe HTML, the admin preview and test."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse

from items.emails import issue_message, render_issue_email
from items.models import Issue, Section
from tests.factories import IssueFactory, NewsItemFactory, SourceFactory

pytestmark = pytest.mark.django_db

BASE = "https://review.example.com"


@pytest.fixture
def seed_issues(seeds):
    return {
        "roundup": Issue.objects.get(series__slug="monthly-roundup", number=202204),
        "bird": Issue.objects.get(series__slug="bird-bird-monthly", number=202112),
    }


def sections_in_order(issue):
    """The issue's sections as the issue page orders them, each once."""
    names = issue.items.order_by("section__order", "section__name", "position").values_list("section__name", flat=True)
    return list(dict.fromkeys(names))


class Tags(HTMLParser):
    """Every start tag of a document, with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html):
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_the_email_of_a_seed_issue_has_its_subject_headlines_and_sections_in_order(seed_issues):
    for issue in seed_issues.values():
        email = render_issue_email(issue, BASE)
        assert email.subject == issue.title
        headlines = list(issue.items.values_list("headline", flat=True))
        assert len(headlines) in (19, 23)
        assert [h for h in headlines if h not in email.text] == []
        html_text = re.sub(r"\s+", " ", email.html.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&"))
        assert [h for h in headlines if h not in html_text] == []
        expected = sections_in_order(issue)
        assert len(expected) > 1
        headings = re.findall(r"^=+\n(.+)\n=+$", email.text, flags=re.MULTILINE)
        assert headings == [name.upper() for name in expected]
        html_headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", email.html)
        assert [h for h in html_headings if h in expected] == expected
    assert seed_issues["roundup"].title == "Cybersecurity and Data Protection Monthly Round-up, April 2022"


def test_the_text_part_reads_as_text(seed_issues):
    issue = seed_issues["bird"]
    text = render_issue_email(issue, BASE).text
    assert text.startswith("CHINA CYBERSECURITY AND DATA PROTECTION: MONTHLY UPDATE, DECEMBER 2021\n")
    assert f"{BASE}/issues/bird-bird-monthly/202112/" in text
    assert "KEY HIGHLIGHTS" in text and "Shanghai becomes the second first-tier city" in text
    assert "<" not in text  # no markup
    assert "**" not in text  # no Markdown either
    for item in issue.items.all():
        assert f"{BASE}/items/{item.pk}/" in text
    # Bodies are wrapped for reading; only headlines and addresses run longer.
    headlines = set(issue.items.values_list("headline", flat=True))
    long_lines = [line for line in text.splitlines() if len(line) > 72]
    assert [line for line in long_lines if line.strip(" -") not in headlines and "://" not in line] == []

    roundup = seed_issues["roundup"]
    text = render_issue_email(roundup, BASE).text
    sources = [source for item in roundup.items.all() for source in item.sources.all()]
    assert sources and [source.url for source in sources if source.url not in text] == []


def test_the_html_part_is_made_for_mail_programs(seed_issues):
    html = render_issue_email(seed_issues["bird"], BASE).html
    # Inline styles only: no <style> block, no stylesheet, no class; every visible element styled.
    assert "<style" not in html.lower()
    assert 'rel="stylesheet"' not in html
    tags = tags_of(html)
    assert not [tag for tag, attrs in tags if "class" in attrs]
    visible = {"td", "p", "a", "h1", "h2", "h3", "li", "ul", "ol", "strong", "em", "body"}
    assert [tag for tag, attrs in tags if tag in visible and not attrs.get("style")] == []
    fonts = {re.search(r"font-family:([^;]+)", attrs["style"]).group(1) for tag, attrs in tags if tag == "p"}
    assert fonts == {"Arial, Helvetica, sans-serif"}
    # A table layout 600 pixels wide, nothing a mail program strips or blocks.
    tables = [attrs for tag, attrs in tags if tag == "table"]
    assert tables and all(attrs.get("role") == "presentation" for attrs in tables)
    assert any(attrs.get("width") == "600" and "width:600px" in attrs["style"] for attrs in tables)
    assert not [tag for tag, _attrs in tags if tag in ("div", "script", "img", "link")]
    # Every link absolute.
    for issue in seed_issues.values():
        hrefs = [attrs["href"] for tag, attrs in tags_of(render_issue_email(issue, BASE).html) if tag == "a"]
        assert hrefs
        assert [href for href in hrefs if not href.startswith(("https://", "http://"))] == []
        assert f"{BASE}/issues/{issue.series.slug}/{issue.number}/" in hrefs
    # Sent as the text body with the HTML as its alternative.
    message = issue_message(seed_issues["roundup"], ["client@example.com"], BASE)
    assert message.to == ["client@example.com"]
    assert message.body.startswith("CYBERSECURITY AND DATA PROTECTION MONTHLY ROUND-UP")
    [(alternative, mimetype)] = message.alternatives
    assert mimetype == "text/html" and alternative.startswith("<!DOCTYPE html")


def test_links_in_an_items_body_are_made_absolute_and_listed_in_the_text(db):
    issue = IssueFactory(number=77, title="Weekly Review No.77")
    item = NewsItemFactory(
        issue=issue,
        section=Section.objects.get(slug="domestic-news"),
        headline="CAC Publishes Measures",
        body="The [Measures](https://www.cac.gov.cn/measures.html) implement the [PIPL](/instruments/pipl/).\n\n"
        "- first point\n- second point with **bold**",
    )
    SourceFactory(news_item=item, url="https://www.cac.gov.cn/notice.html", label="CAC notice")
    email = render_issue_email(issue, BASE + "/")
    assert f'href="{BASE}/instruments/pipl/"' in email.html
    assert 'href="https://www.cac.gov.cn/measures.html"' in email.html
    assert "The Measures [1] implement the PIPL [2]." in email.text
    assert "[1] https://www.cac.gov.cn/measures.html" in email.text
    assert f"[2] {BASE}/instruments/pipl/" in email.text
    assert "- first point\n\n- second point with bold" in email.text
    assert "- CAC notice: https://www.cac.gov.cn/notice.html" in email.text


def test_the_admin_preview_renders_for_an_editor(editor_client, newsroom):
    issue = newsroom.issue
    change_page = editor_client.get(reverse("admin:items_issue_change", args=[issue.pk])).content.decode()
    preview_url = reverse("admin:items_issue_email_preview", args=[issue.pk])
    assert preview_url in change_page
    response = editor_client.get(preview_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'srcdoc="&lt;!DOCTYPE html' in html  # the whole email, escaped into the frame's attribute
    assert "Weekly Review No.229" in html
    assert "WEEKLY REVIEW NO.229" in html  # the text part
    assert "CAC Fines a Real Estate Company" in html
    assert f"http://testserver/items/{newsroom.item.pk}/" in html  # links absolute to the site the editor is on


def test_a_draft_can_be_previewed_by_staff_only(client, editor_client, newsroom):
    url = reverse("admin:items_issue_email_preview", args=[newsroom.draft_issue.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "MIIT Names Sixty Apps" in response.content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_send_a_test_sends_one_email_to_the_editor(editor_client, editor, newsroom):
    editor.email = "editor@example.com"
    editor.save()
    issue = newsroom.draft_issue  # drafts too: the test is how an editor checks one
    url = reverse("admin:items_issue_email_test", args=[issue.pk])
    response = editor_client.post(url, follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.com"]
    assert message.subject == "[Test] Monthly Update July"
    assert "MIIT Names Sixty Apps" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "A test of this issue’s email was sent to editor@example.com." in response.content.decode()


def test_send_a_test_explains_when_the_editor_has_no_email_address(editor_client, newsroom):
    url = reverse("admin:items_issue_email_test", args=[newsroom.issue.pk])
    response = editor_client.post(url, follow=True)
    assert len(mail.outbox) == 0
    assert "Your account has no email address" in response.content.decode()


def test_send_a_test_only_by_post_and_only_for_staff_who_may_change_issues(
    client, editor_client, django_user_model, newsroom
):
    url = reverse("admin:items_issue_email_test", args=[newsroom.issue.pk])
    assert editor_client.get(url).status_code == 405
    staff = django_user_model.objects.create_user("plain", password="pw", is_staff=True, email="plain@example.com")
    client.force_login(staff)
    assert client.post(url).status_code == 403
    assert client.get(reverse("admin:items_issue_email_preview", args=[newsroom.issue.pk])).status_code == 403
    assert len(mail.outbox) == 0


def test_send_a_test_of_an_issue_whose_title_holds_a_line_break_sends_it_on_one_line(editor_client, editor, newsroom):
    editor.email = "editor@example.com"
    editor.save()
    issue = newsroom.draft_issue
    Issue.objects.filter(pk=issue.pk).update(title="Monthly Update\nJuly\r\n2022")
    response = editor_client.post(reverse("admin:items_issue_email_test", args=[issue.pk]), follow=True)
    assert response.status_code == 200
    assert [message.subject for message in mail.outbox] == ["[Test] Monthly Update July 2022"]


def test_the_issue_email_is_written_in_the_language_asked(newsroom):
    issue = newsroom.issue
    issue.title_zh = "立方网络安全与数据合规周报第229期"
    issue.save()
    chinese = render_issue_email(issue, BASE, "zh-hans")
    english = render_issue_email(issue, BASE, "en")
    assert chinese.subject == "立方网络安全与数据合规周报第229期"
    assert 'lang="zh-hans"' in chinese.html
    assert english.subject == "Weekly Review No.229"


def test_the_admin_preview_shows_both_languages(editor_client, newsroom):
    issue = newsroom.issue
    issue.title_zh = "立方网络安全与数据合规周报第229期"
    issue.save()
    html = editor_client.get(reverse("admin:items_issue_email_preview", args=[issue.pk])).content.decode()
    assert "Weekly Review No.229" in html
    assert "立方网络安全与数据合规周报第229期" in html
    assert html.count("srcdoc=") == 2
