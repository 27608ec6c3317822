"""make dist's wheel installs into a clean environment and runs: built and installed offline,
the wheel's perftab (not the source tree's) extracts a sample."""

import csv
import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT, SAMPLES

SOURCES = ("pyproject.toml", "README.md", "perftab", "extract", "normalize")


def _run(*args, cwd: Path) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def test_the_wheel_installs_in_a_new_environment_and_extracts(tmp_path):
    source = tmp_path / "source"  # a copy: building leaves build/ and egg-info beside the code
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(ROOT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", tmp_path / "dist", source, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("perftab-*.whl")

    # a new environment whose only other packages are the dependencies already installed here
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                cwd=tmp_path).strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
         wheel, cwd=tmp_path)

    where = _run(python, "-c", "import perftab.extract, perftab.normalize; "
                 "print(perftab.__file__, perftab.extract.__file__, perftab.normalize.__file__)",
                 cwd=tmp_path)
    assert all(path.startswith(site) for path in where.split()), where
    # the only top-level package installed is perftab: none named extract or normalize
    assert sorted(p.name for p in Path(site).iterdir() if (p / "__init__.py").exists()) == [
        "perftab"]
    out = tmp_path / "out"
    _run(venv / "bin" / "perftab", "extract", SAMPLES / "markdown" / "huoshan-2023.md",
         "-o", out, "-q", "--format", "csv", cwd=tmp_path)
    files = (out / "files.csv").read_text(encoding="utf-8").splitlines()
    assert len(files) == 2 and ',"ok",' in files[1]
    meta = json.loads((out / "indicators.csv-metadata.json").read_text(encoding="utf-8"))
    assert meta["url"] == "indicators.csv"
    with open(out / "indicators.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 86
