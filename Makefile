VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench samples dist clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/perftab extract samples/ -o output/

test: $(STAMP)
	$(PY) -m pytest

# the wheel hosts install (docs/cluster.md): dist/perftab-<version>-py3-none-any.whl
dist: $(STAMP)
	rm -rf dist
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation -w dist .

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy perftab
	$(PY) -m pytest tests/test_no_cycles.py

bench: $(STAMP)
	$(PY) -m bench

# needs LibreOffice and CJK fonts: apt-get install libreoffice-writer libreoffice-calc fonts-noto-cjk
samples: $(STAMP)
	$(PY) samples/make_samples.py
	$(PY) samples/make_scans.py
	$(PY) samples/make_text_samples.py
	$(PY) samples/make_layout_samples.py
	$(PY) samples/make_xlsx_prints.py
	$(PY) samples/make_xls_samples.py
	$(PY) samples/make_tree_samples.py

clean:
	rm -rf $(VENV) output/*.parquet output/*.csv dist
