# Dialbook — `make run` and `make test` work on a fresh Debian 12 machine.
BUILD_DIR ?= build
JOBS ?= 2
DB ?= sqlite:./dialbook-data/dialbook.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all setup build run test test-unit test-api bench clean

all: build

setup:
	@bash scripts/setup.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: setup $(BUILD_DIR)/build.ninja
	@ninja -C $(BUILD_DIR) -j $(JOBS) dialbook dialbook_tests | grep -v '^ninja: no work to do' || true
	@test -x $(BUILD_DIR)/dialbook

run: build
	@bash scripts/run.sh "$(BUILD_DIR)/dialbook" "$(DB)" "$(LISTEN)"

test-unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

test-api: build
	@node --test --test-concurrency=2 tests/api/

test: test-unit test-api

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD_DIR)
