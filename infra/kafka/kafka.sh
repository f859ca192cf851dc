#!/usr/bin/env bash
# Runs a single-node Apache Kafka broker (KRaft) fetched from Maven Central.
#   infra/kafka/kafka.sh start | stop | status | fetch
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP (512m),
# KAFKA_HOME_DIR (<repo>/.cache/kafka). Data lives in $KAFKA_HOME_DIR/data-$KAFKA_PORT.
#
# KAFKA_SECURE=1 starts a broker the way managed clusters run, for the tests of the services'
# TLS and SASL settings: it starts empty every time, with
#   - KAFKA_PORT: SASL over TLS (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN);
#   - KAFKA_PORT+3: TLS with a client certificate required (mutual TLS);
#   - KAFKA_PORT+2: plaintext, for the broker itself only; ACLs enforced (StandardAuthorizer);
#   - users from KAFKA_SASL_USERS (`name=password,…`; default `admin=admin-secret`), `admin`
#     and the client certificate's CN=admin being super users;
#   - a CA, the broker's certificate and a client certificate generated with openssl in
#     $data/tls (ca.pem, client.pem, client-key.pem).
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

secure="${KAFKA_SECURE:-0}"
sasl_users="${KAFKA_SASL_USERS:-admin=admin-secret}"
tls="$data/tls"

# A CA, a certificate for 127.0.0.1 signed by it, and a client certificate (CN=admin).
write_tls() {
  mkdir -p "$tls"
  (
    cd "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=finfusion test CA" \
      -keyout ca-key.pem -out ca.pem 2>/dev/null
    for name in server client; do
      local cn=localhost; [ "$name" = client ] && cn=admin
      openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$name-key.tmp" \
        -out "$name.csr" 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$name.ext"
      openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 \
        -extfile "$name.ext" -out "$name.pem" 2>/dev/null
      openssl pkcs8 -topk8 -nocrypt -in "$name-key.tmp" -out "$name-key.pem"
      rm -f "$name-key.tmp" "$name.csr" "$name.ext"
    done
    cat server-key.pem server.pem > server-keystore.pem
  )
}

plain_users() {
  local entry
  for entry in ${sasl_users//,/ }; do printf ' user_%s="%s"' "${entry%%=*}" "${entry#*=}"; done
}

write_config() {
  mkdir -p "$data/log"
  if [ "$secure" = 1 ]; then
    local internal_port=$((port + 2)) mtls_port=$((port + 3))
    cat > "$data/listeners.properties" <<PROPS
listeners=SASL_SSL://127.0.0.1:$port,INTERNAL://127.0.0.1:$internal_port,MTLS://127.0.0.1:$mtls_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port,INTERNAL://127.0.0.1:$internal_port,MTLS://127.0.0.1:$mtls_port
listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL
inter.broker.listener.name=INTERNAL
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required$(plain_users);
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=$tls/server-keystore.pem
listener.name.mtls.ssl.client.auth=required
listener.name.mtls.ssl.truststore.type=PEM
listener.name.mtls.ssl.truststore.location=$tls/ca.pem
ssl.principal.mapping.rules=RULE:^CN=([^,]+)\$/\$1/,DEFAULT
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS;User:admin
PROPS
  else
    cat > "$data/listeners.properties" <<PROPS
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
PROPS
  fi
  cat "$data/listeners.properties" - > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
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
  local scram=()
  if [ "$secure" = 1 ]; then
    # A secure broker is a test fixture: it starts empty, with the users and certificates asked for.
    rm -rf "$data/log" "$tls"
    write_tls
    local entry mechanism
    for entry in ${sasl_users//,/ }; do
      for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
        scram+=(--add-scram "$mechanism=[name=${entry%%=*},password=${entry#*=}]")
      done
    done
  fi
  write_config
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if [ ! -f "$data/log/meta.properties" ]; then
    say "formatting storage in $data"
    "$java" -cp "$libs/*" kafka.tools.StorageTool format --standalone \
      -t "$("$java" -cp "$libs/*" kafka.tools.StorageTool random-uuid)" \
      -c "$data/server.properties" "${scram[@]}" >/dev/null
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
