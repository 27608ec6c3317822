"""Command line: a thin layer over perftab.batch, perftab.diff and normalize.targets.
`main(argv) -> int`.

Each command imports its library when it runs: `perftab --help` and a mistyped option answer
at once, without loading pyarrow, pandas or the PDF readers."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from .options import (
    EXTRACT_FORMATS,
    FORMATS,
    LIMIT_OPTIONS,
    MAX_PAGES,
    PDF_READERS,
    ExtractOptions,
    OutputError,
    UsageError,
    cpu_count,
    input_location,
    parse_count,
    parse_duration,
    parse_size,
)

if TYPE_CHECKING:
    from .batch import RunSummary
    from .check import CheckResult
    from .diff import DiffResult

# A run's exit status: every file read (or found in OUTDIR read), some failed, the command
# could not be run as given, every file failed, OUTDIR could not be written (a full disk …).
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_ALL_FAILED, EXIT_OUTPUT = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # what a shell reports for a tool stopped by SIGPIPE (128 + 13)
PROBLEMS = ("error", "no_table")
PROBLEMS_SHOWN, SLOWEST_SHOWN = 10, 5

EXTRACT_EXAMPLE = """example:
  perftab extract samples/ -o output/
  perftab extract 2023/业务费.pdf 2023/安康码.docx --format csv -o out/
  perftab extract archive/ -o warehouse/ --jobs 8
  perftab extract s3://bucket/archive/ -o warehouse/ --scheduler tcp://host:8786

writes OUTDIR/tables, OUTDIR/indicators, OUTDIR/fields and OUTDIR/files: Parquet datasets (one
part per input file, written as each file is done, year a column), or
single .csv files, on this machine (also with --scheduler). Run it again on the same OUTDIR to
resume or to add new files: files already there are skipped (--force redoes them).
Exit status: 0 every file read, 1 some files failed (their files rows say why: error_kind
and error), 2 bad usage, 3 every file failed, 4 OUTDIR cannot be written (disk full, read-only),
130 interrupted. --retry-failed reads the failed files again, --force every file."""

PARSE_EXAMPLE = """example:
  perftab parse-target "≥350人次" "10个工作日内" "效果显著"
  printf '≤45万元\\n100%%\\n' | perftab parse-target"""

DIFF_EXAMPLE = """example:
  perftab diff warehouse/ --old-year 2023 --new-year 2024 -o diff/
  perftab diff out-2023/ out-2024/ -o diff/ --format csv
  perftab diff out-2023/ out-2024/ -o diff/ --mapping renamed.csv --lang en

OLD and NEW are folders written by perftab extract; one folder holding several years is compared
year against year with --old-year and --new-year. Writes OUT/diff (.parquet or .csv), one row
per project and per indicator: added, removed, unchanged or changed (tightened, loosened, ...),
and OUT/diff.html, the same as a report to open in a browser. See docs/diff.md.
Exit status: 0 written, 2 bad usage (e.g. a folder without indicators)."""
DIFF_FUZZY_SHOWN = 10

CHECK_EXAMPLE = """example:
  perftab check output/

OUTDIR is a folder written by perftab extract; runs the checks on its tables again (funds add
up, weights total 100, every 一级 present, plausible targets, self-evaluation results …) and
writes OUTDIR/checks in the folder's format, one row per finding. See docs/checks.md.
Exit status: 0 checked (whatever the findings), 2 bad usage (e.g. a folder without tables)."""


REVIEW_EXAMPLE = """example:
  perftab review output/
  perftab review output/ --port 8800 --reviewer 李明

serves a page on this machine listing OUTDIR's doubtful rows (failed checks, warnings, low OCR
confidence, repairs) with the printed evidence beside the values read; open the address it
prints (it holds a token: keep it to yourself). What the reviewer accepts or corrects is kept in
OUTDIR/corrections and applied whenever the same file is extracted again. See docs/review.md."""

COMPACT_EXAMPLE = """example:
  perftab compact warehouse/

