"""Reading an uploaded newsletter: plain text, Word (.docx) or PDF, bounded and checked.

The file's name and its content must agree: a .docx is a zip holding word/document.xml, a
.pdf starts with %PDF, a .txt is text. Anything else is refused with a message the editor can
act on; nothing here raises anything but NewsletterFileError for a bad file.
"""

import io
import logging
import zipfile
from pathlib import PurePath

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
TEXT_EXTENSIONS = {".txt", ".text", ".md"}
EXTENSIONS = TEXT_EXTENSIONS | {".docx", ".pdf"}

logger = logging.getLogger(__name__)


class NewsletterFileError(ValueError):
    """The file cannot be read as a newsletter; the message says why."""


def check_size(size, name=""):
    if size > MAX_UPLOAD_BYTES:
        raise NewsletterFileError(
            f"{name or 'The file'} is {size / 1024 / 1024:.1f} MB; the importer reads files of at most "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )


def read_newsletter_file(name, data):
    """The newsletter's text from the file's name and bytes, or NewsletterFileError."""
    label = PurePath(name or "").name or "The file"
    check_size(len(data), label)
    if not data.strip():
        raise NewsletterFileError(f"{label} is empty.")
    extension = PurePath(name or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise NewsletterFileError(
            f"{label}: the importer reads .txt, .docx and .pdf files"
            + (" (save a .doc as .docx first)." if extension == ".doc" else ".")
        )
    looks_like = sniff(data)
    if extension == ".docx":
        if looks_like != "zip":
            raise NewsletterFileError(f"{label} is named .docx but is not a Word document (not a zip archive).")
        return docx_text(data, label)
    if extension == ".pdf":
        if looks_like != "pdf":
            raise NewsletterFileError(f"{label} is named .pdf but does not start like a PDF (no %PDF header).")
        return pdf_text(data, label)
    if looks_like in {"zip", "pdf"}:
        kind = "a PDF" if looks_like == "pdf" else "a zip archive (a Word document?)"
        raise NewsletterFileError(f"{label} is named {extension} but is {kind}; give it its proper extension.")
    return decode_text(data, label)


def sniff(data):
    head = data[:1024]
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if b"%PDF-" in head[:1024] and head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"%PDF-"):
        return "pdf"
    return "text"


def decode_text(data, label="The file"):
    """UTF-8 (with or without a byte-order mark), else GB18030 Chinese, else Windows-1252; never binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise NewsletterFileError(f"{label} is not readable text.") from error
    else:
        if b"\x00" in data:
            raise NewsletterFileError(f"{label} does not look like text: it holds binary data.")
        for encoding in ("utf-8-sig", "gb18030", "cp1252"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding != "gb18030" or mostly_chinese(text):
                break
        else:
            raise NewsletterFileError(f"{label} is not text in UTF-8, Windows-1252 or GB18030.")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\x0c")
    if controls > max(2, len(text) // 200):
        raise NewsletterFileError(f"{label} does not look like text: it holds binary data.")
    if not text.strip():
        raise NewsletterFileError(f"{label} is empty.")
    return text


def mostly_chinese(text):
    """GB18030 decodes many byte strings; trust it only where what it gives is Chinese."""
    wide = [ch for ch in text if ord(ch) > 127]
    chinese = [ch for ch in wide if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"]
    return bool(wide) and len(chinese) >= 0.9 * len(wide)


def docx_text(data, label="The file"):
    """Paragraphs of a Word document, bold as **…** and italics as *…*, one blank line apart."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                raise NewsletterFileError(f"{label} is a zip archive but not a Word document (no word/document.xml).")
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise NewsletterFileError(f"{label} unpacks to more than {MAX_UNZIPPED_BYTES // 1024 // 1024} MB.")
        document = docx.Document(io.BytesIO(data))
    except NewsletterFileError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise NewsletterFileError(f"{label} is not a readable Word document ({error}).") from error
    except Exception as error:  # lxml and python-docx raise many kinds on damaged XML
        logger.info("Unreadable .docx %s: %r", label, error)
        raise NewsletterFileError(f"{label} is a damaged Word document.") from error
    paragraphs = []
    for block in document.iter_inner_content():
        if hasattr(block, "runs"):
            paragraphs.append(markdown_runs(block))
        else:  # a table: its cells' paragraphs, in reading order
            for row in block.rows:
                for cell in row.cells:
                    paragraphs.extend(markdown_runs(paragraph) for paragraph in cell.paragraphs)
    text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip())
    if not text.strip():
        raise NewsletterFileError(f"{label} has no text.")
    return text


def markdown_runs(paragraph):
    """A paragraph's runs as Markdown; neighbouring runs with the same emphasis share one mark."""
    groups = []  # [mark, text]
    for part in paragraph.iter_inner_content():
        for run in getattr(part, "runs", [part]):  # a hyperlink holds runs of its own
            mark = "**" if run.bold else "*" if run.italic else ""
            if groups and (groups[-1][0] == mark or not run.text.strip()):
                groups[-1][1] += run.text
            else:
                groups.append([mark, run.text])
    pieces = []
    for mark, text in groups:
        core = text.strip()
        if mark and core:
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            pieces.append(f"{lead}{mark}{core}{mark}{trail}")
        else:
            pieces.append(text)
    return "".join(pieces)


def pdf_text(data, label="The file"):
    """The text layer of a PDF, read by pdfminer.six's layout analysis (paragraphs kept apart)."""
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        text = extract_text(io.BytesIO(data), laparams=LAParams(), maxpages=300)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError, AssertionError) as error:
        raise NewsletterFileError(f"{label} is not a readable PDF ({error.__class__.__name__}).") from error
    except Exception as error:  # encrypted or damaged files raise library-specific errors
        logger.info("Unreadable PDF %s: %r", label, error)
        raise NewsletterFileError(f"{label} is a damaged or protected PDF.") from error
    if not text.strip():
        raise NewsletterFileError(f"{label} has no text layer (a scan?): the importer reads PDFs with text only.")
    return text
