#!/usr/bin/env bash
# Shared by run.sh and test.sh: prerequisites, a private PostgreSQL cluster, the build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGBIN=/usr/lib/postgresql/15/bin
CONFIGURATION="${CONFIGURATION:-Release}"

# What the product and its tests need: a file that must exist, and the Debian package that provides it.
REQUIREMENTS=(
  "$PGBIN/postgres:postgresql-15"
  "/usr/bin/chromium:chromium"
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core"
  "/usr/bin/Xvnc:tigervnc-standalone-server"
  "/usr/bin/vncpasswd:tigervnc-tools"
  "/usr/bin/bwrap:bubblewrap"
  "/usr/bin/xterm:xterm"
  "/usr/bin/matchbox-window-manager:matchbox-window-manager"
  "/usr/bin/firefox-esr:firefox-esr"
  "/usr/bin/xclip:xclip"
  "/usr/bin/websockify:websockify"
  "/usr/bin/wrk:wrk"
  "/usr/bin/promtool:prometheus"
  "/usr/bin/go:golang-go"
  "/usr/share/gocode/src/github.com/Masterminds/sprig:golang-github-masterminds-sprig-dev"
  "/usr/share/gocode/src/gopkg.in/yaml.v3:golang-gopkg-yaml.v3-dev"
)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

ensure_prerequisites() {
  local missing=() requirement
  for requirement in "${REQUIREMENTS[@]}"; do
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
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || { echo "The .NET SDK 10 is required (dotnet on PATH): https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 1; }
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
