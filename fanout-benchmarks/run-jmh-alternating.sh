#!/usr/bin/env bash
# JMH A/B on a noisy machine: runs one benchmark with each value of one @Param in turn, one short fork per value,
# for ROUNDS rounds (A B C, A B C, ...), so every value sees the same machine load within a round; then prints, per
# value of the other params, each value's score against the first value's in the same round (median and range of
# the per-round ratios) and its allocation per operation. See docs/benchmarks.md.
#
#   fanout-benchmarks/run-jmh-alternating.sh <benchmark regex> <param> <value> <value>... [-- <more JMH options>]
#   e.g. fanout-benchmarks/run-jmh-alternating.sh 'MetricsDispatchBenchmark.dispatch' metrics none bound scraped
#
# Environment: ROUNDS (5); JMH_OPTS (-f 1 -wi 2 -w 1 -i 3 -r 1 -prof gc -prof dev.fanout.benchmarks.jmh.ProcessCpuProfiler,
# so each fork also reports allocation and the JVM's CPU time per operation) for every fork; OUT_DIR
# (fanout-benchmarks/target/jmh/<timestamp>) for each fork's CSV and log. Run the build first
# (./mvnw -B -q -pl fanout-benchmarks -am package -DskipTests).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 3 ] || { sed -n 2,10p "$0" >&2; exit 2; }
BENCHMARK="$1" PARAM="$2"
shift 2
VALUES=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do VALUES+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
ROUNDS="${ROUNDS:-5}"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 2 -w 1 -i 3 -r 1 -prof gc -prof dev.fanout.benchmarks.jmh.ProcessCpuProfiler}"
OUT_DIR="${OUT_DIR:-$HERE/target/jmh/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT_DIR"

echo "results in $OUT_DIR (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
for round in $(seq 1 "$ROUNDS"); do
  for value in "${VALUES[@]}"; do
    echo "== round $round, $PARAM=$value (load $(cut -d' ' -f1 /proc/loadavg))"
    # shellcheck disable=SC2086
    java -jar "$HERE/target/benchmarks.jar" "$BENCHMARK" -p "$PARAM=$value" $JMH_OPTS "$@" \
      -rf csv -rff "$OUT_DIR/$round-$value.csv" >"$OUT_DIR/$round-$value.log" 2>&1 \
      || { echo "   fork failed; see $OUT_DIR/$round-$value.log" >&2; exit 1; }
    # JMH exits 0 when a trial throws; a CSV without a result row means the fork failed.
    [ "$(wc -l <"$OUT_DIR/$round-$value.csv")" -gt 1 ] \
      || { echo "   no result; see $OUT_DIR/$round-$value.log" >&2; exit 1; }
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# One line per round, value, kind and other-param key: the score and, when their profilers ran, CPU time and
# allocation per operation.
for file in "$OUT_DIR"/*.csv; do
  base="$(basename "$file" .csv)"
  awk -v round="${base%%-*}" -v param="Param: $PARAM" -F, '
    { sub(/\r$/, "") }  # JMH ends CSV lines with CRLF; a param in the last column would not match otherwise
    NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); if ($i == param) p = i; name[i] = $i; sub(/^Param: /, "", name[i]) } next }
    { for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
      key = ""; for (i = 8; i <= NF; i++) if (i != p) key = key name[i] "=" $i " "
      kind = ($1 !~ /:/) ? "score" : ($1 ~ /:cpu\.time\.norm$/) ? "cpu" : ($1 ~ /:gc\.alloc\.rate\.norm$/) ? "alloc" : ""
      if (kind != "") print round, $p, kind, $5, $7, key }' "$file"
done >"$OUT_DIR/rows.txt"

awk -v first="${VALUES[0]}" -v order="${VALUES[*]}" -v param="$PARAM" '
  { key = ""; for (i = 6; i <= NF; i++) key = key $i " "
    value[key, $2, $3, $1] = $4; unit[$3] = $5; keys[key] = 1; if ($1 > last) last = $1 }
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n == 0) ? 0 : (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function number(x) { return (x >= 100) ? sprintf("%.0f", x) : sprintf("%.3g", x) }
  # The median of one kind over the rounds, and the per-round ratios against the first value with their median and range.
  function describe(key, v, kind,   m, r, i, lo, hi, list, s, q) {
    m = 0; r = 0; list = ""
    for (round = 1; round <= last; round++) {
      if (!((key, v, kind, round) in value)) continue
      s[++m] = value[key, v, kind, round]
      if ((key, first, kind, round) in value) {
        q[++r] = value[key, v, kind, round] / value[key, first, kind, round]
        list = list sprintf("%s%.2f", (r > 1 ? ", " : ""), q[r]) } }
    if (m == 0) return "| – | – "
    lo = 1e300; hi = -1e300; for (i = 1; i <= r; i++) { if (q[i] < lo) lo = q[i]; if (q[i] > hi) hi = q[i] }
    return sprintf("| %s %s | %.3f (%.2f–%.2f; %s) ", number(median(s, m)), unit[kind], median(q, r), lo, hi, list) }
  END {
    n = split(order, values, " ")
    print "| params | " param " | score | score / " first ", median (range; per round) | CPU time | CPU time / " first ", median (range; per round) | allocated |"
    print "|---|---|---:|---|---:|---|---:|"
    for (key in keys) for (v = 1; v <= n; v++) {
      split(describe(key, values[v], "alloc"), a, "|")
      printf "| %s| %s %s%s|%s|\n", key, values[v], describe(key, values[v], "score"), describe(key, values[v], "cpu"), a[2] } }' \
  "$OUT_DIR/rows.txt" | tee "$OUT_DIR/summary.md"
