//! Several instances on one PostgreSQL: the journal sequenced by the database, leases
//! for the background work, changes applied by every instance at once, and a real
//! deployment — three `dude serve` behind HAProxy (Debian's package) on loopback, one
//! stopped by SIGTERM and another killed under load.

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use chrono::Utc;
use dude_core::crypto::keys::MasterKey;
use dude_core::journal::verify::{Verification, verifier};
use dude_core::journal::{Entree, Journal, Verdict};
use dude_core::store::Store;
use reqwest::Method;
use serde_json::{Value, json};

use common::MASTER_KEY;
use common::demo::{DemoServer, demander_jeton};
use common::pg::PgServer;

fn entree(i: usize, n: usize) -> Entree {
    Entree {
        horodatage: dude_core::journal::horodatage(Utc::now()),
        request_id: format!("instance-{i}-{n}"),
        agent: Some(format!("AG{i}")),
        organisation: None,
        client: Some(format!("client-{i}")),
        convention: None,
        dossier: None,
        action: "statut".into(),
        categories: "inscription".into(),
        finalite: None,
        decision: Verdict::Accepte,
        raison: "test".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_append_to_one_chain_with_no_refusal() {
    let pg = PgServer::start();
    let url = pg.database("chaine");
    let key = MasterKey::from_bytes(MASTER_KEY);
    // three instances: a pool and a writer each, on one database
    let mut journaux = Vec::new();
    let mut stores = Vec::new();
    for _ in 0..3 {
        let store = Store::open(&url, &key).await.unwrap();
        let (j, _) = Journal::demarrer(store.clone());
        journaux.push(j);
        stores.push(store);
    }
    // 3 instances × 16 callers × 60 entries, each awaited as a response awaits its entry
    let mut taches = Vec::new();
    for (i, j) in journaux.iter().enumerate() {
        for c in 0..16 {
            let j = j.clone();
            taches.push(tokio::spawn(async move {
                let mut seqs = Vec::new();
                for n in 0..60 {
                    seqs.push(j.ecrire(entree(i, c * 1000 + n)).await.expect("no refusal"));
                }
                // and a batch queued together
                j.ecrire_tous((0..20).map(|n| entree(i, c * 1000 + 500 + n)).collect()).await.expect("no refusal");
                seqs
            }));
        }
    }
    let mut toutes = Vec::new();
    for t in taches {
        let seqs = t.await.unwrap();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "a caller's entries in its order");
        toutes.extend(seqs);
    }
    toutes.sort();
    toutes.dedup();
    assert_eq!(toutes.len(), 3 * 16 * 60, "every entry its own sequence number");
    // one total chain: no gap, no fork
    match verifier(&stores[0]).await.unwrap() {
        Verification::Intact { entrees } => assert_eq!(entrees, 3 * 16 * 80),
        Verification::Rompu { seq, raison } => panic!("chain broken at {seq}: {raison}"),
    }
}

#[tokio::test]
async fn a_lease_is_held_by_one_instance_and_taken_over_when_it_lapses() {
    let pg = PgServer::start();
    let url = pg.database("baux");
    let key = MasterKey::from_bytes(MASTER_KEY);
    let mut stores = Vec::new();
    for _ in 0..3 {
        stores.push(Store::open(&url, &key).await.unwrap());
    }
    let duree = Duration::from_millis(600);
    // asked for at once by three instances: one gets it
    let pris = futures_join(&stores, "echeances", duree).await;
    assert_eq!(pris.iter().filter(|p| **p).count(), 1, "{pris:?}");
    let tenant = pris.iter().position(|p| *p).unwrap();
    let nom = |i: usize| format!("i{i}");
    // renewed by its holder, refused to the others
    assert!(stores[tenant].bail_prendre("echeances", &nom(tenant), duree).await.unwrap());
    let autre = (tenant + 1) % 3;
    assert!(!stores[autre].bail_prendre("echeances", &nom(autre), duree).await.unwrap());
    // its holder stops renewing: once the term has passed, another takes it
    tokio::time::sleep(duree + Duration::from_millis(100)).await;
    assert!(stores[autre].bail_prendre("echeances", &nom(autre), duree).await.unwrap());
    assert!(!stores[tenant].bail_prendre("echeances", &nom(tenant), duree).await.unwrap());
    // given back at shutdown: taken at once
    stores[autre].baux_rendre(&nom(autre)).await.unwrap();
    assert!(stores[tenant].bail_prendre("echeances", &nom(tenant), duree).await.unwrap());
    let baux = stores[0].baux().await.unwrap();
    assert_eq!(baux.len(), 1);
    assert_eq!(baux[0].titulaire, nom(tenant));
}

async fn futures_join(stores: &[Store], nom: &'static str, duree: Duration) -> Vec<bool> {
    let taches: Vec<_> = stores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = s.clone();
            tokio::spawn(async move { s.bail_prendre(nom, &format!("i{i}"), duree).await.unwrap() })
        })
        .collect();
    let mut out = Vec::new();
    for t in taches {
        out.push(t.await.unwrap());
    }
    out
}

