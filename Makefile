# Two commands do everything:
#   make        create .venv from requirements.lock (first use), run the workflow, build report.html
#   make test   same set-up, then the test suite
# Other targets: make lint, make bench, make reproduce (CI: two clean runs compared, and the
# tables checked against MANIFEST.sha256), make manifest, make clean, make lock (re-pin versions).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORES  ?= 2
SNAKEMAKE := $(BIN)/snakemake --cores $(CORES) --rerun-incomplete

# Reproducible bytes: fixed hash seed and metadata date for every tool run from here.
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 1560988800
export MPLBACKEND := Agg

.PHONY: all workflow report test lint bench bench-scale reproduce manifest clean lock lock-slurm slurm-env

all: report

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

workflow: $(STAMP)
	$(SNAKEMAKE)

report: workflow
	$(SNAKEMAKE) --report report.html
	@echo "Report: report.html"

test: $(STAMP)
	$(BIN)/python -m pytest -n $(CORES)

# Two runs from scratch must give identical bytes, and the tables must match the
# committed checksums (a change that moves a published number shows in review).
reproduce: $(STAMP)
	$(MAKE) clean
	$(MAKE) workflow
	$(BIN)/python -m mne_clusters.core.manifest snapshot .snakemake/run1.sha256
	$(MAKE) clean
	$(MAKE) workflow
	$(BIN)/python -m mne_clusters.core.manifest snapshot .snakemake/run2.sha256
	$(BIN)/python -m mne_clusters.core.manifest compare .snakemake/run1.sha256 .snakemake/run2.sha256
	$(BIN)/python -m mne_clusters.core.manifest check

# After a deliberate change to data or code that moves numbers: rewrite the manifest.
manifest: workflow
	$(BIN)/python -m mne_clusters.core.manifest write

# Everything it runs is pinned in requirements.lock (the `lint` extra); the type
# checker's settings (strict on the package) are in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check src tests workflow benchmarks
	$(BIN)/ruff format --check src tests workflow benchmarks
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/mypy
	$(BIN)/snakemake --lint

# Name resolution (speed and quality), the workflow's ratios to their floors, and a
# synthetic wave of 10^6 relations through the whole workflow (about 12 minutes).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_matching.py
	$(BIN)/python benchmarks/bench_matching.py --benchmark
	$(BIN)/python benchmarks/bench_workflow.py --cores $(CORES)
	$(BIN)/python benchmarks/bench_scale.py --cores $(CORES) --relations 1000000

# A synthetic wave of 10^4 clusters and 10^4..10^6 relations through the whole
# workflow, with the slopes (long: see benchmarks/README.md).
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py --cores $(CORES)

clean:
	rm -rf data/processed/* figures/* report.html logs .snakemake/metadata .snakemake/incomplete .snakemake/mne-clusters
	touch data/processed/.gitkeep figures/.gitkeep

# Maintainers only: re-resolve the newest versions allowed by pyproject.toml
# and pin them, with hashes, into requirements.lock.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet --no-emit-index-url --no-emit-find-links --generate-hashes --allow-unsafe --extra test --extra lint \
		--output-file requirements.lock pyproject.toml build-requirements.in

# Optional: the SLURM executor plugin (profiles/slurm), from requirements-slurm.lock
# (the default lock's versions plus the plugin, with hashes).
SLURM_STAMP := $(VENV)/.slurm-installed
slurm-env: $(SLURM_STAMP)

$(SLURM_STAMP): $(STAMP) requirements-slurm.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-slurm.lock
	@touch $@

# Maintainers only: pin the slurm extra, constrained to requirements.lock's versions.
lock-slurm:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet --no-emit-index-url --no-emit-find-links --generate-hashes --allow-unsafe --extra slurm \
		--constraint requirements.lock --output-file requirements-slurm.lock pyproject.toml
