#!/usr/bin/env bash
# Starts the test cluster; the last line of stdout is the kubeconfig path. See up.ts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
tsx="${root}/node_modules/.bin/tsx"
[[ -x "$tsx" ]] || { echo "up.sh: ${tsx} not found; run npm install first" >&2; exit 1; }
exec "$tsx" "${here}/up.ts" "$@"
