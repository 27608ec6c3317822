"""Why a file gave no rows: one `ErrorKind` for every cause, written to the `error_kind` column
of `files`, and one exception class per reason a document cannot be read, each with its kind.
Each message names the file and the cause and says what to do. A run's exit status follows from
its files' kinds (perftab/cli.py: every file read, some failed, all failed)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path


class ErrorKind(str, Enum):
    """The `error_kind` of a `files` row (null for a file read): what a program acts on (redo
    the timed-out, convert the unsupported) without parsing the message."""

    NO_TABLE = "no_table"  # read, but no performance target table in it
    DUPLICATE = "duplicate"  # the same content as another path (`duplicate_of`), read once
    EMPTY = "empty"  # 0 bytes
    UNSUPPORTED = "unsupported"  # a kind perftab does not read (legacy .doc, a ZIP archive …)
    DAMAGED = "damaged"  # broken, truncated, or not what its name says
    ENCRYPTED = "encrypted"  # a password is needed
    TOO_LARGE = "too_large"  # over --max-bytes or --max-pages
    REFUSED = "refused"  # built to exhaust a worker: a bomb, a giant page or picture
    TIMEOUT = "timeout"  # still being read after --file-timeout: its worker was stopped
    OUT_OF_MEMORY = "out_of_memory"  # needed more than --max-memory
    WORKER_DIED = "worker_died"  # the process reading it was killed or crashed
    CHANGED = "changed"  # the file changed while it was read
    IO_ERROR = "io_error"  # the file or its folder could not be read (permissions, a lost disk)
    INTERNAL = "internal"  # a fault in perftab: please report it with the file


class DocumentError(Exception):
    kind = ErrorKind.DAMAGED
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
    kind = ErrorKind.EMPTY
    hint = "fetch or copy it again"


class UnsupportedFileType(DocumentError):
    """Raised with the list of formats perftab reads as its hint (extract/formats.py)."""

    kind = ErrorKind.UNSUPPORTED


class UnreadableDocument(DocumentError):
    kind = ErrorKind.DAMAGED
    hint = "the file is damaged or is not what its name says; open it to check, or fetch it again"


class EncryptedDocument(DocumentError):
    kind = ErrorKind.ENCRYPTED
    hint = "remove the password (for example qpdf --decrypt --password=PW in.pdf out.pdf) and retry"


class PasswordProtected(EncryptedDocument):
    hint = (
        "remove the password in Word/WPS (Excel/WPS for a workbook): open the file with its "
        "password, clear the password, save it, and retry"
    )


class DocumentTooLarge(DocumentError):
    kind = ErrorKind.TOO_LARGE
    hint = "if the file is genuine, run it on its own with a higher limit"


class ResourceLimit(DocumentError):
    """A file refused before it could exhaust a worker's memory or time: a decompression or XML
    bomb, a page or picture of absurd size, a table spanning millions of cells. Its message
    starts with `refused:` and names the limit, so the files manifest tells a hostile or broken
    file from a fault in perftab."""

    kind = ErrorKind.REFUSED
    hint = "if the file is genuine, run it on its own with that limit raised"
