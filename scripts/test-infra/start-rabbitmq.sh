#!/usr/bin/env bash
# Installs (Debian/Ubuntu package) and starts RabbitMQ for the integration tests: node
# rabbit@localhost on loopback only, AMQP 5672, management API 15672 (guest/guest works on loopback).
# Idempotent: a node that already answers is left as it is.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

READY_TIMEOUT=${RABBITMQ_READY_TIMEOUT:-90}

management_answers() {
  curl -fsS -u guest:guest http://127.0.0.1:15672/api/overview >/dev/null
}

if port_open 127.0.0.1 5672 && management_answers 2>/dev/null; then
  log "RabbitMQ already running"
  exit 0
fi

apt_install curl ca-certificates
if [[ ! -x /usr/sbin/rabbitmq-server ]]; then
  need_root "installing rabbitmq-server"
  apt_update_once
  log "installing rabbitmq-server"
  # The package's scripts try to start the service; policy-rc.d stops that where there is no init system.
  apt-get install -y -qq rabbitmq-server >/dev/null
fi
need_root "starting RabbitMQ"

mkdir -p /etc/rabbitmq
cat > /etc/rabbitmq/rabbitmq-env.conf <<'CONF'
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
echo '[rabbitmq_management].' > /etc/rabbitmq/enabled_plugins
# Management API on loopback only, like AMQP.
if [[ ! -e /etc/rabbitmq/rabbitmq.conf ]] || ! grep -q '^management.tcp.ip' /etc/rabbitmq/rabbitmq.conf; then
  echo 'management.tcp.ip = 127.0.0.1' >> /etc/rabbitmq/rabbitmq.conf
fi

if ! timeout 5 /usr/sbin/rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting rabbitmq-server (detached)"
  /usr/sbin/rabbitmq-server -detached
fi
# await_startup fails at once while the Erlang node is not up yet, so poll it (each try bounded).
wait_for "$READY_TIMEOUT" "RabbitMQ node rabbit@localhost (logs: /var/log/rabbitmq/)" \
  timeout 30 /usr/sbin/rabbitmqctl -q await_startup
wait_for 60 "RabbitMQ AMQP port 127.0.0.1:5672" port_open 127.0.0.1 5672
wait_for 60 "RabbitMQ management API http://127.0.0.1:15672/api/overview" management_answers
log "RabbitMQ ready: amqp://127.0.0.1:5672, management http://127.0.0.1:15672"
