#!/usr/bin/env bash
# Builds the test cluster's container images from this machine's own Debian packages and
# stores them in a docker-registry storage directory that the real node's registry serves.
#
#   bash tests/cluster/images/build.sh              build if missing; last stdout line: the store dir
#   bash tests/cluster/images/build.sh --print-dir  only print the store dir for the current inputs
#
# Store: ${KEELSON_CACHE_DIR:-~/.cache/keelson}/images/<key>/registry (+ images.json next to it),
# where <key> hashes this folder's files, the versions of the packages used, Go, umoci, skopeo and the Tekton
# entrypoint binary (built by ../build.sh tekton when missing).
# Needs: busybox-static, umoci, skopeo, docker-registry, go, python3, tar, ldconfig; root (file owners).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KEELSON_CACHE_DIR:-${HOME}/.cache/keelson}/images"
py="$(command -v python3)"
# Tekton's entrypoint (tests/cluster/tekton/go.mod), published as ko lays it out: /ko-app/entrypoint.
entrypoint_bin="$(bash "${here}/../paths.sh" entrypoint)"

# The tools image: these packages and their Depends/Pre-Depends, minus SKIP (docs, perl, dpkg).
TOOLS_PACKAGES=(bash coreutils git python3 ca-certificates findutils grep sed tar gzip dash mawk diffutils
  debianutils base-files netbase)
TOOLS_SKIP="git-man,perl,dpkg,debconf,liberror-perl"
STD_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CREATED="2026-01-01T00:00:00Z"

# Published names: layout tag | repositories | tags. A repository "library/x" is docker.io/x;
# the same image as repository "x" serves mirror.gcr.io/x (containerd keeps the path as is).
PUBLISH=(
  "busybox|library/busybox busybox|latest 1 1.35 1.36 1.36.1 1.37 stable musl glibc uclibc"
  "bash|library/bash bash|latest 5 5.1 5.2 5.2.15"
  "ubuntu|library/ubuntu ubuntu|latest 20.04 22.04 24.04 focal jammy noble"
  "alpine|library/alpine alpine|latest 3 3.18 3.19 3.20 3.21 3.22 edge"
  "alpine-git|alpine/git|latest v2.39.5 2.39.5 v2.45.2 2.45.2"
  "python|library/python python|latest 3 3.11 3.12 3.13 slim 3-slim 3.11-slim 3.12-slim 3.13-slim 3-alpine 3.12-alpine"
  "pause|pause|3.10 3.10.1 3.9 latest"
  # Upstream's release name for cmd/entrypoint (ko: <name>-<md5 of the import path>; .tekton/release.yaml:
  # ghcr.io, tektoncd/pipeline, no --preserve-import-paths) and the plain name Keelson's default uses.
  "entrypoint|ghcr.io/tektoncd/pipeline/entrypoint-bff0a22da108bc2f16c818c97641a296 ghcr.io/tektoncd/pipeline/entrypoint|v1.15.0"
)

log() { echo "[images] $*" >&2; }

tools_closure() { "$py" "${here}/closure.py" "$TOOLS_SKIP" "${TOOLS_PACKAGES[@]}"; }

image_key() {
  {
    (cd "$here" && find . -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum)
    tools_closure
    dpkg-query -W -f '${Package}=${Version}\n' busybox-static 2>/dev/null || echo "busybox-static missing"
    go env GOVERSION 2>/dev/null || echo "go missing"
    umoci --version 2>/dev/null || echo "umoci missing"
    skopeo --version 2>/dev/null || echo "skopeo missing"
    if [[ -f "$entrypoint_bin" ]]; then sha256sum <"$entrypoint_bin"; else echo "entrypoint missing"; fi
  } | sha256sum | cut -c1-16
}

key="$(image_key)"
out="${cache}/${key}"
if [[ "${1:-}" == "--print-dir" ]]; then
  echo "${out}/registry"
  exit 0
fi

mkdir -p "$cache"
exec 9>"${cache}/.lock"
flock 9
if [[ -f "${out}/images.json" ]]; then
  log "cached: ${out}"
  touch "$out" # marks it in use (see step 7)
  echo "${out}/registry"
  exit 0
fi

