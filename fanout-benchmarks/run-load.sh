#!/usr/bin/env bash
# End-to-end load harness: fanout (the starter's hub) against Spring's STOMP simple broker, same machine, same
# client, same JVM flags, runs alternated A B A B. See docs/benchmarks.md.
#
#   fanout-benchmarks/run-load.sh [scenario ...]      default: max c100
#
# Scenarios: smoke, max, rate20, rate50, c100, idle, slowbase, slow (or "all" = all but smoke).
# Environment: PAIRS (2) A/B pairs per scenario; SERVER_JVM_OPTS (-Xms256m -Xmx4g) for both servers;
# CLIENT_JVM_OPTS (-Xmx2g); START_SECONDS (60) how long a server may take to start; CLIENT_ARGS extra load-client options for every run (e.g. --loops=2);
# PROFILE=1 records each server with JFR and prints its hot methods; NMT=1 runs each server with native memory
# tracking and saves what it has committed, by category, once the client is done (<label>.nmt.txt: what the RSS is);
# SKIP_BUILD=1 skips the Maven build;
# OUT_DIR (fanout-benchmarks/target/load/<timestamp>) for logs, results.jsonl and recordings;
# SERVERS ("fanout stomp") the servers of each pair, in order: "fanout-base" is the hub with the starter jar
# BASELINE_STARTER_JAR (built from an earlier commit) in place of this tree's, for before/after pairs, and
# BASELINE_CORE_JAR (optional) in place of this tree's fanout-core, when the starter needs the core of its commit;
# "fanout-jetty" is the same hub on Jetty 12 instead of Tomcat (e.g. SERVERS="fanout fanout-jetty").
# "fanout-history" is this tree's hub with a history of 1000 events on the bench topic.
# "fanout-noflow" is this tree's hub with flow control off (fanout.flow-control.enabled=false; e.g.
# SERVERS="fanout-noflow fanout").
# "fanout-metrics" is this tree's hub with its Micrometer meters bound to a Prometheus registry scraped every
# SCRAPE_INTERVAL (100ms) (e.g. SERVERS="fanout fanout-metrics").
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PAIRS="${PAIRS:-2}"
SERVER_JVM_OPTS="${SERVER_JVM_OPTS:--Xms256m -Xmx4g}"
CLIENT_JVM_OPTS="${CLIENT_JVM_OPTS:--Xmx2g}"
CLIENT_ARGS="${CLIENT_ARGS:-}"
OUT_DIR="${OUT_DIR:-$HERE/target/load/$(date -u +%Y%m%dT%H%M%SZ)}"
SCENARIOS=("$@")
if [ ${#SCENARIOS[@]} -eq 0 ]; then
  SCENARIOS=(max c100)
elif [ "${SCENARIOS[0]}" = all ]; then
  SCENARIOS=(max rate50 slowbase slow c100 idle)
fi

scenario_args() {
  case "$1" in
    smoke)  echo "--subscribers=100 --payload=256 --events=500 --rate=0" ;;
    max)    echo "--subscribers=1000 --payload=256 --events=2000 --rate=0" ;;
    rate20) echo "--subscribers=1000 --payload=256 --events=600 --rate=20" ;;
    rate50) echo "--subscribers=1000 --payload=256 --events=2000 --rate=50" ;;
    c100)   echo "--subscribers=100 --payload=256 --events=20000 --rate=0" ;;
    idle)   echo "--subscribers=10000 --payload=256 --events=10 --rate=10 --idle=true --connect-threads=8" ;;
    slowbase) echo "--subscribers=1000 --payload=4096 --events=2000 --rate=50" ;;
    slow)   echo "--subscribers=1000 --payload=4096 --events=2000 --rate=50 --stalled=0.1" ;;
    *) echo "unknown scenario '$1'" >&2; exit 2 ;;
  esac
}

main_class() {
  case "$1" in
    fanout|fanout-base|fanout-jetty|fanout-history|fanout-noflow|fanout-metrics) echo dev.fanout.benchmarks.load.hub.HubBenchApplication ;;
    stomp)  echo dev.fanout.benchmarks.load.stomp.StompBenchApplication ;;
  esac
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl fanout-benchmarks -am package -DskipTests)
fi
CP="$(cat "$HERE/target/load-classpath.txt"):$HERE/target/classes"
SERVERS="${SERVERS:-fanout stomp}"
# Both web servers are on the harness's class path: Tomcat runs without Spring Boot's Jetty module, Jetty without
# Tomcat's jars and Spring Boot's Tomcat module.
# Tomcat's class path also leaves out Jetty's WebSocket jars: with them present, Spring's own handshake (STOMP's, and the
# older starter's in fanout-base) picks Jetty's upgrade strategy and fails every handshake on Tomcat.
TOMCAT_CP="$(echo "$CP" | tr ':' '\n' | grep -v -e '/spring-boot-jetty-[0-9][^/]*\.jar$' -e '/jetty-[^/]*websocket[^/]*\.jar$' \
  | paste -sd:)"
