# jimu's two commands for a fresh Debian 12 machine (README.md):
#   make demo   install what is missing, build, run the sample workflow on the embedded store
#   make test   install what is missing, build, run every test (ctest)
# and: make test-sanitize (the same tests under AddressSanitizer + UBSan), make bench.

# Debian packages jimu builds, tests and runs with. Nothing else is downloaded.
DEBS := g++ cmake ninja-build pkg-config make \
        liblua5.4-dev libpoco-dev libsqlite3-dev sqlite3 libssl-dev catch2 \
        libpugixml-dev libxlsxwriter-dev libexpat1-dev zlib1g-dev libicu-dev \
        libcurl4-openssl-dev python3-aiosmtpd dovecot-imapd dovecot-pop3d openssl \
        python3 python3-openpyxl python3-xlsxwriter python3-croniter hyperfine lua5.4 curl \
        chromium fonts-noto-cjk nodejs postgresql libpq-dev
# npm (for the browser test's playwright-core) comes with some nodejs builds, else from Debian.

BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build demo test test-sanitize bench clean

all: build

deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "jimu needs these Debian packages; install them as root with:"; \
	    echo "  sudo apt-get install -y $$missing"; \
	    exit 1; \
	  fi; \
	fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	JIMU=$(CURDIR)/$(BUILD)/cli/jimu samples/demo.sh

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize:
	$(MAKE) test BUILD=build-sanitize CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=Debug -DJIMU_SANITIZE=ON"

bench: build
	bench/run.sh $(BUILD)

clean:
	rm -rf build build-sanitize demo-home
