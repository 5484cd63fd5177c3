#!/usr/bin/env bash
# Builds the container images the tests launch, with no registry: a minimal Debian bookworm root from the apt mirror
# (debootstrap), imported into Podman, then one small layer per image from tests/images/<name>/Containerfile.
# The root is cached under $STREAMSPACE_IMAGE_CACHE (default /var/cache/streamspace/test-images) and the images stay in
# Podman's store, so only the first run pays for debootstrap (~90 s). Usage: scripts/test-images.sh [podman args...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${STREAMSPACE_IMAGE_CACHE:-/var/cache/streamspace/test-images}"
PACKAGES=tigervnc-standalone-server,xterm,matchbox-window-manager,fonts-dejavu-core,python3,procps,tigervnc-tools
BASE=localhost/streamspace-test-base:1
PODMAN=(podman "$@")

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

# The Debian mirror this machine's apt already uses (the only one reachable from some networks).
mirror() {
  local uri
  uri="$(grep -hoE '^URIs: *http[^ ]+debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed 's/^URIs: *//')"
  [[ -n "$uri" ]] || uri="$(grep -hoE '^deb +http[^ ]+debian/? ' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}')"
  echo "${uri:-http://deb.debian.org/debian}"
}

# The base image's identity: the package list and the suite. A change to either rebuilds it.
base_key="$(printf '%s bookworm' "$PACKAGES" | sha256sum | cut -c1-12)"
if [[ "$("${PODMAN[@]}" image inspect --format '{{index .Labels "stream.space/test-base"}}' "$BASE" 2>/dev/null || true)" != "$base_key" ]]; then
  tarball="$CACHE/bookworm-$base_key.tar"
  if [[ ! -s "$tarball" ]]; then
    mkdir -p "$CACHE"
    work="$(mktemp -d "$CACHE/root.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    log "Building a minimal Debian root for the test images (debootstrap, once: ~90 s)"
    debootstrap --variant=minbase --include="$PACKAGES" bookworm "$work" "$(mirror)" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    rm -rf "$work"/var/cache/apt/archives/*.deb "$work"/var/lib/apt/lists/*
    tar -C "$work" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$work"
    trap - EXIT
  fi
  log "Importing the test base image"
  "${PODMAN[@]}" import --change "LABEL stream.space/test-base=$base_key" "$tarball" "$BASE" >/dev/null
fi

# Each image is its directory's Containerfile on top of the base; podman's layer cache makes an unchanged one instant.
for dir in "$ROOT"/tests/images/*/; do
  [[ -f "$dir/Containerfile" ]] || continue
  name="$(basename "$dir")"
  log "Building localhost/streamspace-test-$name:1"
  "${PODMAN[@]}" build -q --build-arg "BASE=$BASE" -t "localhost/streamspace-test-$name:1" "$dir" >/dev/null
done
