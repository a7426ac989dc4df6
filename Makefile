# ulnet: the two commands of the README, and a few more.
#   make run    install what is missing, build, run the default lab
#   make test   install what is missing, build (release and ASan+UBSan), run every test
.PHONY: all deps build debug run test test-release test-debug clean format

all: build

deps:
	@bash scripts/install-deps.sh

build/release/build.ninja:
	cmake --preset release >/dev/null
build/debug/build.ninja:
	cmake --preset debug >/dev/null

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

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
