"""Tree-table samples: one 项目 column holds unit > project > 一级 > 二级 > 三级, told apart only by
indentation, with the targets in a 指标值 column beside it (how some department disclosures
print all their projects' targets in one table).

Writes samples/tree/tree-indent.docx (depth by paragraph indent), tree-spaces.docx (depth by
full-width spaces typed before the name) and tree-indent.pdf (the first, exported by
LibreOffice). The content is the TREE list below; tests/test_tree.py holds the expected
records, written by hand from the same list.

    .venv/bin/python samples/make_tree_samples.py      # needs soffice for the PDF
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import docx
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import pinned_zip, to_pdf

OUT = Path(__file__).resolve().parent / "tree"
STEP_PT = 10.5  # one character of indent per depth

# (depth, name, target); depth 0 is the unit, 1 the project, 2 一级, 3 二级, 4 三级
TREE = [
    (0, "某县教育局", ""),
    (1, "学生资助补助经费", ""),
    (2, "产出指标", ""),
    (3, "数量指标", ""),
    (4, "资助学生人数", "≥1200人"),
    (4, "发放补助批次", "2次"),
    (3, "质量指标", ""),
    (4, "资助对象识别精准率", "100%"),
    (2, "效益指标", ""),
    (3, "社会效益指标", ""),
    (4, "家庭经济困难学生辍学率", "0"),
    (2, "满意度指标", ""),
    (3, "服务对象满意度指标", ""),
    (4, "受助学生满意度", "≥95%"),
    (1, "校园安全设施维护", ""),
    (2, "产出指标", ""),
    (3, "时效指标", ""),
    (4, "维修完成时限", "2024年12月底前"),
    (3, "成本指标", ""),
    (4, "设施维护成本", "≤35万元"),
    (2, "效益指标", ""),
    (3, "可持续影响指标", ""),
    (4, "校园安全保障能力", "持续提升"),
]


def build(path: Path, by_spaces: bool) -> None:
    document = docx.Document()
    document.add_paragraph("2024年度项目支出绩效目标表")
    table = document.add_table(rows=len(TREE) + 1, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "指标值"
    for r, (depth, name, target) in enumerate(TREE, start=1):
        paragraph = table.cell(r, 0).paragraphs[0]
        if by_spaces:
            paragraph.add_run("\u3000" * depth + name)
        else:
            paragraph.add_run(name)
            paragraph.paragraph_format.left_indent = Pt(STEP_PT * depth)
        table.cell(r, 1).text = target
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(pinned_zip(buffer.getvalue()))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    build(OUT / "tree-indent.docx", by_spaces=False)
    build(OUT / "tree-spaces.docx", by_spaces=True)
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: apt-get install libreoffice-writer fonts-noto-cjk")
    to_pdf(OUT / "tree-indent.docx", OUT / "tree-indent.pdf")


if __name__ == "__main__":
    main()
