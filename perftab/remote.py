"""Inputs named by URL (s3://bucket/archive/, memory://archive/, file:///…), read through fsspec:

    discover_urls (listing, in the client) -> local_copy (on a worker) -> extract_file(copy)

The readers in extract/ need a real file, so a worker copies a URL's bytes into a temporary
folder, hashing them on the way, and the rows and messages name the URL, never the copy
(extract_file's `source`). Which fsspec protocols work is up to the packages installed where
the URL is read: s3fs for s3://, gcsfs for gs://, and so on (docs/cluster.md).
"""

from __future__ import annotations

import hashlib
import posixpath
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path, PurePosixPath

from .discovery import Discovery
from .records import FileResult, passed_result

BLOCK = 1 << 20
SNIFF_BLOCK = 64 << 10  # a file is sniffed in ranges this small, not the protocol's large blocks
MAX_NAME_BYTES = 200  # a copy keeps the URL's file name below this (file systems allow 255)


def discover_urls(urls: list[str]) -> tuple[list[str], list[FileResult]]:
    """discover_inputs for URLs: a file as given; inside a folder (recursively) every file of a
    kind perftab reads, by its name or its first bytes, in discover_inputs' order, named by the
    URL given and the path below it (memory://archive/2023/a.docx); and, as discover_inputs
    gives, a row for every other file (status skipped) and for each folder that cannot be listed
    (status error)."""
    found: Discovery[str] = Discovery([], [], set())
    for url in urls:
        try:
            _given_url(url, found)
        except OSError as exc:
            found.skip(url, f"cannot list the folder ({exc.strerror or exc})", "error")
    return list(dict.fromkeys(found.found)), [passed_result(p) for p in found.passed]


def _given_url(url: str, found: Discovery[str]) -> None:
    import fsspec  # imported once a URL is named: a run over local files does without it

    fs, root = fsspec.core.url_to_fs(url)
    if not fs.isdir(root):
        found.found.append(url)
        return
    entries = fs.find(root, detail=True)
    below = sorted(entries, key=lambda path: PurePosixPath(posixpath.relpath(path, root)))
    for path in below:
        item = f"{url.rstrip('/')}/{posixpath.relpath(path, root)}"
        kind = entries[path].get("type")
        if kind != "file":
            found.skip(item, f"not a file (listed as {kind}); perftab reads files")
            continue
        found.file(item, posixpath.basename(path),
                   partial(fs.open, path, "rb", block_size=SNIFF_BLOCK))


@contextmanager
def local_copy(url: str) -> Iterator[tuple[Path, str]]:
    """The bytes at `url` in a temporary file, and their sha256; the file is gone afterwards."""
    import fsspec  # imported once a URL is named: a run over local files does without it

    with tempfile.TemporaryDirectory(prefix="perftab-") as folder:
        copy = Path(folder) / _copy_name(url)
        digest = hashlib.sha256()
        with fsspec.open(url, "rb") as source, open(copy, "wb") as target:
            for block in iter(lambda: source.read(BLOCK), b""):
                digest.update(block)
                target.write(block)
        yield copy, digest.hexdigest()


def _copy_name(url: str) -> str:
    """The URL's file name: where the content does not tell the kind, the readers go by the
    suffix (a legacy .wps or .xls, a tab-separated .txt) and a message may quote the name."""
    name = PurePosixPath(url).name
    if 0 < len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    return "input" + PurePosixPath(name).suffix[:16]
