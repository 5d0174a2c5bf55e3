#!/usr/bin/env bash
# National size on PostgreSQL (issue 17 item 6): N demo dossiers (default 6,000,000)
# seeded with `dude demo --count` (rate reported), then, against 100,000 dossiers seeded
# in another database of the same server in the same run (the baseline):
#   - the partner search (POST /partenaire/v1/rechercher-usager) alone, then the status
#     (GET /partenaire/v1/usagers/{id}/statut) alone, 64 connections, each for SECS s;
#   - at N, the three monthly lists of the 77 for the previous month (the demo puts a
#     sixth of the dossiers in the 77, 45 % of them on the RSA: 450,000 beneficiaries at
#     6,000,000), through the API, each twice (cold, then warm).
# PostgreSQL: a throwaway server from Debian's binaries (shared_buffers=4GB), data under
# BENCH_TMP (default /tmp; 6,000,000 dossiers take about 30 GB).
#   - with IMPORTS=rows, then the imports of bench/run-imports.sh (a stock CSV and a
#     CAF/MSA flux of that many rows) on the same database.
# The search and status are measured in TOURS rounds (default 2), alternating the two
# databases, and compared as the median of the rounds' p99.
# Usage: [IMPORTS=rows] [TOURS=n] bench/run-national.sh [dossiers] [seconds]
# DUDE_BIN=path runs that binary instead of building target/release/dude.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-6000000}
SECS=${2:-30}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
WORK=$(mktemp -d -p "${BENCH_TMP:-/tmp}")
. bench/commun.sh
binaire
SERVER=""
PGSTOP=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; [ -n "$PGSTOP" ] && $PGSTOP >/dev/null 2>&1; rm -rf "$WORK"' EXIT
# checkpoints and autovacuum logged, to be set against the rounds' times at the end
postgres_demarrer 55436 "-c shared_buffers=4GB -c max_wal_size=8GB -c log_checkpoints=on -c log_autovacuum_min_duration=0" petite grande
mkdir -p "$WORK/srv"
export DUDE_MASTER_KEY=$(printf 'bench-master-key-0123456789abcde' | base64)
export DUDE_LOG=warn
export DUDE_TOKEN_TTL_S=3600
export DUDE_SLA_SONDE_S=0
export DUDE_CWASM_DIR="$WORK/cwasm"
DAY=$(date -u +%F)
MOIS=$(date -u -d "$DAY -1 month" +%Y-%m)
URL=postgres://dude@127.0.0.1:55436

echo "== seeding 100000 demo dossiers (baseline)"
DATABASE_URL=$URL/petite $BIN demo --count 100000 --date "$DAY" >/dev/null
echo "== seeding $N demo dossiers"
debut=$(date +%s)
DATABASE_URL=$URL/grande /usr/bin/time -f "seeded in %e s, max RSS %M KiB" $BIN demo --count "$N" --date "$DAY"
python3 -c "print(f'seeding rate: {$N / max(1, $(date +%s) - $debut):.0f} dossiers/s')"
echo "database: $($RUN "$PGBIN/psql" -h 127.0.0.1 -p 55436 -U dude -d grande -Atc "SELECT pg_size_pretty(pg_database_size('grande'))")"
# the seeding's dirty pages written out before anything is measured: otherwise the
# checkpoints that follow a 30 GB load write for minutes under the first rounds
debut=$(date +%s)
$RUN "$PGBIN/psql" -h 127.0.0.1 -p 55436 -U dude -d grande -qc "CHECKPOINT"
echo "checkpoint after the seeding: $(( $(date +%s) - debut )) s"

PORT=18197
demarrer() { # database
  (cd "$WORK/srv" && DATABASE_URL=$URL/$1 exec "$BIN" serve --demo --bind 127.0.0.1:$PORT >"$WORK/srv/serve.out" 2>"$WORK/srv/serve.log") &
  SERVER=$!
  for _ in $(seq 600); do grep -q "ft-dude" "$WORK/srv/serve.out" 2>/dev/null && break; sleep 0.2; done
  jeton_demo "$WORK/srv/serve.out" $PORT
  ADMIN=$(grep -o "administrateur : jeton [^ ]*" "$WORK/srv/serve.out" | awk '{print $4}')
}
arreter() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
# the first 2,000 people of the sample are among the first 100,000 dossiers: the same
# people are asked for in both databases
$BIN demo --sample 2000 --date "$DAY" > "$WORK/sample.jsonl"
TOURS=${TOURS:-2}
for tour in $(seq "$TOURS"); do
  for db in petite grande; do
    demarrer $db
    preparer_requetes "$WORK/sample.jsonl" $PORT
    echo "  $(date -u +%T) round $tour, $db"
    mesurer "round $tour, $db, search" "http://127.0.0.1:$PORT" "$WORK/recherche.tsv"
    mesurer "round $tour, $db, status" "http://127.0.0.1:$PORT" "$WORK/statut.tsv"
    [ "$tour" = "$TOURS" ] && [ $db = grande ] || arreter
  done
done
echo "  $(date -u +%T) rounds done"
# the rounds alternate the two databases: each p99 at N against the baseline's, as the
# median of the rounds (one noisy round does not decide)
python3 - "$WORK/summary" "$N" <<'PY'
import re, statistics, sys
p99 = {}
for l in open(sys.argv[1]):
    m = re.match(r"round \d+, (\w+), (\w+): .* p99 ([\d.]+)(us|ms|s),", l)
    if m:
        v = float(m[3]) * {"us": 0.001, "ms": 1, "s": 1000}[m[4]]
        p99.setdefault((m[2], m[1]), []).append(v)
for ep in ("search", "status"):
    a, b = p99.get((ep, "petite"), []), p99.get((ep, "grande"), [])
    if a and b:
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"{ep} p99, median of {len(b)} rounds: {ma:.1f} ms at 100000, {mb:.1f} ms at {sys.argv[2]}: "
              f"{mb / ma:.2f}x (rounds: {', '.join(f'{x:.1f}' for x in a)} / {', '.join(f'{x:.1f}' for x in b)})")
PY
echo "== checkpoints and autovacuums of the server since the seeding (UTC)"
grep -E "checkpoint (starting|complete)|automatic (vacuum|analyze) of table \"grande" "$WORK/pg/server.log" \
  | sed -E 's/^([0-9-]+ [0-9:]+)\.[0-9]+ UTC \[[0-9]+\] LOG: +/\1 /' | cut -c1-160 | tail -40 || true
echo "== monthly lists of the 77, $MOIS, at $N dossiers (seconds)"
# each twice: the first reads the candidates' rows from disk (30 GB do not fit in this
# machine's memory), the second finds them in the caches
for liste in inscrits radies cesses; do
  for passe in 1 2; do
    t=$(curl -sf -o "$WORK/$liste.json" -w '%{time_total}' -H "Authorization: Bearer $ADMIN" \
      "http://127.0.0.1:$PORT/admin/v1/departements/77/listes-mensuelles/$MOIS?liste=$liste")
    echo "$liste, pass $passe: $(python3 -c "import json; print(json.load(open('$WORK/$liste.json'))['nombre'])") lines in $t s"
  done
done
echo "server memory: $(awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' /proc/$SERVER/status)"
# IMPORTS=rows: then the imports of bench/run-imports.sh on the same database
if [ -n "${IMPORTS:-}" ]; then
  imports_mesurer "$IMPORTS" "http://127.0.0.1:$PORT" "$ADMIN" "$URL/grande"
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); date: $DAY"
