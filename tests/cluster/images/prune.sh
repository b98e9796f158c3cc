#!/usr/bin/env bash
# Removes image stores of other keys that were not touched for an hour, except those a running docker-registry
# serves (a cluster started an hour ago may still pull from it; its registry reads the store on every request).
#
#   bash tests/cluster/images/prune.sh CACHE_DIR KEEP_DIR     (build.sh runs it under its lock after a build)
set -euo pipefail
cache="$1"
keep="$2"

# The store dirs live docker-registry processes serve: `rootdirectory` of the config named last on their command line.
served_stores() {
  local p exe cfg
  for p in /proc/[0-9]*; do
    exe="$(readlink "$p/exe" 2>/dev/null)" || continue
    [[ "${exe% (deleted)}" == */docker-registry ]] || continue
    cfg="$(tr '\0' '\n' <"$p/cmdline" 2>/dev/null | sed '/^$/d' | tail -n 1)" || continue
    [[ "$cfg" == /* ]] || cfg="$p/cwd/$cfg"
    [[ -f "$cfg" ]] || continue
    sed -n 's/^[[:space:]]*rootdirectory:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$cfg" | sed 's:/*$::'
  done
}

served="$(served_stores)"
for old in "$cache"/*/; do
  old="${old%/}"
  [[ "$old" != "${keep%/}" && -d "$old" ]] || continue
  [[ -n "$(find "$old" -maxdepth 0 -mmin +60)" ]] || continue
  if grep -qxF -e "${old}/registry" -e "$old" <<<"$served"; then
    echo "[images] kept ${old}: a running docker-registry serves it" >&2
    continue
  fi
  rm -rf "$old"
done
