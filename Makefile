# Agora: the two commands that matter are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= agora_site.settings.dev

.PHONY: install run serve worker test lint bench messages messages-update clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

## make messages-update: collect our messages into locale/{da,en}/LC_MESSAGES/django.po
# (locale/overrides is hand-written and left alone; see docs/translations.md)
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=static_collected \
	--ignore=tests --ignore=test-results
messages-update: install
	$(PY) manage.py makemessages -l da -l en $(MESSAGES_IGNORE)

## make run: install, migrate, load the demo, serve on 127.0.0.1:$(PORT) with a job worker
# The demo's e-mail links point at the address served here (unless set otherwise).
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@echo "Agora: http://127.0.0.1:$(PORT)/ (admin: /admin/, users in README.md, password: demo)"
	@# qcluster stops cleanly on a SIGTERM to its main process but can hang when its
	@# workers are signalled first: stop it alone, wait, then the rest of the group.
	@$(PY) manage.py qcluster & q=$$!; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload & w=$$!; \
	  trap 'trap - INT TERM EXIT; kill -TERM $$q 2>/dev/null; \
	    for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $$q 2>/dev/null || break; sleep 1; done; \
	    kill 0' INT TERM EXIT; \
	  wait $$w

## make test: install and run the whole suite (DATABASE_URL selects PostgreSQL)
# pytest exits 5 when it collected nothing: an empty run must fail, not pass.
test: install messages
	@DJANGO_SETTINGS_MODULE=agora_site.settings.test $(PY) -m pytest $(PYTEST_ARGS); \
	  status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; \
	  exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make bench: run the benchmarks in bench/ and print their figures
## make bench: load each surface beside a bare view (needs DATABASE_URL to PostgreSQL;
# AGORA_BENCH_SCALE=0.05 for a quick run). See docs/benchmarks.md.
bench: install messages
	@$(PY) bench/run.py
	@$(PY) bench/rush.py
	@AGORA_RUSH_WAY=stack $(PY) bench/rush.py
	@AGORA_RUSH_WAY=view $(PY) bench/rush.py
	@$(PY) bench/answer_cost.py

clean:
	rm -rf $(VENV) node_modules static_collected var/test-media