// ---------- the deployment ----------

/// HAProxy in the foreground, balancing over the instances, checking `/readyz`; a
/// request that found an instance gone is sent to another.
struct Balanceur {
    port: u16,
    child: Child,
}

impl Balanceur {
    fn start(dir: &std::path::Path, instances: &[&DemoServer]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let serveurs: String = instances
            .iter()
            .enumerate()
            .map(|(i, s)| format!("    server dude{} {} check\n", i + 1, s.base.trim_start_matches("http://")))
            .collect();
        let cfg = configuration_haproxy(port, &serveurs);
        let fichier = dir.join("haproxy.cfg");
        std::fs::write(&fichier, cfg).unwrap();
        let haproxy = ["/usr/sbin/haproxy", "/usr/bin/haproxy"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("HAProxy not found: `apt-get install haproxy` (tests/run.sh installs it)");
        let child = Command::new(haproxy)
            .arg("-db")
            .arg("-f")
            .arg(&fichier)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("haproxy.log")).unwrap())
            .spawn()
            .unwrap();
        Self { port, child }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Balanceur {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The configuration README's "Running several instances" shows, on loopback.
fn configuration_haproxy(port: u16, serveurs: &str) -> String {
    format!(
        "global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # a request refused by an instance that is stopping or gone (connection refused
    # or closed before any answer) goes to another: it never reached the application
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response

frontend dude
    bind 127.0.0.1:{port}
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
{serveurs}"
    )
}

/// One person of the demo: NIR and birth date.
#[derive(Clone)]
struct Personne {
    nir: String,
    naissance: String,
}

/// What the load saw: the appointments acknowledged (person, id) and the failures
/// (when, what).
#[derive(Default)]
struct Bilan {
    acquittes: Vec<(Personne, String)>,
    echecs: Vec<(Instant, String)>,
    appels: u64,
}

const PORTEES: &str = "api_rechercher-usagerv2 rechercheusager api_rendez-vous-partenairev1 gererRDV";

/// A partner request at `base` with the access token and the application's agent.
fn requete_partenaire(
    http: &reqwest::Client,
    base: &str,
    acces: &str,
    app: &common::demo::AppDemo,
    m: Method,
    chemin: &str,
) -> reqwest::RequestBuilder {
    http.request(m, format!("{base}{chemin}"))
        .bearer_auth(acces)
        .header("pa-identifiant-agent", &app.agent.0)
        .header("pa-nom-agent", &app.agent.1)
        .header("pa-prenom-agent", &app.agent.2)
}

/// A partner's loop through the balancer until `fin`: find a person (v2), make an
/// appointment for them; every answer counted.
async fn charger(
    lb: String,
    app: common::demo::AppDemo,
    gens: Arc<Vec<Personne>>,
    depart: usize,
    fin: Instant,
) -> Bilan {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let v: Value = demander_jeton(&http, &lb, &app, PORTEES).await.json().await.unwrap();
    let acces = v["access_token"].as_str().unwrap_or_else(|| panic!("a token: {v}")).to_string();
    let mut b = Bilan::default();
    let mut n = depart;
    let appel = |m: Method, chemin: &str| requete_partenaire(&http, &lb, &acces, &app, m, chemin);
    while Instant::now() < fin {
        let p = gens[n % gens.len()].clone();
        n += 7;
        b.appels += 1;
        let r = appel(Method::POST, "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir")
            .json(&json!({"nir": p.nir, "dateNaissance": p.naissance}))
            .send()
            .await;
        let v: Value = match r {
            Ok(r) if r.status() == 200 => r.json().await.unwrap_or_default(),
            Ok(r) => {
                b.echecs.push((Instant::now(), format!("recherche {}", r.status())));
                continue;
            }
            Err(e) => {
                b.echecs.push((Instant::now(), format!("recherche {e}")));
                continue;
            }
        };
        let Some(jeton) = v["jetonUsager"].as_str() else {
            continue; // not among the seeded dossiers
        };
        b.appels += 1;
        let r = appel(Method::POST, "/partenaire/rendez-vous-partenaire/v1/rendez-vous")
            .header("ft-jeton-usager", jeton)
            .json(&common::rendez_vous(None, 30 + (n % 30) as u32, "PRIS"))
            .send()
            .await;
        match r {
            Ok(r) if r.status() == 201 => {
                let v: Value = r.json().await.unwrap();
                b.acquittes.push((p, v["id"].as_str().expect("an id").to_string()));
            }
            Ok(r) => b.echecs.push((Instant::now(), format!("rendez-vous {}", r.status()))),
            Err(e) => b.echecs.push((Instant::now(), format!("rendez-vous {e}"))),
        }
    }
    b
}

fn envoyer(signal: &str, pid: u32) {
    assert!(Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status().unwrap().success());
}

/// Waits until `ok` holds (checked every 50 ms), at most `delai`; returns how long it took.
async fn attendre<F, Fut>(delai: Duration, mut ok: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let debut = Instant::now();
    while debut.elapsed() < delai {
        if ok().await {
            return Some(debut.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

async fn titulaires(store: &Store) -> Vec<(String, String)> {
    store.baux().await.unwrap().into_iter().map(|b| (b.nom, b.titulaire)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_behind_haproxy_lose_nothing_when_one_stops_and_another_dies() {
    let pg = PgServer::start();
    let url = pg.database("grappe");
    let cle = base64::engine::general_purpose::STANDARD.encode(MASTER_KEY);
    let racine = tempfile::tempdir().unwrap();
    // three instances, one database, one key; each its own directory and adapters
    let mut instances = Vec::new();
    for i in 1..=3 {
        let dir = racine.path().join(format!("dude{i}"));
        let plugins = dir.join("plugins");
        std::fs::create_dir_all(&plugins).unwrap();
        let nom = format!("dude{i}");
        let env = [
            ("DATABASE_URL", url.as_str()),
            ("DUDE_MASTER_KEY", cle.as_str()),
            ("DUDE_INSTANCE", nom.as_str()),
            ("DUDE_PLUGINS_DIR", plugins.to_str().unwrap()),
            ("DUDE_CHECKPOINT_INTERVAL_S", "1"),
            ("DUDE_SLA_SONDE_S", "2"),
            ("DUDE_SLA_ECHEANCES_S", "1"),
        ];
        // one after the other: the first seeds the demo, the others find it
        instances.push(DemoServer::start(&dir, 300, &env));
    }
    let store = Store::open(&url, &MasterKey::from_bytes(MASTER_KEY)).await.unwrap();

    // background work: each lease held by exactly one instance
    let noms = ["echeances", "pics", "points-de-controle", "purge-sessions", "purge-sla", "sondes"];
    let tous = attendre(Duration::from_secs(15), || async {
        let t = titulaires(&store).await;
        noms.iter().all(|n| t.iter().any(|(b, _)| b == n))
    })
    .await;
    assert!(tous.is_some(), "every lease held: {:?}", titulaires(&store).await);

    // a deadline's notices are sent once by the cluster, not once per instance: the 77's
    // convention gets a webhook, then a data breach found four days ago (its 72 h for
    // the notification passed) is declared through the first instance; every instance
    // watches deadlines every second, but only the holder of `echeances` acts. Counted
    // at the end, after one instance stopped and another was killed.
    let (crochet, recus) = common::webhook().await;
    let adresse = "/admin/v1/conventions/conv-cd77-rsa";
    let mut convention = instances[0].lire_admin(adresse).await;
    convention["webhookIncidents"] = json!(crochet);
    let r = instances[0].administrer(Method::PUT, adresse).json(&convention).send().await.unwrap();
    assert!(r.status().is_success(), "webhook set: {} {}", r.status(), r.text().await.unwrap_or_default());
    for s in &instances {
        let vu = attendre(Duration::from_secs(5), || async {
            s.lire_admin(adresse).await["webhookIncidents"] == crochet.as_str()
        })
        .await;
        assert!(vu.is_some(), "the webhook known to {}", s.base);
    }
    let decouverte = (Utc::now() - chrono::Duration::days(4)).to_rfc3339();
    let r = instances[0]
        .administrer(Method::POST, "/admin/v1/sla/violations")
        .json(&json!({"convention": "conv-cd77-rsa", "sens": "PARTENAIRE_VERS_PLATEFORME",
            "faitGenerateur": "DECOUVERTE", "decouverteLe": decouverte,
            "natures": ["CONFIDENTIALITE"], "categoriesDonnees": ["contact"],
            "resume": "liste envoyée à un mauvais destinataire"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "breach declared: {}", r.text().await.unwrap_or_default());
    let violation = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let avis = || -> Vec<String> {
        let recus = recus.lock().unwrap();
        let de_la_violation =
            recus.iter().filter(|v| v["objet"] == "violation" && v["violation"]["id"] == violation.as_str());
        de_la_violation.map(|v| v["evenement"].as_str().unwrap_or_default().to_string()).collect()
    };
    let envoyee = attendre(Duration::from_secs(5), || async { avis().iter().any(|e| e == "depassee") }).await;
    assert!(envoyee.is_some(), "the missed deadline notified: {:?}", avis());
    // by the holder of `echeances`, and by no other instance
    let titulaire = titulaires(&store).await.into_iter().find(|(b, _)| b == "echeances").map(|(_, h)| h);
    let marque = format!("violation={violation} evenement=depassee");
    let emetteurs: Vec<String> = instances
        .iter()
        .zip(1..)
        .filter(|(s, _)| s.journal().contains(&marque))
        .map(|(_, i)| format!("dude{i}"))
        .collect();
    assert_eq!(emetteurs, titulaire.into_iter().collect::<Vec<_>>(), "the notice sent by the lease's holder alone");

    // a change made through one instance is enforced by all within a second
    let cd93 = instances[1].app("cd93-solis").clone();
    let recherche = |s: &DemoServer| {
        let (base, http, app) = (s.base.clone(), s.http.clone(), cd93.clone());
        async move { demander_jeton(&http, &base, &app, PORTEES).await.status() }
    };
    for s in &instances {
        assert_eq!(recherche(s).await, 200, "the 93's application is served by {}", s.base);
    }
    let r = instances[0]
        .administrer(Method::POST, &format!("/admin/v1/clients/{}/revoquer", cd93.client_id))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "revocation through the first instance: {}", r.status());
    for s in &instances[1..] {
        let delai = attendre(Duration::from_secs(5), || async { recherche(s).await == 401 }).await;
        let delai = delai.unwrap_or_else(|| panic!("revocation not enforced by {} within 5 s", s.base));
        assert!(delai < Duration::from_secs(1), "revocation enforced by {} after {delai:?}", s.base);
    }

    // an adapter uploaded through one instance serves on all
    let wasm = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../plugins/target/wasm32-wasip2/release/exemple.wasm");
    let octets = std::fs::read(&wasm).expect("plugins built by tests/run.sh");
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&octets))
    };
    let r = instances[0]
        .administrer(Method::POST, "/admin/v1/plugins?fichier=exemple-grappe.wasm")
        .body(octets)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "upload: {} {}", r.status(), r.text().await.unwrap_or_default());
    for s in &instances[1..] {
        let charge = attendre(Duration::from_secs(10), || async {
            let v = s.lire_admin("/admin/v1/plugins").await;
            v["adaptateurs"].as_array().is_some_and(|a| a.iter().any(|a| a["sha256"] == sha256.as_str()))
        })
        .await;
        assert!(charge.is_some(), "the uploaded adapter is served by {}", s.base);
    }

    let gens: Vec<Personne> = {
        let sample =
            instances[0].commande().args(["demo", "--sample", "300"]).env("DUDE_MASTER_KEY", &cle).output().unwrap();
        String::from_utf8(sample.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|p| p["departement"] == "77" && p["rsa"] == true)
            .map(|p| Personne {
                nir: p["nir"].as_str().unwrap().into(),
                naissance: p["dateNaissance"].as_str().unwrap().into(),
            })
            .collect()
    };
    assert!(gens.len() > 10, "RSA beneficiaries of the 77 among the demo's dossiers");
    let gens = Arc::new(gens);

    // new authorization rules set through one instance are enforced by all within a
    // second: social workers may no longer write appointments, then may again
    let app = instances[0].app("cd77-sigma").clone();
    let rendez_vous = |s: &DemoServer| {
        let (base, http, app, p) = (s.base.clone(), s.http.clone(), app.clone(), gens[0].clone());
        async move {
            let v: Value = demander_jeton(&http, &base, &app, PORTEES).await.json().await.unwrap();
            let acces = v["access_token"].as_str().unwrap().to_string();
            let appel = |m: Method, chemin: &str| requete_partenaire(&http, &base, &acces, &app, m, chemin);
            let v: Value = appel(Method::POST, "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir")
                .json(&json!({"nir": p.nir, "dateNaissance": p.naissance}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let jeton = v["jetonUsager"].as_str().unwrap_or_else(|| panic!("found: {v}")).to_string();
            appel(Method::POST, "/partenaire/rendez-vous-partenaire/v1/rendez-vous")
                .header("ft-jeton-usager", jeton)
                .json(&common::rendez_vous(None, 30, "PRIS"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let deposer = |texte: String| {
        instances[0].administrer(Method::PUT, "/admin/v1/regles").header("content-type", "text/csv").body(texte).send()
    };
    let livrees = dude_core::habilitation::casbin_authorizer::REGLES.to_string();
    let etroites: String = livrees
        .lines()
        .filter(|l| l.trim() != "TRAVAILLEUR_SOCIAL, rendez_vous, ecrire")
        .map(|l| format!("{l}\n"))
        .collect();
    for (texte, attendu) in [(etroites, 403), (livrees, 201)] {
        let r = deposer(texte).await.unwrap();
        assert_eq!(r.status(), 200, "rules set through the first instance: {}", r.text().await.unwrap_or_default());
        for s in &instances[1..] {
            let delai = attendre(Duration::from_secs(5), || async { rendez_vous(s).await == attendu }).await;
            let delai = delai.unwrap_or_else(|| panic!("rules not enforced by {} within 5 s ({attendu})", s.base));
            assert!(delai < Duration::from_secs(1), "rules enforced by {} after {delai:?}", s.base);
        }
    }

    // the balancer, then the load through it
    let lb = Balanceur::start(racine.path(), &instances.iter().collect::<Vec<_>>());
    let pret = attendre(Duration::from_secs(10), || async {
        reqwest::get(lb.url("/readyz")).await.is_ok_and(|r| r.status() == 200)
    })
    .await;
    assert!(pret.is_some(), "HAProxy up: {}", std::fs::read_to_string(racine.path().join("haproxy.log")).unwrap());
    let app = instances[0].app("cd77-sigma").clone();
    const CLIENTS: usize = 12;
    let debut = Instant::now();
    let fin = debut + Duration::from_secs(24);
    let charges: Vec<_> =
        (0..CLIENTS).map(|c| tokio::spawn(charger(lb.url(""), app.clone(), gens.clone(), c, fin))).collect();

    // under load: the first instance is asked to stop, the second is killed
    tokio::time::sleep(Duration::from_secs(6)).await;
    let arret = Instant::now();
    let mut premier = instances.remove(0);
    envoyer("TERM", premier.pid());
    let sortie = premier.attendre_sortie(Duration::from_secs(35));
    assert_eq!(sortie, Some(0), "SIGTERM: drained and stopped cleanly; log:\n{}", premier.journal());
    let drainage = arret.elapsed();
    // its leases given back as it stopped
    assert!(!titulaires(&store).await.iter().any(|(_, h)| h == "dude1"), "{:?}", titulaires(&store).await);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mort = Instant::now();
    let second = instances.remove(0);
    envoyer("KILL", second.pid());
    let mut bilan = Bilan::default();
    for c in charges {
        let b = c.await.unwrap();
        bilan.acquittes.extend(b.acquittes);
        bilan.echecs.extend(b.echecs);
        bilan.appels += b.appels;
    }
    eprintln!(
        "{} calls, {} appointments acknowledged, {} failures ({:?}); SIGTERM drained in {drainage:?}",
        bilan.appels,
        bilan.acquittes.len(),
        bilan.echecs.len(),
        bilan.echecs.iter().map(|(t, e)| (t.duration_since(debut), e)).collect::<Vec<_>>()
    );
    assert!(bilan.acquittes.len() > 50, "the load went through: {} acknowledged", bilan.acquittes.len());
    // SIGTERM loses nothing; SIGKILL only what was in flight on the killed instance
    // (at most one request per client), around the kill
    for (t, e) in &bilan.echecs {
        assert!(
            *t >= mort && t.duration_since(mort) < Duration::from_secs(3),
            "a failure outside the kill of the second instance: {e} at {:?}",
            t.duration_since(debut)
        );
    }
    assert!(bilan.echecs.len() <= CLIENTS, "{} failures for {CLIENTS} requests in flight", bilan.echecs.len());

    // no acknowledged write is lost
    let mut par_personne: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (p, id) in &bilan.acquittes {
        let nir = dude_core::dossier::Nir::parse(&p.nir).unwrap();
        let naissance = chrono::NaiveDate::parse_from_str(&p.naissance, "%Y-%m-%d").unwrap();
        let cle = format!("{}|{}", p.nir, p.naissance);
        if !par_personne.contains_key(&cle) {
            let ids = store.dossiers_par_nir(&nir, naissance).await.unwrap();
            let d = store.charger_dossier(ids[0]).await.unwrap().unwrap();
            par_personne.insert(cle.clone(), d.rendez_vous.0.iter().map(|r| r.id.clone()).collect());
        }
        assert!(par_personne[&cle].contains(id), "acknowledged appointment {id} is stored");
    }

    // the journal verifies; every lease is now held by the survivor
    let survivant = &instances[0];
    let out = survivant
        .commande()
        .args(["journal", "verify"])
        .env("DUDE_MASTER_KEY", &cle)
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    let texte = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && texte.contains("journal intègre"), "{texte}");
    let repris = attendre(Duration::from_secs(25), || async {
        let t = titulaires(&store).await;
        noms.iter().all(|n| t.iter().any(|(b, h)| b == n && h == "dude3"))
    })
    .await;
    assert!(repris.is_some(), "leases moved to the survivor: {:?}", titulaires(&store).await);
    eprintln!("leases moved to dude3 {:?} after the kill", mort.elapsed());

    // the breach's notices: each once, although three instances, then two, then the
    // survivor alone watched the deadlines every second for about 40 s
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut envoyes = avis();
    envoyes.sort();
    let mut uniques = envoyes.clone();
    uniques.dedup();
    assert_eq!(envoyes, uniques, "each notice of the breach sent once");
    assert!(envoyes.iter().any(|e| e.starts_with("rappel:")) && envoyes.iter().any(|e| e == "depassee"), "{envoyes:?}");
    eprintln!("the breach's notices, each received once: {envoyes:?}");
}
