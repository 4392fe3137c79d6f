"""The newsletter importer's doors: reading .txt, .docx and .pdf files, and the admin page."""

import io
import re
import textwrap
import zipfile

import docx
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from items.importers import NewsletterFileError, read_newsletter_file
from items.importers.files import MAX_UPLOAD_BYTES
from items.importers.service import import_newsletter
from items.models import Issue
from tests.items.newsletters import counts, seed_text

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- reading files

BAD_FILES = [
    ("empty.txt", b"", "is empty"),
    ("blank.txt", b"  \n\n ", "is empty"),
    ("garbage.txt", bytes(range(256)) * 20, "does not look like text"),
    ("newsletter.docx", b"This is not a zip archive at all", "not a Word document"),
    ("archive.docx", None, "not a Word document (no word/document.xml)"),
    ("newsletter.pdf", b"Plain words pretending to be a PDF", "no %PDF header"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
    ("newsletter.doc", b"\xd0\xcf\x11\xe0old word", "save a .doc as .docx"),
    ("pdf-in-disguise.txt", b"%PDF-1.4\n", "is a PDF"),
]


def zip_without_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_files_are_refused_with_a_clear_message(name, data, message):
    data = zip_without_document() if data is None else data
    with pytest.raises(NewsletterFileError, match=re.escape(message)):
        read_newsletter_file(name, data)


def test_oversized_file_is_refused():
    with pytest.raises(NewsletterFileError, match="at most 10 MB"):
        read_newsletter_file("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))


def test_text_files_in_cp1252_or_with_a_bom_are_read():
    assert read_newsletter_file("n.txt", "\ufeffUsers’ data".encode()) == "Users’ data"
    assert read_newsletter_file("n.txt", "Users’ data — “quoted”".encode("cp1252")) == "Users’ data — “quoted”"
    assert read_newsletter_file("n.txt", "国内要闻".encode("gb18030")) == "国内要闻"


def add_markdown_runs(paragraph, text):
    """Write **bold** and *italic* spans of a seed paragraph as real Word runs."""
    for piece in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*"):
            paragraph.add_run(piece[1:-1]).italic = True
        elif piece:
            paragraph.add_run(piece)


def test_docx_is_read_with_its_bold_and_italics(landscape):
    document = docx.Document()
    for paragraph in seed_text("000_9fdfd028ef1a2a23.txt").split("\n\n"):
        if paragraph.strip():
            add_markdown_runs(document.add_paragraph(), paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)

    text = read_newsletter_file("review-51.docx", buffer.getvalue())
    report = import_newsletter(text)

    issue = Issue.objects.get(pk=report.issue_id)
    assert (issue.number, issue.edition_number, issue.items.count()) == (51, 229, 7)
    body = issue.items.get(position=2).body
    assert '("**MIIT**")' in body and "*Electronic Fence Technology Requirements in Smart Cities*" in body


def pdf_bytes(text, lines_per_page=60):
    """A real PDF with a text layer (Helvetica, one Tj per line), written by hand: no PDF writer needed."""
    lines = []
    for paragraph in text.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            lines += textwrap.wrap(paragraph, 95) + [""]
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    objects = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for page in pages:
        escaped = [
            line.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            for line in page
        ]
        stream = b"BT /F1 9 Tf 13 TL 50 800 Td\n" + b"\n".join(b"(" + line + b") Tj T*" for line in escaped) + b"\nET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_goes_through_the_same_parser(landscape):
    data = pdf_bytes(seed_text("001_78e5d3693ce454e0.txt"))

    text = read_newsletter_file("review-53.pdf", data)
    report = import_newsletter(text)

    issue = Issue.objects.get(pk=report.issue_id)
    items = list(issue.items.order_by("position"))
    assert (issue.number, issue.edition_number, len(items)) == (53, 233, 9)
    assert items[3].headline == "LAC: Strict Legal Responsibility to be Set in Personal Information Protection Law"
    assert "when the processor has a specific purpose" in items[3].body  # wrapped lines and the page break re-joined
    assert [i.event_date.day for i in items] == [26, 23, 23, 22, 22, 19, 22, 21, 20]


def test_pdf_without_text_is_refused():
    with pytest.raises(NewsletterFileError, match="no text layer"):
        read_newsletter_file("scan.pdf", pdf_bytes(""))


# ---------------------------------------------------------------- the admin page

IMPORT_URL = "admin:items_issue_import_newsletter"


def test_issue_changelist_links_to_the_importer(landscape, editor_client):
    response = editor_client.get(reverse("admin:items_issue_changelist"))
    assert reverse(IMPORT_URL).encode() in response.content


def test_editor_imports_an_uploaded_file_in_the_admin(landscape, editor_client):
    upload = SimpleUploadedFile("review-41.txt", seed_text("004_0b6aa97805ddacb2.txt").encode("utf-8"), "text/plain")
    response = editor_client.post(reverse(IMPORT_URL), {"file": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Items done: 5 of 5" in page
    assert "工信部科技司就81项报批通信行业标准公开征求意见" in page
    issue = Issue.objects.get(series__slug="weekly-review", number=41)
    assert issue.status == Issue.Status.DRAFT
    assert reverse("admin:items_issue_change", args=[issue.pk]) in page


def test_editor_dry_runs_pasted_text_in_the_admin(landscape, editor_client):
    before = counts()
    response = editor_client.post(
        reverse(IMPORT_URL), {"text": seed_text("003_ccd5a7bb6b34704b.txt"), "dry_run": "on", "number": "12"}
    )
    assert response.status_code == 200
    assert "Dry run: nothing was saved" in response.content.decode()
    assert "Items done: 19 of 19" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("garbage.txt", bytes(range(256)) * 20, "does not look like text"),
        ("fake.docx", b"not a zip", "not a Word document"),
        ("fake.pdf", b"hello", "no %PDF header"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_admin_refuses_bad_uploads_with_a_message(landscape, editor_client, name, data, message):
    response = editor_client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Issue.objects.count() == 0


def test_admin_refuses_an_oversized_upload(landscape, editor_client):
    upload = SimpleUploadedFile("big.txt", b"a" * (MAX_UPLOAD_BYTES + 10))
    response = editor_client.post(reverse(IMPORT_URL), {"file": upload})
    assert response.status_code == 200
    assert "at most 10 MB" in response.content.decode()
    assert Issue.objects.count() == 0


def test_admin_shows_refusal_for_a_published_issue(landscape, editor_client):
    call_command("loaddata", "issue_weekly_53", verbosity=0)
    response = editor_client.post(reverse(IMPORT_URL), {"text": seed_text("001_78e5d3693ce454e0.txt")})
    assert response.status_code == 200
    assert "the importer only replaces drafts" in response.content.decode()


def test_importer_is_refused_to_staff_who_may_not_add_issues(landscape, client, django_user_model):
    viewer = django_user_model.objects.create_user(username="viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_issue"))
    client.force_login(viewer)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    response = client.post(reverse(IMPORT_URL), {"text": seed_text("000_9fdfd028ef1a2a23.txt")})
    assert response.status_code == 403
    assert Issue.objects.count() == 0
    assert reverse(IMPORT_URL).encode() not in client.get(reverse("admin:items_issue_changelist")).content


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302 and "/login/" in response["Location"]
