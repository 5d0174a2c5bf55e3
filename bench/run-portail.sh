#!/usr/bin/env bash
# Benchmark of the agents' portal (issue 16 item 9): a search by name (nom + prénom +
# date de naissance, and nom + prénom alone, which at national size meets the search's
# bound), the dossier page, and in the same run the partner API's search, each request
# timed from a client on loopback (one connection, one request at a time: the time an
# agent waits), interleaved so that all see the same machine.
# The server is the release binary in demo mode; the agent is France Travail's national
# agent (every dossier in its perimeter), signed in through the demo provider.
# Usage: bench/run-portail.sh [dossiers] [people] [sqlite|postgres]
#   postgres: a throwaway PostgreSQL server from Debian's binaries (default settings but
#   shared_buffers=1GB), on loopback, for this run only.
#   DUDE_BIN=path runs that binary instead of building target/release/dude.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
K=${2:-500}
BASE=${3:-sqlite}
WORK=$(mktemp -d -p "${BENCH_TMP:-/tmp}")
. bench/commun.sh
binaire
SERVER=""
PGSTOP=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; [ -n "$PGSTOP" ] && $PGSTOP >/dev/null 2>&1; rm -rf "$WORK"' EXIT
if [ "$BASE" = postgres ]; then
  postgres_demarrer 55433 "-c shared_buffers=1GB" bench
  export DATABASE_URL=postgres://dude@127.0.0.1:55433/bench
else
  export DATABASE_URL=sqlite://$WORK/bench.db
fi
export DUDE_MASTER_KEY=$(printf 'bench-master-key-0123456789abcde' | base64)
export DUDE_LOG=warn
export DUDE_TOKEN_TTL_S=3600
export DUDE_SLA_SONDE_S=0
DAY=$(date -u +%F)

echo "== seeding $N demo dossiers ($(echo "$DATABASE_URL" | cut -d: -f1))"
# in the server's directory: demo mode keeps its master key there (data/demo-master.key)
(cd "$WORK" && /usr/bin/time -f "seeded in %e s, max RSS %M KiB" $BIN demo --count "$N" --date "$DAY")
case "$DATABASE_URL" in
  sqlite://*) ls -la "$WORK" | grep bench ;;
  *) $RUN "$PGBIN/psql" -h 127.0.0.1 -p 55433 -U dude -d bench -Atc "SELECT 'database: ' || pg_size_pretty(pg_database_size('bench'))" ;;
esac
PORT=18182
(cd "$WORK" && exec "$BIN" serve --demo --bind 127.0.0.1:$PORT >"$WORK/serve.out" 2>"$WORK/serve.log") &
SERVER=$!
for _ in $(seq 300); do grep -q "ft-dude" "$WORK/serve.out" 2>/dev/null && break; sleep 0.2; done
jeton_demo "$WORK/serve.out" $PORT
(cd "$WORK" && $BIN demo --sample "$K" --date "$DAY") > "$WORK/sample.jsonl"
echo "== $K people, each: portal search by nom+prénom+date, by nom+prénom, dossier page; API search (machine: $(nproc) cores, $(date -u +%FT%TZ))"
python3 bench/portail.py "$PORT" "$WORK/sample.jsonl"
