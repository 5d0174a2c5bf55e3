//! Black-box tests of the adapter host with the real `.wasm` built from `plugins/`
//! (tests/run.sh builds them first).

mod common;

use std::path::PathBuf;

use dude_core::adaptateur::{Adaptateur, AdaptateurError, Limites, Moteur, tache};

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

/// A sample of the repository (`plugins/cd-files/tests/data`).
fn donnees(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/cd-files/tests/data").join(name)
}

/// A reference file beside the repository, or `None` (said on stderr) when those files are
/// absent: the conformance layer runs only where they are.
fn reference(name: &str) -> Option<PathBuf> {
    let dossier = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference-formats/carnet-de-bord");
    if !dossier.is_dir() {
        eprintln!("fichiers de référence absents ({}) : couche de conformité non exécutée", dossier.display());
        return None;
    }
    Some(dossier.join(name))
}

#[test]
fn plugin_check_prints_describe_version_and_sample() {
    let out = common::demo::dude()
        .args(["plugin", "check"])
        .arg(wasm("cd_files"))
        .arg("--sample")
        .arg(donnees("stock-erreurs.csv"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("adaptateur : cd-files 0.1.0"), "{text}");
    assert!(text.contains("contrat WIT : dude:adapter@0.1.0"), "{text}");
    assert!(text.contains("2 enregistrements, 3 lignes en erreur"), "{text}");
    assert!(text.contains("ligne 3 date_naissance"), "{text}");
    assert!(!text.contains("Karim"), "no personal data printed: {text}");
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
        let mut f = std::fs::File::open(donnees("stock.csv")).unwrap();
        let mut personnes = Vec::new();
        tache::analyser(&a, "stock-csv", &[], &mut f, &limites, &Default::default(), &mut |b| {
            personnes.extend(b.personnes)
        })
        .unwrap();
        assert_eq!(personnes.len(), 10, "chunks of {morceau}");
        assert_eq!(personnes[0].identite.date_naissance, "1991-03-14");
    }
    // an unknown format is the adapter's refusal, typed
    let mut f = std::fs::File::open(donnees("stock.csv")).unwrap();
    let err =
        tache::analyser(&a, "xml", &[], &mut f, &Limites::default(), &Default::default(), &mut |_| {}).unwrap_err();
    assert!(matches!(&err, AdaptateurError::Refus(n, m) if n == "cd-files" && m.contains("xml")), "{err}");
}

#[test]
fn conformite_reference_plugin_check() {
    let Some(sample) = reference("import_beneficiaires_buggy.csv") else { return };
    let out = common::demo::dude()
        .args(["plugin", "check"])
        .arg(wasm("cd_files"))
        .arg("--sample")
        .arg(sample)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("1 enregistrements, 2 lignes en erreur"), "{text}");
    assert!(text.contains("ligne 3 date_naissance"), "{text}");
    assert!(!text.contains("Charlie"), "no personal data printed: {text}");
}

#[test]
fn conformite_reference_stock_through_the_component() {
    let Some(csv) = reference("import_beneficiaires.csv") else { return };
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    let octets = std::fs::read(wasm("cd_files")).unwrap();
    let a = Adaptateur::charger(&moteur, "cd_files.wasm", &octets, None).unwrap();
    for morceau in [7, 64, 65536] {
        let limites = Limites { morceau, ..Limites::default() };
        let mut f = std::fs::File::open(&csv).unwrap();
        let mut personnes = Vec::new();
        tache::analyser(&a, "stock-csv", &[], &mut f, &limites, &Default::default(), &mut |b| {
            personnes.extend(b.personnes)
        })
        .unwrap();
        assert_eq!(personnes.len(), 4, "chunks of {morceau}");
        assert_eq!(personnes[0].identite.date_naissance, "1998-05-25");
    }
}

