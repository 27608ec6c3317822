"""Each sample document comes out as the seed's truth, whole: header fields and every indicator."""

import re

import pytest
from conftest import SAMPLES, table_as_truth

from perftab.normalize.vocabulary import LEVEL1, LEVEL2_PARENT
from perftab.pipeline import extract_file

SAMPLE_FILES = [
    "docx/huoshan-2023.docx",
    "docx/huoshan-2023-narrow.docx",
    "pdf/huoshan-2023.pdf",
    "pdf/huoshan-2023-narrow.pdf",
    "seed/huoshan-2023-performance-targets.txt",
    # printed from a spreadsheet by LibreOffice Calc (samples/make_xlsx_prints.py)
    "xlsx-print/huoshan-2023.pdf",
    "xlsx-print/huoshan-2023-fixed-rows.pdf",
    "xlsx-print/huoshan-2023-split-rows.pdf",
]


@pytest.fixture(scope="module", params=SAMPLE_FILES)
def result(request):
    return extract_file(SAMPLES / request.param)


def test_file_status(result):
    assert (result.status, result.error, result.n_tables) == ("ok", None, 5)


@pytest.mark.parametrize("index", range(5))
def test_table_matches_truth(result, truth, index):
    assert table_as_truth(result.tables[index]) == truth[index]


def test_every_indicator_keeps_its_provenance(result):
    for table in result.tables:
        for ind in table.indicators:
            assert ind.locator, ind
            if result.kind == "pdf":
                assert re.fullmatch(r"p\d+ \([\d.]+,[\d.]+,[\d.]+,[\d.]+\)", ind.locator)
                assert ind.page is not None and ind.x0 < ind.x1 and ind.top < ind.bottom
            elif result.kind == "text":
                assert re.fullmatch(r"line \d+ cell \d+", ind.locator)
            else:
                assert re.fullmatch(r"docx table \d+ row \d+ cell \d+", ind.locator)


def test_levels_are_in_the_vocabulary(result):
    for table in result.tables:
        for ind in table.indicators:
            assert ind.level1_std in LEVEL1
            assert ind.level2_std in LEVEL2_PARENT
            assert ind.level1_std == LEVEL2_PARENT[ind.level2_std] or ind.level2_std == "成本指标"


def test_funds_total_is_fiscal_plus_other(result):
    for table in result.tables:
        parts = table.funds_fiscal_wan + table.funds_other_wan
        assert table.funds_total_wan == pytest.approx(parts)


def test_table_ids_are_stable_and_distinct(result):
    ids = [t.table_id for t in result.tables]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(result.sha256[:16]) for i in ids)
