#!/usr/bin/env bash
# Runs a single-node Apache Kafka broker (KRaft) fetched from Maven Central.
#   infra/kafka/kafka.sh start | stop | status | fetch
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP (512m),
# KAFKA_HOME_DIR (<repo>/.cache/kafka). Data lives in $KAFKA_HOME_DIR/data-$KAFKA_PORT.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
home="${KAFKA_HOME_DIR:-$root/.cache/kafka}"
libs="$home/$version/libs"
data="$home/data-$port"
pidfile="$data/broker.pid"
log="$data/broker.log"

say() { printf '[kafka:%s] %s\n' "$port" "$*"; }

fetch() {
  [ -f "$libs/.complete" ] && return 0
  say "fetching Apache Kafka $version from Maven Central into $libs"
  rm -rf "$libs" && mkdir -p "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs"
  touch "$libs/.complete"
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

accepting() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

write_config() {
  mkdir -p "$data/log"
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/log
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
# A single-node KRaft quorum appends an empty metadata record every 500 ms by default; idle CPU.
metadata.max.idle.interval.ms=5000
PROPS
}

start() {
  if running; then say "already running (pid $(cat "$pidfile"))"; return 0; fi
  if accepting; then say "port $port is taken by another process; using it as the broker"; return 0; fi
  fetch
  write_config
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if [ ! -f "$data/log/meta.properties" ]; then
    say "formatting storage in $data"
    "$java" -cp "$libs/*" kafka.tools.StorageTool format --standalone \
      -t "$("$java" -cp "$libs/*" kafka.tools.StorageTool random-uuid)" \
      -c "$data/server.properties" >/dev/null
  fi
  say "starting broker $version"
  nohup "$java" -Xms"${KAFKA_HEAP:-512m}" -Xmx"${KAFKA_HEAP:-512m}" -XX:+UseG1GC \
    -Dlog4j2.level=WARN -Djava.awt.headless=true \
    -cp "$libs/*" kafka.Kafka "$data/server.properties" >"$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if ! running; then say "broker exited; last lines of $log:"; tail -20 "$log"; exit 1; fi
    if accepting; then say "ready on 127.0.0.1:$port"; return 0; fi
    sleep 0.5
  done
  say "broker did not accept connections within 60 s; see $log"; exit 1
}

stop() {
  if ! running; then say "not running"; return 0; fi
  local pid; pid="$(cat "$pidfile")"
  say "stopping (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  fetch) fetch ;;
  status) if running; then say "running (pid $(cat "$pidfile"))"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac
