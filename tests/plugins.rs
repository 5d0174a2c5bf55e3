//! Black-box tests of the adapter host with the real `.wasm` built from `plugins/`
//! (tests/run.sh builds them first).

mod common;

use std::path::PathBuf;
use std::process::Command;

use dude_core::plugin::{Adaptateur, Limites, Moteur, PluginError, tache};

fn wasm(name: &str) -> PathBuf {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../plugins/target/wasm32-wasip2/release/{name}.wasm"));
    assert!(
        p.exists(),
        "{} missing: build the adapters first (cargo build --manifest-path plugins/Cargo.toml --target wasm32-wasip2 --release)",
        p.display()
    );
    p
}

fn reference(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference-formats/carnet-de-bord").join(name)
}

#[test]
fn plugin_check_prints_describe_version_and_sample() {
    let out = Command::new(env!("CARGO_BIN_EXE_dude"))
        .args(["plugin", "check"])
        .arg(wasm("cd_files"))
        .arg("--sample")
        .arg(reference("import_beneficiaires_buggy.csv"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("adaptateur : cd-files 0.1.0"), "{text}");
    assert!(text.contains("contrat WIT : dude:adapter@0.1.0"), "{text}");
    assert!(text.contains("1 enregistrements, 2 lignes en erreur"), "{text}");
    assert!(text.contains("ligne 3 date_naissance"), "{text}");
    assert!(!text.contains("Charlie"), "no personal data printed: {text}");
}

#[test]
fn host_streams_a_file_through_the_component() {
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    let octets = std::fs::read(wasm("cd_files")).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let a = Adaptateur::charger(&moteur, "cd_files.wasm", &octets, Some(cache.path())).unwrap();
    assert_eq!((a.nom.as_str(), a.version_wit.as_str()), ("cd-files", "0.1.0"));
    // the compiled code was cached, and the cache is used the second time
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 1);
    let b = Adaptateur::charger(&moteur, "cd_files.wasm", &octets, Some(cache.path())).unwrap();
    assert_eq!(a.sha256, b.sha256);
    for morceau in [7, 64, 65536] {
        let limites = Limites { morceau, ..Limites::default() };
        let mut f = std::fs::File::open(reference("import_beneficiaires.csv")).unwrap();
        let mut personnes = Vec::new();
        tache::analyser(&a, "stock-csv", &[], &mut f, &limites, &mut |b| personnes.extend(b.personnes)).unwrap();
        assert_eq!(personnes.len(), 4, "chunks of {morceau}");
        assert_eq!(personnes[0].identite.date_naissance, "1998-05-25");
    }
    // an unknown format is the adapter's refusal, typed
    let mut f = std::fs::File::open(reference("import_beneficiaires.csv")).unwrap();
    let err = tache::analyser(&a, "xml", &[], &mut f, &Limites::default(), &mut |_| {}).unwrap_err();
    assert!(matches!(&err, PluginError::Refus(n, m) if n == "cd-files" && m.contains("xml")), "{err}");
}

#[test]
fn limits_and_bad_files_are_typed_errors() {
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    let octets = std::fs::read(wasm("cd_files")).unwrap();
    // truncated or not a component
    let err = Adaptateur::charger(&moteur, "tronque.wasm", &octets[..octets.len() / 2], None).err().unwrap();
    assert!(matches!(err, PluginError::Invalide { .. }), "{err}");
    let err = Adaptateur::charger(&moteur, "texte.wasm", b"pas du wasm", None).err().unwrap();
    assert!(err.to_string().contains("texte.wasm"), "{err}");
    let a = Adaptateur::charger(&moteur, "cd_files.wasm", &octets, None).unwrap();
    // input larger than allowed
    let limites = Limites { entree_max: 100, morceau: 64, ..Limites::default() };
    let mut f = std::fs::File::open(reference("import_beneficiaires.csv")).unwrap();
    let err = tache::analyser(&a, "stock-csv", &[], &mut f, &limites, &mut |_| {}).unwrap_err();
    assert!(matches!(err, PluginError::EntreeTropGrande(..)), "{err}");
    // memory capped below what the guest needs
    let limites = Limites { memoire_octets: 256 << 10, ..Limites::default() };
    let mut f = std::fs::File::open(reference("import_beneficiaires.csv")).unwrap();
    let err = tache::analyser(&a, "stock-csv", &[], &mut f, &limites, &mut |_| {}).unwrap_err();
    assert!(matches!(err, PluginError::Memoire(..)), "{err}");
    // and the same adapter still serves the next job
    let mut f = std::fs::File::open(reference("import_beneficiaires.csv")).unwrap();
    let mut n = 0;
    tache::analyser(&a, "stock-csv", &[], &mut f, &Limites::default(), &mut |b| n += b.personnes.len()).unwrap();
    assert_eq!(n, 4);
}