#[test]
fn limits_and_bad_files_are_typed_errors() {
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    let octets = std::fs::read(wasm("cd_files")).unwrap();
    // truncated or not a component
    let err = Adaptateur::charger(&moteur, "tronque.wasm", &octets[..octets.len() / 2], None).err().unwrap();
    assert!(matches!(err, AdaptateurError::Invalide { .. }), "{err}");
    let err = Adaptateur::charger(&moteur, "texte.wasm", b"pas du wasm", None).err().unwrap();
    assert!(err.to_string().contains("texte.wasm"), "{err}");
    let a = Adaptateur::charger(&moteur, "cd_files.wasm", &octets, None).unwrap();
    // input larger than allowed
    let limites = Limites { entree_max: 100, morceau: 64, ..Limites::default() };
    let mut f = std::fs::File::open(donnees("stock.csv")).unwrap();
    let err = tache::analyser(&a, "stock-csv", &[], &mut f, &limites, &Default::default(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, AdaptateurError::EntreeTropGrande(..)), "{err}");
    // memory capped below what the guest needs
    let limites = Limites { memoire_octets: 256 << 10, ..Limites::default() };
    let mut f = std::fs::File::open(donnees("stock.csv")).unwrap();
    let err = tache::analyser(&a, "stock-csv", &[], &mut f, &limites, &Default::default(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, AdaptateurError::Memoire(..)), "{err}");
    // and the same adapter still serves the next job
    let mut f = std::fs::File::open(donnees("stock.csv")).unwrap();
    let mut n = 0;
    tache::analyser(&a, "stock-csv", &[], &mut f, &Limites::default(), &Default::default(), &mut |b| {
        n += b.personnes.len()
    })
    .unwrap();
    assert_eq!(n, 10);
}

fn hostile() -> (Moteur, Adaptateur) {
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    let octets = std::fs::read(wasm("hostile")).unwrap();
    let a = Adaptateur::charger(&moteur, "hostile.wasm", &octets, None).unwrap();
    (moteur, a)
}

fn job(a: &Adaptateur, format: &str, limites: &Limites) -> Result<u64, AdaptateurError> {
    let mut input = std::io::Cursor::new(b"x".to_vec());
    tache::analyser(a, format, &[], &mut input, limites, &Default::default(), &mut |_| {})
}

#[test]
fn hostile_guests_fail_their_job_only() {
    let (_m, a) = hostile();
    // an endless loop: stopped by its deadline (nothing else ends it)
    let limites = Limites { delai: std::time::Duration::from_millis(300), ..Limites::default() };
    let err = job(&a, "boucle", &limites).unwrap_err();
    assert!(matches!(err, AdaptateurError::Delai(_, 300)), "{err}");
    // a memory bomb: the limit error
    let limites = Limites { memoire_octets: 32 << 20, ..Limites::default() };
    let err = job(&a, "memoire", &limites).unwrap_err();
    assert!(matches!(err, AdaptateurError::Memoire(_, 32)), "{err}");
    // a panic: a typed trap
    let err = job(&a, "panique", &Limites::default()).unwrap_err();
    assert!(matches!(err, AdaptateurError::Trap(..)), "{err}");
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
        assert!(matches!(job(&a, "panique", &Limites::default()), Err(AdaptateurError::Trap(..))));
    }
    let err = job(&a, "sage", &Limites::default()).unwrap_err();
    assert!(matches!(err, AdaptateurError::Quarantaine(..)), "{err}");
    assert!(err.to_string().contains("quarantaine"));
}

