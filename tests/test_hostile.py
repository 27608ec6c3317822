"""Hostile files and failing machines through the CLI: each hostile file, built small at test
time beside a good one, is a files row with error_kind `refused` and its refusal; a full disk
or a read-only OUTDIR is one line naming the path and what to do (exit status 4), the files
done before kept and the run resumed once the fault is mended; the exit status tells every
file read, some failed and all failed apart."""

import errno
import os
import shutil

import pytest
from conftest import SAMPLES
from test_batch import distinct_docx
from test_limits import HINT, hostile_cases

from perftab import writers
from perftab.cli import main
from perftab.writers import read_output

GOOD = SAMPLES / "docx" / "huoshan-2023.docx"
INDICATORS_PER_SAMPLE = 86


def extract(inputs, out, *extra: str) -> int:
    return main(["extract", str(inputs), "-o", str(out), "-q", *extra])


def files_rows(out) -> dict[str, dict]:
    return {os.path.basename(r["source_path"]): r for r in read_output(out, "files").to_pylist()}


def test_hostile_files_beside_good_ones_are_refused_by_name(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    cases = hostile_cases(batch)
    shutil.copy(GOOD, batch / "zz-good.docx")
    out = tmp_path / "out"
    assert extract(batch, out, "-j", "2") == 1  # some failed
    rows = files_rows(out)
    for path, cause in cases:
        row = rows[path.name]
        assert (row["status"], row["error_kind"], row["error"]) == (
            "error", "refused", f"{path}: {cause}; {HINT}"
        ), path.name
    good = rows["zz-good.docx"]
    assert (good["status"], good["error_kind"], good["error"]) == ("ok", None, None)
    assert len(read_output(out, "indicators")) == INDICATORS_PER_SAMPLE


def test_a_limit_raised_on_the_command_line_and_retry_failed(tmp_path):
    from test_limits import docx_with_body, table_xml

    batch = tmp_path / "batch"
    batch.mkdir()
    nested = table_xml("")
    for _ in range(3):
        nested = table_xml(nested)  # 4 tables deep
    deep = docx_with_body(batch, nested, "deep.docx")
    shutil.copy(GOOD, batch / "good.docx")
    out = tmp_path / "out"
    assert extract(batch, out, "-j", "1", "--max-nesting", "3") == 1
    assert files_rows(out)["deep.docx"]["error"] == (
        f"{deep}: refused: table 1, nested 4 tables deep, exceeds the limit of 3 tables in "
        f"tables (--max-nesting); {HINT}"
    )
    assert extract(batch, out, "-j", "1") == 1  # recorded: skipped, still failed
    assert files_rows(out)["deep.docx"]["error_kind"] == "refused"

    good_before = files_rows(out)["good.docx"]
    assert extract(batch, out, "-j", "1", "--retry-failed") == 0
    rows = files_rows(out)
    deep_row = rows["deep.docx"]
    assert (deep_row["status"], deep_row["error_kind"]) == ("no_table", "no_table")
    assert rows["good.docx"] == good_before  # not read again


def test_a_bad_limit_is_a_usage_error(tmp_path, capsys):
    assert extract(GOOD, tmp_path / "out", "--max-table-cells", "many") == 2
    assert capsys.readouterr().err == (
        "perftab: --max-table-cells: 'many' is not a whole number such as 1000000\n"
    )


def test_every_file_failed_is_its_own_exit_status(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    out = tmp_path / "out"
    assert extract(tmp_path / "empty.pdf", out) == 3
    row = files_rows(out)["empty.pdf"]
    assert (row["status"], row["error_kind"]) == ("error", "empty")


# ---------------------------------------------------------------- the machine's faults


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_full_disk_stops_with_a_message_and_the_run_resumes(tmp_path, monkeypatch, capsys, fmt):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("a", "b", "c"):  # three contents: the same form with other bytes
        distinct_docx(GOOD, archive / f"{name}.docx", name)
    out = tmp_path / "out"
    real_write = writers.replace_atomic
    writes = []

    def full_after_some(path, write):  # Parquet: at the second file's files row
        writes.append(path)
        files_rows = [p for p in writes if "files" in str(p)]
        if len(files_rows) > (1 if fmt == "parquet" else 0) and "files" in str(path):
            def no_space(tmp):
                write(tmp)
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(path, no_space)
        return real_write(path, write)

    monkeypatch.setattr(writers, "replace_atomic", full_after_some)
    assert extract(archive, out, "-j", "1", "--format", fmt) == 4
    monkeypatch.undo()
    out_text, err = capsys.readouterr()
    assert err == (
        f"perftab: {out}: no space left on the device; free some space and run the same "
        "command again: the files done are kept\n"
    )
    assert "Traceback" not in err + out_text
    assert not list(out.rglob(".*.part"))  # nothing half-written

    assert extract(archive, out, "-j", "1", "--format", fmt) == 0
    rows = files_rows(out)
    assert sorted(rows) == ["a.docx", "b.docx", "c.docx"]
    assert {r["status"] for r in rows.values()} == {"ok"}
    assert len(read_output(out, "indicators")) == 3 * INDICATORS_PER_SAMPLE


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the mode")
def test_a_read_only_outdir(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert extract(GOOD, out) == 4
    finally:
        out.chmod(0o755)
    assert capsys.readouterr().err == (
        f"perftab: {out}/.perftab.lock: permission denied; give a folder you can write to "
        "with -o\n"
    )


def test_an_outdir_in_place_of_a_file(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert extract(GOOD, blocker / "out") == 4
    assert capsys.readouterr().err == (
        f"perftab: {blocker / 'out'}: a part of the path is a file, not a folder; give another "
        "folder with -o\n"
    )


@pytest.mark.parametrize("command", ["check", "diff"])
def test_check_and_diff_on_an_empty_or_foreign_folder(tmp_path, capsys, command):
    folder = tmp_path / "foreign"
    folder.mkdir()
    (folder / "notes.txt").write_text("x")
    args = [command, str(folder)] + ([str(folder), "-o", str(tmp_path / "d")]
                                     if command == "diff" else [])
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"perftab: {folder}: no tables.parquet, tables.csv or perftab.xlsx in it; give a "
        "folder written by perftab extract\n"
    )


# ---------------------------------------------------------------- damaged PDFs

DAMAGED = "the file is damaged or is not what its name says; open it to check, or fetch it again"
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (x) Tj ET"


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog) with a correct xref table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def page(contents: bytes = b"4 0 R", resources: bytes = b"<< /Font << /F1 5 0 R >> >>"):
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s /Resources %s >>" % (
        contents, resources)


def stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), filters, data)


