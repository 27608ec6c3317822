"""The development set's tables typeset again in layouts their publishers did not use
(tests/relayout.py: other heading words and header labels, levels repeated or printed once over
blank cells, the target split or joined, extra columns, a label column, a heading on two rows,
the header block apart, as lines above, two fields a row, label and value in one cell, the funds
by column, the table continued in a second table, a note across its foot, full-width
punctuation, Traditional characters) must still come out whole: header fields, and every row's
一级/二级/三级 and target, compared as tests/test_realworld.py compares the published layouts,
typeset as a Word document, as a workbook (its numbers' units and operators typed as text, or
printed by the cells' number formats), as Word's web page and as the article of a site's page
(relayout.write_docx, write_xlsx, write_html).

The product of truths, variations and formats is large; by default every third case runs (a
deterministic third: each variation on a third of the truths in each format, each truth under
a third of the variations); PERFTAB_RELAYOUT=all runs them all.
"""

import functools
import json
import os

import pytest
import relayout
import test_realworld as realworld

from perftab.pipeline import extract_file

TRUTHS = relayout.truths()
ALL = os.environ.get("PERFTAB_RELAYOUT") == "all"

# format -> the file's suffix and its writer
WRITERS = {"docx": (".docx", relayout.write_docx), "xlsx": (".xlsx", relayout.write_xlsx),
           "xlsx-units": (".xlsx", functools.partial(relayout.write_xlsx, units_in_format=True)),
           "html": (".html", relayout.write_html),
           "site": (".html", functools.partial(relayout.write_html, in_site=True))}

# (truth number, variation, format) -> why it still fails
KNOWN_FAILURES: dict[tuple[str, str, str], str] = {}


def cases() -> list:
    out = []
    for k, path in enumerate(TRUTHS):
        for v, name in enumerate(relayout.VARIATIONS):
            if relayout.relaid(path, k, name) is None:
                continue
            for f, fmt in enumerate(WRITERS):
                if not ALL and (k + v + f) % 3:
                    continue
                reason = KNOWN_FAILURES.get((path.name[:2], name, fmt))
                out.append(pytest.param(path, k, name, fmt, id=f"{path.name[:2]}-{name}-{fmt}",
                                        marks=relayout.known_failure(reason)))
    return out


@pytest.mark.parametrize(("truth_path", "index", "variation", "fmt"), cases())
def test_relaid_table_comes_out_whole(tmp_path, truth_path, index, variation, fmt):
    form = relayout.relaid(truth_path, index, variation)
    suffix, write = WRITERS[fmt]
    document = tmp_path / f"{truth_path.stem}{suffix}"
    write(form, document)
    table = _one_table(document)
    wrong, rows, want = _compared(table, form, truth_path)
    assert (table.table_kind, wrong) == (form.kind, {})
    assert rows == want


def _one_table(document):
    """The one table `document` is read as, read without an error."""
    result = extract_file(document)
    assert (result.status, result.n_tables) == ("ok", 1), (result.error, result.n_tables)
    return result.tables[0]


def _compared(table, form, truth_path) -> tuple[dict, list, list]:
    """The header fields read otherwise than the truth has them, the rows read, the rows the
    form prints."""
    meta = json.loads(truth_path.read_text(encoding="utf-8"))["meta"]
    wrong = relayout.fields_read_wrong(table, meta)
    want = relayout.normed_rows(form.expected_rows())
    return wrong, realworld.extracted_rows(table), want


# (first truth number, gap) -> why the two forms listed in one sheet still fail
STACKED_FAILURES: dict[tuple[str, int], str] = {}


def stacked_cases() -> list:
    out = []
    for k in range(len(TRUTHS) - 1):
        for gap in (0, 1):
            reason = STACKED_FAILURES.get((TRUTHS[k].name[:2], gap))
            out.append(pytest.param(k, gap, marks=relayout.known_failure(reason),
                                    id=f"{TRUTHS[k].name[:2]}-{TRUTHS[k + 1].name[:2]}-gap{gap}"))
    return out


@pytest.mark.parametrize(("index", "gap"), stacked_cases())
def test_forms_listed_in_one_sheet_come_out_a_table_each(tmp_path, index, gap):
    """A sheet listing a department's projects: one form under another, no empty row between
    them or one."""
    paths = TRUTHS[index:index + 2]
    forms = [relayout.truth_form(path) for path in paths]
    document = tmp_path / "forms.xlsx"
    relayout.write_xlsx(forms[0], document, then=(forms[1],), gap=gap)
    result = extract_file(document)
    assert (result.status, result.n_tables) == ("ok", 2), (result.error, result.n_tables)
    for table, form, path in zip(result.tables, forms, paths, strict=True):
        wrong, rows, want = _compared(table, form, path)
        assert (path.name, wrong, rows) == (path.name, {}, want)


# where a title stands apart from the form's rows -> the document's suffix and its writer
TITLE_PLACES = {
    "page-header": (".xlsx", functools.partial(relayout.write_xlsx, page_header=True)),
    # the title and the filer and unit line under it in a borderless table above the form
    "own-table": (".html", functools.partial(relayout.write_html, title_table=True)),
}


@pytest.mark.parametrize("place", TITLE_PLACES)
@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.name[:2] for p in TRUTHS])
def test_a_title_printed_apart_from_the_form_names_it(tmp_path, truth_path, place):
    """The title in the sheet's page header, or laid out in a table of its own."""
    form = relayout.truth_form(truth_path)
    suffix, write = TITLE_PLACES[place]
    document = tmp_path / f"form{suffix}"
    write(form, document)
    table = _one_table(document)
    wrong, rows, want = _compared(table, form, truth_path)
    assert (table.title, table.table_kind, wrong) == (relayout.TITLES[form.kind], form.kind, {})
    assert rows == want


@pytest.mark.parametrize(("number", "gap"), sorted(STACKED_FAILURES))
def test_forms_listed_in_one_sheet_that_do_not_come_out_whole_say_so(tmp_path, number, gap):
    (index,) = [k for k, p in enumerate(TRUTHS) if p.name[:2] == number]
    forms = [relayout.truth_form(path) for path in TRUTHS[index:index + 2]]
    document = tmp_path / "forms.xlsx"
    relayout.write_xlsx(forms[0], document, then=(forms[1],), gap=gap)
    assert _warned(extract_file(document))


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[p.name[:2] for p in TRUTHS])
def test_the_generic_form_prints_the_truth(truth_path):
    """The re-layout's starting point holds the truth's rows as they are: what the variations
    expect is the truth's, not the generator's."""
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    form = relayout.truth_form(truth_path)
    assert relayout.normed_rows(form.expected_rows()) == realworld.truth_rows(truth)


def _warned(result) -> bool:
    tables = result.tables
    return result.status != "ok" or any(
        t.warnings or any(i.warnings for i in t.indicators) for t in tables)


@pytest.mark.parametrize(("number", "variation", "fmt"), sorted(KNOWN_FAILURES))
def test_a_relaid_table_that_does_not_come_out_whole_says_so(tmp_path, number, variation, fmt):
    (index, truth_path), = [(k, p) for k, p in enumerate(TRUTHS) if p.name[:2] == number]
    suffix, write = WRITERS[fmt]
    document = tmp_path / f"form{suffix}"
    write(relayout.relaid(truth_path, index, variation), document)
    assert _warned(extract_file(document))