#[tokio::test]
async fn the_server_keeps_answering_while_guests_misbehave() {
    use dude_core::habilitation::convention::AdaptateurRef;
    // the server itself runs the hostile adapter, for imports under a convention of its
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(wasm("hostile"), dir.path().join("hostile.wasm")).unwrap();
    let cat = std::sync::Arc::new(dude_core::adaptateur::catalogue::Catalogue::new(
        Moteur::new(16, 64 << 20).unwrap(),
        dir.path().to_path_buf(),
        None,
    ));
    let c2 = cat.clone();
    assert_eq!(tokio::task::spawn_blocking(move || c2.charger_tout()).await.unwrap(), 1);
    let s = common::TestServer::start_avec(None, Some(cat)).await;
    let mut c = s.state.services().gardien.courant().registre.conventions["conv-cd77"].as_ref().clone();
    c.id = "conv-hostile".into();
    let mut r = AdaptateurRef::nouveau("hostile", "^0.1");
    r.delai_appel_ms = Some(500);
    r.memoire_mio = Some(32);
    c.adaptateur = Some(r);
    for cat in [dude_core::dossier::Categorie::Identite, dude_core::dossier::Categorie::Nir] {
        c.categories.insert(cat, dude_core::habilitation::convention::Acces::Ecriture);
    }
    s.store.enregistrer_convention(&c).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let mut imports = Vec::new();
    for f in ["boucle", "memoire", "panique", "boucle"] {
        let requete = s
            .client
            .post(s.url(&format!("/admin/v1/conventions/conv-hostile/imports?format={f}")))
            .bearer_auth(common::TOKEN_ADMIN)
            .body("x".repeat(100));
        imports.push(tokio::spawn(requete.send()));
    }
    // meanwhile the server answers, partner calls included
    for _ in 0..3 {
        assert_eq!(s.client.get(s.url("/readyz")).send().await.unwrap().status(), 200);
        assert_eq!(
            s.rechercher(common::TOKEN_77, common::who::INSCRITE, common::who::BIRTH).await["codeRetour"],
            "S001"
        );
    }
    // and every hostile import failed its own job, with the reason
    let mut raisons = Vec::new();
    for i in imports {
        let r = i.await.unwrap().unwrap();
        assert_eq!(r.status(), 422);
        let v: serde_json::Value = r.json().await.unwrap();
        raisons.push(v["detail"].as_str().unwrap().to_string());
    }
    assert!(raisons.iter().filter(|r| r.contains("délai dépassé")).count() == 2, "{raisons:?}");
    assert!(raisons.iter().any(|r| r.contains("limite de mémoire")), "{raisons:?}");
    assert!(raisons.iter().any(|r| r.contains("arrêt anormal")), "{raisons:?}");
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
    use dude_core::adaptateur::catalogue::Catalogue;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(wasm("cd_files")).unwrap();
    let cible = dir.path().join("cd_files.wasm");
    std::fs::write(&cible, &original).unwrap();
    let cat = Arc::new(Catalogue::new(Moteur::new(16, 64 << 20).unwrap(), dir.path().to_path_buf(), None));
    assert_eq!(cat.charger_tout(), 1);
    let _surveillance = dude_core::adaptateur::surveillance::surveiller(cat.clone()).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let (jobs, echecs) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let servis = Arc::new(Mutex::new(std::collections::HashSet::new()));
    let csv = std::fs::read(donnees("stock.csv")).unwrap();
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
                        &Default::default(),
                        &mut |b| n += b.personnes.len(),
                    );
                    if r.is_err() || n != 10 {
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
            // a deadline for a reload that never comes, generous: other tests compile
            // components on the same two cores meanwhile
            assert!(t.elapsed() < std::time::Duration::from_secs(120), "reload not seen");
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
    assert!(matches!(&err, AdaptateurError::VersionWit { trouvee, .. } if trouvee == "0.2.0"), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("contrat_0_2.wasm") && msg.contains("0.2.0") && msg.contains("0.1.x"), "{msg}");
}

/// The Python adapter, built by tests/run.sh with componentize-py (plugins/exemple-py).
fn wasm_python() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/target/python/exemple_py.wasm");
    assert!(p.exists(), "{} missing: build it first (plugins/exemple-py/build.sh)", p.display());
    p
}

fn exemple_csv() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/exemple/exemple.csv")
}

/// What a parse gives, comparable across adapters: (line, NIR, names, birth) and
/// (line, field, message).
type Resultat = (Vec<(u64, Option<String>, String, String, String)>, Vec<(u64, Option<String>, String)>);

fn analyser_tout(a: &Adaptateur, options: &[(String, String)], octets: &[u8], sortie: &tache::Sortie) -> Resultat {
    let (mut personnes, mut erreurs) = (Vec::new(), Vec::new());
    tache::analyser(
        a,
        "csv-simple",
        options,
        &mut std::io::Cursor::new(octets),
        &Limites::default(),
        sortie,
        &mut |b| {
            for p in b.personnes {
                let i = p.identite;
                personnes.push((p.numero, i.nir, i.nom, i.prenom, i.date_naissance));
            }
            for e in b.errors {
                erreurs.push((e.record_number, e.field, e.message));
            }
        },
    )
    .unwrap();
    (personnes, erreurs)
}