OUTDIR is a folder of Parquet datasets written by perftab extract; merges each dataset's parts
(one per input file) into a few large files per year, so that engines read it fast. perftab
extract adds to it afterwards as before. See docs/schema.md.
Exit status: 0 compacted, 2 bad usage (e.g. a folder without Parquet datasets)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perftab",
        description="Budget performance target tables (绩效目标表) from PDF and DOCX "
        "to canonical Parquet/CSV.",
    )
    parser.add_argument("--version", action=_Version, help="show perftab's version and exit")
    _add_verbose(parser, default=False)
    sub = parser.add_subparsers(dest="command", required=True)

    ext = _command(sub, "extract", "extract target tables from files or folders", EXTRACT_EXAMPLE)
    ext.add_argument(
        "inputs", nargs="+", type=input_location, metavar="INPUT",
        help="files or folders; with --scheduler also URLs read through fsspec (s3://bucket/dir/)",
    )
    ext.add_argument("-o", "--outdir", type=Path, default=Path("output"), help="default: output/")
    _add_format(ext, EXTRACT_FORMATS)
    ext.add_argument(
        "--cross-check",
        action="store_true",
        help="read ruled PDF pages a second time with camelot (slow: renders each page) and "
        "warn on rows the two readings disagree on",
    )
    ext.add_argument(
        "--pdf-reader", choices=PDF_READERS, default=PDF_READERS[0],
        help="what reads a born-digital PDF's text: pdfium (default), or pdfplumber (slower, "
        "the same tables)",
    )
    _add_batch_options(ext)

    parse = _command(sub, "parse-target",
                     "parse targets such as ≥350人次 into operator/value/unit (JSON lines)",
                     PARSE_EXAMPLE)
    parse.add_argument("texts", nargs="*", metavar="TEXT", help="targets; none: read stdin")

    diff = _command(sub, "diff", "compare two extract outputs (one year's targets with the next)",
                    DIFF_EXAMPLE)
    diff.add_argument("old", type=Path, metavar="OLD", help="extract output of the earlier year")
    diff.add_argument(
        "new", type=Path, metavar="NEW", nargs="?",
        help="extract output of the later year (none: OLD with --old-year and --new-year)",
    )
    diff.add_argument(
        "-o", "--outdir", type=Path, default=Path("diff"),
        help="folder for diff.* and diff.html (default: diff/)",
    )
    _add_format(diff, FORMATS)
    diff.add_argument("--old-year", type=int, metavar="YEAR", help="only OLD's tables of YEAR")
    diff.add_argument("--new-year", type=int, metavar="YEAR", help="only NEW's tables of YEAR")
    diff.add_argument(
        "--mapping", type=Path, metavar="FILE",
        help="renamed departments and projects: CSV kind,old,new or JSON (docs/diff.md)",
    )
    diff.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="of the HTML report (default: zh)"
    )
    _add_excel(diff)

    check = _command(
        sub, "check",
        "run the checks (funds, weights, completeness, plausibility) on an extract output",
        CHECK_EXAMPLE,
    )
    _add_output_folder(check)
    compact = _command(
        sub, "compact",
        "merge the Parquet parts of an extract output into a few large files per year",
        COMPACT_EXAMPLE,
    )
    _add_output_folder(compact)
    _add_review(sub)
    _add_inspect(sub)
    for command in sub.choices.values():  # -v after the command too: perftab extract -v …
        _add_verbose(command, default=argparse.SUPPRESS)
    return parser


class _Version(argparse.Action):
    """--version, read from the installed package's metadata only when asked for."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from . import __version__

        print(f"perftab {__version__}")
        parser.exit()


def _command(sub, name: str, help: str, example: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with its examples, as written."""
    return sub.add_parser(name, help=help, epilog=example,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _add_format(parser: argparse.ArgumentParser, choices: tuple[str, ...]) -> None:
    workbook = "; xlsx: one workbook, OUTDIR/perftab.xlsx, a sheet per output"
    parser.add_argument("--format", choices=choices, default="parquet",
                        help="default: parquet" + (workbook if "xlsx" in choices else ""))


def _add_output_folder(parser: argparse.ArgumentParser) -> None:
    """OUTDIR, the folder `perftab extract` wrote, that check, compact and review work on."""
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="extract output folder")


def _add_verbose(parser: argparse.ArgumentParser, default) -> None:
    # a subcommand's default would overwrite a -v given before it: SUPPRESS keeps that one
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=default,
        help="show the traceback of an error and of each file perftab failed on, and each "
        "file's time",
    )


def _add_excel(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--excel", action="store_true",
        help="with --format csv: start the files with a UTF-8 BOM, so Excel shows the Chinese",
    )


