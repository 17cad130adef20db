# The project's commands. Each one sets up what it needs (virtual environment, Odoo 18,
# PostgreSQL) through scripts/common.sh; see README.md.
.PHONY: run test lint stop bench screenshots pot

run:            ## install/update both addons with demo data, serve http://localhost:8069
	bash scripts/run.sh

test:           ## fresh database, install both addons, whole suite (pytest-odoo) + linters
	bash scripts/test.sh

lint:           ## ruff + pylint-odoo only
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/pylint --rcfile=.pylintrc addons/*

stop:           ## stop the private PostgreSQL cluster
	bash scripts/stop.sh

bench:          ## performance benchmarks (figures in README.md)
	bash scripts/bench.sh

screenshots:    ## refresh the README screenshots from the demo database
	bash scripts/screenshots.sh

pot:            ## regenerate the .pot files of both addons
	bash scripts/i18n_export.sh
