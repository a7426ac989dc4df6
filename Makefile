# ulnet: the two commands of the README, and a few more.
#   make run    install what is missing, build, run the default lab
#   make test   install what is missing, build (release and ASan+UBSan), run every test
.PHONY: all deps build debug run test test-release test-debug clean format fuzz

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
	./build/release/ulnet demo --pcap build/demo.pcap

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

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
