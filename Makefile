# The two commands: `make run` and `make test`. Each installs whatever is missing first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
WRK ?= /usr/bin/wrk

# Production-like values for `manage.py check --deploy`: nothing here is a real secret.
DEPLOY_ENV := ENVIRONMENT=production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=involvement.example.org \
	DATABASE_URL=postgres://localhost/involvement \
	REDIS_URL=redis://localhost:6379/0 \
	EMAIL_URL=smtp+tls://user:password@smtp.example.org:587

.PHONY: install run test lint format check-deploy chromium pango wrk bench bench-dashboard messages mutation

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Our stylesheet: NHS.UK frontend's Sass, built without its CDN-hosted fonts.
static/dist/app.css: static/scss/app.scss node_modules/.installed
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map $< $@

install: $(VENV)/.installed node_modules/.installed static/dist/app.css

# Browser tests drive Debian's Chromium; install it when we can (as root), else say how.
chromium:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else echo "Browser tests need Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

# Certificates are PDFs made by WeasyPrint, which draws text with Pango; install it like Chromium.
pango:
	@/sbin/ldconfig -p | grep -q 'libpango-1.0.so.0' && /sbin/ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; \
		else echo "Certificates need Pango: sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1; fi; }

run: install pango
	$(PY) scripts/ensure_database.py
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	mkdir -p tmp
	PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

check-deploy: install
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

test: install chromium pango check-deploy
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# The page benchmark drives gunicorn with Debian's wrk; install it when we can (as root), else say how.
wrk:
	@test -x $(WRK) || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
		else echo "The page benchmark needs wrk: sudo apt-get install -y wrk" >&2; exit 1; fi; }

# Performance figures (recorded in docs/benchmarks.md): production settings with DEBUG off
# (bench/production.py), a database of their own, real workers. The outbox with a Celery worker
# (in-memory mail, then a real SMTP server on localhost), the opportunity pages and the sign-up
# race under gunicorn, the weekly digests, the finance export of 10,000 claims, then the people
# list over 20,000 people.
bench: install wrk
	mkdir -p tmp
	$(PY) bench/outbox.py
	$(PY) bench/opportunities.py
	$(PY) bench/digests.py
	$(PY) bench/payments.py
	$(PY) bench/people.py
	$(PY) bench/records.py
	$(PY) bench/privacy.py

# The dashboard over a million sign-ups: builds its own data set (several minutes) once.
bench-dashboard: install
	$(PY) bench/dashboard.py

# allauth's wording in NHS.UK style (locale/en_GB): recompile after editing the .po file. The
# compiled .mo is committed, so running the app never needs gettext; tests check it is current.
messages:
	msgfmt --check-format -o locale/en_GB/LC_MESSAGES/django.mo locale/en_GB/LC_MESSAGES/django.po

# ruff, mypy, and the import contract: each app imports only the apps below it
# (.importlinter, docs/architecture.md).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Mutation testing of the modules that carry the product's rules (setup.cfg lists them). Not
# in CI: it takes one to three hours on two cores. Scores and survivors go in docs/testing.md.
# Always a fresh run: mutmut 3 keeps its verdicts in mutants/ and re-tests a function only when
# its own code changes, so a survivor would stay "survived" after the test that kills it is
# added, and a changed template would go unseen. To re-test a few mutants after adding a test:
# `.venv/bin/mutmut run <mutant names>` (docs/testing.md). mutmut mutates function bodies only;
# scripts/mutation_rules.py then mutates the permission rules composed at module level.
MUTATION_TEMPLATE_DB ?= involvement_mutation_template
mutation: install
	rm -rf mutants
	MUTATION_TEMPLATE_DB=$(MUTATION_TEMPLATE_DB) $(PY) scripts/mutation_template.py
	MUTATION_TEMPLATE_DB=$(MUTATION_TEMPLATE_DB) $(VENV)/bin/mutmut run --max-children 2
	$(PY) scripts/mutation_report.py
	MUTATION_TEMPLATE_DB=$(MUTATION_TEMPLATE_DB) $(PY) scripts/mutation_rules.py
