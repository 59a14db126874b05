#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) from the
# jars on Maven Central, for development and CI. No Docker, no tarball download: Maven fetches
# the jars into a cache outside the repository.
#
#   bash scripts/kafka/kafka.sh install   # fetch jars into the cache (no-op when already there)
#   bash scripts/kafka/kafka.sh start     # install if needed, format storage once, start, wait until ready
#   bash scripts/kafka/kafka.sh stop      # SIGTERM, wait, SIGKILL if needed
#   bash scripts/kafka/kafka.sh reset     # stop + delete the state dir (data, logs); keeps the jars
#   bash scripts/kafka/kafka.sh status    # prints running / not running (exit 0 / 3)
#
# Environment:
#   KAFKA_PORT              client (PLAINTEXT) port on 127.0.0.1, default 9092
#   KAFKA_CONTROLLER_PORT   KRaft controller port on 127.0.0.1, default KAFKA_PORT+1 (9093)
#   KAFKA_STATE_DIR         data, logs, pid file; default ${TMPDIR:-/tmp}/hookline-kafka-$KAFKA_PORT
#   HOOKLINE_KAFKA_HOME     jar cache; default $HOME/.cache/hookline/kafka-<version>
#   HOOKLINE_KAFKA_VERSION  Kafka version, default below (see README.md before changing it)
#   KAFKA_START_TIMEOUT     seconds start waits for readiness, default 90
#   KAFKA_HEAP_OPTS         default "-Xms256m -Xmx512m"
#   KAFKA_JVM_OPTS          extra JVM options for the broker
#   JAVA                    java binary, default "java" (Java 17+)
#   MVN                     maven binary, default "mvn"
set -euo pipefail

# Latest 4.1 patch. kafkajs 2.2.4 was checked against it (README.md): every API kafkajs implements
# negotiates a version Kafka 4.1 still accepts after KIP-896. HOOKLINE_KAFKA_VERSION=3.9.2 also works
# (log4j 1 / reload4j logging is then used).
KAFKA_VERSION=${HOOKLINE_KAFKA_VERSION:-4.1.2}
LOG4J2_VERSION=2.24.3          # slf4j binding for Kafka 4.x (its POM has slf4j-api 1.7.36 and no binding)
SLF4J_RELOAD4J_VERSION=1.7.36  # slf4j binding for Kafka 3.x (log4j 1 API via reload4j)
MVN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
KAFKA_STATE_DIR=${KAFKA_STATE_DIR:-${TMPDIR:-/tmp}/hookline-kafka-$KAFKA_PORT}
KAFKA_HOME_DIR=${HOOKLINE_KAFKA_HOME:-$HOME/.cache/hookline/kafka-$KAFKA_VERSION}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:-}
JAVA=${JAVA:-java}
MVN=${MVN:-mvn}

LIBS_DIR=$KAFKA_HOME_DIR/libs
TOOLS_DIR=$KAFKA_HOME_DIR/tools
INSTALL_MARKER=$KAFKA_HOME_DIR/.installed
PID_FILE=$KAFKA_STATE_DIR/kafka.pid
SERVER_PROPS=$KAFKA_STATE_DIR/server.properties
DATA_DIR=$KAFKA_STATE_DIR/data
LOG_DIR=$KAFKA_STATE_DIR/logs
STATE_MARKER=$KAFKA_STATE_DIR/.hookline-kafka-state
BROKERS=127.0.0.1:$KAFKA_PORT
READY_CLASS=HooklineKafkaReady

log() { echo "kafka: $*" >&2; }
die() { echo "kafka: error: $*" >&2; exit 1; }

kafka_major() { echo "${KAFKA_VERSION%%.*}"; }

# What the cache must hold; a change here (version bump) triggers a reinstall.
install_fingerprint() {
  if [ "$(kafka_major)" -ge 4 ]; then
    echo "kafka_2.13=$KAFKA_VERSION log4j-slf4j-impl=$LOG4J2_VERSION ready=2"
  else
    echo "kafka_2.13=$KAFKA_VERSION slf4j-reload4j=$SLF4J_RELOAD4J_VERSION ready=2"
  fi
}

is_installed() {
  [ -f "$INSTALL_MARKER" ] &&
    [ "$(cat "$INSTALL_MARKER")" = "$(install_fingerprint)" ] &&
    [ -f "$LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar" ] &&
    [ -f "$TOOLS_DIR/$READY_CLASS.class" ]
}

