#!/usr/bin/env bash
# Load benchmark of the partner API (issue 2 item 10, issue 3 item 11).
# 100,000 demo dossiers in SQLite; a 50/50 mix of rechercher-usager and statut at 64
# connections for 30 s with wrk on the same machine, with a real OAuth2 token, the
# authorization of every category and the hash-chained journal committed before each
# response; then, in the same run, the same load on the trivial /healthz handler of the
# same binary (the framework's ceiling).
# With a third argument `sla` (issue 5 item 10): the same API mix alternately with and
# without the SLA measuring layer (DUDE_SLA_MESURE=1/0; probes off in both), twice each,
# and the throughput ratio.
# Usage: bench/run-api.sh [dossiers] [seconds] [sla]
# DUDE_BIN=path runs that binary instead of building target/release/dude (A/B of two builds).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SECS=${2:-30}
MODE=${3:-}
CONNS=64
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
WORK=$(mktemp -d)
. bench/commun.sh
binaire
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="sqlite://$WORK/bench.db"
export DUDE_MASTER_KEY=$(printf 'bench-master-key-0123456789abcde' | base64)
export DUDE_LOG=warn
export DUDE_TOKEN_TTL_S=3600
DAY=$(date -u +%F)

echo "== seeding $N demo dossiers"
/usr/bin/time -f "seeded in %e s, max RSS %M KiB" $BIN demo --count "$N" --date "$DAY"
PORT=18181
export DUDE_SLA_SONDE_S=0
demarrer() { # DUDE_SLA_MESURE value
  # --demo adds the demo organisations, conventions, agents and applications (the
  # dossiers are already there); ft-dude is France Travail's national application.
  (cd "$WORK" && DUDE_SLA_MESURE=$1 exec "$BIN" serve --demo --bind 127.0.0.1:$PORT >"$WORK/serve.out" 2>"$WORK/serve.log") &
  SERVER=$!
  for _ in $(seq 100); do grep -q "ft-dude" "$WORK/serve.out" 2>/dev/null && break; sleep 0.2; done
  jeton_demo "$WORK/serve.out" $PORT
}
arreter() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
demarrer 1

echo "== preparing requests (2,000 people: search + status)"
$BIN demo --sample 2000 --date "$DAY" > "$WORK/sample.jsonl"
preparer_requetes "$WORK/sample.jsonl" "$PORT"
export BENCH_REQUESTS="$WORK/requests.tsv"

if [ "$MODE" = "sla" ]; then
  for tour in 1 2; do
    echo "== round $tour: API mix with the SLA measuring layer"
    mesurer "avec-$tour" "http://127.0.0.1:$PORT" "$BENCH_REQUESTS"
    arreter; demarrer 0
    echo "== round $tour: API mix without it"
    mesurer "sans-$tour" "http://127.0.0.1:$PORT" "$BENCH_REQUESTS"
    arreter; demarrer 1
  done
  python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
r = lambda n: float(open(f"{w}/{n}.rps").read())
avec = (r("avec-1") + r("avec-2")) / 2
sans = (r("sans-1") + r("sans-2")) / 2
print(f"with layer {avec:.0f} req/s, without {sans:.0f} req/s: ratio {avec/sans:.3f} (cost {100*(1-avec/sans):.1f} %)")
PY
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); date: $DAY"
  exit 0
fi
echo "== API mix, $CONNS connections, ${SECS}s"
mesurer api-mix "http://127.0.0.1:$PORT" "$BENCH_REQUESTS"
echo "== /healthz (framework ceiling), same load"
mesurer healthz "http://127.0.0.1:$PORT/healthz"
python3 -c "import sys; a=float(open('$WORK/api-mix.rps').read()); b=float(open('$WORK/healthz.rps').read()); print(f'ratio api-mix / healthz = {a/b:.3f}')"
echo "journal entries written: $($BIN journal verify)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); date: $DAY"
