# smdr — the two set-up commands are `make run` (the main job) and `make test` (the tests).
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := postgresql postgresql-contrib libpq-dev pkg-config
# Statements as PDF (smdr statement --pdf) and the render check of the pages (scripts/render-check.py,
# run by the tests with /usr/bin/python3); pdfinfo checks the PDFs' page size. Without an emoji font
# an emoji in a caller's name prints as an empty box.
APT_PACKAGES += chromium chromium-driver python3-selenium fonts-dejavu-core fonts-noto-color-emoji poppler-utils

.PHONY: run test build release deps clean bench screenshots

# Installs PostgreSQL, libpq, pkg-config, Chromium and the render check's tools with apt-get when they are missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product smdr

# Runs every test inside a throw-away PostgreSQL cluster (Debian's pg_virtualenv).
test: deps
	pg_virtualenv -t $(SWIFT) test --no-parallel

# A screenshot of every page of the web app (NN-step.png), taken by the browser test: headless
# Chromium walks a real `smdr web` on a throw-away PostgreSQL. SCREENSHOTS=DIR writes them elsewhere.
SCREENSHOTS ?= .build/screenshots
screenshots: deps
	$(SWIFT) build --build-tests
	SMDR_SCREENSHOTS="$(abspath $(SCREENSHOTS))" pg_virtualenv -t $(SWIFT) test --skip-build --filter 'SMDRWebTests.BrowserTests'
	@ls -1 "$(SCREENSHOTS)"

# The main job.
run: release
	./scripts/run.sh

clean:
	rm -rf .build