fn hostile() -> (Moteur, Adaptateur) {
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    let octets = std::fs::read(wasm("hostile")).unwrap();
    let a = Adaptateur::charger(&moteur, "hostile.wasm", &octets, None).unwrap();
    (moteur, a)
}

fn job(a: &Adaptateur, format: &str, limites: &Limites) -> Result<u64, PluginError> {
    let mut input = std::io::Cursor::new(b"x".to_vec());
    tache::analyser(a, format, &[], &mut input, limites, &mut |_| {})
}

#[test]
fn hostile_guests_fail_their_job_only() {
    let (_m, a) = hostile();
    // an endless loop: a deadline error within twice the deadline
    let limites = Limites { delai: std::time::Duration::from_millis(300), ..Limites::default() };
    let t = std::time::Instant::now();
    let err = job(&a, "boucle", &limites).unwrap_err();
    assert!(matches!(err, PluginError::Delai(..)), "{err}");
    assert!(t.elapsed() < std::time::Duration::from_millis(600), "stopped after {:?}", t.elapsed());
    // a memory bomb: the limit error
    let limites = Limites { memoire_octets: 32 << 20, ..Limites::default() };
    let err = job(&a, "memoire", &limites).unwrap_err();
    assert!(matches!(err, PluginError::Memoire(_, 32)), "{err}");
    // a panic: a typed trap
    let err = job(&a, "panique", &Limites::default()).unwrap_err();
    assert!(matches!(err, PluginError::Trap(..)), "{err}");
    // the same adapter serves the next job (fresh store, never the trapped one)
    assert!(job(&a, "sage", &Limites::default()).is_ok());
    use std::sync::atomic::Ordering::Relaxed;
    assert_eq!(a.compteurs.travaux.load(Relaxed), 4);
    assert_eq!(a.compteurs.pieges.load(Relaxed), 3);
}

#[test]
fn an_adapter_failing_in_a_row_is_quarantined() {
    let (_m, a) = hostile();
    for _ in 0..5 {
        assert!(matches!(job(&a, "panique", &Limites::default()), Err(PluginError::Trap(..))));
    }
    let err = job(&a, "sage", &Limites::default()).unwrap_err();
    assert!(matches!(err, PluginError::Quarantaine(..)), "{err}");
    assert!(err.to_string().contains("quarantaine"));
}

#[tokio::test]
async fn the_server_keeps_answering_while_guests_misbehave() {
    let (_m, a) = hostile();
    let a = std::sync::Arc::new(a);
    let limites =
        Limites { delai: std::time::Duration::from_millis(500), memoire_octets: 32 << 20, ..Limites::default() };
    let mut jobs = Vec::new();
    for f in ["boucle", "memoire", "panique", "boucle"] {
        let a = a.clone();
        jobs.push(tokio::task::spawn_blocking(move || job(&a, f, &limites)));
    }
    // the real router on a random port answers meanwhile, partner calls included
    let s = common::TestServer::start(None).await;
    for _ in 0..3 {
        assert_eq!(s.client.get(s.url("/readyz")).send().await.unwrap().status(), 200);
        assert_eq!(
            s.rechercher(common::TOKEN_77, common::who::INSCRITE, common::who::BIRTH).await["codeRetour"],
            "S001"
        );
    }
    for j in jobs {
        assert!(j.await.unwrap().is_err());
    }
}

