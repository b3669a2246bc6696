"""A briefing file in or out: the checks a file passes before any parser sees
it, then the reader or writer for its format."""

import io
import zipfile

from .markdown_format import read_markdown, write_markdown
from .word import read_docx, write_docx

MAX_UPLOAD = 10 * 1024 * 1024  # 10 MB
# A .docx is a zip: its unpacked size is checked before anything is read, so a
# small file that unpacks to gigabytes (a zip bomb) is refused unread.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2000
TITLE_LENGTH = 200  # Briefing.title
CONTENT_TYPES = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "md": "text/markdown; charset=utf-8",
}
WORD = (".docx", ".docm", ".dotx", ".dotm")
MARKDOWN = (".md", ".markdown", ".txt")

# What a file that is not a .docx usually turns out to be, by its first bytes.
NOT_WORD = [
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a Rich Text (.rtf) file"),
]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportProblem(Exception):
    """A file that cannot be imported, with a message in an editor's words."""


def kind_of(filename):
    name = filename.lower()
    if name.endswith(WORD):
        return "docx"
    if name.endswith(MARKDOWN):
        return "md"
    raise ImportProblem(
        "Choose a Word document (.docx) or a Markdown file (.md). "
        f"“{filename}” is neither."
    )


def check_size(size):
    if size == 0:
        raise ImportProblem("The file is empty.")
    if size > MAX_UPLOAD:
        raise ImportProblem(
            f"The file is {size / 1024 / 1024:.1f} MB: the limit is "
            f"{MAX_UPLOAD // 1024 // 1024} MB. Remove large images and try again."
        )


def check_docx(data):
    """Refuse anything that is not a plain, readable .docx, before parsing it."""
    if data.startswith(OLE):
        raise ImportProblem(
            "This document is password-protected or in the old Word format "
            "(.doc). Remove the password, or save it as a Word document (.docx), "
            "and upload it again."
        )
    for magic, what in NOT_WORD:
        if data.startswith(magic):
            raise ImportProblem(
                f"This file is {what}, not a Word document, although its name "
                "ends in .docx. Upload the briefing as a Word document (.docx)."
            )
    if not data.startswith(b"PK\x03\x04"):
        raise ImportProblem(
            "This file is not a Word document (.docx). Open it in Word and save "
            "it as a Word document, then upload it again."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportProblem(
            "This Word document is damaged and cannot be read. Open it in Word, "
            "save it again and upload the new copy."
        ) from error
    if len(members) > MAX_MEMBERS:
        raise ImportProblem("This Word document has too many parts to be read.")
    # The sizes the archive declares: zipfile never unpacks a member past its
    # declared size, so these bound what reading it can cost.
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise ImportProblem(
            "This file unpacks to far more than a Word document holds (a "
            "“zip bomb”), so it was not read."
        )
    names = {member.filename.lower() for member in members}
    if any(name.endswith("vbaproject.bin") for name in names) or _macro_enabled(
        archive
    ):
        raise ImportProblem(
            "This document contains macros, which are never imported. Save it "
            "in Word as a “Word Document (.docx)”, not macro-enabled, and upload "
            "that copy."
        )
    if "word/document.xml" not in names:
        raise ImportProblem(
            "This file is a zip archive but not a Word document (.docx)."
        )
    try:
        archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportProblem(
            "This Word document is damaged and cannot be read. Open it in Word, "
            "save it again and upload the new copy."
        ) from error


def _macro_enabled(archive):
    """A .docm's parts are declared macro-enabled even when it holds no macros."""
    try:
        declared = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return False
    return b"macroEnabled" in declared


def read(data, filename):
    """The file as a ``BriefingDocument``, or ImportProblem saying why not."""
    kind = kind_of(filename)
    check_size(len(data))
    if kind == "docx":
        check_docx(data)
        try:
            doc = read_docx(data)
        except ImportProblem:
            raise
        except Exception as error:
            # python-docx raises many kinds of error on a malformed package.
            raise ImportProblem(
                "This Word document could not be read: it may be damaged. Open "
                "it in Word, save it again and upload the new copy."
            ) from error
    else:
        if b"\x00" in data:
            raise ImportProblem("This file is not a text (Markdown) file.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportProblem(
                "This Markdown file is not in UTF-8. Save it as UTF-8 text and "
                "upload it again."
            ) from error
        doc = read_markdown(text)
    if not doc.title:
        raise ImportProblem(
            "The document has no title: make the briefing’s title a Heading 1 "
            "(“# Title” in Markdown) at the top."
        )
    if len(doc.title) > TITLE_LENGTH:
        raise ImportProblem(
            f"The title (Heading 1) is {len(doc.title)} characters long: a "
            f"briefing's title is at most {TITLE_LENGTH}. Shorten it and upload "
            "the file again."
        )
    return doc


def write(doc, kind):
    if kind == "docx":
        return write_docx(doc)
    if kind == "md":
        return write_markdown(doc).encode()
    raise ValueError(kind)