write_pom() { # $1 = file
  local binding
  if [ "$(kafka_major)" -ge 4 ]; then
    # Kafka 4.x logs through slf4j-api 1.7.36 into log4j2: the slf4j 1.x binding is
    # log4j-slf4j-impl (log4j-slf4j2-impl would need slf4j-api 2.x and stay silent here).
    binding="<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J2_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J2_VERSION</version></dependency>"
  else
    # Kafka 3.x logs through slf4j 1.7 into log4j 1.x; the distribution ships reload4j for that.
    binding="<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$SLF4J_RELOAD4J_VERSION</version></dependency>"
  fi
  cat >"$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.hookline.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    $binding
  </dependencies>
</project>
EOF
}

# Tiny readiness probe built on kafka-clients' Admin: waits until the broker answers
# DescribeCluster with at least one node and lists topics, or until the deadline, or until
# the given broker pid dies. Compiled once at install time.
write_ready_source() { # $1 = file
  cat >"$1" <<'EOF'
import java.util.Collection;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;

public class HooklineKafkaReady {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    long deadline = System.currentTimeMillis() + Long.parseLong(args[1]);
    long pid = args.length > 2 ? Long.parseLong(args[2]) : -1;
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", "hookline-kafka-ready");
    p.put("request.timeout.ms", "3000");
    p.put("default.api.timeout.ms", "5000");
    p.put("reconnect.backoff.ms", "100");
    p.put("reconnect.backoff.max.ms", "500");
    String last = "no answer";
    try (Admin admin = Admin.create(p)) {
      while (System.currentTimeMillis() < deadline) {
        if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          System.err.println("broker process " + pid + " exited");
          System.exit(2);
        }
        try {
          DescribeClusterResult dc = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
          Collection<Node> nodes = dc.nodes().get();
          Set<String> topics =
              admin.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(3000)).names().get();
          if (!nodes.isEmpty()) {
            System.out.println("cluster " + dc.clusterId().get() + ", " + nodes.size() + " broker(s), "
                + topics.size() + " topic(s)");
            return;
          }
          last = "no brokers in metadata";
        } catch (Exception e) {
          last = String.valueOf(e.getCause() != null ? e.getCause() : e);
        }
        Thread.sleep(300);
      }
    }
    System.err.println("not ready: " + last);
    System.exit(1);
  }
}
EOF
}

write_tools_logging() { # quiet client logging for the probe; $1 = dir
  cat >"$1/log4j2-tools.xml" <<'EOF'
<Configuration status="ERROR">
  <Appenders><Console name="err" target="SYSTEM_ERR"><PatternLayout pattern="%p %m (%c)%n"/></Console></Appenders>
  <Loggers><Root level="ERROR"><AppenderRef ref="err"/></Root></Loggers>
</Configuration>
EOF
  cat >"$1/log4j-tools.properties" <<'EOF'
log4j.rootLogger=ERROR, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=%p %m (%c)%n
EOF
}

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 17+; set JAVA=...)"
  local v
  v=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  case "$v" in 1.*|9|1[0-6]) die "java $v is too old, Kafka $KAFKA_VERSION needs Java 17+ here" ;; esac
}