/// The same small adapter written in Rust and in Python (componentize-py) gives the same
/// records and errors through the host; what the Python one prints is captured.
#[test]
fn the_same_adapter_in_rust_and_in_python() {
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    // compiled once per build of the component (the Python one takes seconds)
    let cache = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/cwasm-tests");
    let rust = Adaptateur::charger(&moteur, "exemple", &std::fs::read(wasm("exemple")).unwrap(), Some(&cache)).unwrap();
    let python =
        Adaptateur::charger(&moteur, "exemple-py", &std::fs::read(wasm_python()).unwrap(), Some(&cache)).unwrap();
    assert_eq!((rust.nom.as_str(), python.nom.as_str()), ("exemple", "exemple-py"));
    assert_eq!(rust.formats, python.formats);
    let csv = std::fs::read(exemple_csv()).unwrap();
    let (s_rust, s_python) = (tache::Sortie::default(), tache::Sortie::default());
    let a = analyser_tout(&rust, &[], &csv, &s_rust);
    let b = analyser_tout(&python, &[], &csv, &s_python);
    assert_eq!(a, b);
    assert_eq!(a.0.len(), 4, "{a:?}");
    assert_eq!(a.1.iter().map(|e| (e.0, e.1.as_deref())).collect::<Vec<_>>(), [(5, Some("date_naissance"))]);
    // the Python adapter's print reaches the host, the Rust one printed nothing
    assert_eq!(s_rust.texte(), None);
    assert!(
        s_python.texte().is_some_and(|t| t.contains("exemple-py : analyseur csv-simple prêt")),
        "{:?}",
        s_python.texte()
    );
    // an option whose value is a comma, and the constructor's refusal returned by push
    let virgules = String::from_utf8(csv).unwrap().replace(';', ",");
    let opt = [("separateur".to_string(), ",".to_string())];
    assert_eq!(analyser_tout(&python, &opt, virgules.as_bytes(), &Default::default()), a);
    for x in [&rust, &python] {
        let e = tache::analyser(
            x,
            "xml",
            &[],
            &mut std::io::Cursor::new(b"a"),
            &Limites::default(),
            &Default::default(),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(matches!(&e, AdaptateurError::Refus(_, m) if m.contains("format non pris en charge")), "{e}");
    }
}

/// An adapter that prints and panics in its constructor, or prints a lot, fails no
/// check and loses nothing but the excess: `plugin check` shows what it wrote.
#[test]
fn what_adapters_write_is_captured_and_shown() {
    let dude = || common::demo::dude();
    // componentize-py, printing in its constructor
    let out = dude().args(["plugin", "check"]).arg(wasm_python()).arg("--sample").arg(exemple_csv()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("sortie de l'adaptateur") && text.contains("analyseur csv-simple prêt"), "{text}");
    assert!(text.contains("4 enregistrements, 1 lignes en erreur"), "{text}");
    // a panic in the constructor: an error that says why, with what the adapter wrote
    let out = dude()
        .args(["plugin", "check"])
        .arg(wasm("hostile"))
        .args(["--format", "constructeur", "--sample"])
        .arg(exemple_csv())
        .output()
        .unwrap();
    let (text, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success());
    assert!(!err.contains("panicked at") && !err.contains("Cannot start a runtime"), "the host does not panic: {err}");
    assert!(text.contains("hostile : construction de l'analyseur"), "{text}");
    assert!(text.contains("panique dans son constructeur"), "the adapter's panic message: {text}");
    assert!(err.contains("arrêt anormal"), "{err}");
    // 200 KiB written per push: the first 16 KiB kept, the rest counted
    let sortie = tache::Sortie::default();
    let moteur = Moteur::new(8, 64 << 20).unwrap();
    let a = Adaptateur::charger(&moteur, "hostile", &std::fs::read(wasm("hostile")).unwrap(), None).unwrap();
    tache::analyser(&a, "bavard", &[], &mut std::io::Cursor::new(b"x"), &Limites::default(), &sortie, &mut |_| {})
        .unwrap();
    let t = sortie.texte().unwrap();
    assert!(t.len() < tache::SORTIE_MAX + 200 && t.contains("octets de plus non conservés"), "{}", t.len());
}

/// Compiled copies in the `.cwasm` cache that no loaded adapter uses are removed: at
/// load, and when a new version replaces the one loaded.
#[test]
fn unused_compiled_copies_leave_the_cache() {
    use dude_core::adaptateur::catalogue::Catalogue;
    let dir = tempfile::tempdir().unwrap();
    let (adaptateurs, cache) = (dir.path().join("adaptateurs"), dir.path().join("cwasm"));
    std::fs::create_dir_all(&adaptateurs).unwrap();
    std::fs::create_dir_all(&cache).unwrap();
    let original = std::fs::read(wasm("cd_files")).unwrap();
    std::fs::write(adaptateurs.join("cd_files.wasm"), &original).unwrap();
    std::fs::write(cache.join("0000000000000000-0000000000000000.cwasm"), b"an older build").unwrap();
    let compiles = || {
        let mut v: Vec<String> = std::fs::read_dir(&cache)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".cwasm"))
            .collect();
        v.sort();
        v
    };
    let cat = Catalogue::new(Moteur::new(8, 64 << 20).unwrap(), adaptateurs.clone(), Some(cache.clone()));
    assert_eq!(cat.charger_tout(), 1);
    assert_eq!(compiles(), [cat.moteur.fichier_compile(&sha(&original))]);
    // a new version: its compiled code replaces the previous one's
    let nouvelle = variante(&original, 1);
    std::fs::write(adaptateurs.join("cd_files.wasm"), &nouvelle).unwrap();
    cat.charger_fichier(&adaptateurs.join("cd_files.wasm")).unwrap();
    assert_eq!(compiles(), [cat.moteur.fichier_compile(&sha(&nouvelle))]);
}
