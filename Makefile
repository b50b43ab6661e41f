# Gendan: `make run` serves the demo company on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
VENV := .venv
BIN := $(VENV)/bin
export GENDAN_VAR_DIR ?= $(CURDIR)/var
SECRET_FILE := $(GENDAN_VAR_DIR)/secret_key

.PHONY: run test setup lint messages bench-smoke clean

setup: $(BIN)/.synced node_modules/.installed system-packages

# uv comes from PyPI when the machine does not have it.
$(BIN)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Chromium for the browser tests; Pango (WeasyPrint), CJK fonts and poppler for documents (Debian packages).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(SECRET_FILE):
	@mkdir -p $(GENDAN_VAR_DIR)
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: $(BIN)/.synced node_modules/.installed $(SECRET_FILE)
	@export SECRET_KEY="$$(cat $(SECRET_FILE))"; \
	$(BIN)/gendan migrate --noinput && \
	$(BIN)/gendan collectstatic --noinput -v 0 && \
	$(BIN)/gendan demo && \
	{ $(BIN)/gendan worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "Gendan is serving on http://$${GENDAN_BIND:-127.0.0.1:8000} (Ctrl-C stops it)"; \
	  $(BIN)/gendan serve; }

test: setup
	GENDAN_TESTING=1 $(BIN)/pytest
	$(BIN)/ruff check .

lint:
	$(BIN)/ruff check .

# Rebuild the translation catalogues after changing UI strings (needs GNU gettext's msgfmt).
messages:
	cd gendan && GENDAN_TESTING=1 ../$(BIN)/gendan makemessages -l zh_Hans -l en --no-obsolete \
	  --ignore 'loadplan/*' && GENDAN_TESTING=1 ../$(BIN)/gendan compilemessages

clean:
	rm -rf $(VENV) node_modules var
