#!/usr/bin/env bash
# Benchmark of the partner API on PostgreSQL against SQLite, and of two instances behind
# HAProxy against one (issue 17 item 5), in one run on this machine:
#   1. the API mix (bench/api-mix.lua: rechercher-usager and statut, 64 connections) on
#      one instance over SQLite;
#   2. the same mix on one instance over PostgreSQL;
#   3. the same mix through HAProxy to that one instance, then through HAProxy to two
#      instances on the same PostgreSQL, each with half the connections, then the same two
#      each with half the cores as well (one runtime worker per instance on two cores).
# Same dossiers (the deterministic demo), same key, same requests everywhere; probes off.
# PostgreSQL: a throwaway server from Debian's binaries on loopback (shared_buffers=1GB).
# Usage: bench/run-grappe.sh [dossiers] [seconds]
# DUDE_BIN=path runs that binary instead of building target/release/dude.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SECS=${2:-30}
CONNS=64
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
[ -x "$HAPROXY" ] || { echo "haproxy missing: apt-get install haproxy" >&2; exit 1; }
WORK=$(mktemp -d -p "${BENCH_TMP:-/tmp}")
. bench/commun.sh
binaire
PIDS=()
PGSTOP=""
HAPROXY_PID=""
arreter_tout() { # the instances
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap 'arreter_tout; [ -n "$HAPROXY_PID" ] && kill $HAPROXY_PID 2>/dev/null; [ -n "$PGSTOP" ] && $PGSTOP >/dev/null 2>&1; rm -rf "$WORK"' EXIT
postgres_demarrer 55434 "-c shared_buffers=1GB" bench
mkdir -p "$WORK/sqlite" "$WORK/pg1" "$WORK/pg2"
PG_URL=postgres://dude@127.0.0.1:55434/bench
SQLITE_URL=sqlite://$WORK/sqlite/bench.db
export DUDE_MASTER_KEY=$(printf 'bench-master-key-0123456789abcde' | base64)
export DUDE_LOG=warn
export DUDE_TOKEN_TTL_S=3600
export DUDE_SLA_SONDE_S=0
DAY=$(date -u +%F)

for url in "$SQLITE_URL" "$PG_URL"; do
  echo "== seeding $N demo dossiers ($(echo "$url" | cut -d: -f1))"
  DATABASE_URL=$url /usr/bin/time -f "seeded in %e s, max RSS %M KiB" $BIN demo --count "$N" --date "$DAY"
done

demarrer() { # directory, database URL, port, instance name
  (cd "$1" && DATABASE_URL=$2 DUDE_INSTANCE=$4 exec "$BIN" serve --demo --bind "127.0.0.1:$3" >"$1/serve.out" 2>"$1/serve.log") &
  PIDS+=($!)
  for _ in $(seq 300); do grep -q "ft-dude" "$1/serve.out" 2>/dev/null && break; sleep 0.2; done
  grep -q "ft-dude" "$1/serve.out" || { cat "$1/serve.log" >&2; exit 1; }
}
jeton() { # port (the demo secrets derive from the master key: the same on every instance)
  local secret
  read -r _ _ secret _ < <(grep -E "^ +ft-dude" "$WORK/sqlite/serve.out")
  curl -sf -u "ft-dude:$secret" -d grant_type=client_credentials "http://127.0.0.1:$1/oauth2/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

run() { # name, port: the mix with a token of that instance
  export BENCH_TOKEN=$(jeton "$2")
  mesurer "$1" "http://127.0.0.1:$2" "$WORK/requests.tsv"
}

echo "== SQLite, one instance"
demarrer "$WORK/sqlite" "$SQLITE_URL" 18191 sqlite
read -r _ _ _ _ AGENT_ID AGENT_NOM AGENT_PRENOM < <(grep -E "^ +ft-dude" "$WORK/sqlite/serve.out")
export BENCH_AGENT="$AGENT_ID:$AGENT_NOM:$AGENT_PRENOM"
export BENCH_TOKEN=$(jeton 18191)
$BIN demo --sample 2000 --date "$DAY" > "$WORK/sample.jsonl"
preparer_requetes "$WORK/sample.jsonl" 18191
run sqlite 18191
arreter_tout

echo "== PostgreSQL, one instance, then two behind HAProxy"
# one instance has the database's connections to itself (the default, 4 per core); two
# share them: each gets half (DUDE_DB_CONNEXIONS), as README's "Running several
# instances" advises
PARTAGE=$(( 2 * $(nproc) ))
demarrer "$WORK/pg1" "$PG_URL" 18192 pg1
cat > "$WORK/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
frontend une
    bind 127.0.0.1:18194
    default_backend une
frontend deux
    bind 127.0.0.1:18195
    default_backend deux
backend une
    option httpchk GET /readyz
    server pg1 127.0.0.1:18192 check inter 1s
backend deux
    balance roundrobin
    option httpchk GET /readyz
    server pg1 127.0.0.1:18192 check inter 1s
    server pg2 127.0.0.1:18193 check inter 1s
CFG
"$HAPROXY" -db -f "$WORK/haproxy.cfg" >/dev/null 2>"$WORK/haproxy.log" &
HAPROXY_PID=$!
sleep 2
run postgresql 18192
run postgresql-haproxy-1 18194
arreter_tout
export DUDE_DB_CONNEXIONS=$PARTAGE
demarrer "$WORK/pg1" "$PG_URL" 18192 pg1
demarrer "$WORK/pg2" "$PG_URL" 18193 pg2
sleep 3 # the balancer's checks find both
run postgresql-haproxy-2 18195
arreter_tout
# the same two, each with its share of the cores too: one runtime worker each instead of
# one per core of the machine (TOKIO_WORKER_THREADS, read by tokio's runtime)
export TOKIO_WORKER_THREADS=$(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 ))
demarrer "$WORK/pg1" "$PG_URL" 18192 pg1
demarrer "$WORK/pg2" "$PG_URL" 18193 pg2
sleep 3
run postgresql-haproxy-2-partage 18195
unset DUDE_DB_CONNEXIONS TOKIO_WORKER_THREADS
python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
r = lambda n: float(open(f"{w}/{n}.rps").read())
print(f"PostgreSQL / SQLite = {r('postgresql') / r('sqlite'):.3f}")
print(f"two instances / one, behind HAProxy = {r('postgresql-haproxy-2') / r('postgresql-haproxy-1'):.3f}")
print(f"two instances each with half the cores / one, behind HAProxy = "
      f"{r('postgresql-haproxy-2-partage') / r('postgresql-haproxy-1'):.3f}")
PY
echo "journal: $(DATABASE_URL=$PG_URL $BIN journal verify 2>&1 | head -1)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); date: $DAY"
