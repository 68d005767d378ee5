# Dialbook — `make run` and `make test` work on a fresh Debian 12 machine.
BUILD_DIR ?= build
JOBS ?= 2
DB ?= sqlite:./dialbook-data/dialbook.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all setup build web run test test-unit test-api test-e2e bench clean

# The web app: npm ci when the lock file changes, vite build when a source changes.
WEB_STAMP := web/node_modules/.installed
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

all: build

setup:
	@bash scripts/setup.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: setup $(BUILD_DIR)/build.ninja web
	@ninja -C $(BUILD_DIR) -j $(JOBS) dialbook dialbook_tests | grep -vE '^ninja: (no work to do|Entering directory)|Re-checking globbed' || true
	@test -x $(BUILD_DIR)/dialbook

$(WEB_STAMP): web/package.json web/package-lock.json
	@cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/dist/index.html: $(WEB_STAMP) $(WEB_SRC)
	@cd web && npx --no-install tsc --noEmit && npx --no-install vite build --logLevel warn

web: web/dist/index.html

run: build
	@bash scripts/run.sh "$(BUILD_DIR)/dialbook" "$(DB)" "$(LISTEN)"

test-unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

test-api: build
	@node --test --test-concurrency=2 tests/api/

test-e2e: build
	@node --test --test-concurrency=1 tests/e2e/

test: test-unit test-api test-e2e

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD_DIR)

# Import benchmark (SPEC S6): CLI import of 1,000,000 generated rows next to sqlite3 .import,
# then upload → review → completed through the API (100,000 rows); usage in the scripts' headers.
.PHONY: bench-import
bench-import: build
	@bash bench/import.sh
	@node bench/import_api.mjs
