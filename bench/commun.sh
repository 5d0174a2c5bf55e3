# What the benchmark scripts share (sourced, never run): the binary, a throwaway
# PostgreSQL server, the partner requests prepared from the demo's people, and one load
# with wrk. Each script sets `WORK` (a temporary directory) before calling them.

# BIN: $DUDE_BIN, or target/release/dude built now.
binaire() {
  if [ -n "${DUDE_BIN:-}" ]; then
    BIN=$DUDE_BIN
  else
    cargo build --release -p dude-core --quiet
    BIN=target/release/dude
  fi
  BIN=$(realpath "$BIN")
}

# A PostgreSQL server from Debian's binaries in $WORK/pg on loopback port $1, with the
# extra server options $2 (e.g. "-c shared_buffers=1GB"), and the databases named after
# them. Sets PGBIN, RUN (how to run its tools: as postgres when root) and PGSTOP (the
# command that stops it, for the script's trap). The rest of $WORK stays the caller's.
postgres_demarrer() {
  local port=$1 options=$2
  shift 2
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  RUN=""
  mkdir -p "$WORK/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$WORK" "$WORK/pg"; RUN="runuser -u postgres --"; fi
  $RUN "$PGBIN/initdb" -A trust -U dude -E UTF8 -D "$WORK/pg" >/dev/null
  $RUN "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w start \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $WORK/pg -c max_connections=200 $options" >/dev/null
  PGSTOP="$RUN $PGBIN/pg_ctl -D $WORK/pg -m fast stop"
  for db in "$@"; do $RUN "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U dude -d postgres -qc "CREATE DATABASE $db"; done
}

# From the demo's people ($1, `dude demo --sample`), through the server on port $2 (with
# BENCH_TOKEN and BENCH_AGENT set): $WORK/requests.tsv (rechercher-usager and statut,
# alternated), $WORK/recherche.tsv and $WORK/statut.tsv (each alone). Every person must
# be found.
preparer_requetes() {
  python3 - "$1" "$WORK" "$2" <<'PY'
import json, sys, urllib.request, os
sample, work, port = sys.argv[1], sys.argv[2], sys.argv[3]
aid, anom, aprenom = os.environ["BENCH_AGENT"].split(":")
h = {"Authorization": "Bearer " + os.environ["BENCH_TOKEN"], "Content-Type": "application/json",
     "pa-identifiant-agent": aid, "pa-nom-agent": anom, "pa-prenom-agent": aprenom}
with open(f"{work}/requests.tsv", "w") as m, open(f"{work}/recherche.tsv", "w") as r_, \
        open(f"{work}/statut.tsv", "w") as s_:
    for line in open(sample):
        p = json.loads(line)
        body = json.dumps({"nir": p["nir"], "dateNaissance": p["dateNaissance"]})
        req = urllib.request.Request(f"http://127.0.0.1:{port}/partenaire/v1/rechercher-usager", body.encode(), h)
        r = json.load(urllib.request.urlopen(req))
        assert r["codeRetour"] == "S001", r
        recherche = f"POST\t/partenaire/v1/rechercher-usager\t{body}\n"
        statut = f"GET\t/partenaire/v1/usagers/{r['idNational']}/statut\t\n"
        m.write(recherche + statut)
        r_.write(recherche)
        s_.write(statut)
PY
}

# One load: wrk, 2 threads, $CONNS connections (64), $SECS seconds, replaying the
# request file $3 (bench/api-mix.lua) against the URL $2 — or the URL alone without $3.
# Prints "$1: req/s, p50, p99, non-2xx" (also appended to $WORK/summary) and writes the
# req/s to $WORK/$1.rps.
mesurer() {
  local out="$WORK/$1.txt"
  if [ -n "${3:-}" ]; then
    BENCH_REQUESTS=$3 wrk -t2 -c"${CONNS:-64}" -d"${SECS}s" --latency -s bench/api-mix.lua "$2" > "$out"
  else
    wrk -t2 -c"${CONNS:-64}" -d"${SECS}s" --latency "$2" > "$out"
  fi
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  errs=$(awk '/Non-2xx/ {print $NF}' "$out"); errs=${errs:-0}
  echo "$1: $rps req/s, p50 $p50, p99 $p99, non-2xx $errs" | tee -a "$WORK/summary"
  echo "$rps" > "$WORK/$1.rps"
}