missing=()
for tool in umoci skopeo docker-registry go curl tar ldconfig chroot flock; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
dpkg-query -W -f '${db:Status-Status}' busybox-static 2>/dev/null | grep -qx installed || missing+=(busybox-static)
if ((${#missing[@]})); then
  echo "[images] ERROR: missing ${missing[*]}; install: apt-get install umoci skopeo docker-registry busybox-static (and Go)" >&2
  exit 1
fi
if [[ ! -x "$entrypoint_bin" ]]; then
  log "building Tekton's entrypoint first (~3 min): bash tests/cluster/build.sh tekton"
  bash "${here}/../build.sh" tekton >&2
  key="$(image_key)"
  out="${cache}/${key}"
  if [[ -f "${out}/images.json" ]]; then
    touch "$out"
    echo "${out}/registry"
    exit 0
  fi
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "[images] ERROR: building the images needs root (file owners, chroot, ldconfig -r); run it as root" >&2
  exit 1
fi

start=$SECONDS
rm -rf "$cache"/.tmp-* # left by a killed build (we hold the lock, so none is running)
tmp="${cache}/.tmp-${key}-$$"
registry_pid=""
cleanup() {
  if [[ -n "$registry_pid" ]]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
rm -rf "$tmp"
mkdir -p "$tmp/rootfs" "$tmp/out/registry"

write_users() { # dir shell
  mkdir -p "$1/etc" "$1/root" "$1/tmp" "$1/home"
  printf 'root:x:0:0:root:/root:%s\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' "$2" >"$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
  chmod 700 "$1/root"
  chmod 1777 "$1/tmp"
}

# 1. busybox: the static binary and the links `busybox --install -s` makes.
bb="$tmp/rootfs/busybox"
mkdir -p "$bb/bin" "$bb/sbin" "$bb/usr/bin" "$bb/usr/sbin" "$bb/var" "$bb/usr/local/bin"
cp "$(dpkg -L busybox-static | grep -E '/bin/busybox$' | head -1)" "$bb/bin/busybox"
for applet in $("$bb/bin/busybox" --list-full); do
  [[ -e "$bb/$applet" ]] || ln -s /bin/busybox "$bb/$applet"
done
write_users "$bb" /bin/sh

# 2. tools: bash, coreutils, git, python3 ... copied from this machine's packages.
tools="$tmp/rootfs/tools"
mapfile -t tools_pkgs < <(tools_closure | cut -d= -f1)
"$py" "${here}/rootfs.py" "$tools" "${tools_pkgs[@]}"
write_users "$tools" /bin/bash
mkdir -p "$tools/var/tmp" "$tools/run" "$tools/git" "$tools/usr/local/bin"
chmod 1777 "$tools/var/tmp"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n' \
  >"$tools/etc/nsswitch.conf"
install -m 0755 "${here}/docker-entrypoint.sh" "$tools/usr/local/bin/docker-entrypoint.sh"
ln -sf python3 "$tools/usr/bin/python"
python_version="$(chroot "$tools" python3 -c 'import platform; print(platform.python_version())')"

# 3. pause: a static Go program.
pause="$tmp/rootfs/pause"
mkdir -p "$pause"
(cd "${here}/pause" && CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local \
  go build -trimpath -buildvcs=false -ldflags '-s -w' -o "$pause/pause" .)

# 4. entrypoint: the static binary where ko puts it, on a distroless-like base (nonroot 65532, as upstream's).
ep="$tmp/rootfs/entrypoint"
mkdir -p "$ep/ko-app" "$ep/var/run/ko" "$ep/home/nonroot"
install -m 0755 "$entrypoint_bin" "$ep/ko-app/entrypoint"
write_users "$ep" /sbin/nologin
printf 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >>"$ep/etc/passwd"
printf 'nonroot:x:65532:\n' >>"$ep/etc/group"
chown 65532:65532 "$ep/home/nonroot"

log "rootfs sizes: $(du -sh "$bb" "$tools" "$pause" "$ep" | awk '{printf "%s %s; ", $2, $1}' | sed "s#${tmp}/rootfs/##g")"

# 5. OCI layout: one layer per rootfs, one tag per image config.
oci="$tmp/oci"
umoci init --layout "$oci"
layer() { # rootfs layout-tag
  tar --format=gnu --sort=name --numeric-owner --mtime="$CREATED" -C "$1" -cf "$tmp/$2.tar" .
  umoci new --image "$oci:$2"
  umoci raw add-layer --image "$oci:$2" --history.created "$CREATED" --history.created_by "keelson images/build.sh: $2" \
    "$tmp/$2.tar"
  rm -f "$tmp/$2.tar"
}
image() { # base-tag new-tag umoci-config-args...
  local base="$1" tag="$2"
  shift 2
  umoci config --image "$oci:$base" --tag "$tag" --no-history --created "$CREATED" --author "keelson test images" \
    --config.env "PATH=$STD_PATH" "$@"
}
layer "$bb" busybox-base
layer "$tools" tools-base
layer "$pause" pause-base
layer "$ep" entrypoint-base
image busybox-base busybox --config.cmd sh
image tools-base bash --config.entrypoint docker-entrypoint.sh --config.cmd bash
image tools-base ubuntu --config.cmd /bin/bash
image tools-base alpine --config.cmd /bin/sh
image tools-base alpine-git --config.entrypoint git --config.cmd --help --config.workingdir /git
image tools-base python --config.env "PATH=/usr/local/bin:$STD_PATH" --config.env LANG=C.UTF-8 \
  --config.env "PYTHON_VERSION=${python_version}" --config.cmd python3
image pause-base pause --config.entrypoint /pause --config.user 65535:65535 --config.workingdir /
image entrypoint-base entrypoint --config.env "PATH=$STD_PATH:/ko-app" \
  --config.env KO_DATA_PATH=/var/run/ko --config.entrypoint /ko-app/entrypoint --config.user 65532 \
  --config.workingdir /home/nonroot
umoci gc --layout "$oci"
build_done=$SECONDS

# 6. Push every name into a throwaway registry writing to the store.
start_registry() { # -> sets port and registry_pid; fails if it does not answer
  port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  cat >"$tmp/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${tmp}/out/registry
  delete:
    enabled: false
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${port}
  secret: keelson-image-build
YAML
  docker-registry serve "$tmp/registry.yml" >"$tmp/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:${port}/v2/" >/dev/null 2>&1 && return 0
    kill -0 "$registry_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$registry_pid" 2>/dev/null || true
  wait "$registry_pid" 2>/dev/null || true
  registry_pid=""
  return 1
}
# A port taken between the check and the bind: try again with another one.
start_registry || start_registry || start_registry || {
  cat "$tmp/registry.log" >&2
  echo "[images] ERROR: docker-registry did not start" >&2
  exit 1
}
reference_of() { # repository tag
  case "$1" in
    ghcr.io/*) echo "$1:$2" ;;
    pause) echo "registry.k8s.io/$1:$2" ;;
    library/* | */*) echo "docker.io/$1:$2" ;;
    *) echo "mirror.gcr.io/$1:$2" ;;
  esac
}
: >"$tmp/published.tsv"
mkdir -p "$tmp/digests"
n=0
for entry in "${PUBLISH[@]}"; do
  IFS='|' read -r layout_tag repos tags <<<"$entry"
  for repo in $repos; do
    for tag in $tags; do
      n=$((n + 1))
      # containerd keeps the path and swaps the host: ghcr.io/x/y is repository x/y in the local registry.
      printf '%s\t%s\t%s\t%s\t%s\n' "$(reference_of "$repo" "$tag")" "${repo#ghcr.io/}" "$tag" "$layout_tag" "$tmp/digests/$n" \
        >>"$tmp/published.tsv"
    done
  done
done
push_one() { # reference repo tag layout-tag digest-file
  skopeo --insecure-policy copy -q --dest-tls-verify=false --digestfile "$5" "oci:$oci:$4" \
    "docker://127.0.0.1:${port}/$2:$3" >&2
}
while IFS=$'\t' read -r ref repo tag layout_tag digest_file; do
  push_one "$ref" "$repo" "$tag" "$layout_tag" "$digest_file"
done <"$tmp/published.tsv"
kill "$registry_pid"
wait "$registry_pid" 2>/dev/null || true
registry_pid=""
"$py" "${here}/manifest.py" "$oci" "$tmp/published.tsv" "$key" >"$tmp/out/images.json"

# 7. Atomic publish. Stores of other keys go once unused for an hour, unless a running registry serves one.
mv "$tmp/out" "$out"
bash "${here}/prune.sh" "$cache" "$out"
log "built ${n} references in $((SECONDS - start))s (images $((build_done - start))s, push $((SECONDS - build_done))s);" \
  "store $(du -sh "$out/registry" | cut -f1): ${out}"
echo "${out}/registry"
