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

# Imports at scale (bench/run-imports.sh; bench/run-national.sh with IMPORTS=rows): a
# stock CSV and a CAF/MSA flux of $1 rows (bench/fichiers.py) through `dude import` and
# the cd-files adapter under conv-cd77-rsa, on the database $4, after the convention's
# caps are raised through the admin API at $2 with the token $3 (input up to 8 GiB, one
# hour per job). For each file: rows/s from the command's start to its exit, the CPU of
# `dude`, its max RSS and its resident size sampled every second (the samples at each
# quarter of the run); then the journal entries each import wrote.
imports_mesurer() {
  local rows=$1 url=$2 admin=$3 base=$4
  echo "== files of $rows rows"
  python3 bench/fichiers.py stock "$rows" "$WORK/stock.csv" &
  python3 bench/fichiers.py flux "$rows" "$WORK/flux.xml"
  wait $!
  ls -l "$WORK/stock.csv" "$WORK/flux.xml" | awk '{printf "%s: %d MB\n", $NF, $5/1e6}'
  local conv=$url/admin/v1/conventions/conv-cd77-rsa
  curl -sf -H "Authorization: Bearer $admin" "$conv" | python3 -c '
import json, sys
c = json.load(sys.stdin)
c["adaptateur"].update(entreeMaxMio=8192, delaiTotalS=3600)
print(json.dumps(c))' | curl -sf -X PUT -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
    --data-binary @- "$conv" >/dev/null
  [ -n "${PROFIL:-}" ] && $RUN "$PGBIN/psql" "$base" -Atqc "SELECT pg_stat_statements_reset()" >/dev/null
  echo "== imports"
  importer_un stock stock-csv "$WORK/stock.csv" "$rows" "$base" "$url"
  importer_un flux flux-rsa-xml "$WORK/flux.xml" "$rows" "$base" "$url"
  echo "journal entries per import (in its sub-chain): $($RUN "$PGBIN/psql" "$base" -Atc "SELECT string_agg(action || ' ' || n, ', ')
    FROM (SELECT action, count(*) n FROM journal_sous_chaine WHERE action LIKE 'import:%' GROUP BY action) x")"
  rm -f "$WORK/stock.csv" "$WORK/flux.xml"
}

