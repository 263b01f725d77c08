# Tally: `make run` opens the shell on the plan datasets, `make test` runs the whole test suite.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build release deps datasets bench clean sanitize

## libedit's and libpq's headers and pkg-config files, and the PostgreSQL server the database
## tests start (initdb, pg_ctl), installed with apt-get when missing.
deps:
	@{ pkg-config --exists libedit 2>/dev/null && pkg-config --exists libpq 2>/dev/null \
		&& { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; } || { \
		echo "installing libedit-dev, libpq-dev, postgresql"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libedit-dev libpq-dev postgresql pkg-config; }

release: deps
	$(SWIFT) build -c release --product tally

run: release
	.build/release/tally

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## The test suite under AddressSanitizer (the command-line tests, which run the plain debug
## binary, are left out), then the parallel kernels and the CSV reader under ThreadSanitizer.
## Separate build folders, so the ordinary build stays as it is.
TSAN_TESTS := AggregateParallelTests|GroupIDsTests|JoinTests|CSVReaderTests|FidelityTests
sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp $(SWIFT) test --skip-build --sanitize=address \
		--scratch-path .build-asan --skip TallyCLITests
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_TESTS)'

## Regenerate the plan datasets (byte-identical to the committed ones).
datasets:
	$(SWIFT) run -c release tally-datagen datasets -o Datasets

## Load and query benchmarks side by side with DuckDB, SQLite, pandas and polars.
bench: deps
	Benchmarks/run.sh
	Benchmarks/queries.sh

clean:
	rm -rf .build
