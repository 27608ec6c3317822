"""How much of what perftab gets wrong the review queue holds, and how big the queue is.

Each document with a known truth is extracted, each extracted row compared with its truth row,
and the rows the review page would list (perftab/review.py `table_items`: failed checks,
warnings, low confidence, repairs) counted:

- rows: the extracted indicator rows (annual; in a per-place table the first place's rows);
- wrong: rows whose 一级/二级/三级 or target differ from every row of the truth left to match
  (also rows the truth does not have);
- recall: the share of the wrong rows that are in the queue (wanted: at least 95%);
- queue: the share of all rows that are in the queue (wanted: at most 15%);
- missed: truth rows no extracted row matches (a row lost or misread; the misread ones are
  among the wrong rows too);
- sure, sure wrong: the OCR'd rows read with a confidence of 0.95 or more, and how many of them
  are wrong (wanted: at most 1 in 100).

Groups: the seed's scans (samples/scans/, truth tests/data/huoshan-2023.json, as
tests/test_scans.py compares them: levels, target and its parse) and the development set's
DOCX, PDF and scanned PDF (tests/data/realworld/manifest.json; levels and target compared as
its score.py does: NFKC, Traditional -> Simplified, no white space, no score note or enumerator
in a level name, a level the truth does not print matches any; and ≧ ≦ as ≥ ≤, the same sign,
which OCR reads in its common form).

    .venv/bin/python -m bench.queue_recall [--cache DIR] [--group NAME ...] [--wrong]

OCR takes minutes per scan on a small machine: `--cache DIR` keeps each file's extracted
tables (by its sha256) so that a second run only re-runs the checks.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from perftab.normalize.checks import SURE_READING, check_table
from perftab.normalize.records import IndicatorRecord, TableRecord
from perftab.review import table_items

ROOT = Path(__file__).resolve().parent.parent
SEED_TRUTH = ROOT / "tests" / "data" / "huoshan-2023.json"
SCANS = ROOT / "samples" / "scans"
REALWORLD = ROOT / "tests" / "data" / "realworld"
GROUPS = ("seed-scan", "docx", "pdf", "scan")
RECALL_WANTED, QUEUE_WANTED, SURE_WRONG_WANTED = 0.95, 0.15, 0.01

# signs printed in two forms that NFKC leaves apart: a row read with either is right
SAME_SIGN = str.maketrans({"≧": "≥", "≦": "≤"})


# --------------------------------------------------------------------------- comparing


def _scorer():
    """The development set's own scorer (tests/data/realworld/score.py): its `norm` and `lvl`
    are how its truth is compared."""
    spec = importlib.util.spec_from_file_location("realworld_score", REALWORLD / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCORE = _scorer()


def norm(value) -> str:
    return SCORE.norm(value).translate(SAME_SIGN)


def level(value) -> str:
    return SCORE.lvl(value).translate(SAME_SIGN)


@dataclass(frozen=True)
class Key:
    """A row as compared: levels, target, and for the seed the target's parse."""

    level1: str
    level2: str
    level3: str
    target: str
    parse: tuple | None = None

    def matches(self, got: Key) -> bool:
        """`self` is the truth: a level it leaves blank matches any; a parse it gives must be."""
        return (
            self.level1 in ("", got.level1) and self.level2 in ("", got.level2)
            and (self.level3, self.target) == (got.level3, got.target)
            and (self.parse is None or self.parse == got.parse)
        )


def truth_key(row: dict, with_parse: bool) -> Key:
    parse = None
    if with_parse:
        parsed = row.get("parsed") or {}
        value = parsed.get("value")
        parse = (parsed.get("op"), None if value is None else float(value),
                 parsed.get("unit") or None)
    return Key(level(row.get("level1")), level(row.get("level2")), level(row["level3"]),
               norm(row["target_raw"]), parse)


def row_key(ind: IndicatorRecord, with_parse: bool) -> Key:
    parse = (ind.op, ind.value, ind.unit) if with_parse else None
    return Key(level(ind.level1), level(ind.level2), level(ind.level3), norm(ind.target_raw),
               parse)


def counted_rows(table: TableRecord) -> list[IndicatorRecord]:
    """The rows a truth holds: annual, the first place's only, with a target printed."""
    places = [i.place for i in table.indicators if i.place]
    first = places[0] if places else None
    return [i for i in table.indicators
            if i.horizon == "annual" and i.place in (None, first) and norm(i.target_raw)]


# --------------------------------------------------------------------------- one document


