# Front door for users and CI. CMake does the real work; this file installs
# missing system packages first and keeps build chatter on stderr so that
# `make -s run ARGS=...` prints only what sanctum itself prints.

PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
BUILD     ?= build
TESTBUILD ?= build-test
FUZZBUILD ?= build-fuzz
FUZZTIME  ?= 60
PGBUILD   ?= build-pgext
ARGS      ?= --help

.PHONY: all deps deps-test build run test install bench bench-full fuzz clean pg pg-install

all: build

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

$(BUILD)/CMakeCache.txt:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANCTUM_TESTS=OFF >&2

build: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS) >&2

run: build
	@./$(BUILD)/sanctum $(ARGS)

$(TESTBUILD)/CMakeCache.txt:
	@cmake -S . -B $(TESTBUILD) -DCMAKE_BUILD_TYPE=Debug -DSANCTUM_SANITIZE=ON -DCMAKE_C_FLAGS="-O1" >&2

test: deps-test $(TESTBUILD)/CMakeCache.txt
	@cmake --build $(TESTBUILD) -j $(JOBS) >&2
	@cd $(TESTBUILD) && ctest --output-on-failure -j $(JOBS)

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX) >&2

bench: deps build
	@sh scripts/bench.sh $(BUILD) quick

bench-full: deps build
	@sh scripts/bench.sh $(BUILD) full

# The PostgreSQL extension (pg/): PGXS, linked with a sanitizer-free libsanctum.
pg: deps
	@cmake -S . -B $(PGBUILD) -DCMAKE_BUILD_TYPE=Release -DSANCTUM_TESTS=OFF >&2
	@cmake --build $(PGBUILD) -j $(JOBS) --target sanctum_static sanctum_cli >&2
	@$(MAKE) -C pg SANCTUM_BUILD=$(CURDIR)/$(PGBUILD) >&2

pg-install: pg
	@$(MAKE) -C pg SANCTUM_BUILD=$(CURDIR)/$(PGBUILD) install >&2

$(FUZZBUILD)/CMakeCache.txt:
	@CC=clang cmake -S . -B $(FUZZBUILD) -DCMAKE_BUILD_TYPE=Debug -DSANCTUM_FUZZ=ON -DCMAKE_C_FLAGS="-O1" >&2

fuzz: deps-test $(FUZZBUILD)/CMakeCache.txt
	@cmake --build $(FUZZBUILD) -j $(JOBS) >&2
	@sh scripts/fuzz.sh $(FUZZBUILD) $(FUZZTIME)

clean:
	rm -rf $(BUILD) $(TESTBUILD) $(FUZZBUILD) $(PGBUILD)
	-$(MAKE) -C pg clean SANCTUM_BUILD=$(CURDIR)/$(PGBUILD) >/dev/null 2>&1