GOOD_PDF = [CATALOG, PAGES, page(), stream(TEXT), FONT]
DAMAGED_PDFS = {
    # the page tree's only node lists itself as its kid
    "page-tree-to-itself": (
        [CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"],
        "its page tree does not lead to page 1 of 1: Failed to get page size by index.",
    ),
    # a content stream whose /Length is a reference to a reference to the first
    "reference-loop": (
        [CATALOG, PAGES, page(), b"<< /Length 6 0 R >>\nstream\n" + TEXT + b"\nendstream",
         FONT, b"7 0 R", b"6 0 R"],
        "its objects refer to each other in a loop: 6 0 R -> 7 0 R -> 6 0 R",
    ),
    # a content stream whose /Length leads back to the stream itself, on a page that draws
    # nothing PDFium could read (PDFium finds the end of a stream with text without its length)
    "stream-length-is-the-stream": (
        [CATALOG, PAGES, page(), b"<< /Length 6 0 R >>\nstream\nBT ET\nendstream", FONT,
         b"4 0 R"],
        "its objects refer to each other in a loop",
    ),
    "broken-content-stream": (
        [CATALOG, PAGES, page(), stream(b"x\x9c" + b"\xff" * 40, b"/Filter /FlateDecode"),
         FONT],
        "page 1's content stream does not decompress (Error -3 while decompressing data: "
        "invalid block type)",
    ),
}


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("name", DAMAGED_PDFS)
def test_a_damaged_pdf_is_damaged_with_its_cause(tmp_path, name, reader):
    from perftab.pipeline import extract_file

    objects, cause = DAMAGED_PDFS[name]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf_bytes(objects))
    result = extract_file(path, pdf_reader=reader)
    assert (result.status, result.error_kind, result.error) == (
        "error", "damaged", f"{path}: not a readable PDF ({cause}); {DAMAGED}"
    )


