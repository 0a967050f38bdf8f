# Two commands on a fresh machine: `make run` (set up, then score a shipped example answer)
# and `make test` (set up, then run the whole test suite). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
TORCH_PIP ?=
PY := $(VENV)/bin/python
STAMP := $(VENV)/.genco-installed
TEST_STAMP := $(VENV)/.genco-test-installed
# GRADED: a folder of independent graded answers (one <rubric-id>.jsonl per question), if there is one.
GRADED ?= $(wildcard ../shared/graded)

.PHONY: run test bench quality screenshots clean browser

# `model export` is a quick no-op when the export is valid, and rebuilds one an upgrade made stale.
# The demo answer is not the user's: --no-save keeps it out of their history.
run: $(STAMP)
	$(VENV)/bin/genco model export
	$(VENV)/bin/genco score --depth detailed --answer-file data/examples/good-detailed.txt --no-save

test: $(TEST_STAMP) browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	GENCO_GRADED=$(GRADED) $(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/perf.py

quality: $(STAMP)
	$(PY) bench/quality.py $(if $(GRADED),--graded $(GRADED) --other-rubrics bench/rubrics-from-docs)

# Retake the README's screenshots of the web app (a plain test run leaves docs/img alone).
screenshots: $(TEST_STAMP) browser
	GENCO_REFRESH_SCREENSHOTS=1 $(PY) -m pytest -q tests/test_web_browser.py -k "practice_flow or mock_interview"

# torch first and pinned: an unpinned torch pulls CUDA. TORCH_PIP adds pip options for it (an index
# of CPU builds, where the default index offers only the CUDA one).
# compileall does for the editable package what pip does for installed ones (and what imports
# cannot do under PYTHONDONTWRITEBYTECODE): no command start-up pays for compiling genco's source.
# The ONNX export (user cache, once per install of the model) makes every later `genco score` start fast.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@echo "installing torch 2.13.0, then genco and its model into $(VENV): a minute or two"
	$(PY) -m pip install --quiet torch==2.13.0 $(TORCH_PIP)
	$(PY) -m pip install --quiet -e .
	$(PY) -m compileall -q genco_interview
	$(VENV)/bin/genco model export
	touch $(STAMP)

# The test tools (pytest, ruff, import-linter, scipy for reference figures, Playwright for the page tests) only
# where tests run: `make run` does not need them.
$(TEST_STAMP): $(STAMP)
	@echo "installing the test tools into $(VENV)"
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# Debian's Chromium for the HTML page tests (report, interviewer sheet); no-op when present, and
# says so on stderr when it installs it (apt-get, through sudo when not root).
browser:
	scripts/install-chromium

clean:
	rm -rf $(VENV) build *.egg-info
