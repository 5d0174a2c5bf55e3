"""Times the portal's search and dossier page against the partner API's search (see
bench/run-portail.sh). One keep-alive connection, one request at a time."""
import http.client, json, os, re, statistics, sys, time, urllib.parse

port, sample = int(sys.argv[1]), sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", port)
cookie = ""


def req(method, path, body=None, headers=None):
    global cookie
    h = dict(headers or {})
    if cookie:
        h["Cookie"] = cookie
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body)
        h["Content-Type"] = "application/x-www-form-urlencoded"
    t0 = time.perf_counter()
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    dt = (time.perf_counter() - t0) * 1000
    for k, v in r.getheaders():
        if k.lower() == "set-cookie" and "dude-session=" in v:
            cookie = v.split(";")[0]
    return r.status, r.getheader("Location"), data.decode("utf-8", "replace"), dt


def champ(page, name):
    m = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    return m.group(1) if m else None


# sign in as France Travail's national agent through the demo provider
s, loc, page, _ = req("GET", "/connexion")
s, loc2, page, _ = req("GET", urllib.parse.urlparse(loc).path + "?" + urllib.parse.urlparse(loc).query)
demande = champ(page, "demande")
s, loc, page, _ = req("POST", "/demo-oidc/authorize", {"demande": demande, "courriel": "sophie.leroy@ft-national.demo.dude.invalid"})
while s in (302, 303, 307):
    u = urllib.parse.urlparse(loc)
    s, loc, page, _ = req("GET", u.path + ("?" + u.query if u.query else ""))
if "Choisir la convention" in page:
    s, loc, page, _ = req("POST", "/convention", {"csrf": champ(page, "csrf"), "convention": "conv-ft-national"})
s, _, page, _ = req("GET", "/recherche")
csrf = champ(page, "csrf")
assert csrf, page[:500]

aid, anom, aprenom = os.environ["BENCH_AGENT"].split(":")
api_h = {"Authorization": "Bearer " + os.environ["BENCH_TOKEN"], "Content-Type": "application/json",
         "pa-identifiant-agent": aid, "pa-nom-agent": anom, "pa-prenom-agent": aprenom}

people = [json.loads(l) for l in open(sample)]
t = {"portail: nom+prénom+date": [], "portail: nom+prénom": [], "portail: page du dossier": [], "API: rechercher-usager": []}
trouves = trop = 0
for i, p in enumerate(people):
    for _ in range(2 if i < 20 else 1):  # the first 20 twice: warm-up, dropped below
        s, _, page, a = req("POST", "/recherche", {"csrf": csrf, "critere": "nom", "nom": p["nom"], "prenom": p["prenom"], "date_naissance": p["dateNaissance"]})
        assert s == 200, (s, page[:300])
        s, _, page2, b = req("POST", "/recherche", {"csrf": csrf, "critere": "nom", "nom": p["nom"], "prenom": p["prenom"]})
        assert s == 200
        m = re.search(r'href="(/dossiers/[^"]+)"', page)
        c = None
        if m:
            s, _, _, c = req("GET", m.group(1))
            assert s == 200
        s, _, body, d = req("POST", "/partenaire/v1/rechercher-usager", json.dumps({"nir": p["nir"], "dateNaissance": p["dateNaissance"]}), api_h)
        assert s == 200, body
    # the last pass of each person is kept (the warm-up's first one is dropped)
    t["portail: nom+prénom+date"].append(a)
    t["portail: nom+prénom"].append(b)
    if c is not None:
        t["portail: page du dossier"].append(c)
        trouves += 1
    t["API: rechercher-usager"].append(d)
    trop += "Trop de personnes correspondent" in page2

def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]

print(f"{'requête':34} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
for k, v in t.items():
    if v:
        print(f"{k:34} {len(v):>5} {q(v, .5):>8.2f} {q(v, .99):>8.2f} {max(v):>8.2f}")
print(f"dossiers trouvés par nom+prénom+date : {trouves}/{len(people)} ; recherches par nom+prénom au-delà de la borne : {trop}/{len(people)}")