@pytest.mark.parametrize("cut", ["in the xref table", "in an object"])
def test_a_truncated_pdf_is_damaged(tmp_path, cut):
    from perftab.pipeline import extract_file

    data = pdf_bytes(GOOD_PDF)
    end = data.index(b"xref") + 30 if cut == "in the xref table" else data.index(b"4 0 obj") + 20
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[:end])
    cause = ("No /Root object! - Is this really a PDF?" if cut == "in the xref table"
             else "Unexpected EOF")
    result = extract_file(path)
    assert (result.status, result.error_kind, result.error) == (
        "error", "damaged", f"{path}: not a readable PDF ({cause}); {DAMAGED}"
    )


def test_the_same_pdf_undamaged_is_read(tmp_path):
    """The builder itself makes a readable PDF: the damage above is what the tests put in."""
    from perftab.pipeline import extract_file

    path = tmp_path / "good.pdf"
    path.write_bytes(pdf_bytes(GOOD_PDF))
    result = extract_file(path)
    assert (result.status, result.error_kind, result.pages) == ("no_table", "no_table", 1)


# ---------------------------------------------------------------- an OUTDIR that goes away

VANISHED = ("the folder vanished while perftab wrote to it (removed, or its disk or network "
            "drive gone); bring it back, or give another folder with -o, and run the same "
            "command again")


def three_forms(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("a", "b", "c"):
        distinct_docx(GOOD, archive / f"{name}.docx", name)
    return archive


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_outdir_removed_between_files(tmp_path, monkeypatch, capsys, fmt):
    archive, out = three_forms(tmp_path), tmp_path / "out"
    store = writers.ParquetStore if fmt == "parquet" else writers.CsvStore
    real_add, added = store.add, []

    def remove_after_the_first(self, result):
        added.append(result.source_path)
        if len(added) == 2:
            shutil.rmtree(out)
        return real_add(self, result)

    monkeypatch.setattr(store, "add", remove_after_the_first)
    assert extract(archive, out, "--in-process", "--format", fmt) == 4
    out_text, err = capsys.readouterr()
    assert err == f"perftab: {out}: {VANISHED}\n"
    assert "Traceback" not in out_text + err


@pytest.mark.parametrize(("code", "advice"), [
    (errno.EIO, "the disk or network drive failed to write (input/output error); check it and "
                "run the same command again: the files done are kept"),
    (errno.ESTALE, "the network folder is no longer reachable; mount it again and run the same "
                   "command again: the files done are kept"),
    (errno.ENOENT, VANISHED),
])
def test_a_network_outdir_failing_mid_run(tmp_path, monkeypatch, capsys, code, advice):
    """The writer's OSError on a temporary file is named by the folder, and once the folder is
    back the same command finishes the files not done."""
    archive, out = three_forms(tmp_path), tmp_path / "out"
    real_write, writes = writers.replace_atomic, []

    def failing_on_the_second(path, write):
        writes.append(path)
        if len(writes) == 2:
            raise OSError(code, os.strerror(code), str(path.parent / f".{path.name}.1a2b.part"))
        return real_write(path, write)

    monkeypatch.setattr(writers, "replace_atomic", failing_on_the_second)
    assert extract(archive, out, "--in-process", "--format", "csv") == 4
    monkeypatch.undo()
    assert capsys.readouterr().err == f"perftab: {out}: {advice}\n"
    assert extract(archive, out, "--in-process", "--format", "csv") == 0
    rows = files_rows(out)
    assert {name: row["status"] for name, row in rows.items()} == {
        "a.docx": "ok", "b.docx": "ok", "c.docx": "ok"
    }
    assert len(read_output(out, "indicators")) == 3 * INDICATORS_PER_SAMPLE


def test_many_empty_pages_are_checked_in_one_walk(tmp_path):
    """Each empty page's content is looked up in one walk of the page tree: 400 pages checked
    in well under a second (a parse per page took a minute)."""
    import time

    import pypdfium2 as pdfium

    from perftab.extract.pdf_damage import PageContents

    pdf = pdfium.PdfDocument.new()
    for _ in range(400):
        pdf.new_page(595, 842)
    path = tmp_path / "empty-pages.pdf"
    pdf.save(path)
    pdf.close()
    start = time.perf_counter()
    with PageContents(path) as contents:
        for number in range(1, 401):
            contents.check(number)  # no content: nothing to refuse
    assert time.perf_counter() - start < 5
