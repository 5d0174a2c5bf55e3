#!/usr/bin/env bash
# The embedded default at a large département's size (issue 17 item 7), on SQLite:
#   - seeding N demo dossiers: time, max RSS, and the write-ahead log's size sampled
#     every 2 s (largest seen, and at the end);
#   - start-up of `dude serve --demo` until it answers /readyz, on those N dossiers and,
#     in the same run, on an empty database (the baseline);
#   - the three monthly lists of the 77 for the previous month through the API (JSON),
#     each 5 times, median and largest;
#   - the server's memory: resident size after start-up and after the lists (VmRSS), and
#     its peak (VmHWM).
# Usage: bench/run-taille.sh [dossiers]
#   BENCH_DB=path.db: a database already seeded with `dude demo --count` (the seeding is
#   then skipped and not reported).
#   DUDE_BIN=path runs that binary instead of building target/release/dude.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
WORK=$(mktemp -d -p "${BENCH_TMP:-/tmp}")
. bench/commun.sh
binaire
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
export DUDE_MASTER_KEY=$(printf 'bench-master-key-0123456789abcde' | base64)
export DUDE_LOG=warn
export DUDE_SLA_SONDE_S=0
export DUDE_CWASM_DIR="$WORK/cwasm"
DAY=$(date -u +%F)
MOIS=$(date -u -d "$DAY -1 month" +%Y-%m)

if [ -n "${BENCH_DB:-}" ]; then
  DB=$(realpath "$BENCH_DB")
  echo "== $DB (already seeded)"
else
  DB="$WORK/bench.db"
  echo "== seeding $N demo dossiers"
  (while true; do stat -c %s "$DB-wal" 2>/dev/null || echo 0; sleep 2; done > "$WORK/wal.log") &
  ECHANTILLON=$!
  DATABASE_URL="sqlite://$DB" /usr/bin/time -f "seeded in %e s, max RSS %M KiB" $BIN demo --count "$N" --date "$DAY"
  kill $ECHANTILLON
  echo "write-ahead log: largest seen $(sort -n "$WORK/wal.log" | tail -1) bytes, at the end $(stat -c %s "$DB-wal" 2>/dev/null || echo 0) bytes"
fi
ls -la "$(dirname "$DB")" | grep "$(basename "$DB")"

PORT=18196
demarrer() { # database URL; the seconds until /readyz answers in $DEMARRAGE
  local debut fin
  debut=$(date +%s.%N)
  (cd "$WORK" && DATABASE_URL=$1 exec "$BIN" serve --demo --bind 127.0.0.1:$PORT >"$WORK/serve.out" 2>"$WORK/serve.log") &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do
    kill -0 $SERVER 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
    sleep 0.02
  done
  fin=$(date +%s.%N)
  DEMARRAGE=$(python3 -c "print(f'{$fin - $debut:.2f}')")
}
arreter() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
memoire() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' /proc/$SERVER/status; echo; }

# the adapters compiled once beforehand, so that neither start-up pays for it
DATABASE_URL="sqlite://$WORK/vide.db" $BIN migrate >/dev/null
demarrer "sqlite://$WORK/vide.db"; arreter
echo "== start-up until /readyz"
for tour in 1 2; do
  demarrer "sqlite://$WORK/vide.db"; echo "round $tour: empty database $DEMARRAGE s"; arreter
  demarrer "sqlite://$DB"; echo "round $tour: $N dossiers $DEMARRAGE s"; [ $tour = 2 ] || arreter
done
echo "memory after start-up: $(memoire)"
ADMIN=$(grep -o "administrateur : jeton [^ ]*" "$WORK/serve.out" | awk '{print $4}')
echo "== monthly lists of the 77, $MOIS, 5 times each (seconds)"
for liste in inscrits radies cesses; do
  fois=()
  for _ in 1 2 3 4 5; do
    t=$(curl -sf -o "$WORK/$liste.json" -w '%{time_total}' -H "Authorization: Bearer $ADMIN" \
      "http://127.0.0.1:$PORT/admin/v1/departements/77/listes-mensuelles/$MOIS?liste=$liste")
    fois+=("$t")
  done
  n=$(python3 -c "import json; print(json.load(open('$WORK/$liste.json'))['nombre'])")
  python3 -c "import statistics, sys; v=sorted(map(float, sys.argv[3:])); print(f'{sys.argv[1]}: {sys.argv[2]} lines, median {statistics.median(v):.3f} s, largest {v[-1]:.3f} s')" "$liste" "$n" "${fois[@]}"
done
echo "memory after the lists: $(memoire)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); date: $DAY"
