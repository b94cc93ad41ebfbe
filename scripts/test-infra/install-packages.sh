#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages listed in scripts/test-apt-packages.txt and a docker-compose
# v2 binary (only `docker-compose config` is used: no Docker engine is needed).
#   Debian: docker-compose 2.x from Debian 13 (trixie) — on Debian 12 through a trixie source with a
#           low pin (priority 100, the same as scripts/setup-native.sh), so nothing else comes from it.
#   Ubuntu: the docker-compose-v2 package (a Docker CLI plugin), linked as /usr/local/bin/docker-compose.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

list="$REPO_ROOT/scripts/test-apt-packages.txt"
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$' || true)
[[ ${#packages[@]} -gt 0 ]] && apt_install "${packages[@]}"

compose_is_v2() { docker-compose version --short 2>/dev/null | grep -q '^v\?2\.'; }
if compose_is_v2; then exit 0; fi
need_root "installing docker-compose"

. /etc/os-release
case ${ID:-} in
  debian)
    if [[ ${VERSION_CODENAME:-} != trixie ]] && ! grep -rqs '^deb .* trixie main' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      log "adding the Debian 13 (trixie) apt source with pin priority 100"
      echo 'deb http://deb.debian.org/debian trixie main' > /etc/apt/sources.list.d/trixie.list
      rm -f /var/lib/apt/periodic/pipeline-test-infra-update
    fi
    if [[ ! -e /etc/apt/preferences.d/trixie-pin ]]; then
      printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/trixie-pin
      rm -f /var/lib/apt/periodic/pipeline-test-infra-update
    fi
    apt_update_once
    log "apt-get install -t trixie docker-compose"
    apt-get install -y -qq --no-install-recommends -t trixie docker-compose >/dev/null
    ;;
  ubuntu)
    apt_install docker-compose-v2
    ln -sf /usr/libexec/docker/cli-plugins/docker-compose /usr/local/bin/docker-compose
    ;;
  *)
    die "install docker-compose v2 by hand on ${PRETTY_NAME:-this system}"
    ;;
esac
hash -r
compose_is_v2 || die "docker-compose on PATH is not version 2.x: $(command -v docker-compose) $(docker-compose version --short 2>&1 || true)"
log "docker-compose $(docker-compose version --short) installed"
