#!/usr/bin/env bash
# Called by .ci/run before the cluster tests: makes sure the tools the test cluster
# needs are present, then builds only the missing binaries (every component of build.sh, Tekton's
# entrypoint included; first build ~30 min on 2 cores; later runs find them in
# ${KEELSON_CACHE_DIR:-~/.cache/keelson} and take seconds).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v openssl >/dev/null 2>&1; then
  echo "[ci-ensure] openssl missing; installing it from Debian packages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl
fi
if ! command -v go >/dev/null 2>&1; then
  echo "[ci-ensure] ERROR: Go is required to build the test cluster (machine image should provide Go >= 1.26)" >&2
  exit 1
fi
echo "[ci-ensure] $(go version); cache: ${KEELSON_CACHE_DIR:-$HOME/.cache/keelson}"
start=$SECONDS
bash "${here}/build.sh"
echo "[ci-ensure] test-cluster binaries ready in $((SECONDS - start))s"
bash "${here}/images/build.sh" >&2 # test images for the real node (~15 s first time, then cached)
