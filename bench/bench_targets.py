"""Target parsing throughput: parse_target on n distinct targets beside pandas.read_csv of them.

The strings are distinct, so no cache could help; they mix what published 绩效目标表 print:
numbers with symbol and word operators, suffixes, magnitudes and units, ranges, judgements,
dates and periods, and a few OCR slips.

    .venv/bin/python -m bench.bench_targets      (or: python bench/bench_targets.py)
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OPS = ["≥", "≥", "≥", "≤", "≤", ">", "<", "=", "", "", "＞＝", "≧", "不低于", "不超过", "达到",
       "不少于", "至少", "最多", "小于", "大于等于"]
SUFFIXES = ["", "", "", "", "以上", "以内", "（含）以上", "及以下", "内"]
UNITS = ["%", "%", "%", "％", "个", "次", "人次", "个工作日", "元", "万元", "件", "件/年", "元/人",
         "天", "小时", "亿条", "万人次", "TB", "平方米", "户", "家", "分", "", "万", "次/月"]
RANGE_UNITS = ["%", "个", "次", "万元", "人次", "天", ""]
SEPARATORS = ["-", "~", "～", "至", "—"]
PHRASES = [
    "成效突出", "大幅提升", "按时完成", "逐步改善", "符合要求", "便民高效", "持续发挥",
    "保障到位", "全面覆盖", "稳步提高", "进一步优化", "群众满意", "规范有序", "安全运行",
    "长期有效", "及时处理", "达到国家标准", "不超出预算", "快捷便利", "质量合格", "不断完善",
    "成效明显", "基本实现", "有所提升", "较上年提高", "正常运转", "全年", "期末", "良好",
    "显著增强",
]
JOINERS = ["", "、", ",", "，", "并"]
DATE_MARKS = ["", "前", "底", "底前", "前完成"]


def _number(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return str(rng.randint(0, 100_000))
    return f"{rng.uniform(0, 10_000):.{rng.randint(1, 2)}f}"


def _single(rng: random.Random) -> str:
    suffix = rng.choice(SUFFIXES) if rng.random() < 0.3 else ""
    return f"{rng.choice(OPS)}{_number(rng)}{rng.choice(UNITS)}{suffix}"


def _range(rng: random.Random) -> str:
    low = rng.randint(0, 5_000)
    unit = rng.choice(RANGE_UNITS)
    return f"{low}{unit}{rng.choice(SEPARATORS)}{low + rng.randint(1, 5_000)}{unit}"


def _judgement(rng: random.Random) -> str:
    parts = rng.sample(PHRASES, rng.randint(1, 3))
    return rng.choice(JOINERS).join(parts)


def _date(rng: random.Random) -> str:
    year, month = rng.randint(2015, 2030), rng.randint(1, 12)
    if rng.random() < 0.5:
        return f"{year}年{month}月{rng.randint(1, 28)}日{rng.choice(DATE_MARKS)}"
    return f"{year}年{month}月-{rng.randint(month, 12)}月"


def _ocr_slip(rng: random.Random) -> str:
    digits = _number(rng)
    return rng.choice([f"二{digits}%", f"≥{digits}O%", f"≥{digits}.{digits}%"])


GENERATORS = [(_single, 0.62), (_range, 0.10), (_judgement, 0.15), (_date, 0.10),
              (_ocr_slip, 0.03)]


def make_targets(n: int, seed: int = 0) -> list[str]:
    """n distinct target strings, the same for the same seed."""
    rng = random.Random(seed)
    funcs, weights = zip(*GENERATORS, strict=True)
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen.setdefault(rng.choices(funcs, weights)[0](rng), None)
    return list(seen)


def run(n: int = 100_000) -> dict:
    import pandas as pd

    from perftab.normalize.targets import parse_target

    targets = make_targets(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "targets.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["target"])
            writer.writerows([t] for t in targets)
        start = time.perf_counter()
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        read_csv_seconds = time.perf_counter() - start
    assert len(frame) == n

    start = time.perf_counter()
    for target in targets:
        parse_target(target)
    parse_seconds = time.perf_counter() - start
    return {
        "n": n,
        "parse_seconds": parse_seconds,
        "read_csv_seconds": read_csv_seconds,
        "ratio": parse_seconds / read_csv_seconds,
        "per_second": n / parse_seconds,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(run())