@dataclass
class Tally:
    rows: int = 0
    wrong: int = 0
    wrong_queued: int = 0
    queued: int = 0
    missed: int = 0
    truth_rows: int = 0
    files_failed: int = 0
    sure: int = 0  # OCR'd rows read with a confidence of SURE_READING or more
    sure_wrong: int = 0
    listed: list[str] = field(default_factory=list)  # the wrong rows, and files not read

    def add(self, other: Tally) -> None:
        for name in ("rows", "wrong", "wrong_queued", "queued", "missed", "truth_rows",
                     "files_failed", "sure", "sure_wrong"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.listed += other.listed

    @property
    def recall(self) -> float:
        return self.wrong_queued / self.wrong if self.wrong else 1.0

    @property
    def share(self) -> float:
        return self.queued / self.rows if self.rows else 0.0


def queued_seqs(table: TableRecord) -> set[int]:
    """The rows of `table` the review page lists, the checks run afresh."""
    table.checks = check_table(table)
    return {item.row.seq for item in table_items(table, []) if item.row is not None}


def pair_tables(tables: list[TableRecord], truth: list[dict]) -> list[tuple]:
    """(extracted, truth) by project name or department, else by order; None where unfound."""
    left = list(tables)
    pairs = []
    for k, want in enumerate(truth):
        meta = want.get("meta") or {}
        name = norm(meta.get("project_name") or meta.get("department"))
        found = next((t for t in left if name and name in (norm(t.project_name),
                                                            norm(t.department))), None)
        if found is None and len(tables) == len(truth) and tables[k] in left:
            found = tables[k]
        if found is not None:
            left.remove(found)
        pairs.append((found, want))
    return pairs


def tally_document(name: str, tables: list[TableRecord], truth: list[dict],
                   with_parse: bool) -> Tally:
    tally = Tally()
    for table, want in pair_tables(tables, truth):
        expected = [truth_key(r, with_parse) for r in want["indicators"] if norm(r["target_raw"])]
        tally.truth_rows += len(expected)
        if table is None:
            tally.missed += len(expected)
            continue
        queued = queued_seqs(table)
        for ind in counted_rows(table):
            got = row_key(ind, with_parse)
            match = next((k for k in expected if k.matches(got)), None)
            sure = ind.confidence is not None and ind.confidence >= SURE_READING
            tally.rows += 1
            tally.queued += ind.seq in queued
            tally.sure += sure
            if match is not None:
                expected.remove(match)
                continue
            tally.wrong += 1
            tally.sure_wrong += sure
            tally.wrong_queued += ind.seq in queued
            mark = "queued  " if ind.seq in queued else "MISSED  "
            tally.listed.append(f"{mark}{name} t{table.table_index} seq {ind.seq}: "
                               f"{ind.level1} / {ind.level2} / {ind.level3} / "
                               f"{ind.target_raw} ({ind.op} {ind.value} {ind.unit})")
        tally.missed += len(expected)
    return tally


# --------------------------------------------------------------------------- the documents


def documents(groups: tuple[str, ...]) -> list[tuple[str, Path, list[dict], bool]]:
    """(group, path, truth tables, compare the parse too)."""
    out = []
    if "seed-scan" in groups:
        seed = json.loads(SEED_TRUTH.read_text(encoding="utf-8"))["tables"]
        out += [("seed-scan", p, seed, True) for p in sorted(SCANS.glob("*.pdf"))]
    manifest = json.loads((REALWORLD / "manifest.json").read_text(encoding="utf-8"))
    for doc, info in sorted(manifest.items()):
        if info["layout"] in groups:
            data = json.loads((REALWORLD / info["truth"]).read_text(encoding="utf-8"))
            truth = data.get("tables", [data])
            out.append((info["layout"], REALWORLD / "docs" / doc, truth, False))
    return out


@dataclass
class Extracted:
    status: str
    error: str | None
    tables: list[TableRecord]


def extracted(path: Path, cache: Path | None) -> Extracted:
    """The file's tables, from the cache when it holds them."""
    from perftab.pipeline import extract_file  # not needed to measure a cached run

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    cached = cache / f"{sha}.pickle" if cache else None
    if cached and cached.exists():
        return Extracted(**pickle.loads(cached.read_bytes()))
    result = extract_file(path)
    found = Extracted(result.status, result.error, result.tables)
    if cached:
        cache.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(pickle.dumps(vars(found)))  # plain: read by any module's Extracted
    return found


def measure(groups: tuple[str, ...], cache: Path | None, progress: bool = False,
            ) -> dict[str, Tally]:
    tallies = {g: Tally() for g in groups}
    for group, path, truth, with_parse in documents(groups):
        result = extracted(path, cache)
        if progress:
            print(f"  {group:9s} {path.name}", file=sys.stderr, flush=True)
        if result.status != "ok":
            tallies[group].files_failed += 1
            tallies[group].missed += sum(len(t["indicators"]) for t in truth)
            tallies[group].listed.append(f"NOT READ  {path.name}: {result.error}")
            continue
        tallies[group].add(tally_document(path.name, result.tables, truth, with_parse))
    return tallies


def report(tallies: dict[str, Tally], listed: bool) -> list[str]:
    lines = [f"{'group':10s} {'rows':>5s} {'wrong':>5s} {'queued':>6s} {'recall':>7s} "
             f"{'queue':>6s} {'missed':>6s} {'sure':>5s} {'sure wrong':>10s}"]
    total = Tally()
    for group, tally in tallies.items():
        total.add(tally)
        lines.append(_line(group, tally))
    lines.append(_line("all", total))
    lines.append(f"wanted: recall ≥ {RECALL_WANTED:.0%}, queue ≤ {QUEUE_WANTED:.0%} of rows, "
                 f"sure wrong ≤ {SURE_WRONG_WANTED:.0%} of sure")
    if listed:
        lines += ["wrong rows:", *(f"  {m}" for m in total.listed)]
    return lines


def _line(name: str, t: Tally) -> str:
    failed = f"  ({t.files_failed} files not read)" if t.files_failed else ""
    return (f"{name:10s} {t.rows:5d} {t.wrong:5d} {t.wrong_queued:6d} {t.recall:7.1%} "
            f"{t.share:6.1%} {t.missed:6d} {t.sure:5d} {t.sure_wrong:10d}{failed}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.queue_recall", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, help="keep extracted tables here, by sha256")
    parser.add_argument("--group", action="append", choices=GROUPS,
                        help="only these groups (default: all)")
    parser.add_argument("--wrong", action="store_true",
                        help="list the wrong rows, queued or MISSED, and the files not read")
    args = parser.parse_args(argv)
    tallies = measure(tuple(args.group or GROUPS), args.cache, progress=True)
    print("\n".join(report(tallies, args.wrong)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