JETTY_CP="$(echo "$CP" | tr ':' '\n' | grep -v -e '/spring-boot-tomcat-[0-9][^/]*\.jar$' \
  -e '/tomcat-embed-core-[^/]*\.jar$' -e '/tomcat-embed-websocket-[^/]*\.jar$' | paste -sd:)"
server_cp() {
  if [ "$1" = fanout-base ]; then
    [ -f "${BASELINE_STARTER_JAR:-}" ] || { echo "fanout-base needs BASELINE_STARTER_JAR" >&2; exit 2; }
    local core="${BASELINE_CORE_JAR:-}"
    [ -z "$core" ] || [ -f "$core" ] || { echo "BASELINE_CORE_JAR $core is not a file" >&2; exit 2; }
    echo "$TOMCAT_CP" | tr ':' '\n' | sed "s#.*/fanout-spring-boot-starter[^/]*\.jar\$#$BASELINE_STARTER_JAR#; s#.*/fanout-spring-boot-starter/target/classes\$#$BASELINE_STARTER_JAR#" \
      | if [ -n "$core" ]; then sed "s#.*/fanout-core[^/]*\.jar\$#$core#; s#.*/fanout-core/target/classes\$#$core#"; else cat; fi | paste -sd:
  elif [ "$1" = fanout-jetty ]; then
    echo "$JETTY_CP"
  else
    echo "$TOMCAT_CP"
  fi
}
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.jsonl"
CLK_TCK="$(getconf CLK_TCK)"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

start_server() {
  local server="$1" label="$2" port_file="$OUT_DIR/$2.port" diagnostics="" extra=""
  if [ "$server" = fanout-history ]; then
    extra="--fanout.history.rules[0].pattern=bench --fanout.history.rules[0].size=1000"
  fi
  if [ "$server" = fanout-noflow ]; then
    extra="--fanout.flow-control.enabled=false"
  fi
  if [ "$server" = fanout-metrics ]; then
    extra="--bench.metrics.scrape-interval=${SCRAPE_INTERVAL:-100ms}"
  fi
  if [ "${PROFILE:-0}" = 1 ]; then
    diagnostics="-XX:StartFlightRecording=filename=$OUT_DIR/$label.jfr,settings=profile,dumponexit=true"
  fi
  if [ "${NMT:-0}" = 1 ]; then
    diagnostics="$diagnostics -XX:NativeMemoryTracking=summary"
  fi
  rm -f "$port_file"
  # shellcheck disable=SC2086
  java $SERVER_JVM_OPTS $diagnostics -cp "$(server_cp "$server")" "$(main_class "$server")" --server.port=0 \
    --server.tomcat.max-connections=20000 --bench.port-file="$port_file" $extra >"$OUT_DIR/$label.server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 $((4 * ${START_SECONDS:-60}))); do
    [ -s "$port_file" ] && { SERVER_PORT="$(cat "$port_file")"; return 0; }
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.25
  done
  echo "server $label did not start; see $OUT_DIR/$label.server.log" >&2
  exit 1
}

echo "results in $OUT_DIR (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
for scenario in "${SCENARIOS[@]}"; do
  args="$(scenario_args "$scenario")"
  for pair in $(seq 1 "$PAIRS"); do
    for server in $SERVERS; do
      label="$scenario-$pair-$server"
      start_server "$server" "$label"
      echo "== $label: $args (server pid $SERVER_PID, port $SERVER_PORT, load $(cut -d' ' -f1 /proc/loadavg))"
      # shellcheck disable=SC2086
      if ! java $CLIENT_JVM_OPTS -cp "$CP" dev.fanout.benchmarks.load.client.LoadClient --server="$server" \
          --port="$SERVER_PORT" --server-pid="$SERVER_PID" --clk-tck="$CLK_TCK" --scenario="$scenario" \
          --pair="$pair" --out="$RESULTS" $args $CLIENT_ARGS >"$OUT_DIR/$label.client.log" 2>&1; then
        echo "   client failed; see $OUT_DIR/$label.client.log" >&2
      fi
      grep '^RESULT' "$OUT_DIR/$label.client.log" | cut -c1-220 || true
      if [ "${NMT:-0}" = 1 ]; then
        jcmd "$SERVER_PID" VM.native_memory summary >"$OUT_DIR/$label.nmt.txt" 2>&1 || true
      fi
      stop_server
      if [ "${PROFILE:-0}" = 1 ] && [ -s "$OUT_DIR/$label.jfr" ]; then
        java -cp "$CP" dev.fanout.benchmarks.load.report.JfrHotMethods "$OUT_DIR/$label.jfr" \
          >"$OUT_DIR/$label.hot.txt" 2>&1 || true
      fi
    done
  done
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" dev.fanout.benchmarks.load.report.LoadSummary "$RESULTS" | tee "$OUT_DIR/summary.md"
