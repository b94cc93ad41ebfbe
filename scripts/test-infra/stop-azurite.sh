#!/usr/bin/env bash
# Stops the Azurite started by start-azurite.sh (by its pid file; no-op when none runs).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PID_FILE="$REPO_ROOT/.testinfra/azurite.pid"
[[ -f $PID_FILE ]] || exit 0
pid=$(cat "$PID_FILE")
if kill -0 "$pid" 2>/dev/null; then
  log "stopping Azurite (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
fi
rm -f "$PID_FILE"