def _add_batch_options(ext: argparse.ArgumentParser) -> None:
    ext.add_argument(
        "-j", "--jobs", type=int, default=cpu_count(),
        help=f"worker processes (default: the cores, {cpu_count()} here)",
    )
    ext.add_argument(
        "--in-process", action="store_true",
        help="read the files in perftab's own process, one at a time, without --file-timeout "
        "and --max-memory (for a debugger or a profiler)",
    )
    ext.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="extract on the Dask cluster of this scheduler (tcp://host:8786) instead of local "
        "worker processes; see docs/cluster.md",
    )
    ext.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ext.add_argument(
        "--force", action="store_true", help="redo files already recorded in OUTDIR"
    )
    ext.add_argument(
        "--retry-failed", action="store_true",
        help="redo the files OUTDIR records as failed (refused, timed out …), skip the others",
    )
    _add_excel(ext)
    ext.add_argument(
        "--max-pages", type=int, default=MAX_PAGES, metavar="N",
        help=f"refuse a PDF of more pages (default: {MAX_PAGES})",
    )
    ext.add_argument(
        "--max-bytes", default="500M", metavar="SIZE",
        help="refuse a larger file, e.g. 500M, 2G or bytes (default: 500M)",
    )
    ext.add_argument(
        "--file-timeout", default="15m", metavar="TIME",
        help="stop a worker still on one file after this, e.g. 15m, 90s, 1h (default: 15m); "
        "the file gets an error row",
    )
    ext.add_argument(
        "--max-memory", default="4G", metavar="SIZE",
        help="memory (address space) a worker may take, e.g. 4G; a file needing more gets an "
        "error row (default: 4G)",
    )
    _add_limit_options(ext)


def _add_limit_options(ext: argparse.ArgumentParser) -> None:
    group = ext.add_argument_group(
        "limits", "a file past one is refused (error_kind refused), before it can exhaust a "
        "worker: a decompression or XML bomb, a giant page or picture"
    )
    for name, (option, size, what) in LIMIT_OPTIONS.items():
        group.add_argument(
            option, dest=name, default=_LimitDefault(name, size),
            metavar="SIZE" if size else "N", help=f"limit: {what} (default: %(default)s)",
        )


class _LimitDefault:
    """A limit's default, shown in --help, read from extract/limits.py only then: importing
    extract loads the PDF readers, which `perftab --help` does without."""

    def __init__(self, name: str, size: bool):
        self.name, self.size = name, size

    def __str__(self) -> str:
        from perftab.extract.limits import LIMITS

        value = getattr(LIMITS, self.name)
        return f"{value // 2**20}M" if self.size else str(value)


