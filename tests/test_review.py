"""perftab review as a person uses it: the page opened in headless Chromium (Debian's package,
driven by Playwright's Python driver pointed at it: no browser download), a scanned row's target
corrected, the file extracted again. The scan is the first page of a sample scan, read by OCR
once for the module and once more after the correction."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from perftab.cli import main
from perftab.corrections import read_corrections
from perftab.review import create_app
from perftab.writers import read_output

CHROMIUM = Path("/usr/bin/chromium")
SCAN = SAMPLES / "scans" / "huoshan-2023-200dpi.pdf"
REVIEWER = "测试员"


def first_page(source: Path, target: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(source).pages[0])
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def extract(path: Path, outdir: Path, *more: str) -> None:
    assert main(["extract", str(path), "-o", str(outdir), "-q", "-j", "1", *more]) == 0


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("review")
    scan = first_page(SCAN, folder / "scan-page1.pdf")
    outdir = folder / "out"
    extract(scan, outdir)
    return scan, outdir


@pytest.fixture(scope="module")
def served(scanned):
    """The review page of the scan's OUTDIR, on a free port of 127.0.0.1: (base URL, token)."""
    from werkzeug.serving import make_server

    token = secrets.token_urlsafe(16)
    server = make_server("127.0.0.1", 0, create_app(scanned[1], token, REVIEWER), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", token
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing; .ci/run installs it (apt chromium)")
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


def status_of(url: str, data: bytes | None = None) -> int:
    try:
        with urllib.request.urlopen(url, data=data) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def indicators(outdir: Path) -> dict[str, dict]:
    return {r["locator"]: r for r in read_output(outdir, "indicators").to_pylist()}


def test_a_scanned_rows_target_corrected_on_the_page_is_in_the_next_extract(
    scanned, served, browser
):
    scan, outdir = scanned
    base, token = served
    before = indicators(outdir)
    page = browser.new_page()
    page.goto(f"{base}/?token={token}")
    items = page.locator("section.item")
    assert items.count() >= 1
    # the first indicator row of the queue, with the crop of its printed row
    item = page.locator("section.item:has(form.correct-target)").first
    locator = item.get_attribute("data-locator")
    printed = before[locator]
    image = item.locator(".evidence img")
    image.scroll_into_view_if_needed()
    loaded = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(loaded, arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 200

    # typed, re-parsed on the spot; saved; then corrected a second time
    for typed, shown in (("≥88%", ">= 88 %"), ("≥77.5%", ">= 77.5 %")):
        item = page.locator(f'section.item[data-locator="{locator}"]')
        field = item.locator("input.target-input")
        field.fill(typed)
        page.wait_for_function(
            "([el, text]) => el.textContent.replace(/\\s+/g, ' ').trim() === text",
            arg=[item.locator(".parsed").element_handle(), shown],
        )
        item.locator("form.correct-target button").click()
        page.wait_for_url(re.compile(r".*#item-"))
        item = page.locator(f'section.item[data-locator="{locator}"]')
        assert f"target → {typed} by {REVIEWER}" in item.locator(".done").inner_text()
    page.close()

    stored = [c for c in read_corrections(outdir) if c.locator == locator]
    assert [(c.field, c.before, c.after, c.who) for c in stored] == [
        ("target", printed["target_raw"], "≥77.5%", REVIEWER)
    ]

    extract(scan, outdir, "--force")
    after = indicators(outdir)[locator]
    assert after["target_raw"] == printed["target_raw"]  # the printed text stays
    assert (after["op"], after["value"], after["unit"], after["qualitative"]) == (
        ">=", 77.5, "%", False
    )
    note = (f"review correction of target: printed {printed['target_raw']!r}, corrected to "
            f"'≥77.5%' by {REVIEWER} on {stored[0].when}")
    assert after["repairs"] == [*printed["repairs"], note]
    others = {k: v for k, v in indicators(outdir).items() if k != locator}
    assert others == {k: v for k, v in before.items() if k != locator}


def test_a_request_without_the_token_is_refused(served):
    base, token = served
    for url in (f"{base}/", f"{base}/parse?text=1", f"{base}/?token=",
                f"{base}/?token={token[:-1]}", f"{base}/evidence/x/1.png"):
        assert status_of(url) == 403, url
    assert status_of(f"{base}/correct", b"table_id=x&seq=1&field=accepted") == 403
    assert status_of(f"{base}/?token={token}") == 200


def test_no_path_outside_the_output_can_be_read(served, scanned):
    base, token = served
    for path in ("/evidence/..%2F..%2F..%2Fetc%2Fpasswd/1.png", "/static/../../etc/passwd",
                 "/../../etc/passwd", "/evidence/0000000000000000-t01/1.png",
                 "/etc/passwd", f"/{scanned[0]}"):
        assert status_of(f"{base}{path}?token={token}") == 404, path


def test_review_command_listens_on_this_machine_with_a_token(scanned):
    process = subprocess.Popen(
        [sys.executable, "-m", "perftab", "review", str(scanned[1]), "--reviewer", "x"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"perftab review: open (http://127\.0\.0\.1:\d+/)\?token=(\S{32})\n",
                             line)
        assert match, line
        assert status_of(match.group(1)) == 403
        assert status_of(f"{match.group(1)}?token={match.group(2)}") == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def docx_served(tmp_path_factory):
    """A DOCX sample's OUTDIR and its review page: (outdir, base URL, token)."""
    from werkzeug.serving import make_server

    outdir = tmp_path_factory.mktemp("review-docx") / "out"
    extract(SAMPLES / "docx" / "huoshan-2023.docx", outdir)
    token = secrets.token_urlsafe(16)
    server = make_server("127.0.0.1", 0, create_app(outdir, token, REVIEWER), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield outdir, f"http://127.0.0.1:{server.server_port}", token
    server.shutdown()
    server.server_close()


def test_a_project_named_script_stays_text(docx_served, browser):
    outdir, base, token = docx_served
    name = "<script>window.injected = 1</script><img src=x onerror=window.injected=2>"
    page = browser.new_page()
    page.goto(f"{base}/?token={token}")
    header = page.locator("section.item:has(form.correct-header)").first
    table_id = header.locator("form.correct-header input[name=table_id]").get_attribute("value")
    header.locator("select[name=field]").select_option("project_name")
    header.locator("input[name=value]").fill(name)
    header.locator("form.correct-header button").click()
    page.wait_for_url(re.compile(r".*#item-"))
    assert page.evaluate("window.injected") is None
    shown = page.locator(f'section.item[id="item-{table_id}-0"] .done').inner_text()
    assert f"project_name → {name} by {REVIEWER}" in shown
    assert f"· {name} ·" in page.locator("h3.table").first.inner_text()
    page.close()
    table = next(t for t in read_output(outdir, "tables").to_pylist()
                 if t["table_id"] == table_id)
    assert table["project_name"] != name  # the output changes when the file is extracted again


def test_a_docx_row_shows_its_cells_and_those_around_it(docx_served, browser):
    outdir, base, token = docx_served
    rows = indicators(outdir)
    page = browser.new_page()
    page.goto(f"{base}/?token={token}")
    item = page.locator("section.item:has(form.correct-target)").first
    row = rows[item.get_attribute("data-locator")]
    this = item.locator("table.cells tr.this td")
    texts = [this.nth(k).inner_text() for k in range(this.count())]
    assert texts[-1] == row["target_raw"] and row["level3"] in texts
    assert item.locator("table.cells tr").count() == 3
    page.close()
