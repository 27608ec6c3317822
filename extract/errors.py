"""One exception class per reason a document cannot be read. Each message names the file and the
cause and says what to do; the CLI maps `exit_code` to the process exit status."""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    exit_code = 2
    hint = ""

    def __init__(self, path: Path | str, cause: str, hint: str | None = None):
        self.path = str(path)
        self.cause = cause
        message = f"{self.path}: {cause}"
        hint = self.hint if hint is None else hint
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class EmptyDocument(DocumentError):
    exit_code = 3
    hint = "fetch or copy it again"


class UnsupportedFileType(DocumentError):
    """Raised with the list of formats perftab reads as its hint (extract/formats.py)."""

    exit_code = 4


class UnreadableDocument(DocumentError):
    exit_code = 5
    hint = "the file is damaged or is not what its name says; open it to check, or fetch it again"


class EncryptedDocument(DocumentError):
    exit_code = 6
    hint = "remove the password (for example qpdf --decrypt --password=PW in.pdf out.pdf) and retry"


class PasswordProtected(EncryptedDocument):
    hint = (
        "remove the password in Word/WPS (Excel/WPS for a workbook): open the file with its "
        "password, clear the password, save it, and retry"
    )


class DocumentTooLarge(DocumentError):
    exit_code = 7
    hint = "if the file is genuine, run it on its own with a higher limit"


class ResourceLimit(DocumentError):
    """A file refused before it could exhaust a worker's memory or time: a decompression or XML
    bomb, a page or picture of absurd size, a table spanning millions of cells. Its message
    starts with `refused:` and names the limit, so the files manifest tells a hostile or broken
    file from a fault in perftab."""

    exit_code = 8
    hint = "if the file is genuine, raise the limit in extract/limits.py and run it on its own"
