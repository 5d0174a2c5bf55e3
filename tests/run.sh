#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit tests and black-box tests on SQLite and
# on PostgreSQL (started by the tests themselves on loopback from Debian's binaries),
# the Python adapter built and run through the host, and a schemathesis run of the
# OpenAPI contract against the demo server.
# Installs what it needs: the Rust toolchain of rust-toolchain.toml (rustup), PostgreSQL,
# HAProxy, Chromium with ChromeDriver and python3-venv (apt-get, as root or through sudo), the
# portal's npm packages (npm ci), componentize-py and schemathesis (pip, each in its own
# venv under plugins/target and target).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== installing PostgreSQL (Debian packages)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

if ! [ -x /usr/sbin/haproxy ]; then
  echo "== installing HAProxy (Debian package) for the cluster test"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq haproxy >/dev/null
fi

if ! command -v chromedriver >/dev/null 2>&1 || ! [ -x /usr/bin/chromium ]; then
  echo "== installing Chromium and ChromeDriver (Debian packages) for the portal's browser tests"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "== front-end packages of the portal (the DSFR, axe-core), pinned by core/portail/package-lock.json"
# npm ci when the installed tree is missing or older than the lockfile (reinstalling at
# every run would rebuild the binary, which carries the DSFR's files)
if ! [ core/portail/node_modules/.package-lock.json -nt core/portail/package-lock.json ]; then
  (cd core/portail && DSFR_ACCEPT_LICENSE=1 npm ci --no-audit --no-fund)
fi

echo "== toolchain"
rustup show active-toolchain
# rustup installs the targets of rust-toolchain.toml only with a toolchain it installs
# itself; an existing `stable` toolchain may lack the component target, so ask for it
# (a no-op when present).
rustup target add wasm32-wasip2

echo "== cargo fmt --check"
cargo fmt --all --check
cargo fmt --all --check --manifest-path plugins/Cargo.toml

echo "== adapters: native tests, then the WebAssembly components the black-box tests load"
# built from plugins/ so that plugins/.cargo/config.toml (wasm SIMD) applies
(cd plugins && cargo test --locked && cargo build --target wasm32-wasip2 --release --locked)

echo "== Python tools: the Python adapter (componentize-py) and schemathesis, each in a venv"
if ! python3 -m venv --help >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
bash plugins/exemple-py/build.sh plugins/target/python/exemple_py.wasm
if [ ! -x target/schemathesis/bin/st ]; then
  python3 -m venv target/schemathesis
  target/schemathesis/bin/pip install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
(cd plugins && cargo clippy --all-targets --locked -- -D warnings \
  && cargo clippy --target wasm32-wasip2 --locked -- -D warnings)

echo "== cargo test (SQLite and PostgreSQL)"
cargo test --workspace --locked
