"""The files to read from the paths given: a file as given, and inside folders (recursively, a
folder linked to once followed once) every file of a kind perftab reads (extract/formats.py).
A folder named by URL is searched the same way (perftab/remote.py, through `Discovery.file`).
Nothing is passed over in silence and nothing blocks: every entry not read (a FIFO, a device, a
socket, a dangling or looping link, a file of no kind perftab reads) is a `Passed` record that
becomes a row in `files`, and a special file is never opened. A pipe named as /dev/fd/N (what a
shell's <(…) gives) is read once, into a temporary file, since it cannot be read twice; its rows
keep the name given (bytes_at gives the copy).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePath
from typing import IO, Generic, TypeVar

from perftab.extract.formats import content_kind, input_suffixes, readable_formats_hint

# /dev/fd/N, /dev/stdin, /proc/self/fd/N, /proc/<pid>/fd/N: a descriptor this process holds
_HELD_DESCRIPTOR = re.compile(r"^/(?:dev/fd/\d+|dev/stdin|proc/(?:self|\d+)/fd/\d+)$")
BLOCK = 1 << 20
MAX_PIPE_BYTES = 2 << 30  # a pipe is copied to disk before it is read: not without end
SPECIAL_KINDS = {  # stat's file type -> how a message names it
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


@dataclass(frozen=True)
class Passed:
    """An entry not read, and why: status `skipped` for what is not a document perftab reads,
    `error` for what should have been one (a dangling link, a folder that cannot be listed)."""

    name: str  # printable
    status: str
    message: str
    error_kind: str  # the ErrorKind value of its files row (extract/errors.py)


Found = TypeVar("Found", Path, str)  # a local path, or a URL


@dataclass
class Discovery(Generic[Found]):
    found: list[Found]
    passed: list[Passed]
    folders_seen: set[tuple[int, int]]  # (device, inode) of every folder walked

    def skip(self, path: Path | str, cause: str, status: str = "skipped", kind: str = "") -> None:
        name = printable(str(path))
        kind = kind or ("unsupported" if status == "skipped" else "io_error")
        self.passed.append(Passed(name, status, f"{name}: {printable(cause)}", kind))

    def file(self, item: Found, name: str, open_file: Callable[[], IO[bytes]]) -> None:
        """A file found in a folder, named `name`: read when named as one of perftab's kinds,
        or, whatever its name, when it is a PDF, a page image, a Word or an Excel document by its
        content (a download saved without its extension); otherwise passed over with its cause.
        `open_file` opens it for reading in binary (seekable), for when the name does not tell."""
        if is_input_name(name) or _input_by_content(open_file, name):
            self.found.append(item)
        elif name.upper().startswith("README"):
            self.skip(item, "a README, not a form")
        else:
            self.skip(item, f"not a kind of file perftab reads; {readable_formats_hint()}")


def find_inputs(inputs: list[Path]) -> tuple[list[Path], list[Passed]]:
    """The files to read, in a stable order, and a record of every entry passed over."""
    found: Discovery[Path] = Discovery([], [], set())
    for item in inputs:
        given_path(Path(item), found)
    return list(dict.fromkeys(found.found)), found.passed  # a file named twice is read once


def given_path(path: Path, found: Discovery[Path]) -> None:
    """A path named on the command line: a folder is walked, a file read whatever its name, a
    pipe held as /dev/fd/N copied, and any other special file passed over without opening it."""
    try:
        mode = path.stat().st_mode
    except OSError:  # missing or unreadable: hashing it gives the row that says so
        found.found.append(path)
        return
    if stat.S_ISDIR(mode):
        walk_folder(path, found)
    elif stat.S_ISFIFO(mode) and _HELD_DESCRIPTOR.match(str(path)):
        _copy_pipe(path, found)
    elif stat.S_ISREG(mode):
        found.found.append(path)
    else:
        found.skip(path, f"{_special_kind(mode)}, not a file; perftab reads files")


def walk_folder(folder: Path, found: Discovery[Path]) -> None:
    """Every entry below `folder`, in name order; a folder reached twice (a link back to a folder
    above it, or a second link to the same one) is walked once."""
    key = _identity(folder)
    if key in found.folders_seen:
        found.skip(folder, f"a link to the folder {os.path.realpath(folder)}, which is read "
                           "already (a loop, or a second way to the same folder)")
        return
    found.folders_seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        found.skip(folder, f"cannot list the folder ({exc.strerror or exc})", "error")
        return
    for entry in entries:
        folder_entry(Path(entry.path), found)


def folder_entry(path: Path, found: Discovery[Path]) -> None:
    try:
        mode = path.stat().st_mode  # follows links
    except OSError as exc:
        _broken_link(path, exc, found)
        return
    if stat.S_ISDIR(mode):
        walk_folder(path, found)
    elif not stat.S_ISREG(mode):
        found.skip(path, f"{_special_kind(mode)}, not a file; perftab reads files")
    else:
        found.file(path, path.name, partial(_read_binary, path))


def _broken_link(path: Path, exc: OSError, found: Discovery[Path]) -> None:
    if not path.is_symlink():  # gone since it was listed, or not ours to see
        found.skip(path, f"cannot read it ({exc.strerror or exc})", "error")
        return
    target = os.readlink(path)
    if exc.errno == getattr(os, "ELOOP", 40):
        found.skip(path, f"a symbolic link to {target} that loops back on itself", "error")
    else:
        found.skip(path, f"a symbolic link to {target}, which does not exist", "error")


def _read_binary(path: Path) -> IO[bytes]:
    return open(path, "rb")


def _input_by_content(open_file: Callable[[], IO[bytes]], name: str) -> bool:
    try:
        with open_file() as fh:
            return content_kind(fh, name) is not None
    except OSError:  # unreadable: not taken for a document
        return False


def is_input_name(name: str) -> bool:
    """A file name of a kind perftab reads, looked for inside folders (not a README)."""
    suffix = PurePath(name).suffix.lower()
    return suffix in input_suffixes() and not name.upper().startswith("README")


def _identity(folder: Path) -> tuple[int, int]:
    info = folder.stat()
    return info.st_dev, info.st_ino


def _special_kind(mode: int) -> str:
    return SPECIAL_KINDS.get(stat.S_IFMT(mode), "a special file")


def _copy_pipe(path: Path, found: Discovery[Path]) -> None:
    """The bytes of a pipe, in a temporary file kept until perftab ends: hashing and reading a
    file open it more than once, and a pipe gives its bytes once."""
    copy = Path(_pipe_folder()) / f"pipe-{path.name}"
    try:
        with open(path, "rb") as source, open(copy, "wb") as target:
            copied = 0
            for block in iter(lambda: source.read(BLOCK), b""):
                copied += len(block)
                if copied > MAX_PIPE_BYTES:
                    limit = f"refused: the pipe gave more than {MAX_PIPE_BYTES >> 30} GB"
                    found.skip(path, limit, "error", "refused")
                    return
                target.write(block)
    except OSError as exc:
        found.skip(path, f"cannot read the pipe ({exc.strerror or exc})", "error")
        return
    PIPE_COPIES[str(path)] = copy
    found.found.append(path)


_PIPE_FOLDERS: list[str] = []
# a pipe's name as given (/dev/fd/63) -> the copy of its bytes, read in its place; its rows
# and messages keep the name given
PIPE_COPIES: dict[str, Path] = {}


def bytes_at(path: Path | str) -> Path | str:
    """Where an input's bytes are: a pipe's copy, else the input itself."""
    return PIPE_COPIES.get(str(path), path)


def _pipe_folder() -> str:
    if not _PIPE_FOLDERS:
        _PIPE_FOLDERS.append(tempfile.mkdtemp(prefix="perftab-pipes-"))
        atexit.register(shutil.rmtree, _PIPE_FOLDERS[0], True)
    return _PIPE_FOLDERS[0]


def printable(text: str) -> str:
    """Text fit for a terminal and for Parquet: the undecodable bytes of a non-UTF-8 file name
    (held by Python as lone surrogates) and control characters (a name holding a terminal's
    escape codes) written as backslash escapes: `bad\\xff.docx`, `a\\x1b[31m.pdf`."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is not an undecodable byte
        raw = text.encode("utf-8", "backslashreplace")
    return _CONTROL.sub(_escape, raw.decode("utf-8", "backslashreplace"))


# C0 and C1 controls and DEL; a tab or newline in a name is as misleading as an escape code
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"
