# ulnet: the two commands of the README, and a few more.
#   make run    install what is missing, build, run a tour of five labs of the book
#   make test   install what is missing, build (release and ASan+UBSan), run every test
#   make bench  build the release preset, run bench/run.py (ulnet vs this kernel; docs/performance.md)
.PHONY: all deps build debug run test test-release test-debug clean format fuzz bench

all: build

deps:
	@bash scripts/install-deps.sh

build/release/build.ninja:
	cmake --preset release >/dev/null
build/debug/build.ninja:
	cmake --preset debug >/dev/null
build/fuzz/build.ninja:
	cmake --preset fuzz >/dev/null

build: deps build/release/build.ninja
	cmake --build --preset release

debug: deps build/debug/build.ninja
	cmake --build --preset debug

run: build
	./build/release/ulnet lab tour

test-release: build
	ctest --preset release -j2

test-debug: debug
	ctest --preset debug -j2

test: test-release test-debug

# libFuzzer targets (clang): each runs 60 s on its corpus; new inputs go to build/fuzz/corpus.
fuzz: deps build/fuzz/build.ninja
	cmake --build --preset fuzz
	@for t in build/fuzz/fuzz_*; do \
		[ -x "$$t" ] || continue; n=$${t##*/fuzz_}; mkdir -p build/fuzz/corpus/$$n; \
		echo "== $$t (60 s)"; \
		$$t -max_total_time=60 -print_final_stats=1 build/fuzz/corpus/$$n fuzz/corpus/$$n \
			|| exit 1; \
	done

# Benchmarks against this machine's kernel: a table, and bench/results/latest.json.
bench: build
	python3 bench/run.py --build build/release

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
