#!/usr/bin/env bash
# Installs schemathesis (the API fuzzer of tests/e2e/api-fuzz.spec.ts and `npm run fuzz`) into its own venv in
# the cache, pinned. A venv already holding this version is reused without touching the network, so CI runs
# offline once the cache is warm. Needs python3 with venv (Debian: apt-get install python3-venv).
set -euo pipefail
VERSION=4.32.5
DIR="${KEELSON_SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/keelson/schemathesis-$VERSION}"

if [ -x "$DIR/bin/schemathesis" ] && "$DIR/bin/schemathesis" --version 2>/dev/null | grep -q "version $VERSION\$"; then
  echo "[fuzz] schemathesis $VERSION already in $DIR"
  exit 0
fi
# The folder is replaced with rm -rf: refuse one that is not a venv of ours (KEELSON_SCHEMATHESIS_VENV=$HOME by mistake).
case "$(basename "$DIR")" in
  schemathesis-*) ;;
  *)
    echo "[fuzz] refusing KEELSON_SCHEMATHESIS_VENV=$DIR: the folder would be removed and made again, so" \
      "its name must start with schemathesis- (for example $(dirname "$DIR")/schemathesis-$VERSION)" >&2
    exit 2
    ;;
esac
echo "[fuzz] installing schemathesis $VERSION into $DIR"
rm -rf "$DIR"
mkdir -p "$(dirname "$DIR")"
python3 -m venv "$DIR"
"$DIR/bin/pip" install --quiet "schemathesis==$VERSION"
"$DIR/bin/schemathesis" --version
