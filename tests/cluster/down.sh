#!/usr/bin/env bash
# Stops a test cluster started by up.sh/up.ts: kills exactly the pids recorded in
# <dir>/pids/*.pid (only if that pid still runs the recorded binary), then removes <dir>.
#   tests/cluster/down.sh [DIR]     default: ${KEELSON_CLUSTER_DIR:-.keelson/test-cluster}
set -euo pipefail
dir="${1:-${KEELSON_CLUSTER_DIR:-.keelson/test-cluster}}"
if [[ ! -d "$dir" ]]; then
  echo "[cluster] nothing to stop: $dir does not exist" >&2
  exit 0
fi
pids=()
for f in "$dir"/pids/*.pid; do
  [[ -e "$f" ]] || continue
  read -r pid bin < "$f" || true
  exe="$(readlink "/proc/${pid}/exe" 2>/dev/null || true)"
  if [[ -n "$pid" && "${exe% (deleted)}" == "$bin" ]]; then pids+=("$pid"); fi
done
if [[ ${#pids[@]} -gt 0 ]]; then
  echo "[cluster] stopping pids ${pids[*]}" >&2
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 100); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 0.05
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
fi
rm -rf "$dir"
echo "[cluster] removed $dir" >&2
