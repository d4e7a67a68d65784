#!/usr/bin/env bash
# court-docs benchmark: one command. See bench/README.md.
#
#   bench/run.sh [--jobs 200] [--docs 1-3] [--doc-kb 200] [--delay-ms 50] [--slots 1,2,4] [--soak 500]
#                [--wrk-duration 15] [--wrk-connections 16] [--token T | env BENCH_TOKEN] [--note TEXT] ...
#   bench/run.sh --install-deps   # apt-get install wrk and python3-matplotlib (needs root), then exit
#   bench/run.sh --help           # every option
#
# Builds the jar if it is missing (./mvnw -B -q package -DskipTests), compiles the two bench
# programs (bench/src: the simulator and the floor) into bench/target/classes, then runs
# bench/bench.py, which writes bench/results/<date>.md, .csv, -jobs.csv and .png.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--install-deps" ]]; then
  apt-get update -q && apt-get install -y wrk python3-matplotlib
  exit 0
fi

for tool in java psql; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 1; }
done
command -v pgbench >/dev/null || echo "bench: pgbench not found: the durable-write floor will be skipped" >&2
command -v wrk >/dev/null || echo "bench: wrk not found: API figures will be skipped (bench/run.sh --install-deps)" >&2

# A python that has matplotlib (the Debian package installs it for /usr/bin/python3).
PY=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import matplotlib' 2>/dev/null; then
    PY="$candidate"; break
  fi
done
if [[ -z "$PY" ]]; then
  echo "bench: no python3 with matplotlib: no chart (bench/run.sh --install-deps)" >&2
  PY=python3
fi

if [[ ! -f target/quarkus-app/quarkus-run.jar ]]; then
  echo "bench: building the jar (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi
if [[ ! -d target/test-classes/law/courtdocs/sim ]]; then
  echo "bench: compiling the simulator (./mvnw -B -q test-compile)"
  ./mvnw -B -q test-compile
fi

CP="target/test-classes:target/quarkus-app/lib/main/*"
mkdir -p bench/target/classes
if [[ ! -f bench/target/classes/Floor.class || -n "$(find bench/src -newer bench/target/classes/Floor.class -name '*.java')" \
      || target/test-classes/law/courtdocs/sim/PortalSimulator.class -nt bench/target/classes/Floor.class ]]; then
  javac -nowarn -d bench/target/classes -cp "$CP" bench/src/*.java
fi

exec "$PY" bench/bench.py "$@"
