//! Adapters (issue 4, item 10), all in one run:
//! - a 100,000-row département CSV parsed natively (the adapter crate compiled for the
//!   host) and through the Wasm component: rows/s and the Wasm/native ratio;
//! - the same file imported end to end into SQLite (adapter, checks, one transaction,
//!   journal): rows/s;
//! - per-job overhead (fresh store + instance, constructor, one push, finish);
//! - reload latency: file renamed into the watched directory → new version serving.
//!
//! (cd plugins && cargo build --target wasm32-wasip2 --release)
//! cargo bench -p dude-core --bench adaptateurs

// the allocator of the `dude` binary (core/src/main.rs), so that the import measured
// here is the one an operator runs, and the native baseline allocates as fast
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dude_core::adaptateur::catalogue::Catalogue;
use dude_core::adaptateur::{Adaptateur, Limites, Moteur, tache};
use dude_core::crypto::keys::MasterKey;
use dude_core::dossier::Categorie;
use dude_core::dossier::contact::Departement;
use dude_core::habilitation::convention::{Acces, AdaptateurRef, CiblesSla, Convention, Public, Territoire};
use dude_core::import::{DemandeImport, importer};
use dude_core::store::Store;

const LIGNES: u64 = 100_000;
/// Rounds of the interleaved native/Wasm parse.
const TOURS: usize = 7;
/// Rounds of the experiment without epoch interruption.
const TOURS_SANS_EPOQUES: usize = 3;
/// End-to-end imports.
const IMPORTS: usize = 3;

fn mediane(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn csv() -> Vec<u8> {
    let mut s = String::from(
        "Civilité;Nom;Prénom;Date de naissance;NIR;Demandeur ou conjoint;Téléphone;Adresse;Code postal;Ville;\
Date d'entrée RSA;Code organisme;Numéro allocataire CAF/MSA;Type de parcours;Structure;Date d'orientation\n",
    );
    for i in 0..LIGNES {
        let (mois, jour) = (1 + i % 12, 1 + i % 28);
        let body = format!("1{:02}{mois:02}77{:03}{:03}", 60 + i % 40, (i / 1000) % 1000, i % 1000);
        let nir = dude_core::dossier::Nir::parse(&body).unwrap().expose();
        s.push_str(&format!(
            "M;NOM{i};Prénom;{jour:02}/{mois:02}/19{:02};{nir};demandeur;06{:08};{} rue de la Gare;77000;Melun;\
01/02/2024;CAF;{:07};socioprofessionnel;Pôle insertion;15/02/2024\n",
            60 + i % 40,
            i,
            1 + i % 90,
            i
        ));
    }
    s.into_bytes()
}

/// The component measured: the one `plugins/` builds, or `DUDE_BENCH_WASM` (A/B runs of two
/// builds of the adapter).
fn wasm() -> PathBuf {
    match std::env::var_os("DUDE_BENCH_WASM") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/target/wasm32-wasip2/release/cd_files.wasm"),
    }
}

/// One round of the native and Wasm parses of `donnees`, interleaved chunk by chunk:
/// each 64 KiB chunk goes through both parsers back to back, in alternating order, and
/// each side sums its own time. Returns (native, Wasm).
fn tour(a: &Adaptateur, donnees: &[u8]) -> (Duration, Duration) {
    use dude_adapter_sdk::Analyseur;
    let (mut natif, mut wasm) = (Duration::ZERO, Duration::ZERO);
    let (mut n_natif, mut n_wasm) = (0, 0);
    let t = Instant::now();
    let mut p = cd_files::parser("stock-csv", &[]).unwrap();
    natif += t.elapsed();
    let t = Instant::now();
    // the component's job: fresh store and instance, constructor, the pushes, finish
    let mut analyse = tache::Analyse::ouvrir(a, "stock-csv", &[], &Limites::default(), &Default::default()).unwrap();
    wasm += t.elapsed();
    let mut mesurer_natif = |c: &[u8]| {
        let t = Instant::now();
        n_natif += std::hint::black_box(p.push(c).unwrap()).personnes.len();
        natif += t.elapsed();
    };
    let mut mesurer_wasm = |c: &[u8]| {
        let t = Instant::now();
        n_wasm += std::hint::black_box(analyse.pousser(c).unwrap()).personnes.len();
        wasm += t.elapsed();
    };
    for (i, c) in donnees.chunks(64 << 10).enumerate() {
        if i % 2 == 0 {
            mesurer_natif(c);
            mesurer_wasm(c);
        } else {
            mesurer_wasm(c);
            mesurer_natif(c);
        }
    }
    let t = Instant::now();
    n_natif += p.finish().unwrap().personnes.len();
    natif += t.elapsed();
    let t = Instant::now();
    n_wasm += analyse.terminer().unwrap().personnes.len();
    wasm += t.elapsed();
    assert_eq!((n_natif as u64, n_wasm as u64), (LIGNES, LIGNES));
    (natif, wasm)
}

