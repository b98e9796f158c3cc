#!/usr/bin/env bash
# Stops a test cluster started by up.sh/up.ts (and its real node, if any). See down.ts.
#   tests/cluster/down.sh [DIR]     default: ${KEELSON_CLUSTER_DIR:-.keelson/test-cluster}
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
tsx="${root}/node_modules/.bin/tsx"
[[ -x "$tsx" ]] || { echo "down.sh: ${tsx} not found; run npm install first" >&2; exit 1; }
exec "$tsx" "${here}/down.ts" "$@"