def limits_given(args) -> dict[str, int]:
    """The limits set on the command line, by their Limits field."""
    given = {}
    for name, (_, size, _) in LIMIT_OPTIONS.items():
        value = getattr(args, name)
        if isinstance(value, _LimitDefault):
            continue
        given[name] = parse_size(value, name) if size else parse_count(value, name)
    return given


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {
        "extract": _extract, "diff": _diff, "check": _check, "compact": _compact,
        "parse-target": _parse_target, "review": _review, "inspect": _inspect,
    }
    try:
        status = commands[args.command](args)
        sys.stdout.flush()  # a reader gone (| head) is found here, not at exit
        return status
    except UsageError as exc:
        if args.verbose:
            traceback.print_exc()
        typed = sys.argv[1:] if argv is None else argv
        print(f"perftab: {as_typed(str(exc), parser, args.command, typed)}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:  # a fault of the machine, not of perftab: no traceback
        if args.verbose:
            traceback.print_exc()
        print(f"perftab: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except BrokenPipeError:
        return _output_closed()


def as_typed(message: str, parser: argparse.ArgumentParser, command: str, argv: list[str]) -> str:
    """A message starting with an option's name in the library (`max_bytes: ...`) starting
    instead with the option as it was typed (`--max-bytes: ...`, `-j: ...`)."""
    name, colon, rest = message.partition(": ")
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for action in subparsers.choices[command]._actions:
        if action.dest == name and action.option_strings and colon:
            return f"{_spelling(action.option_strings, argv)}: {rest}"
    return message


def _spelling(option_strings: list[str], argv: list[str]) -> str:
    for token in argv:
        for option in option_strings:
            if token == option or token.startswith(option + "=") or (
                not option.startswith("--") and token.startswith(option)
                and not token.startswith("--")
            ):
                return option
    return max(option_strings, key=len)  # an abbreviation (--max-b) names the long form


def _output_closed() -> int:
    """stdout's reader went away (perftab … | head): stop quietly, as other tools do. Python
    would print an error flushing stdout at exit; point it at /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind sys.stdout
        pass
    return EXIT_BROKEN_PIPE


def _extract(args) -> int:
    options = ExtractOptions(
        inputs=args.inputs, outdir=args.outdir, format=args.format, cross_check=args.cross_check,
        pdf_reader=args.pdf_reader,
        jobs=args.jobs, quiet=args.quiet, force=args.force, excel=args.excel,
        max_pages=args.max_pages, max_bytes=parse_size(args.max_bytes), scheduler=args.scheduler,
        file_timeout=parse_duration(args.file_timeout),
        max_memory=parse_size(args.max_memory, "max_memory"),
        tracebacks=args.verbose, in_process=args.in_process, retry_failed=args.retry_failed,
        limits=limits_given(args),
    )
    from .batch import run_extract

    try:
        summary = run_extract(options)
    except KeyboardInterrupt:
        print(f"perftab: interrupted; the files done are in {options.outdir}: run the same "
              "command again to go on", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(format_summary(summary))
    return extract_status(summary)


def extract_status(summary: RunSummary) -> int:
    if summary.all_failed:
        return EXIT_ALL_FAILED
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


def format_summary(summary: RunSummary) -> str:
    """One screen: counts, the first problems, the slowest files, where the output is."""
    from perftab.normalize.checks import SEVERITIES

    lines = [
        f"files: {len(summary.files)} (ok {summary.count('ok')}, no table "
        f"{summary.count('no_table')}, duplicate {summary.count('duplicate')}, "
        f"failed {summary.count('error')}, not documents {summary.count('skipped')})",
    ]
    if summary.skipped:
        failed_then = summary.skipped.count("error")
        lines.append(f"skipped: {len(summary.skipped)} already in the output "
                     f"({failed_then} of them failed then); --force redoes them")
    lines += [
        f"tables: {summary.n_tables}",
        f"indicators: {summary.n_indicators}",
        f"warnings: {summary.n_warnings}",
        "checks: " + ", ".join(f"{summary.n_checks.get(s, 0)} {s}" for s in SEVERITIES),
    ]
    problems = sorted((f for f in summary.files if f.status in PROBLEMS),
                      key=lambda f: f.source_path)
    lines += [f"  {f.status}: {f.error}" for f in problems[:PROBLEMS_SHOWN]]
    if len(problems) > PROBLEMS_SHOWN:
        lines.append(f"  ... {len(problems) - PROBLEMS_SHOWN} more (status in the files output)")
    lines += [f"  review: {line}" for line in summary.lost_corrections]
    slowest = [f for f in summary.slowest(SLOWEST_SHOWN) if f.seconds > 0]
    if slowest:
        lines.append(f"slowest files ({summary.seconds:.1f} s in all):")
        lines += [f"  {f.seconds:7.2f} s  {f.source_path}" for f in slowest]
    lines.append("wrote: " + ", ".join(str(p) for p in dict.fromkeys(summary.outputs.values())))
    return "\n".join(lines)


def _parse_target(args) -> int:
    from perftab.normalize.targets import parse_target

    texts = args.texts or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for text in texts:
        record = asdict(parse_target(text))
        print(json.dumps(record, ensure_ascii=False))
    return EXIT_OK


def _diff(args) -> int:
    from .diff import DiffOptions, run_diff

    options = DiffOptions(
        old=args.old, new=args.new, outdir=args.outdir, format=args.format, excel=args.excel,
        old_year=args.old_year, new_year=args.new_year, mapping=args.mapping, lang=args.lang,
    )
    result = run_diff(options)
    for warning in result.warnings:
        print(f"perftab: warning: {warning}", file=sys.stderr)
    print(format_diff_summary(result))
    return EXIT_OK


def format_diff_summary(result: DiffResult) -> str:
    from .diff import DIRECTIONS, INDICATOR_CHANGES

    def counts(field: str, values: tuple[str, ...]) -> str:
        return ", ".join(f"{result.count('indicator', field, v)} {v}" for v in values)

    fuzzy = result.fuzzy_projects
    lines = [
        f"projects: {result.count('project', 'change', 'project_matched')} matched "
        f"({len(fuzzy)} by a similar name), "
        f"{result.count('project', 'change', 'project_added')} added, "
        f"{result.count('project', 'change', 'project_removed')} removed",
        f"indicators: {counts('change', INDICATOR_CHANGES)}",
        f"directions: {counts('direction', DIRECTIONS)}",
    ]
    lines += [
        f"  similar name: {r.project_name_old} -> {r.project_name} ({r.match_score:g})"
        for r in fuzzy[:DIFF_FUZZY_SHOWN]
    ]
    if len(fuzzy) > DIFF_FUZZY_SHOWN:
        lines.append(f"  ... {len(fuzzy) - DIFF_FUZZY_SHOWN} more (match_score < 100 in the diff)")
    lines.append(f"wrote: {result.output}, {result.report}")
    return "\n".join(lines)


def _add_review(sub) -> None:
    review = _command(sub, "review",
                      "a local page to check and correct the rows perftab is unsure of",
                      REVIEW_EXAMPLE)
    _add_output_folder(review)
    review.add_argument("--port", type=int, default=0, help="default: a free port")
    review.add_argument(
        "--host", default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    review.add_argument("--reviewer", help="the name corrections are stored with (default: the "
                        "user logged in)")


def _review(args) -> int:
    from .corrections import reviewer
    from .diff import DatasetError
    from .review import serve

    if not (args.outdir / "files.parquet").exists() and not (args.outdir / "files.csv").exists():
        raise DatasetError(f"{args.outdir}: no files output in it; give a folder written by "
                           "perftab extract")
    serve(args.outdir, args.host, args.port, reviewer(args.reviewer))
    return EXIT_OK


def _check(args) -> int:
    from .check import run_check

    print(format_check_summary(run_check(args.outdir)))
    return EXIT_OK


def format_check_summary(result: CheckResult) -> str:
    from perftab.normalize.checks import SEVERITIES

    lines = [
        f"tables: {result.n_tables}",
        "checks: " + ", ".join(f"{result.count(s)} {s}" for s in SEVERITIES),
    ]
    lines += [f"  {severity:7} {n:5}  {rule}" for severity, rule, n in result.by_rule()]
    lines.append(f"wrote: {result.output}")
    return "\n".join(lines)


def _add_inspect(sub) -> None:
    inspect = sub.add_parser(
        "inspect",
        help="draw what the readers found on a page (ruling lines, cells, spans, column roles, "
        "header block, indicator rows, repairs) on the page's picture",
    )
    inspect.add_argument("file", type=Path, metavar="FILE", help="a PDF or a page image")
    inspect.add_argument("--page", type=int, default=1, metavar="N", help="page (default: 1)")
    inspect.add_argument(
        "--png", type=Path, metavar="OUT", help="where to write the picture (default: "
        "FILE's name with -pN.png, in the current folder)",
    )


def _inspect(args) -> int:
    from perftab.extract import DocumentError

    from .inspect import NotAPage, draw_findings, inspect_page

    try:
        findings = inspect_page(args.file, args.page)
    except (DocumentError, NotAPage, OSError) as exc:
        raise UsageError(str(exc)) from exc
    out = args.png or Path(f"{args.file.stem}-p{args.page}.png")
    draw_findings(findings).save(out)
    rows = findings.indicators()
    print(f"page {findings.page} of {findings.pages}: {len(findings.parts)} table parts, "
          f"{len(findings.edges)} ruling lines, {len(findings.grids)} grids, "
          f"{len(rows)} indicator rows ({sum(1 for i in rows if i.repairs)} repaired)")
    print(f"wrote: {out}")
    return EXIT_OK


def _compact(args) -> int:
    from .compact import run_compact

    if not (args.outdir / "files.parquet").is_dir():
        raise UsageError(f"outdir: {args.outdir} holds no Parquet output of perftab extract "
                         "(a CSV or XLSX output is one file per output already)")
    print(format_compact_summary(run_compact(args.outdir)))
    return EXIT_OK


def format_compact_summary(result) -> str:
    lines = [
        f"{name}: {result.before[name]} files -> {result.after[name]} "
        f"({result.rows[name]} rows)"
        for name in result.before
    ]
    lines.append("wrote: " + ", ".join(str(p) for p in result.outputs.values()))
    return "\n".join(lines)
