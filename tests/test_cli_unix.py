"""The CLI as a Unix tool: --version, -v, a closed pipe, options named as typed, a quick
--help."""

import re
import subprocess
import sys
from importlib import metadata

import pytest
from conftest import ROOT, SAMPLES

from perftab import jobs
from perftab.cli import main

MARKDOWN = SAMPLES / "markdown" / "huoshan-2023.md"


def test_version_is_the_installed_one(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"perftab {metadata.version('perftab')}\n"


@pytest.fixture
def failing_reader(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a reader's bug")

    monkeypatch.setattr(jobs, "extract_file", broken)


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_prints_the_traceback_of_a_failed_file(where, tmp_path, capsys, failing_reader):
    args = ["extract", str(MARKDOWN), "-o", str(tmp_path), "-q", "--in-process"]
    args = ["-v", *args] if where == "before" else [*args, "-v"]
    assert main(args) == 3  # its one file failed
    err = capsys.readouterr().err
    assert err.startswith(
        f"perftab: {MARKDOWN}: traceback of the failure:\nTraceback (most recent call last):\n"
    )
    # then the file's line with its time (README: -v prints one for each file done)
    traceback, timing = err.rstrip("\n").rsplit("\n", 1)
    assert traceback.endswith("RuntimeError: a reader's bug")
    assert re.fullmatch(rf"perftab: +\d+\.\d\d s  error  {re.escape(str(MARKDOWN))}", timing)


def test_without_verbose_no_traceback(tmp_path, capsys, failing_reader):
    assert main(["extract", str(MARKDOWN), "-o", str(tmp_path), "-q", "--in-process"]) == 3
    out, err = capsys.readouterr()
    assert err == ""
    assert "perftab failed on it (RuntimeError: a reader's bug)" in out


def test_verbose_prints_the_traceback_of_a_usage_error(tmp_path, capsys):
    assert main(["-v", "extract", str(MARKDOWN), "--max-bytes", "lots"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith("perftab: --max-bytes: 'lots' is not a size such as 500M or 524288000\n")


def test_a_closed_pipe_ends_the_output_quietly():
    targets = "".join(f"≥{n}件\n" for n in range(20000)).encode()
    proc = subprocess.Popen(
        [sys.executable, "-m", "perftab", "parse-target"], cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdin.write(targets)
    proc.stdin.close()
    assert proc.stdout.readline().startswith(b'{"raw": "\xe2\x89\xa50')  # as `| head -1`
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "--jobs: 0 is not a positive number"),
        (["--jobs=0"], "--jobs: 0 is not a positive number"),
        (["-j", "0"], "-j: 0 is not a positive number"),
        (["--max-b", "9Q"], "--max-bytes: '9Q' is not a size such as 500M or 524288000"),
    ],
)
def test_a_bad_option_is_named_as_typed(args, message, tmp_path, capsys):
    assert main(["extract", str(MARKDOWN), "-o", str(tmp_path), *args]) == 2
    assert capsys.readouterr().err == f"perftab: {message}\n"


def test_help_loads_no_heavy_library():
    code = (
        "import sys\nfrom perftab.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({'pandas', 'pyarrow', 'pdfplumber', 'fsspec'} & set(sys.modules)),"
        " file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("usage: perftab")
    assert out.stderr == "[]\n"


def test_diff_writes_csv_for_excel(tmp_path):
    out = tmp_path / "out"
    assert main(["extract", str(MARKDOWN), "-o", str(out), "-q", "-j", "1"]) == 0
    diff = tmp_path / "diff"
    assert main(["diff", str(out), str(out), "-o", str(diff), "--format", "csv", "--excel"]) == 0
    assert (diff / "diff.csv").read_bytes().startswith(b"\xef\xbb\xbf" + b'"row_kind"')


def test_diff_excel_needs_csv(tmp_path, capsys):
    assert main(["diff", str(tmp_path), str(tmp_path), "-o", str(tmp_path), "--excel"]) == 2
    assert capsys.readouterr().err == (
        "perftab: --excel: only CSV files are written for Excel; add --format csv\n"
    )


def _readme_usage() -> dict[str, str]:
    """The README's usage block: each line's command -> its options."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Use\n\n```\n")[1].split("```")[0]
    usage: dict[str, str] = {}
    command = ""
    for line in block.splitlines():
        if line.startswith("perftab "):
            command = line.split()[1]
            command = "" if command.startswith("[") else command
        usage[command] = usage.get(command, "") + " " + line
    return usage


def test_the_readme_usage_names_every_command_and_option():
    from perftab.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    usage = _readme_usage()
    assert set(usage) == {"", *commands}
    for name, command in [("", parser), *commands.items()]:
        for action in command._actions:
            if not action.option_strings or action.dest == "help":
                continue
            if name and action.dest == "verbose":  # -v after the command: shown once, above
                continue
            line = usage[name]
            shown = [o for o in action.option_strings if f"[{o}" in line or f" {o} " in line]
            assert shown, (name or "perftab", action.option_strings)


def test_help_takes_under_a_third_of_a_second_of_cpu():
    code = (
        "import resource\nfrom perftab.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(usage.ru_utime + usage.ru_stime)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout.splitlines()[-1]) < 0.3
