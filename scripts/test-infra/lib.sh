# Shared helpers for the test-infra scripts (sourced, not run).
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DEBIAN_FRONTEND=noninteractive

log() { echo "test-infra: $*" >&2; }
die() { echo "test-infra: ERROR: $*" >&2; exit 1; }

need_root() {
  [[ $(id -u) -eq 0 ]] || die "$1 needs root (apt-get install / starting system services)"
}

# apt-get update at most once per hour, so repeated runs stay fast but a fresh machine gets lists.
apt_update_once() {
  local stamp=/var/lib/apt/periodic/pipeline-test-infra-update
  if [[ -n $(find "$stamp" -mmin -60 2>/dev/null) ]]; then return 0; fi
  log "apt-get update"
  apt-get update -qq
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
}

# apt_install PKG... : installs only the packages that are missing.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  need_root "installing ${missing[*]}"
  apt_update_once
  log "apt-get install ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# wait_for SECONDS DESCRIPTION COMMAND... : polls COMMAND every second until it succeeds.
wait_for() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "$what did not become ready within ${seconds}s"
    fi
    sleep 1
  done
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
