#!/usr/bin/env bash
# Installs Azurite from npm into .tools/azurite and starts its blob service on 127.0.0.1:10000 with
# data under .testinfra/azurite. Idempotent: an Azurite that already answers is left as it is.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=3.37.0
PORT=10000
TOOLS="$REPO_ROOT/.tools/azurite"
DATA="$REPO_ROOT/.testinfra/azurite"
PID_FILE="$REPO_ROOT/.testinfra/azurite.pid"
LOG_FILE="$REPO_ROOT/.testinfra/azurite.log"
BIN="$TOOLS/node_modules/.bin/azurite-blob"

if port_open 127.0.0.1 "$PORT"; then
  log "Azurite already answers on 127.0.0.1:$PORT"
  exit 0
fi

command -v npm >/dev/null || die "npm is needed to install Azurite (install Node.js 20+)"
if [[ ! -x $BIN ]] || ! grep -q "\"version\": \"$VERSION\"" "$TOOLS/node_modules/azurite/package.json" 2>/dev/null; then
  log "installing azurite@$VERSION into .tools/azurite"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "azurite@$VERSION" >/dev/null
fi

mkdir -p "$DATA"
log "starting azurite-blob on 127.0.0.1:$PORT"
setsid nohup "$BIN" --blobHost 127.0.0.1 --blobPort "$PORT" --location "$DATA" --silent \
  --skipApiVersionCheck --disableTelemetry </dev/null >"$LOG_FILE" 2>&1 &
echo $! > "$PID_FILE"
wait_for 60 "Azurite blob service on 127.0.0.1:$PORT (log: $LOG_FILE)" port_open 127.0.0.1 "$PORT"
log "Azurite ready: http://127.0.0.1:$PORT/devstoreaccount1"
