#!/usr/bin/env bash
# Builds the test-cluster binaries (only those missing from the cache).
#   tests/cluster/build.sh [component...]   components: k8s etcd kwok helm kustomize containerd cni tekton
# Env: KEELSON_CACHE_DIR (default ~/.cache/keelson), KEELSON_BUILD_FORCE=1 to rebuild.
# GOMODCACHE/GOCACHE are left at Go's defaults so that a second run is fast.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: ERROR: 'go' was not found on PATH. Install Go >= 1.26 to build the test cluster," >&2
  echo "build.sh:        or point the tests at an existing cluster with KEELSON_TEST_KUBECONFIG=/path/to/kubeconfig." >&2
  exit 127
fi

component_ldflags() {
  local c="$1" v="$2"
  case "$c" in
    k8s)
      local minor; minor="$(echo "$v" | cut -d. -f2)"
      local f=""
      for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        f+=" -X ${p}.gitVersion=${v} -X ${p}.gitMajor=1 -X ${p}.gitMinor=${minor}"
        f+=" -X ${p}.gitTreeState=clean -X ${p}.buildDate=1970-01-01T00:00:00Z"
      done
      echo "-s -w${f}" ;;
    helm) echo "-s -w -X helm.sh/helm/v3/internal/version.version=${v} -X helm.sh/helm/v3/internal/version.gitTreeState=clean" ;;
    kustomize) echo "-s -w -X sigs.k8s.io/kustomize/api/provenance.version=kustomize/${v}" ;;
    kwok) echo "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${v}" ;;
    containerd) echo "-s -w -X github.com/containerd/containerd/v2/version.Version=${v} -X github.com/containerd/containerd/v2/version.Package=github.com/containerd/containerd/v2" ;;
    cni) echo "-s -w -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=${v}" ;;
    *) echo "-s -w" ;;
  esac
}

build_component() {
  local c="$1" version bin_dir missing=() b
  version="$(component_version "$c")"
  bin_dir="$(component_bin_dir "$c")"
  for b in $(component_binaries "$c"); do
    [[ -x "${bin_dir}/${b}" && "${KEELSON_BUILD_FORCE:-0}" != 1 ]] || missing+=("$b")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "[build] ${c} ${version}: cached in ${bin_dir}"
    return 0
  fi
  echo "[build] ${c} ${version}: building ${missing[*]} -> ${bin_dir}"
  local start=$SECONDS tmp pkgs
  tmp="$(mktemp -d "${KEELSON_CACHE_DIR}/.build-${c}-XXXXXX")"
  pkgs="$(component_packages "$c")"
  # One package: name the output file (etcd's main package is the module root, .../server/v3).
  local out="${tmp}/"
  [[ "$pkgs" == *" "* ]] || out="${tmp}/$(component_binaries "$c")"
  # shellcheck disable=SC2086 # package list is intentionally word-split
  if ! (cd "${CLUSTER_SRC_DIR}/${c}" && CGO_ENABLED=0 go build -mod=readonly -trimpath -tags "$(component_tags "$c")" \
        -ldflags "$(component_ldflags "$c" "$version")" -o "$out" ${pkgs}); then
    rm -rf "$tmp"
    echo "[build] ${c} ${version}: FAILED after $((SECONDS - start))s" >&2
    return 1
  fi
  mkdir -p "$bin_dir"
  for b in $(component_binaries "$c"); do mv -f "${tmp}/${b}" "${bin_dir}/${b}"; done
  rm -rf "$tmp"
  echo "[build] ${c} ${version}: done in $((SECONDS - start))s"
}

mkdir -p "$KEELSON_CACHE_DIR"
# Scratch dirs of builds that were killed more than 3 hours ago.
find "$KEELSON_CACHE_DIR" -maxdepth 1 -name '.build-*' -mmin +180 -exec rm -rf {} + 2>/dev/null || true
total_start=$SECONDS
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${COMPONENTS[@]}")
for c in "${targets[@]}"; do build_component "$c"; done
echo "[build] all done in $((SECONDS - total_start))s (cache: ${KEELSON_CACHE_DIR})"
