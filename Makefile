# mlkit: two commands do all set-up on a fresh machine with Python 3.11 and make.
#   make demo   virtual environment, install, synthetic cohort, reports; prints where they are
#   make test   lint (ruff), types (mypy strict) and the whole test suite, notebooks included
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= demo-output
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export MPLBACKEND := Agg
# WeasyPrint (the committee packet, mlkit batch --pdf) draws with Debian's pango and harfbuzz
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core fonts-liberation
SUDO ?=

.PHONY: install system-packages demo test lint typecheck pytest bench clean

install: system-packages $(VENV)/.installed

# On Debian: install what is missing (as root, or with SUDO=sudo), else say what to install.
system-packages:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] || [ -n "$(SUDO)" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "mlkit needs these Debian packages:$$missing" >&2; \
	  echo "install them with: sudo apt-get install$$missing   (or run: make SUDO=sudo ...)" >&2; \
	  exit 1; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

demo: install
	$(PY) -m mlkit demo --out $(DEMO_DIR)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

pytest: install
	$(PY) -m pytest -q

test: lint typecheck pytest

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/profiles.py
	$(PY) bench/batch.py --aios 200
	$(PY) bench/forms.py
	$(PY) bench/whatif.py
	$(PY) bench/packet.py --aios 60

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache build dist
