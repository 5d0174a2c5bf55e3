#!/usr/bin/env bash
# Builds the Python adapter exemple-py (app.py) into a WebAssembly component with
# componentize-py 0.25.1:
#
#   plugins/exemple-py/build.sh [OUT.wasm]      (default: plugins/target/python/exemple_py.wasm)
#
# Needs python3 (with venv) and PyPI: componentize-py is installed once in a venv under
# plugins/target/python/venv. The component bundles CPython (about 18 MB) and needs about
# 13 MiB of linear memory. componentize-py does not build the same bytes twice: every
# build has a new sha256 (see "Pinning by sha256" in plugins/README.md).
set -euo pipefail

ici=$(cd "$(dirname "$0")" && pwd)
plugins=$(dirname "$ici")
travail="$plugins/target/python"
sortie=${1:-"$travail/exemple_py.wasm"}
case "$sortie" in
  /*) ;;
  *) sortie="$PWD/$sortie" ;;
esac

venv="$travail/venv"
if [ ! -x "$venv/bin/componentize-py" ]; then
  mkdir -p "$travail"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check componentize-py==0.25.1
fi

# Build from a directory holding only app.py (componentize-py bundles the Python files of
# its path and of the site-packages it finds): VIRTUAL_ENV names a directory without
# site-packages, which keeps the venv's packages out of the component (hence the warning
# "site-packages directory not found").
src="$travail/src"
rm -rf "$src"
mkdir -p "$src" "$(dirname "$sortie")"
cp "$ici/app.py" "$src/"
(cd "$src" && VIRTUAL_ENV="$src" "$venv/bin/componentize-py" -d "$plugins/../wit" -w adapter componentize app -o "$sortie")
sha256sum "$sortie"
