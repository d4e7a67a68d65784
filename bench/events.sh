#!/usr/bin/env bash
# Issue 15's bench: per-job time with events and a webhook subscription on vs off, and webhook
# latency from commit to receiver. See bench/README.md ("Events and webhooks").
#
#   bench/events.sh [--jobs 60] [--slots 2] [--rounds 2] [--docs 1-3]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/quarkus-app/quarkus-run.jar || ! -d target/test-classes/law/courtdocs/sim ]]; then
  ./mvnw -B -q package -DskipTests
fi
CP="target/test-classes:target/quarkus-app/lib/main/*"
mkdir -p bench/target/classes
javac -nowarn -d bench/target/classes -cp "$CP" bench/src/*.java
exec python3 bench/events.py "$@"
