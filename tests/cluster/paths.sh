#!/usr/bin/env bash
# Prints "<binary>=<absolute path>" for every test-cluster binary (built or not).
#   tests/cluster/paths.sh            all binaries
#   tests/cluster/paths.sh helm       just the path of one binary
# Honours KEELSON_CACHE_DIR, KEELSON_HELM_BIN, KEELSON_KUSTOMIZE_BIN, KEELSON_KUBECTL_BIN.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

binary_path() {
  local b="$1" c
  case "$b" in
    helm) [[ -n "${KEELSON_HELM_BIN:-}" ]] && { realpath -m "$KEELSON_HELM_BIN"; return; } ;;
    kustomize) [[ -n "${KEELSON_KUSTOMIZE_BIN:-}" ]] && { realpath -m "$KEELSON_KUSTOMIZE_BIN"; return; } ;;
    kubectl) [[ -n "${KEELSON_KUBECTL_BIN:-}" ]] && { realpath -m "$KEELSON_KUBECTL_BIN"; return; } ;;
  esac
  for c in "${COMPONENTS[@]}"; do
    if [[ " $(component_binaries "$c") " == *" $b "* ]]; then
      echo "$(component_bin_dir "$c")/${b}"
      return
    fi
  done
  echo "paths.sh: unknown binary: $b" >&2
  return 1
}

if [[ $# -gt 0 ]]; then
  for b in "$@"; do binary_path "$b"; done
  exit 0
fi
for c in "${COMPONENTS[@]}"; do
  for b in $(component_binaries "$c"); do echo "${b}=$(binary_path "$b")"; done
done