fn main() {
    let _ = tracing_subscriber::fmt().with_env_filter("dude_core::import=info").try_init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    // `cargo bench -p dude-core --bench adaptateurs -- analyse`: the parse rounds only
    let seulement_analyse = std::env::args().any(|a| a == "analyse");
    // `… -- import`: the end-to-end import only
    let seulement_import = std::env::args().any(|a| a == "import");
    let donnees = csv();
    println!("fichier : {} lignes, {:.1} Mio", LIGNES, donnees.len() as f64 / (1 << 20) as f64);

    // native and Wasm parses, interleaved chunk by chunk (`tour`): this machine's speed
    // drifts by tens of per cent from one second to the next (whole-file rounds of the two
    // parses gave ratios from 1.7 to 4.5 in one run)
    let moteur = Moteur::new(16, 64 << 20).unwrap();
    let octets = std::fs::read(wasm()).expect("build the adapters first");
    let t = Instant::now();
    let a = Arc::new(Adaptateur::charger(&moteur, "cd_files.wasm", &octets, None).unwrap());
    let compilation = t.elapsed();
    let mut natifs = Vec::new();
    let mut wasms = Vec::new();
    let mut rapports = Vec::new();
    for _ in 0..if seulement_import { 1 } else { TOURS } {
        let (natif, wasm) = tour(&a, &donnees);
        rapports.push(wasm.as_secs_f64() / natif.as_secs_f64());
        natifs.push(natif);
        wasms.push(wasm);
    }
    let (natif, wasm_duree) = (mediane(&mut natifs), mediane(&mut wasms));
    rapports.sort_by(f64::total_cmp);
    let rps = |d: Duration| LIGNES as f64 / d.as_secs_f64();
    println!("analyse native (crate cd-files) : {:>9.0} lignes/s (médiane {:?})", rps(natif), natif);
    println!("analyse Wasm (composant)        : {:>9.0} lignes/s (médiane {:?})", rps(wasm_duree), wasm_duree);
    println!(
        "rapport Wasm / natif (durées)    : médiane {:.2} sur {TOURS} tours, morceaux alternés (min {:.2}, max {:.2})",
        rapports[rapports.len() / 2],
        rapports[0],
        rapports[rapports.len() - 1]
    );
    // what the sandbox's time cap costs: the same rounds on an engine without epoch
    // interruption (an experiment: the host never runs an adapter so)
    if !seulement_import {
        let mut config = wasmtime::Config::new();
        config.epoch_interruption(false);
        let sans = Moteur { engine: wasmtime::Engine::new(&config).unwrap(), pooling: false };
        let a_sans = Adaptateur::charger(&sans, "cd_files.wasm", &octets, None).unwrap();
        let mut sans_epoques: Vec<f64> = (0..TOURS_SANS_EPOQUES)
            .map(|_| {
                let (natif, wasm) = tour(&a_sans, &donnees);
                wasm.as_secs_f64() / natif.as_secs_f64()
            })
            .collect();
        sans_epoques.sort_by(f64::total_cmp);
        println!(
            "  expérience, sans interruption par époques : rapport médiane {:.2} sur {TOURS_SANS_EPOQUES} tours",
            sans_epoques[sans_epoques.len() / 2]
        );
    }
    println!("compilation du composant (sans cache) : {:?}", compilation);
    if seulement_analyse {
        return;
    }

    // per-job overhead
    let petit = b"Nom;Prenom;Date de naissance\nA;B;01/01/1990\n".to_vec();
    let jobs = 200;
    let t = Instant::now();
    for _ in 0..jobs {
        tache::analyser(
            &a,
            "stock-csv",
            &[],
            &mut std::io::Cursor::new(&petit),
            &Limites::default(),
            &Default::default(),
            &mut |_| {},
        )
        .unwrap();
    }
    let par_job = t.elapsed() / jobs;

    // end to end into SQLite: three imports, each into a fresh file, after the previous
    // one's WAL has been checkpointed in the background
    let mut imports = Vec::new();
    for _ in 0..IMPORTS {
        let (duree, crees) = rt.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let store =
                Store::open(&format!("sqlite://{}/bench.db", dir.path().display()), &MasterKey::from_bytes([3; 32]))
                    .await
                    .unwrap();
            let (journal, _w) = dude_core::journal::Journal::demarrer(store.clone());
            let mut categories = std::collections::BTreeMap::new();
            for c in [Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::Rsa, Categorie::Orientation] {
                categories.insert(c, Acces::Ecriture);
            }
            let conv = Arc::new(Convention {
                id: "conv-bench".into(),
                libelle: "bench".into(),
                parties: vec!["cd77".into()],
                territoire: Territoire::Departements(vec![Departement::parse("77").unwrap()]),
                publics: vec![Public::BeneficiairesRsa],
                categories,
                finalites: vec!["bench".into()],
                debut: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                fin: chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
                mfa_requise: false,
                conservation_mois: 36,
                delai_notification_violation_h: 48,
                batch_autorise: false,
                appelants: Default::default(),
                scopes: vec![],
                sla: CiblesSla::default(),
                adaptateur: Some(AdaptateurRef::nouveau("cd-files", "^0.1")),
                webhook_incidents: None,
            });
            let t = Instant::now();
            let r = importer(
                &store,
                &journal,
                DemandeImport {
                    convention: conv,
                    adaptateur: a.clone(),
                    format: "stock-csv".into(),
                    options: vec![],
                    nom_fichier: "bench.csv".into(),
                    auteur: "bench".into(),
                    organisation: None,
                    request_id: "bench".into(),
                    limites: Limites::default(),
                    ids: dude_core::crypto::id_national::IdNationalCodec::new(&MasterKey::from_bytes([3; 32])),
                },
                Box::new(std::io::Cursor::new(donnees.clone())),
                None,
            )
            .await
            .unwrap();
            let duree = t.elapsed();
            tokio::time::sleep(Duration::from_secs(3)).await;
            (duree, r.crees)
        });
        assert_eq!(crees, LIGNES);
        imports.push(duree);
    }
    let toutes: Vec<String> = imports.iter().map(|d| format!("{:.0}", LIGNES as f64 / d.as_secs_f64())).collect();
    let bout_en_bout = mediane(&mut imports);

    // reload latency
    let dir = tempfile::tempdir().unwrap();
    let cible = dir.path().join("cd_files.wasm");
    std::fs::write(&cible, &octets).unwrap();
    let cat = Arc::new(Catalogue::new(moteur.clone(), dir.path().to_path_buf(), None));
    cat.charger_tout();
    let _s = dude_core::adaptateur::surveillance::surveiller(cat.clone()).unwrap();
    let mut latences = Vec::new();
    for i in 0..5u8 {
        let mut v = octets.clone();
        v.extend_from_slice(&[0, 14, 9]);
        v.extend_from_slice(b"dude-test");
        v.extend_from_slice(&[i; 4]);
        let avant = cat.tous()[0].sha256.clone();
        let tmp = dir.path().join("x.tmp");
        std::fs::write(&tmp, &v).unwrap();
        let t = Instant::now();
        std::fs::rename(&tmp, &cible).unwrap();
        while cat.tous()[0].sha256 == avant {
            assert!(t.elapsed() < Duration::from_secs(30));
            std::thread::sleep(Duration::from_millis(2));
        }
        latences.push(t.elapsed());
    }
    latences.sort();

    println!(
        "import de bout en bout (SQLite)  : {:>9.0} lignes/s (médiane {:?} ; {IMPORTS} imports : {} lignes/s)",
        rps(bout_en_bout),
        bout_en_bout,
        toutes.join(", ")
    );
    println!("surcoût par tâche (instance, constructeur, push, finish) : {:?}", par_job);
    println!(
        "rechargement (fichier renommé → nouvelle version servie) : médiane {:?}, max {:?}",
        latences[2], latences[4]
    );
    println!("allocation : {}", if moteur.pooling { "pool" } else { "à la demande" });
}