cmd_install() {
  if is_installed; then
    log "Kafka $KAFKA_VERSION already installed in $KAFKA_HOME_DIR"
    return 0
  fi
  check_java
  command -v "$MVN" >/dev/null 2>&1 || die "maven ($MVN) not found"
  command -v javac >/dev/null 2>&1 || die "javac not found (need a JDK 17+, not only a JRE)"
  mkdir -p "$KAFKA_HOME_DIR"
  # Serialise concurrent installs into the same cache (e.g. parallel CI steps).
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$KAFKA_HOME_DIR/.install.lock"
    flock 8
    if is_installed; then log "Kafka $KAFKA_VERSION installed by a concurrent run"; return 0; fi
  fi
  log "installing Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR"
  local tmp
  tmp=$(mktemp -d "$KAFKA_HOME_DIR/.install.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  write_pom "$tmp/pom.xml"
  # -q prints only errors; its output (and Maven's colour resets) goes to a file shown on failure.
  if ! "$MVN" -B -q -Dstyle.color=never -f "$tmp/pom.xml" "$MVN_DEPENDENCY_PLUGIN:copy-dependencies" \
    -DoutputDirectory="$tmp/libs" -DincludeScope=runtime >"$tmp/mvn.log" 2>&1; then
    cat "$tmp/mvn.log" >&2
    die "maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its dependencies"
  fi
  [ -f "$tmp/libs/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka_2.13-$KAFKA_VERSION.jar missing after maven"
  mkdir -p "$tmp/tools"
  write_ready_source "$tmp/tools/$READY_CLASS.java"
  write_tools_logging "$tmp/tools"
  javac -nowarn -cp "$tmp/libs/*" -d "$tmp/tools" "$tmp/tools/$READY_CLASS.java" \
    || die "could not compile the readiness probe"
  rm -rf "$LIBS_DIR" "$TOOLS_DIR"
  mv "$tmp/libs" "$LIBS_DIR"
  mv "$tmp/tools" "$TOOLS_DIR"
  install_fingerprint >"$INSTALL_MARKER"
  rm -rf "$tmp"
  trap - EXIT
  log "installed $(find "$LIBS_DIR" -name '*.jar' | wc -l | tr -d ' ') jars ($(du -sh "$LIBS_DIR" | cut -f1))"
}

# --- process helpers -------------------------------------------------------------------------

# True when $1 is a live process whose command line is our broker.
is_our_broker_pid() {
  local pid=$1 args
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  args=$(ps -p "$pid" -o args= 2>/dev/null) || return 1
  case "$args" in *kafka.Kafka*"$SERVER_PROPS"*) return 0 ;; esac
  return 1
}

# Pid of the broker of this state dir: from the pid file, else by its exact server.properties path.
broker_pid() {
  local pid=""
  [ -f "$PID_FILE" ] && pid=$(tr -dc '0-9' <"$PID_FILE")
  if is_our_broker_pid "$pid"; then echo "$pid"; return 0; fi
  # shellcheck disable=SC2009  # pgrep -f is not the same on Linux and macOS
  pid=$(ps -eo pid=,args= 2>/dev/null | grep -F "kafka.Kafka $SERVER_PROPS" | grep -v grep | awk '{print $1; exit}') || true
  if is_our_broker_pid "$pid"; then echo "$pid"; return 0; fi
  return 1
}

port_open() { # $1 = port
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
  else
    bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
  fi
}

tools_logging_opt() {
  if [ "$(kafka_major)" -ge 4 ]; then
    echo "-Dlog4j2.configurationFile=$TOOLS_DIR/log4j2-tools.xml"
  else
    echo "-Dlog4j.configuration=file:$TOOLS_DIR/log4j-tools.properties"
  fi
}

ready_probe() { # $1 = timeout seconds, $2 = broker pid (optional)
  "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$(tools_logging_opt)" \
    -cp "$TOOLS_DIR:$LIBS_DIR/*" "$READY_CLASS" "$BROKERS" "$(($1 * 1000))" ${2:+"$2"}
}

# --- config ----------------------------------------------------------------------------------

write_server_properties() {
  cat >"$SERVER_PROPS" <<EOF
# Generated by scripts/kafka/kafka.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR

# Single node: everything replicated once.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4

# Topics are created explicitly (admin client / migrations), never by a stray producer.
auto.create.topics.enable=false
num.partitions=1
group.initial.rebalance.delay.ms=0

# Webhook bodies up to 1 MiB travel base64 inside JSON (~1.4 MB): allow 4 MiB record batches.
message.max.bytes=4194304
replica.fetch.max.bytes=4194304
replica.fetch.response.max.bytes=16777216

# Small machine (2 cores): few threads, small cleaner buffer, modest segments.
num.network.threads=2
num.io.threads=4
background.threads=4
num.replica.fetchers=1
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216
log.segment.bytes=67108864
log.retention.hours=24
log.retention.check.interval.ms=300000
EOF
  if [ "$(kafka_major)" -ge 4 ]; then
    cat >>"$SERVER_PROPS" <<EOF

# Share groups (KIP-932) state topic.
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=4
EOF
  fi
}

write_broker_logging() {
  if [ "$(kafka_major)" -ge 4 ]; then
    cat >"$KAFKA_STATE_DIR/log4j2.xml" <<EOF
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="server" fileName="$LOG_DIR/server.log" filePattern="$LOG_DIR/server.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="20 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="server"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="kafka.log" level="WARN"/>
    <Logger name="kafka.cluster" level="WARN"/>
    <Logger name="kafka.coordinator" level="WARN"/>
    <Logger name="kafka.server.ReplicaFetcherManager" level="WARN"/>
    <Logger name="kafka.server.metadata" level="WARN"/>
    <Logger name="org.apache.kafka.storage" level="WARN"/>
    <Logger name="org.apache.kafka.coordinator" level="WARN"/>
    <Logger name="org.apache.kafka.controller" level="WARN"/>
    <Logger name="org.apache.kafka.image" level="WARN"/>
    <Logger name="org.apache.kafka.metadata" level="WARN"/>
    <Logger name="org.apache.kafka.raft" level="WARN"/>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Logger name="org.apache.kafka.common.config" level="WARN"/>
    <Logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
    <Logger name="org.apache.kafka.common.metrics" level="WARN"/>
    <Logger name="org.apache.kafka.server" level="WARN"/>
    <Logger name="kafka.server.KafkaConfig" level="WARN"/>
  </Loggers>
</Configuration>
EOF
  else
    cat >"$KAFKA_STATE_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, server
log4j.appender.server=org.apache.log4j.RollingFileAppender
log4j.appender.server.File=$LOG_DIR/server.log
log4j.appender.server.MaxFileSize=20MB
log4j.appender.server.MaxBackupIndex=3
log4j.appender.server.layout=org.apache.log4j.PatternLayout
log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log=WARN
log4j.logger.kafka.cluster=WARN
log4j.logger.kafka.coordinator=WARN
log4j.logger.kafka.server.ReplicaFetcherManager=WARN
log4j.logger.kafka.server.metadata=WARN
log4j.logger.org.apache.kafka.storage=WARN
log4j.logger.org.apache.kafka.coordinator=WARN
log4j.logger.org.apache.kafka.controller=WARN
log4j.logger.org.apache.kafka.image=WARN
log4j.logger.org.apache.kafka.metadata=WARN
log4j.logger.org.apache.kafka.raft=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.kafka.common.config=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
log4j.logger.org.apache.kafka.common.metrics=WARN
log4j.logger.org.apache.kafka.server=WARN
log4j.logger.kafka.server.KafkaConfig=WARN
EOF
  fi
}

broker_logging_opt() {
  if [ "$(kafka_major)" -ge 4 ]; then
    echo "-Dlog4j2.configurationFile=$KAFKA_STATE_DIR/log4j2.xml"
  else
    echo "-Dlog4j.configuration=file:$KAFKA_STATE_DIR/log4j.properties"
  fi
}

# Base64url of 16 random bytes without padding, not starting with '-' (like Uuid.randomUuid()).
random_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    case "$id" in -*) ;; *) echo "$id"; return 0 ;; esac
  done
}

