#!/usr/bin/env bash
# Shared helpers for build.sh / paths.sh. Source it; do not run it.
# Each component is a Go wrapper module in tests/cluster/<component>/ whose
# go.mod pins the upstream module; binaries land in
#   ${KEELSON_CACHE_DIR:-$HOME/.cache/keelson}/<component>/<version>/bin/

CLUSTER_SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEELSON_CACHE_DIR="${KEELSON_CACHE_DIR:-${HOME}/.cache/keelson}"
COMPONENTS=(k8s etcd kwok helm kustomize containerd cni tekton)

# component -> "<upstream module> <package...>" ; binaries are the last path element of each package
component_module() {
  case "$1" in
    k8s) echo "k8s.io/kubernetes" ;;
    etcd) echo "go.etcd.io/etcd/server/v3" ;;
    kwok) echo "sigs.k8s.io/kwok" ;;
    helm) echo "helm.sh/helm/v3" ;;
    kustomize) echo "sigs.k8s.io/kustomize/kustomize/v5" ;;
    containerd) echo "github.com/containerd/containerd/v2" ;;
    cni) echo "github.com/containernetworking/plugins" ;;
    tekton) echo "github.com/tektoncd/pipeline" ;;
    *) echo "unknown component: $1" >&2; return 1 ;;
  esac
}

component_packages() {
  case "$1" in
    k8s) echo "k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kubelet" ;;
    etcd) echo "go.etcd.io/etcd/server/v3" ;;
    kwok) echo "sigs.k8s.io/kwok/cmd/kwok" ;;
    helm) echo "helm.sh/helm/v3/cmd/helm" ;;
    kustomize) echo "sigs.k8s.io/kustomize/kustomize/v5" ;;
    containerd) echo "github.com/containerd/containerd/v2/cmd/containerd github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 github.com/containerd/containerd/v2/cmd/ctr" ;;
    cni) echo "github.com/containernetworking/plugins/plugins/main/bridge github.com/containernetworking/plugins/plugins/ipam/host-local github.com/containernetworking/plugins/plugins/main/loopback" ;;
    tekton) echo "github.com/tektoncd/pipeline/cmd/entrypoint" ;;
  esac
}

# Go build tags per component (containerd without cgo: no btrfs, devmapper or zfs snapshotters).
component_tags() {
  case "$1" in
    containerd) echo "no_btrfs,no_devmapper,no_zfs" ;;
    *) echo "" ;;
  esac
}

component_binaries() {
  case "$1" in
    k8s) echo "kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet" ;;
    etcd) echo "etcd" ;;
    kwok) echo "kwok" ;;
    helm) echo "helm" ;;
    kustomize) echo "kustomize" ;;
    containerd) echo "containerd containerd-shim-runc-v2 ctr" ;;
    cni) echo "bridge host-local loopback" ;;
    tekton) echo "entrypoint" ;;
  esac
}

# Version pinned in the wrapper's go.mod (the `require <module> <version>` line).
component_version() {
  local mod; mod="$(component_module "$1")" || return 1
  awk -v m="$mod" '($1 == "require" && $2 == m) {print $3; exit} ($1 == m && $2 ~ /^v/) {print $2; exit}' \
    "${CLUSTER_SRC_DIR}/$1/go.mod"
}

component_bin_dir() {
  echo "${KEELSON_CACHE_DIR}/$1/$(component_version "$1")/bin"
}
