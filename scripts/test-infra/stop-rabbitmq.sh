#!/usr/bin/env bash
# Stops the RabbitMQ node started by start-rabbitmq.sh (no-op when none runs).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -x /usr/sbin/rabbitmqctl ]] || exit 0
if timeout 10 /usr/sbin/rabbitmqctl -q status >/dev/null 2>&1; then
  log "stopping RabbitMQ"
  timeout 60 /usr/sbin/rabbitmqctl -q shutdown >/dev/null 2>&1 || log "rabbitmqctl shutdown failed or timed out"
fi
command -v epmd >/dev/null 2>&1 && epmd -kill >/dev/null 2>&1 || true