format_storage() {
  if [ -f "$DATA_DIR/meta.properties" ]; then return 0; fi
  log "formatting storage in $DATA_DIR"
  "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 "$(tools_logging_opt)" -cp "$LIBS_DIR/*" \
    kafka.tools.StorageTool format --standalone --ignore-formatted \
    -t "$(random_cluster_id)" -c "$SERVER_PROPS" >"$LOG_DIR/format.log" 2>&1 \
    || { cat "$LOG_DIR/format.log" >&2; die "formatting storage failed"; }
}

show_log_tail() {
  echo "----- last lines of $LOG_DIR/server.log -----" >&2
  tail -n 40 "$LOG_DIR/server.log" >&2 2>/dev/null || true
  if [ -s "$LOG_DIR/stdout.log" ]; then
    echo "----- last lines of $LOG_DIR/stdout.log -----" >&2
    tail -n 20 "$LOG_DIR/stdout.log" >&2
  fi
}

# --- commands --------------------------------------------------------------------------------

cmd_start() {
  local pid=""
  if pid=$(broker_pid) && port_open "$KAFKA_PORT"; then
    log "Kafka already running (pid $pid) on $BROKERS, state $KAFKA_STATE_DIR"
    echo "KAFKA_BROKERS=$BROKERS"
    return 0
  fi
  cmd_install
  check_java
  if [ -d "$KAFKA_STATE_DIR" ] && [ ! -f "$STATE_MARKER" ] && [ -n "$(ls -A "$KAFKA_STATE_DIR")" ]; then
    die "$KAFKA_STATE_DIR exists, is not empty and was not made by kafka.sh; choose another KAFKA_STATE_DIR"
  fi
  mkdir -p "$KAFKA_STATE_DIR"
  touch "$STATE_MARKER"
  # Serialise concurrent starts on one state dir: the second one then finds the broker running.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$KAFKA_STATE_DIR/.start.lock"
    flock 9
  fi
  if pid=$(broker_pid); then
    # Alive but not (yet) listening: another start is in progress or it is still booting.
    log "broker pid $pid is alive, waiting for it to become ready"
    wait_ready "$pid" "$(date +%s)"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    # Someone else's broker (other state dir) or another service holds the port.
    if ready_probe 5 >/dev/null 2>&1; then
      log "a Kafka broker not managed from $KAFKA_STATE_DIR already answers on $BROKERS; using it"
      echo "KAFKA_BROKERS=$BROKERS"
      return 0
    fi
    die "port $KAFKA_PORT is in use by something that is not a Kafka broker"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "controller port $KAFKA_CONTROLLER_PORT is in use (set KAFKA_CONTROLLER_PORT)"
  fi

  mkdir -p "$DATA_DIR" "$LOG_DIR"
  rm -f "$PID_FILE"
  write_server_properties
  write_broker_logging
  format_storage

  log "starting Kafka $KAFKA_VERSION on $BROKERS (state $KAFKA_STATE_DIR)"
  local t0
  t0=$(date +%s)
  # A new session (setsid) so the broker outlives the shell/job that started it; the child
  # writes its own pid before exec'ing java, so the pid file holds the JVM's pid.
  # shellcheck disable=SC2086,SC2016  # word-split the opts; $$ and $@ expand in the child
  (
    cd "$KAFKA_STATE_DIR"
    exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
      "$JAVA" -server $KAFKA_HEAP_OPTS \
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Dkafka.logs.dir="$LOG_DIR" "$(broker_logging_opt)" $KAFKA_JVM_OPTS \
      -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS"
  ) </dev/null >>"$LOG_DIR/stdout.log" 2>&1 8>&- 9>&- &

  local i=0
  while [ ! -s "$PID_FILE" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  pid=$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)
  [ -n "$pid" ] || { show_log_tail; die "broker did not start (no pid)"; }
  wait_ready "$pid" "$t0"
}

# Wait for the listener, then for a real metadata answer; both bounded by KAFKA_START_TIMEOUT
# counted from $2 (epoch seconds). Prints KAFKA_BROKERS=... when ready, dies otherwise.
wait_ready() { # $1 = pid, $2 = start time
  local pid=$1 t0=$2 t1
  local deadline=$((t0 + KAFKA_START_TIMEOUT))
  until port_open "$KAFKA_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail; rm -f "$PID_FILE"; die "broker exited during startup"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_log_tail; die "broker not listening on $BROKERS after ${KAFKA_START_TIMEOUT}s (pid $pid left running; 'kafka.sh stop' to end it)"
    fi
    sleep 0.3
  done
  local left=$((deadline - $(date +%s)))
  [ $left -ge 5 ] || left=5
  local probe
  if ! probe=$(ready_probe "$left" "$pid" 2>&1); then
    show_log_tail
    echo "$probe" >&2
    if kill -0 "$pid" 2>/dev/null; then
      die "broker does not answer metadata requests on $BROKERS (pid $pid left running; 'kafka.sh stop' to end it)"
    fi
    rm -f "$PID_FILE"
    die "broker exited during startup"
  fi
  t1=$(date +%s)
  log "ready in $((t1 - t0))s (pid $pid): $probe"
  log "logs: $LOG_DIR/server.log"
  echo "KAFKA_BROKERS=$BROKERS"
}

cmd_stop() {
  local pid
  if ! pid=$(broker_pid); then
    rm -f "$PID_FILE"
    log "Kafka not running (state $KAFKA_STATE_DIR)"
    return 0
  fi
  log "stopping Kafka (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after 30s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_reset() {
  cmd_stop
  if [ -d "$KAFKA_STATE_DIR" ]; then
    if [ ! -f "$STATE_MARKER" ]; then
      die "$KAFKA_STATE_DIR does not look like a kafka.sh state dir (no .hookline-kafka-state); not deleting it"
    fi
    rm -rf "$KAFKA_STATE_DIR"
    log "deleted $KAFKA_STATE_DIR"
  fi
}

cmd_status() {
  local pid
  if pid=$(broker_pid); then
    if port_open "$KAFKA_PORT"; then
      echo "running: Kafka $KAFKA_VERSION pid $pid on $BROKERS (state $KAFKA_STATE_DIR)"
      return 0
    fi
    echo "starting or unhealthy: pid $pid alive but $BROKERS not listening (state $KAFKA_STATE_DIR)"
    return 3
  fi
  echo "not running (state $KAFKA_STATE_DIR)"
  return 3
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  reset) cmd_reset ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 install|start|stop|reset|status" >&2
    exit 2
    ;;
esac
