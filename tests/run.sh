#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit tests and black-box tests on SQLite and
# on PostgreSQL (started by the tests themselves on loopback from Debian's binaries).
# Installs what it needs: the Rust toolchain of rust-toolchain.toml (rustup) and
# PostgreSQL (apt-get, as root or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== installing PostgreSQL (Debian packages)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
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

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
(cd plugins && cargo clippy --all-targets --locked -- -D warnings \
  && cargo clippy --target wasm32-wasip2 --locked -- -D warnings)

echo "== cargo test (SQLite and PostgreSQL)"
cargo test --workspace --locked