/// The component with a custom section appended: same code, another sha256.
fn variante(octets: &[u8], i: u8) -> Vec<u8> {
    let name = b"dude-test";
    let payload = [i; 4];
    let mut v = octets.to_vec();
    v.push(0); // custom section
    v.push((1 + name.len() + payload.len()) as u8);
    v.push(name.len() as u8);
    v.extend_from_slice(name);
    v.extend_from_slice(&payload);
    v
}

fn sha(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn hot_reload_under_load_never_serves_a_broken_file() {
    use dude_core::plugin::catalogue::Catalogue;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(wasm("cd_files")).unwrap();
    let cible = dir.path().join("cd_files.wasm");
    std::fs::write(&cible, &original).unwrap();
    let cat = Arc::new(Catalogue::new(Moteur::new(16, 64 << 20).unwrap(), dir.path().to_path_buf(), None));
    assert_eq!(cat.charger_tout(), 1);
    let _surveillance = dude_core::plugin::surveillance::surveiller(cat.clone()).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let (jobs, echecs) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let servis = Arc::new(Mutex::new(std::collections::HashSet::new()));
    let csv = std::fs::read(reference("import_beneficiaires.csv")).unwrap();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (cat, stop, jobs, echecs, servis, csv) =
                (cat.clone(), stop.clone(), jobs.clone(), echecs.clone(), servis.clone(), csv.clone());
            std::thread::spawn(move || {
                while !stop.load(Relaxed) {
                    let a = cat.tous().into_iter().find(|a| a.nom == "cd-files").unwrap();
                    servis.lock().unwrap().insert(a.sha256.clone());
                    let mut n = 0;
                    let r = tache::analyser(
                        &a,
                        "stock-csv",
                        &[],
                        &mut std::io::Cursor::new(&csv),
                        &Limites::default(),
                        &mut |b| n += b.personnes.len(),
                    );
                    if r.is_err() || n != 4 {
                        echecs.fetch_add(1, Relaxed);
                    }
                    jobs.fetch_add(1, Relaxed);
                }
            })
        })
        .collect();

    let attendre = |f: &dyn Fn() -> bool| {
        let t = std::time::Instant::now();
        while !f() {
            assert!(t.elapsed() < std::time::Duration::from_secs(20), "reload not seen");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    let mut derniere = sha(&original);
    let mut cassee = String::new();
    for i in 0..10u8 {
        let octets = if i == 5 { original[..original.len() / 3].to_vec() } else { variante(&original, i) };
        let tmp = dir.path().join("cd_files.wasm.tmp");
        std::fs::write(&tmp, &octets).unwrap();
        std::fs::rename(&tmp, &cible).unwrap();
        if i == 5 {
            cassee = sha(&octets);
            attendre(&|| cat.erreurs.read().unwrap().contains_key("cd_files.wasm"));
            // the previous version still serves
            assert_eq!(cat.tous()[0].sha256, derniere);
        } else {
            derniere = sha(&octets);
            attendre(&|| cat.tous()[0].sha256 == derniere);
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    stop.store(true, Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(echecs.load(Relaxed), 0, "zero failed jobs");
    assert!(jobs.load(Relaxed) >= 10, "jobs ran throughout: {}", jobs.load(Relaxed));
    assert!(!servis.lock().unwrap().contains(&cassee), "the broken file was never served");
    assert!(cat.erreurs.read().unwrap().is_empty(), "the next good version clears the error");
}

#[test]
fn a_component_of_contract_0_2_is_refused_clearly() {
    let moteur = Moteur::new(4, 64 << 20).unwrap();
    let octets = std::fs::read(wasm("contrat_0_2")).unwrap();
    let err = Adaptateur::charger(&moteur, "contrat_0_2.wasm", &octets, None).err().unwrap();
    assert!(matches!(&err, PluginError::VersionWit { trouvee, .. } if trouvee == "0.2.0"), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("contrat_0_2.wasm") && msg.contains("0.2.0") && msg.contains("0.1.x"), "{msg}");
}
