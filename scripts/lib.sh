#!/usr/bin/env bash
# Shared by run.sh and test.sh: prerequisites, a private PostgreSQL cluster, the build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGBIN=/usr/lib/postgresql/15/bin
CONFIGURATION="${CONFIGURATION:-Release}"

# What each purpose needs: a file that must exist, and the Debian package that provides it. `make run` installs only the
# first list; `make test` and `make bench` add theirs.
RUN_REQUIREMENTS=(
  "$PGBIN/postgres:postgresql-15"
  "/usr/bin/curl:curl"
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core"
  "/usr/bin/Xvnc:tigervnc-standalone-server"
  "/usr/bin/vncpasswd:tigervnc-tools"
  "/usr/bin/bwrap:bubblewrap"
  "/usr/bin/slirp4netns:slirp4netns"
  "/usr/sbin/nft:nftables"
  "/usr/bin/xterm:xterm"
  "/usr/bin/matchbox-window-manager:matchbox-window-manager"
  "/usr/bin/firefox-esr:firefox-esr"
  "/usr/bin/podman:podman"
  "/usr/sbin/runc:runc"
)
TEST_REQUIREMENTS=(
  "/usr/sbin/debootstrap:debootstrap"
  "/usr/bin/chromium:chromium"
  "/usr/bin/cc:gcc"
  "/usr/sbin/ip:iproute2"
  "/usr/bin/python3:python3"
  "/usr/bin/xclip:xclip"
  "/usr/bin/xdpyinfo:x11-utils"
  "/usr/bin/promtool:prometheus"
  "/usr/bin/go:golang-go"
  "/usr/share/gocode/src/github.com/Masterminds/sprig:golang-github-masterminds-sprig-dev"
  "/usr/share/gocode/src/gopkg.in/yaml.v3:golang-gopkg-yaml.v3-dev"
)
BENCH_REQUIREMENTS=(
  "/usr/sbin/debootstrap:debootstrap"
  "/usr/bin/chromium:chromium"
  "/usr/bin/websockify:websockify"
  "/usr/bin/wrk:wrk"
)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

# The local runtime starts each session's sandbox as a uid of its own (setpriv --reuid), which only root may do: without
# it every Launch would fail, so say so before anything else happens.
require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "StreamSpace $1 needs root: its Workers start each session in a sandbox under a uid of its own (setpriv), and install" >&2
    echo "the Debian packages it needs. Run it again as root: sudo make $1" >&2
    exit 1
  fi
}

# ensure_prerequisites [run|test|bench]: installs (as root) or names (otherwise) the Debian packages that purpose needs.
ensure_prerequisites() {
  local purpose="${1:-run}" missing=() requirement requirements=("${RUN_REQUIREMENTS[@]}")
  case "$purpose" in
    test) requirements+=("${TEST_REQUIREMENTS[@]}") ;;
    bench) requirements+=("${BENCH_REQUIREMENTS[@]}") ;;
  esac
  for requirement in "${requirements[@]}"; do
    [[ -e "${requirement%%:*}" ]] || missing+=("${requirement##*:}")
  done
  # Node.js may come from elsewhere than Debian (NodeSource, nvm); any npm on PATH will do.
  command -v npm >/dev/null || missing+=(nodejs npm)
  if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
      echo "StreamSpace needs these Debian packages. Install them, then run this again:" >&2
      echo "  sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
    log "Installing ${missing[*]}"
    apt_install_without_services "${missing[@]}"
  fi
  command -v dotnet >/dev/null || { echo "The .NET SDK 10 is required (dotnet on PATH): https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }
}

