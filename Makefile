# docchat: `make run` to chat, `make test` to run the suite. Both set everything up on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
# Some machines set PYTHONDONTWRITEBYTECODE; then every process would compile torch & co. from source again
# (about 20 s a start here). The venv's bytecode is written once instead.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install ingest serve eval claims claims-data fit lint bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need Python 3.11 ($(PYTHON)); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@# No bytecode up front: compiling all 21,000 installed modules took 67 s of a 2-core machine, and docchat
	@# imports about a fifth of them; Python writes each one's bytecode the first time it is imported.
	$(BIN)/pip install --quiet --no-compile -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

ingest: install
	$(BIN)/docchat ingest --if-needed

run: ingest
	@echo "docchat is starting at http://$${DOCCHAT_HOST:-127.0.0.1}:$${DOCCHAT_PORT:-7860}"
	$(BIN)/docchat serve

serve: install
	$(BIN)/docchat serve

eval: install
	$(BIN)/docchat eval --out eval/out
	$(BIN)/docchat eval --dataset eval/second/qa-test.jsonl --corpus eval/second/corpus \
		--thresholds eval/second/thresholds.toml --out eval/out/second

# The claim-verification benchmark of the grounding guard (eval/claims/README.md); `make test` gates it too.
claims: install
	$(BIN)/docchat claims --out eval/out

claims-data: install
	$(BIN)/python -m eval.claims.generate

fit: install
	$(BIN)/python -m eval.fit

lint: install
	$(BIN)/ruff check .

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -rs
	$(BIN)/docchat eval --out eval/out --quiet
	$(BIN)/docchat eval --dataset eval/second/qa-test.jsonl --corpus eval/second/corpus \
		--thresholds eval/second/thresholds.toml --out eval/out/second --quiet
	$(BIN)/docchat claims --out eval/out/claims

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/query.py

clean:
	rm -rf $(VENV) .docchat eval/out tests/artifacts
