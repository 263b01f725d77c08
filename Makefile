# Tally: `make run` opens the shell on the plan datasets, `make test` runs the whole test suite.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build release deps datasets bench clean sanitize fuzz fuzz-build fuzz-replay

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
TSAN_TESTS := AggregateParallelTests|GroupIDsTests|JoinTests|CSVReaderTests|FidelityTests|RowSelectionTests|RowMovementTests|SortTopNTests|CountDistinctTests
sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp $(SWIFT) test --skip-build --sanitize=address \
		--scratch-path .build-asan --skip TallyCLITests
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --filter '$(TSAN_TESTS)'

## Fuzzing with libFuzzer (and AddressSanitizer): `make fuzz` runs each target of
## Sources/TallyFuzz for FUZZ_SECONDS (default 60) from its committed seeds in Fuzz/corpus/TARGET,
## keeping new inputs in .build-fuzz/corpus/TARGET; a crash is written to Fuzz/crashes/ and stops
## the run. `make fuzz FUZZ_TARGETS=csv FUZZ_SECONDS=1800` runs one target for half an hour.
## `make fuzz-replay` runs every committed input through a plain build, as CI does.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv tsv json parser statements notebook xlsx
FUZZ_FLAGS := -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
	-Xcc -DFUZZING -Xswiftc -use-ld=lld
fuzz-build: deps
	$(SWIFT) build --product tally-fuzz $(FUZZ_FLAGS)
fuzz: fuzz-build
	@mkdir -p Fuzz/crashes
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$target; \
		echo "== $$target: $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=0 TALLY_FUZZ_TARGET=$$target .build-fuzz/release/tally-fuzz .build-fuzz/corpus/$$target Fuzz/corpus/$$target \
			-max_total_time=$(FUZZ_SECONDS) -max_len=8192 -rss_limit_mb=4096 -timeout=20 -detect_leaks=0 -print_final_stats=1 \
			-artifact_prefix=Fuzz/crashes/$$target- 2>&1 | grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|cov:.*DONE|ERROR|SUMMARY|^(csv|tsv|json|parser|statements|notebook|xlsx):" \
			|| true; \
		test -z "$$(ls Fuzz/crashes/$$target-* 2>/dev/null)" || { echo "crash found: Fuzz/crashes/"; exit 1; }; \
	done
fuzz-replay: deps
	$(SWIFT) build --product tally-fuzz
	.build/debug/tally-fuzz replay Fuzz/corpus

## Regenerate the plan datasets (byte-identical to the committed ones).
datasets:
	$(SWIFT) run -c release tally-datagen datasets -o Datasets

## Load and query benchmarks side by side with DuckDB, SQLite, pandas and polars.
bench: deps
	Benchmarks/run.sh
	Benchmarks/queries.sh

clean:
	rm -rf .build
