"""Text inputs in the encodings they are saved in: UTF-16 with or without a BOM, UTF-8 with a
damaged byte (read, the row warned about), GB18030 and Big5 by judgement, and a clear refusal
where the judgement is weak."""

import pytest
from conftest import SAMPLES

from perftab.extract.encoding import Decoded, decode_bytes
from perftab.extract.errors import UnreadableDocument
from perftab.pipeline import extract_file

# An invented form, in simplified and in traditional characters
FORM = (
    "示例项目绩效目标表\n"
    "一级指标\t二级指标\t三级指标\t指标值\n"
    "产出指标\t数量指标\t维修道路长度\t≥12公里\n"
    "产出指标\t质量指标\t验收合格率\t100%\n"
    "效益指标\t社会效益指标\t沿线群众满意度\t≥90%\n"
)
FORM_TRADITIONAL = (
    "示例項目績效目標表\n"
    "一級指標\t二級指標\t三級指標\t指標值\n"
    "產出指標\t數量指標\t維修道路長度\t12公里以上\n"
    "產出指標\t質量指標\t驗收合格率\t100%\n"
    "效益指標\t社會效益指標\t沿線群眾滿意度\t90%以上\n"
)
HINT = "save it as UTF-8 (in Excel: Save As, CSV UTF-8 or Unicode Text) and retry"


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        pytest.param(FORM.encode("utf-16-le"), Decoded(FORM, "utf-16-le"), id="UTF-16 LE, no BOM"),
        pytest.param(FORM.encode("utf-16-be"), Decoded(FORM, "utf-16-be"), id="UTF-16 BE, no BOM"),
        pytest.param(FORM.encode("utf-16"), Decoded(FORM, "utf-16"), id="UTF-16 with a BOM"),
        pytest.param(FORM.encode("utf-8"), Decoded(FORM, "utf-8"), id="UTF-8"),
        pytest.param(FORM.encode("utf-8-sig"), Decoded(FORM, "utf-8-sig"), id="UTF-8 with a BOM"),
        pytest.param(FORM.encode("gb18030") * 3, Decoded(FORM * 3, "gb18030"), id="GB18030"),
        pytest.param(
            FORM_TRADITIONAL.encode("big5") * 3, Decoded(FORM_TRADITIONAL * 3, "big5"), id="Big5"
        ),
    ],
)
def test_decoded(encoded, expected):
    assert decode_bytes("form.txt", encoded) == expected


def test_one_damaged_byte_is_replaced_not_the_file_refused():
    encoded = FORM.encode("utf-8").replace("验收".encode(), "验".encode() + b"\xff")
    expected = Decoded(FORM.replace("验收", "验\ufffd"), "utf-8", damaged=1)
    assert decode_bytes("form.txt", encoded) == expected


def test_a_weak_guess_is_refused_by_name():
    # two words: they read as GB18030 and as Big5 alike
    with pytest.raises(UnreadableDocument) as refused:
        decode_bytes("short.txt", "項目名稱\t養護\n".encode("big5"))
    assert str(refused.value) == (
        f"short.txt: text in an uncertain encoding: it reads as GB18030 and as Big5 alike; {HINT}"
    )


def test_bytes_in_no_chinese_encoding_are_refused():
    with pytest.raises(UnreadableDocument) as refused:
        decode_bytes("noise.txt", bytes(range(128, 256)) * 4)
    assert str(refused.value) == (
        "noise.txt: text in an unknown encoding (not UTF-8, UTF-16, GB18030 or Big5); " + HINT
    )


def test_damaged_row_carries_a_warning(tmp_path):
    path = tmp_path / "form.txt"
    path.write_bytes(FORM.encode("utf-8").replace("验收".encode(), "验".encode() + b"\xff"))
    result = extract_file(path)
    assert (result.status, result.error) == ("ok", None)
    warned = {
        i.level3: [w for w in i.warnings if "not valid" in w]
        for t in result.tables for i in t.indicators
    }  # fmt: skip
    assert warned == {
        "维修道路长度": [],
        "验\ufffd合格率": ["a byte not valid in utf-8 read as \ufffd: check this row"],
        "沿线群众满意度": [],
    }


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    ("sample", "name", "kind"),
    [
        ("seed/huoshan-2023-performance-targets.txt", "unicode.txt", "text"),
        ("markdown/huoshan-2023.md", "unicode.md", "markdown"),
        ("html/huoshan-2023.html", "unicode.html", "html"),
    ],
)
def test_unicode_text_without_a_byte_order_mark_is_read(sample, name, kind, encoding, tmp_path):
    text = (SAMPLES / sample).read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    result = extract_file(path)
    assert (result.status, result.kind, result.error) == ("ok", kind, None)
    assert sum(len(t.indicators) for t in result.tables) == 86