# Some packages start a system service when installed (prometheus serves :9090): a policy-rc.d that answers 101 tells
# Debian's maintainer scripts not to start anything. An existing policy-rc.d is the machine's own and is left alone.
# (STREAMSPACE_POLICY_RC_D only lets a test point it elsewhere.)
apt_install_without_services() {
  local policy="${STREAMSPACE_POLICY_RC_D:-/usr/sbin/policy-rc.d}" ours=""
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && ours=1
  fi
  local status=0
  DEBIAN_FRONTEND=noninteractive apt-get update -qq || status=$?
  if ((status == 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || status=$?
  fi
  if [[ -n "$ours" ]]; then rm -f "$policy"; fi
  return "$status"
}

# resolve_data_dir: where make run keeps PostgreSQL, homes and sessions. That is .data/ in the checkout, unless a parent
# of the checkout is private (a clone under /root): the postgres user and the sandbox uids could not reach it there, so
# the data lives under /var/lib/streamspace/<checkout id> and .data/ becomes a link to it. Prints the real directory.
resolve_data_dir() {
  local link="$ROOT/.data" directory
  if [[ -L "$link" ]]; then
    readlink -f "$link"
    return
  fi
  directory="$ROOT"
  # Only root runs PostgreSQL and the sandboxes as other users; anyone else reaches their own checkout.
  while [[ $(id -u) -eq 0 && "$directory" != / ]]; do
    if [[ $(( 0$(stat -c '%a' "$directory") & 01 )) -eq 0 ]]; then
      if [[ -d "$link" && -n "$(ls -A "$link" 2>/dev/null)" ]]; then
        echo "$link holds data but $directory is private; move it out or make $directory searchable (chmod o+x)." >&2
        exit 1
      fi
      local shared
      shared="${STREAMSPACE_STATE_ROOT:-/var/lib/streamspace}/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
      mkdir -p "$shared"
      chmod 755 "$(dirname "$shared")" "$shared"
      rm -rf "$link"
      ln -s "$shared" "$link"
      log "$directory is private, so the data lives in $shared (.data links to it)"
      echo "$shared"
      return
    fi
    directory="$(dirname "$directory")"
  done
  mkdir -p "$link"
  chmod 755 "$link"
  echo "$link"
}

build() {
  log "Building ($CONFIGURATION)"
  dotnet build "$ROOT/StreamSpace.sln" -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly
}

free_port() {
  local port
  for port in $(seq "${1:-55432}" 65000); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port" >&2
  exit 1
}

# Runs a PostgreSQL binary as the postgres user when we are root (the server refuses root).
as_pg_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR: starts (creating on first use) a private cluster in DIR on a free loopback port.
# Sets PG_PORT and PG_CONNECTION. The password lives in DIR/../<name>.password, readable only by us.
pg_start() {
  local dir="$1" pwfile="$1.password"
  mkdir -p "$(dirname "$dir")"
  if [[ ! -s "$pwfile" ]]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$pwfile")
  fi
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    log "Creating PostgreSQL cluster in $dir"
    mkdir -p "$dir"
    local tmp_pw
    tmp_pw="$(mktemp)"
    cp "$pwfile" "$tmp_pw"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir" "$tmp_pw"
      if ! runuser -u postgres -- test -x "$dir"; then
        echo "The postgres user cannot reach $dir (a parent directory is private, such as /root). Clone the repository elsewhere, e.g. under /srv or /work." >&2
        exit 1
      fi
    fi
    chmod 700 "$dir"
    as_pg_owner "$PGBIN/initdb" -D "$dir" -U streamspace -A scram-sha-256 --pwfile="$tmp_pw" -E UTF8 --no-locale >/dev/null
    rm -f "$tmp_pw"
  fi
  if as_pg_owner "$PGBIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_pg_owner "$PGBIN/pg_ctl" -D "$dir" -m fast stop >/dev/null
  fi
  PG_PORT="$(free_port 55432)"
  as_pg_owner "$PGBIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c max_connections=300 -c fsync=${PG_FSYNC:-on}" start >/dev/null
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=streamspace;Password=$(cat "$pwfile")"
  export PG_PORT PG_CONNECTION
}

pg_stop() {
  local dir="$1"
  if [[ -f "$dir/postmaster.pid" ]]; then
    as_pg_owner "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# container_engine_start DIR: makes a Docker Engine API reachable for the container runtime. An engine the machine already
# has (DOCKER_HOST, CONTAINER_HOST, Podman's or Docker's default socket) is used as it is; otherwise Podman's API service
# starts on DIR/podman.sock with DIR/containers.conf, which sets what this kind of host needs (runc: crun refuses hybrid
# cgroups; rlimits under the host's hard limits). Exports CONTAINER_HOST; sets CONTAINER_ENGINE_PID when it started one.
container_engine_start() {
  local dir="$1" socket
  CONTAINER_ENGINE_PID=""
  for socket in "${DOCKER_HOST:-}" "${CONTAINER_HOST:-}" unix:///run/podman/podman.sock unix:///var/run/docker.sock; do
    case "$socket" in
      "") continue ;;
      unix://*) curl -fsS --max-time 5 --unix-socket "${socket#unix://}" http://engine/version >/dev/null 2>&1 || continue ;;
    esac
    export CONTAINER_HOST="$socket"
    log "Containers: using the engine at $socket"
    return
  done
  command -v podman >/dev/null || { log "No Docker or Podman here: image templates will say they need a container engine"; return; }
  mkdir -p "$dir"
  cat > "$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
  rm -f "$dir/podman.sock"
  CONTAINERS_CONF="$dir/containers.conf" podman system service --time=0 "unix://$dir/podman.sock" >"$dir/service.log" 2>&1 &
  CONTAINER_ENGINE_PID=$!
  local _
  for _ in $(seq 1 100); do
    if [[ -S "$dir/podman.sock" ]] && curl -fsS --max-time 5 --unix-socket "$dir/podman.sock" http://engine/version >/dev/null 2>&1; then
      export CONTAINER_HOST="unix://$dir/podman.sock" CONTAINERS_CONF="$dir/containers.conf"
      log "Containers: Podman's API service on $dir/podman.sock"
      return
    fi
    sleep 0.1
  done
  echo "Podman's API service did not start; see $dir/service.log" >&2
  tail -5 "$dir/service.log" >&2
  kill "$CONTAINER_ENGINE_PID" 2>/dev/null || true
  CONTAINER_ENGINE_PID=""
}

container_engine_stop() {
  if [[ -n "${CONTAINER_ENGINE_PID:-}" ]]; then
    kill "$CONTAINER_ENGINE_PID" 2>/dev/null || true
    wait "$CONTAINER_ENGINE_PID" 2>/dev/null || true
  fi
}
