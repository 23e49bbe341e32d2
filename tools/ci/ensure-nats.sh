#!/usr/bin/env bash
# Makes sure a nats-server with JetStream answers on 127.0.0.1:4222 before the tests run:
# installs Debian's package when it is missing (as root), and starts it when it is not running.
set -euo pipefail
nats_listening() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }
nats_listening && exit 0
if ! command -v nats-server >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "The NATS tests need nats-server (2.9+) with JetStream on 127.0.0.1:4222: install it (Debian: apt-get install nats-server) or start one there." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nats-server >/dev/null
fi
mkdir -p /tmp/burndown-nats
# Detached from this shell, so it outlives the test run like a service would.
setsid nohup "$(command -v nats-server)" -a 127.0.0.1 -p 4222 -js -sd /tmp/burndown-nats \
  >/tmp/burndown-nats/nats-server.log 2>&1 </dev/null &
for _ in $(seq 1 50); do nats_listening && exit 0; sleep 0.2; done
echo "nats-server did not start on 127.0.0.1:4222 (see /tmp/burndown-nats/nats-server.log)" >&2
exit 1
