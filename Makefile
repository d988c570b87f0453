# SDMX Hub: the two README commands.
#   make run   install what is missing, build, start the hub on the embedded
#              log, load the demo feed over HTTP, serve on 127.0.0.1:8080
#   make test  install what is missing, build, run every test with ctest
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= Release
# Every dependency, from Debian 12 (bookworm) packages only.
DEB_PACKAGES := build-essential cmake ninja-build ccache pkg-config curl \
  librdkafka-dev librocksdb-dev libpugixml-dev libprotobuf-dev protobuf-compiler \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libspdlog-dev libcli11-dev libtomlplusplus-dev libjemalloc-dev libssl-dev zlib1g-dev prometheus-cpp-dev \
  libgtest-dev libbenchmark-dev docker-compose time
FUZZ_PACKAGES := clang libclang-rt-14-dev
# Only the tests need these: real SDMX clients (R's rsdmx; sdmx1 from PyPI in a
# venv) read from a running hub; jsonschema checks its SDMX-JSON against the official schemas;
# a JDK and Maven run the real Apache Kafka broker (jars from Maven Central, tests/kafka/broker);
# Chromium drives the explorer page (with playwright-core from npm: Node.js and npm, from Debian
# unless a node is already there, tests/hub/explorer).
TEST_PACKAGES := r-cran-rsdmx python3 python3-jsonschema python3-venv python3-pip libxml2-utils \
  openjdk-17-jre-headless maven chromium
# Only the benchmarks need these: a load driver and a baseline server (HTTP); a JDK and
# Maven for the real Kafka broker (freshness and ingest on Kafka).
BENCH_PACKAGES := wrk nginx-light curl openjdk-17-jre-headless maven
FUZZ_SECONDS ?= 10
FUZZ_DIR ?= build-fuzz
CORPUS ?= ../shared/corpus
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps fuzz-deps test-deps install-missing configure build run test fuzz bench clean

deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEB_PACKAGES)"

fuzz-deps: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(FUZZ_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(TEST_PACKAGES)"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory install-missing PACKAGES="nodejs npm"

install-missing:
	@missing=$$(for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR)

# Only what it runs: the hub itself, not the tests and benchmarks.
run: configure
	cmake --build $(BUILD_DIR) --target sdmx-hub
	bash hub/run_demo.sh

test: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j2

# A short libFuzzer run of every reader (CI runs it after the tests): first
# the kept regression inputs, then FUZZ_SECONDS of fuzzing from corpus seeds.
fuzz: fuzz-deps
	CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUB_FUZZ=ON
	cmake --build $(FUZZ_DIR)
	bash tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(CORPUS)

# Benchmarks (not part of `make test`): figures are ratios to a baseline
# measured in the same run.
bench: build
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(BENCH_PACKAGES)"
	$(BUILD_DIR)/bin/sdmx_read_bench --benchmark_counters_tabular=true
	$(BUILD_DIR)/bin/materialise_bench --benchmark_counters_tabular=true
	$(BUILD_DIR)/bin/freshness_bench
	$(BUILD_DIR)/bin/change_feed_bench
	tests/bench/peak_rss.sh $(BUILD_DIR)
	tests/bench/ingest_bench.sh $(BUILD_DIR)
	KAFKA=1 FORMATS=generic21 SIZES_GB=1 tests/bench/ingest_bench.sh $(BUILD_DIR)
	tests/bench/http_bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR)
