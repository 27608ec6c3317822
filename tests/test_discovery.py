"""Folder discovery: links to folders followed once, every entry passed over named with its
cause, special files never opened, a pipe held as /dev/fd/N read, names printed safely."""

import os
import socket
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

from perftab.cli import main
from perftab.discovery import Passed, bytes_at, find_inputs, printable
from perftab.writers import read_output

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, sockets and /dev/fd")

READS = (
    "perftab reads .pdf, .docx, .xlsx, .xls, .html/.htm, Markdown .md, tab-separated .txt/.tsv "
    "and page images .png/.jpg/.tif"
)


@pytest.fixture
def archive(tmp_path):
    """A folder of two documents, a README and a note, with special entries beside them."""
    root = tmp_path / "archive"
    (root / "2023").mkdir(parents=True)
    (root / "2023" / "a.txt").write_text("项目\t值\n", encoding="utf-8")
    (root / "2023" / "b.pdf").write_bytes(b"%PDF-1.7\n")
    (root / "README.md").write_text("how this archive is filed\n", encoding="utf-8")
    (root / "notes.xyz").write_text("a note\n", encoding="utf-8")
    return root


def test_documents_found_and_others_named(archive):
    os.mkfifo(archive / "queue")
    os.symlink(archive / "gone.pdf", archive / "dangling.pdf")
    os.symlink("loop2", archive / "loop1")
    os.symlink("loop1", archive / "loop2")
    found, passed = find_inputs([archive])
    assert [p.relative_to(archive).as_posix() for p in found] == ["2023/a.txt", "2023/b.pdf"]
    assert passed == [
        Passed(f"{archive}/README.md", "skipped", f"{archive}/README.md: a README, not a form",
               "unsupported"),
        Passed(f"{archive}/dangling.pdf", "error", f"{archive}/dangling.pdf: a symbolic link to "
               f"{archive}/gone.pdf, which does not exist", "io_error"),
        Passed(f"{archive}/loop1", "error",
               f"{archive}/loop1: a symbolic link to loop2 that loops back on itself", "io_error"),
        Passed(f"{archive}/loop2", "error",
               f"{archive}/loop2: a symbolic link to loop1 that loops back on itself", "io_error"),
        Passed(f"{archive}/notes.xyz", "skipped",
               f"{archive}/notes.xyz: not a kind of file perftab reads; {READS}", "unsupported"),
        Passed(f"{archive}/queue", "skipped",
               f"{archive}/queue: a named pipe (FIFO), not a file; perftab reads files",
               "unsupported"),
    ]  # fmt: skip


def test_a_socket_is_named_not_opened(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "s.sock"))
    try:
        found, passed = find_inputs([tmp_path])
    finally:
        server.close()
    assert (found, [p.message for p in passed]) == (
        [], [f"{tmp_path}/s.sock: a socket, not a file; perftab reads files"],
    )  # fmt: skip


def test_linked_folder_followed_once(tmp_path, archive):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "c.docx").write_bytes(b"PK\x03\x04 a Word file by name")
    os.symlink(outside, archive / "linked")
    os.symlink(archive, archive / "2023" / "back-up")  # a link to a folder above: a loop
    os.symlink(outside, archive / "linked-again")
    found, passed = find_inputs([archive])
    assert [p.relative_to(archive).as_posix() for p in found] == [
        "2023/a.txt", "2023/b.pdf", "linked/c.docx",
    ]  # fmt: skip
    loops = [(p.name, p.message) for p in passed if "already" in p.message]
    assert loops == [
        (f"{archive}/2023/back-up", f"{archive}/2023/back-up: a link to the folder {archive}, "
         "which is read already (a loop, or a second way to the same folder)"),
        (f"{archive}/linked-again", f"{archive}/linked-again: a link to the folder {outside}, "
         "which is read already (a loop, or a second way to the same folder)"),
    ]  # fmt: skip


def test_special_files_named_directly_are_not_opened(tmp_path):
    os.mkfifo(tmp_path / "fifo")  # opening it would wait for a writer for ever
    found, passed = find_inputs([tmp_path / "fifo", "/dev/zero"])
    assert found == []
    assert [(p.status, p.message) for p in passed] == [
        ("skipped", f"{tmp_path}/fifo: a named pipe (FIFO), not a file; perftab reads files"),
        ("skipped", "/dev/zero: a character device, not a file; perftab reads files"),
    ]


def test_a_pipe_held_as_dev_fd_is_read_once_into_a_copy():
    read_end, write_end = os.pipe()
    os.write(write_end, "项目\t值\n".encode())
    os.close(write_end)
    try:
        found, passed = find_inputs([f"/dev/fd/{read_end}"])
    finally:
        os.close(read_end)
    assert passed == []
    assert found == [Path(f"/dev/fd/{read_end}")]  # named as given, read from its copy
    assert Path(bytes_at(found[0])).read_bytes() == "项目\t值\n".encode()


def test_a_pipe_s_rows_are_named_as_the_pipe_was_given(tmp_path):
    """perftab extract <(cat form.md): the files row names /dev/fd/N, not the temporary copy
    read in its place, and the tables are read."""
    text = (SAMPLES / "markdown" / "huoshan-2023.md").read_bytes()
    read_end, write_end = os.pipe()
    os.write(write_end, text)
    os.close(write_end)
    out = tmp_path / "out"
    try:
        assert main(["extract", f"/dev/fd/{read_end}", "-o", str(out), "-q"]) == 0
    finally:
        os.close(read_end)
    [row] = read_output(out, "files").to_pylist()
    assert (row["source_path"], row["status"], row["n_tables"]) == (
        f"/dev/fd/{read_end}", "ok", 5)
    tables = read_output(out, "tables").column("source_path").to_pylist()
    assert set(tables) == {f"/dev/fd/{read_end}"}


@pytest.mark.parametrize(
    "name, shown",
    [
        ("plain 项目.pdf", "plain 项目.pdf"),
        ("red\x1b[31m.pdf", "red\\x1b[31m.pdf"),
        ("two\nlines.pdf", "two\\x0alines.pdf"),
        ("bell\x07.pdf", "bell\\x07.pdf"),
        ("c1\x9b2J.pdf", "c1\\x9b2J.pdf"),
        ("bad\udcff.pdf", "bad\\xff.pdf"),
    ],
)
def test_names_printed_with_control_characters_escaped(name, shown):
    assert printable(name) == shown