# The demo's partner application on the server whose `serve --demo` output is $1, at
# port $2: exports BENCH_TOKEN and BENCH_AGENT (as bench/api-mix.lua reads them).
jeton_demo() {
  local secret agent_id agent_nom agent_prenom
  read -r _ _ secret _ agent_id agent_nom agent_prenom < <(grep -E "^ +ft-dude" "$1")
  export BENCH_AGENT="$agent_id:$agent_nom:$agent_prenom"
  export BENCH_TOKEN=$(curl -sf -u "ft-dude:$secret" -d grant_type=client_credentials \
    "http://127.0.0.1:$2/oauth2/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
}

# While the process $1 lives: one journaled partner search after another through the
# server at $2 (BENCH_TOKEN, BENCH_AGENT; the person of the demo sample's first line),
# each one's time in seconds appended to $3. A request the journal holds up waits.
sonde_journal() {
  local pid=$1 url=$2 out=$3 corps
  corps=$("$BIN" demo --sample 1 --date "$(date -u +%F)" | python3 -c '
import json, sys
p = json.loads(sys.stdin.readline())
print(json.dumps({"nir": p["nir"], "dateNaissance": p["dateNaissance"]}))')
  local id nom prenom
  IFS=: read -r id nom prenom <<<"$BENCH_AGENT"
  while kill -0 "$pid" 2>/dev/null; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST "$url/partenaire/v1/rechercher-usager" \
      -H "Authorization: Bearer $BENCH_TOKEN" -H "Content-Type: application/json" \
      -H "pa-identifiant-agent: $id" -H "pa-nom-agent: $nom" -H "pa-prenom-agent: $prenom" \
      --data "$corps" >> "$out" || true
    sleep 0.1
  done
}

# BENCH_PERF=1: where the import's PostgreSQL backend spends its time. $BENCH_PERF_APRES
# seconds (default 30) into the import, the backend holding the oldest open transaction
# (the import's) is sampled for $BENCH_PERF_S seconds (default 20) by perf (Debian's
# linux-perf); the functions by inclusive share go to $2.
profil_backend() {
  local base=$1 out=$2 bk
  sleep "${BENCH_PERF_APRES:-30}"
  bk=$($RUN "$PGBIN/psql" "$base" -Atc "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'
    AND xact_start IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1")
  [ -n "$bk" ] || return 0
  perf record -F 499 -g -p "$bk" -o "$out.data" -- sleep "${BENCH_PERF_S:-20}" >/dev/null 2>&1 || return 0
  perf report -i "$out.data" --children --sort symbol --stdio -g none 2>/dev/null \
    | grep '%' | grep -v ' 0x0000' | head -45 > "$out"
  rm -f "$out.data"
}

# One import of imports_mesurer: name, format, file, rows, database, and the server's
# URL (its journaled searches probed meanwhile, when BENCH_TOKEN is set).
importer_un() {
  local out="$WORK/$1"
  DATABASE_URL=$5 DUDE_LOG=info /usr/bin/time -f "%e %M %U %S" -o "$out.time" "$BIN" import --convention conv-cd77-rsa \
    --format "$2" "$3" >"$out.out" 2>"$out.err" &
  local pid=$! dude="" sonde=""
  if [ -n "${BENCH_TOKEN:-}" ] && [ -n "${6:-}" ]; then
    sonde_journal $pid "$6" "$out.sonde" &
    sonde=$!
  fi
  local perf_=""
  if [ -n "${BENCH_PERF:-}" ] && command -v perf >/dev/null; then
    profil_backend "$5" "$out.perf" &
    perf_=$!
  fi
  sleep 0.2
  # the `dude` process itself (time's child)
  dude=$(pgrep -P $pid || true)
  while kill -0 $pid 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$dude/status" 2>/dev/null >> "$out.rss" || true
    sleep 1
  done
  wait $pid || { cat "$out.err" >&2; return 1; }
  [ -n "$sonde" ] && wait $sonde
  if [ -n "$perf_" ]; then
    wait $perf_ || true
    echo "$1: the import's PostgreSQL backend, functions by inclusive share (perf, ${BENCH_PERF_S:-20} s from ${BENCH_PERF_APRES:-30} s):"
    sed 's/^/  /' "$out.perf" 2>/dev/null || true
  fi
  local duree rss user sys
  read -r duree rss user sys < "$out.time"
  grep -v '^  ligne' "$out.out" | head -3
  grep -h "import : durées" "$out.err" || true
  [ -n "$sonde" ] && python3 - "$out.sonde" <<'PY'
import sys
l = [x.split() for x in open(sys.argv[1]) if x.strip()]
t = sorted(float(s) for _, s in l)
ko = sum(1 for c, _ in l if c != "200")
if t:
    print(f"journaled searches during the import: {len(t)}, non-200 {ko}, p50 {t[len(t) // 2] * 1000:.0f} ms, "
          f"p99 {t[min(len(t) - 1, len(t) * 99 // 100)] * 1000:.0f} ms, max {t[-1] * 1000:.0f} ms")
PY
  python3 - "$1" "$4" "$duree" "$rss" "$out.rss" "$user" "$sys" <<'PY'
import sys
nom, rows, duree, rss, fichier, user, sys_ = sys.argv[1:8]
rows, duree, rss = int(rows), float(duree), int(rss)
s = [int(l) for l in open(fichier) if l.strip()]
quarts = [s[min(len(s) - 1, len(s) * q // 4)] // 1024 for q in (1, 2, 3, 4)] if s else []
print(f"{nom}: {rows} rows in {duree:.1f} s = {rows / duree:.0f} rows/s; CPU of dude {user} s user, {sys_} s "
      f"system; max RSS {rss // 1024} MiB; RSS at each quarter of the run (MiB): {quarts}")
PY
}
