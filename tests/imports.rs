//! Imports through the real cd-files component: checks against the convention, one
//! transaction, re-import idempotent, report, journal; the CLI.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::*;
use dude_core::adaptateur::catalogue::Catalogue;
use dude_core::adaptateur::{Limites, Moteur};
use dude_core::dossier::Categorie;
use dude_core::dossier::contact::Departement;
use dude_core::habilitation::convention::{Acces, AdaptateurRef, Public, Territoire};
use dude_core::import::{DemandeImport, importer};

fn plugins_dir() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/target/wasm32-wasip2/release");
    assert!(p.join("cd_files.wasm").exists(), "build the adapters first (tests/run.sh does)");
    p
}

const ENTETE: &str = "Civilité;Nom;Prénom;Date de naissance;NIR;Demandeur ou conjoint;Téléphone;Adresse;Code postal;Ville;\
Date d'entrée RSA;Code organisme;Numéro allocataire CAF/MSA;Type de parcours;Structure;Date d'orientation";

fn fichier() -> String {
    let new_nir = nir("1900377000201");
    let mut bad = nir("1900377000202");
    bad.replace_range(13.., "00");
    format!(
        "\u{feff}{ENTETE}\n\
         M;NOUVEAU;Paul;03/03/1990;{new_nir};demandeur;0611111111;2 rue Neuve;77000;Melun;01/02/2024;CAF;7000001;social;CCAS Melun;15/02/2024\n\
         MME;ALPHA;Test;15/01/1985;{};demandeur;0622222222;1 rue de la Paix;77000;Ville;;;;;;\n\
         M;AILLEURS;Jean;04/04/1990;{};demandeur;;3 rue Loin;93200;Saint-Denis;;CAF;;;;\n\
         M;MAUVAISE;Cle;05/05/1990;{bad};demandeur;;4 rue X;77000;Melun;;;;;;\n\
         M;SANSNIR;Paul;06/06/1990;;demandeur;;5 rue Y;77000;Melun;;;;;;\n\
         M;NOUVEAU;Paul;03/03/1990;{new_nir};demandeur;;2 rue Neuve;77000;Melun;;;;;;\n\
         M;DATE;Fausse;31/02/1990;{};demandeur;;6 rue Z;77000;Melun;;;;;;\n",
        nir(who::INSCRITE),
        nir("1900493000203"),
        nir("1900577000204"),
    )
}

async fn setup() -> (TestServer, Arc<Catalogue>) {
    setup_sur(None).await
}

/// On SQLite (a fresh file) or on `database_url`.
async fn setup_sur(database_url: Option<String>) -> (TestServer, Arc<Catalogue>) {
    let cat = Arc::new(Catalogue::new(Moteur::new(8, 64 << 20).unwrap(), plugins_dir(), None));
    let c2 = cat.clone();
    tokio::task::spawn_blocking(move || c2.charger_tout()).await.unwrap();
    let s = TestServer::start_avec(database_url, Some(cat.clone())).await;
    let mut c = convention(
        "conv-import-77",
        &["ft", "cd77"],
        Territoire::Departements(vec![Departement::parse("77").unwrap()]),
        vec![Public::BeneficiairesRsa],
    );
    for cat in [Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::Rsa, Categorie::Orientation] {
        c.categories.insert(cat, Acces::Ecriture);
    }
    c.adaptateur = Some(AdaptateurRef::nouveau("cd-files", "^0.1"));
    s.store.enregistrer_convention(&c).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    (s, cat)
}

async fn run(
    s: &TestServer,
    cat: &Catalogue,
    contenu: String,
) -> Result<dude_core::import::Rapport, dude_core::import::ImportError> {
    let conv = s.state.services().gardien.courant().registre.conventions["conv-import-77"].clone();
    let adaptateur = cat.pour(&conv, dude_core::adaptateur::Sens::Import).unwrap();
    importer(
        &s.store,
        &s.state.services().journal,
        DemandeImport {
            convention: conv,
            adaptateur,
            format: "stock-csv".into(),
            options: vec![],
            nom_fichier: "stock-77.csv".into(),
            auteur: "ADM77".into(),
            organisation: Some("cd77".into()),
            request_id: "req-import".into(),
            limites: Limites { morceau: 97, ..Limites::default() },
            ids: dude_core::crypto::id_national::IdNationalCodec::new(&dude_core::crypto::keys::MasterKey::from_bytes(
                MASTER_KEY,
            )),
        },
        Box::new(std::io::Cursor::new(contenu.into_bytes())),
        None,
    )
    .await
}

#[tokio::test]
async fn import_checks_records_against_the_convention() {
    let (s, cat) = setup().await;
    checks_records_against_the_convention(&s, &cat).await;
}

/// The same on PostgreSQL: bulk statements, upserts, the journal written in the
/// import's transaction.
#[tokio::test]
async fn import_checks_records_against_the_convention_on_postgresql() {
    let pg = pg::PgServer::start();
    let (s, cat) = setup_sur(Some(pg.database("imports"))).await;
    checks_records_against_the_convention(&s, &cat).await;
    // the chain the import extended still verifies, and the writer resumes after it
    let avant = s.store.journal_page(0, 100_000).await.unwrap().len();
    s.id_national(TOKEN_77, who::INSCRITE).await;
    assert!(s.store.journal_page(0, 100_000).await.unwrap().len() > avant);
    let v = dude_core::journal::verify::verifier(&s.store).await.unwrap();
    assert!(matches!(v, dude_core::journal::verify::Verification::Intact { .. }), "{v:?}");
}

async fn checks_records_against_the_convention(s: &TestServer, cat: &Catalogue) {
    let avant = s.store.compter_dossiers().await.unwrap();
    let r = run(s, cat, fichier()).await.unwrap();
    assert_eq!((r.crees, r.modifies, r.inchanges, r.refuses), (1, 1, 0, 5), "{r:#?}");
    let refus: Vec<(u64, Option<&str>)> = r.lignes_refusees.iter().map(|l| (l.numero, l.champ.as_deref())).collect();
    assert_eq!(
        refus,
        [(4, Some("code_postal")), (5, Some("nir")), (6, Some("nir")), (7, Some("nir")), (8, Some("date_naissance"))],
        "{:#?}",
        r.lignes_refusees
    );
    assert!(r.lignes_refusees[0].raison.contains("93"), "territory named: {:?}", r.lignes_refusees[0]);
    assert!(r.lignes_refusees[3].raison.contains("ligne 2"), "duplicate names its first line");
    assert_eq!(s.store.compter_dossiers().await.unwrap(), avant + 1);

    // the created person exists, identified (never registered, so search does not find
    // them yet), within cd77's perimeter; the update carries its provenance
    let nouveau = s
        .store
        .dossiers_par_nir(&dude_core::dossier::Nir::parse("1900377000201").unwrap(), d("1990-03-03"))
        .await
        .unwrap();
    assert_eq!(nouveau.len(), 1);
    let idn = dude_core::crypto::id_national::IdNationalCodec::new(&dude_core::crypto::keys::MasterKey::from_bytes(
        MASTER_KEY,
    ))
    .encode("cd77", nouveau[0]);
    let st = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{idn}/statut")).await;
    assert_eq!(st["statutDE"], "Identifié");
    let id = s.id_national(TOKEN_77, who::INSCRITE).await;
    let v = s.get_json(TOKEN_77, &format!("/partenaire/v1/usagers/{id}/diagnostic/dossier?provenance=true")).await;
    assert!(v["provenance"].is_object());
    let ids =
        s.store.dossiers_par_nir(&dude_core::dossier::Nir::parse(who::INSCRITE).unwrap(), d(who::BIRTH)).await.unwrap();
    let sections = s.store.sections(ids[0], Some(&[Categorie::Contact])).await.unwrap();
    assert_eq!(sections[0].source, "adaptateur:cd-files@0.1.0/convention:conv-import-77");
    assert_eq!(sections[0].donnees["telephone"], "0622222222");

    // every record is journaled: creations, updates, refusals, in the import's
    // sub-chain, anchored in the main chain by one entry
    use dude_core::journal::Ancrage;
    use dude_core::journal::verify::{Verification, verifier};
    let j = s.store.journal_page(0, 1000).await.unwrap();
    let ancres: Vec<(i64, Ancrage)> = j.iter().filter_map(|e| Ancrage::lire(&e.entree).map(|a| (e.seq, a))).collect();
    assert_eq!(ancres.len(), 1, "{ancres:?}");
    let (seq_ancre, ancre) = &ancres[0];
    assert_eq!(ancre.entrees, 7);
    assert!(!j.iter().any(|e| e.entree.action.starts_with("import:")), "no import entry in the main chain");
    let imports = s.store.journal_sous_chaine(&ancre.chaine, 0, 1000).await.unwrap();
    assert!(imports.iter().all(|e| e.entree.action.starts_with("import:cd-files:")));
    assert_eq!(imports.iter().filter(|e| e.entree.decision == "ACCEPTE").count(), 2);
    assert_eq!(imports.iter().filter(|e| e.entree.decision == "REFUSE").count(), 5);
    assert!(imports.iter().all(|e| e.entree.convention.as_deref() == Some("conv-import-77")));
    // the access report of a dossier the import wrote shows it
    let rapport = s.store.journal_dossier(nouveau[0]).await.unwrap();
    assert!(rapport.iter().any(|e| e.entree.action.starts_with("import:cd-files:")), "{rapport:?}");
    let total = s.store.journal_page(0, 100_000).await.unwrap().len() as u64 + 7;
    assert_eq!(verifier(&s.store).await.unwrap(), Verification::Intact { entrees: total });
    // a sub-chain entry rewritten, or a sub-chain no anchor names, breaks the journal
    use sea_orm::{ConnectionTrait, Statement};
    let db = s.store.connection();
    let sql = |q: String| Statement::from_string(db.get_database_backend(), q);
    db.execute_raw(sql(format!(
        "UPDATE journal_sous_chaine SET raison = 'réécrite' WHERE chaine = '{}' AND rang = 3",
        ancre.chaine
    )))
    .await
    .unwrap();
    let Verification::Rompu { seq, raison } = verifier(&s.store).await.unwrap() else { panic!("rewritten") };
    assert_eq!(seq, *seq_ancre);
    assert!(raison.contains("entrée 3") && raison.contains("hash"), "{raison}");
    db.execute_raw(sql(format!(
        "UPDATE journal_sous_chaine SET raison = '{}' WHERE chaine = '{}' AND rang = 3",
        imports[2].entree.raison.replace('\'', "''"),
        ancre.chaine
    )))
    .await
    .unwrap();
    assert!(matches!(verifier(&s.store).await.unwrap(), Verification::Intact { .. }));
    db.execute_raw(sql(format!(
        "INSERT INTO journal_sous_chaine SELECT 'orpheline', rang, horodatage, request_id, agent, organisation, \
         client, convention, dossier, action, categories, finalite, decision, raison, hash_precedent, hash \
         FROM journal_sous_chaine WHERE chaine = '{}'",
        ancre.chaine
    )))
    .await
    .unwrap();
    let Verification::Rompu { seq, raison } = verifier(&s.store).await.unwrap() else { panic!("orphan") };
    assert!(seq == 0 && raison.contains("orpheline"), "{seq} {raison}");
    db.execute_raw(sql("DELETE FROM journal_sous_chaine WHERE chaine = 'orpheline'".into())).await.unwrap();

    // the same file again changes nothing, and says so
    let r2 = run(s, cat, fichier()).await.unwrap();
    assert_eq!((r2.crees, r2.modifies, r2.inchanges), (0, 0, 2), "{r2:#?}");
    assert!(r2.deja_importe_le.is_some());
    assert!(r2.message.contains("déjà importé"), "{}", r2.message);
    assert_eq!(s.store.compter_dossiers().await.unwrap(), avant + 1);
}

/// An import that fails at its commit, after its journal entries were chained and
/// inserted in its transaction, leaves no dossier and no journal entry; the journal's
/// writer resumes from the committed head.
async fn a_failed_import_leaves_nothing(s: &TestServer, cat: &Catalogue) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let avant = s.store.compter_dossiers().await.unwrap();
    let db = s.store.connection();
    let backend = db.get_database_backend();
    // the last statement of the import's transaction fails
    let pieges: &[&str] = match backend {
        DbBackend::Postgres => &[
            "CREATE FUNCTION refus() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refus du test'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refus BEFORE INSERT ON import_fichier FOR EACH ROW EXECUTE FUNCTION refus()",
        ],
        _ => &["CREATE TRIGGER refus BEFORE INSERT ON import_fichier BEGIN SELECT RAISE(ABORT, 'refus du test'); END"],
    };
    for p in pieges {
        db.execute_raw(Statement::from_string(backend, *p)).await.unwrap();
    }
    s.id_national(TOKEN_77, who::INSCRITE).await;
    let entrees = s.store.journal_page(0, 100_000).await.unwrap();
    let tete = entrees.last().unwrap().clone();
    let e = run(s, cat, fichier()).await.unwrap_err();
    assert!(e.to_string().contains("refus du test"), "failed at the commit: {e}");
    assert_eq!(s.store.compter_dossiers().await.unwrap(), avant, "no dossier half-imported");
    let found = s
        .store
        .dossiers_par_nir(&dude_core::dossier::Nir::parse("1900377000201").unwrap(), d("1990-03-03"))
        .await
        .unwrap();
    assert!(found.is_empty());
    // the import chained entries (7 records) and inserted them: all rolled back
    assert_eq!(s.store.journal_page(0, 100_000).await.unwrap(), entrees, "the journal is as it was");
    assert!(s.store.journal_sous_chaines().await.unwrap().is_empty(), "no sub-chain left");
    // the next entry chains onto the committed head
    s.id_national(TOKEN_77, who::INSCRITE).await;
    let apres = s.store.journal_page(tete.seq, 10).await.unwrap();
    assert_eq!(apres.len(), 1);
    assert_eq!((apres[0].seq, apres[0].hash_precedent.as_str()), (tete.seq + 1, tete.hash.as_str()));
    let v = dude_core::journal::verify::verifier(&s.store).await.unwrap();
    assert!(matches!(v, dude_core::journal::verify::Verification::Intact { .. }), "{v:?}");
}

#[tokio::test]
async fn a_failed_import_leaves_nothing_on_sqlite() {
    let (s, cat) = setup().await;
    a_failed_import_leaves_nothing(&s, &cat).await;
}

#[tokio::test]
async fn a_failed_import_leaves_nothing_on_postgresql() {
    let pg = pg::PgServer::start();
    let (s, cat) = setup_sur(Some(pg.database("echec"))).await;
    a_failed_import_leaves_nothing(&s, &cat).await;
}

#[tokio::test]
async fn import_command() {
    let (s, _) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("stock.csv");
    std::fs::write(&f, fichier()).unwrap();
    use base64::Engine;
    let out = common::demo::dude()
        .args(["import", "--convention", "conv-import-77"])
        .arg(&f)
        .arg("--plugins")
        .arg(plugins_dir())
        .current_dir(dir.path())
        .env("DATABASE_URL", &s.database_url)
        .env("DUDE_MASTER_KEY", base64::engine::general_purpose::STANDARD.encode(MASTER_KEY))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("1 créés, 1 mis à jour, 0 inchangés, 5 refusés"), "{text}");
    assert!(text.contains("ligne 4 code_postal"), "{text}");
    assert!(!text.contains("NOUVEAU") && !text.contains("0611111111"), "no personal data in the report: {text}");
}

#[tokio::test]
async fn admin_api_imports_and_lists_adapters() {
    let (s, _) = setup().await;
    let adm77 = s.idp.jeton("ADM77");
    let r = s
        .client
        .post(s.url("/admin/v1/conventions/conv-import-77/imports?nom=stock-77.csv"))
        .bearer_auth(&adm77)
        .body(fichier())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (v["crees"].as_u64(), v["modifies"].as_u64(), v["refuses"].as_u64()),
        (Some(1), Some(1), Some(5)),
        "{v}"
    );
    assert_eq!(v["lignesRefusees"][0]["numero"], 4);
    // an administrator of another département may not import under cd77's convention
    let r = s
        .client
        .post(s.url("/admin/v1/conventions/conv-import-77/imports"))
        .bearer_auth(s.idp.jeton("ADMFT"))
        .body(fichier())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "France Travail is a party");
    // the adapters, with their counters
    let v: serde_json::Value =
        s.client.get(s.url("/admin/v1/plugins")).bearer_auth(&adm77).send().await.unwrap().json().await.unwrap();
    let cd = v["adaptateurs"].as_array().unwrap().iter().find(|a| a["nom"] == "cd-files").unwrap();
    assert_eq!(cd["versionWit"], "0.1.0");
    assert!(cd["travaux"].as_u64().unwrap() >= 2);
    // upload: a broken file is refused before anything is written
    let r = s
        .client
        .post(s.url("/admin/v1/plugins?fichier=casse.wasm"))
        .bearer_auth(TOKEN_ADMIN)
        .body(b"\0asm pas un composant".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(!plugins_dir().join("casse.wasm").exists());
    // a département's administrator may not upload adapters
    let r = s
        .client
        .post(s.url("/admin/v1/plugins?fichier=x.wasm"))
        .bearer_auth(&adm77)
        .body(vec![0u8])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

fn zip_aes256(contenu: &[u8], mot: &str) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "stock-77.csv",
        zip::write::SimpleFileOptions::default().with_aes_encryption(zip::AesMode::Aes256, mot),
    )
    .unwrap();
    w.write_all(contenu).unwrap();
    w.finish().unwrap().into_inner()
}

fn sept_zip_aes256(contenu: &[u8], mot: &str) -> Vec<u8> {
    use sevenz_rust2::encoder_options::AesEncoderOptions;
    use sevenz_rust2::{ArchiveEntry, ArchiveWriter, EncoderMethod};
    let mut w = ArchiveWriter::new(std::io::Cursor::new(Vec::new())).unwrap();
    w.set_content_methods(vec![AesEncoderOptions::new(mot.into()).into(), EncoderMethod::LZMA2.into()]);
    w.push_archive_entry(ArchiveEntry::new_file("stock-77.csv"), Some(contenu)).unwrap();
    w.finish().unwrap().into_inner()
}

#[tokio::test]
async fn encrypted_zip_through_the_api_with_the_password_header() {
    let (s, _) = setup().await;
    let adm77 = s.idp.jeton("ADM77");
    let archive = zip_aes256(fichier().as_bytes(), "Melun-77-secret");
    let post = |mot: Option<&'static str>| {
        let mut r = s
            .client
            .post(s.url("/admin/v1/conventions/conv-import-77/imports?nom=envoi.zip"))
            .bearer_auth(&adm77)
            .body(archive.clone());
        if let Some(m) = mot {
            r = r.header("Dude-Mot-De-Passe-Archive", m);
        }
        r.send()
    };
    let r = post(None).await.unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["detail"].as_str().unwrap().contains("mot de passe requis"), "{v}");
    let r = post(Some("faux")).await.unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["detail"].as_str().unwrap().contains("mot de passe incorrect"), "{v}");
    assert!(!v.to_string().contains("faux"), "the password is never echoed: {v}");
    assert!(
        s.store
            .dossiers_par_nir(&dude_core::dossier::Nir::parse("1900377000201").unwrap(), d("1990-03-03"))
            .await
            .unwrap()
            .is_empty(),
        "nothing imported on a refused archive"
    );
    let r = post(Some("Melun-77-secret")).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (v["crees"].as_u64(), v["modifies"].as_u64(), v["refuses"].as_u64()),
        (Some(1), Some(1), Some(5)),
        "{v}"
    );
    assert_eq!(v["fichier"], "envoi.zip (stock-77.csv)");
    // the plain file afterwards is the same content: already imported, nothing changes
    let r = s
        .client
        .post(s.url("/admin/v1/conventions/conv-import-77/imports?nom=stock-77.csv"))
        .bearer_auth(&adm77)
        .body(fichier())
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!((v["crees"].as_u64(), v["modifies"].as_u64()), (Some(0), Some(0)), "{v}");
    assert!(v["dejaImporteLe"].is_string(), "{v}");
}

#[tokio::test]
async fn import_command_reads_an_encrypted_7z_with_a_password_file() {
    let (s, _) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("envoi.7z");
    std::fs::write(&f, sept_zip_aes256(fichier().as_bytes(), "Melun-77-secret")).unwrap();
    let mot = dir.path().join("mot-de-passe");
    use base64::Engine;
    let lancer = |contenu: &str| {
        std::fs::write(&mot, contenu).unwrap();
        common::demo::dude()
            .args(["import", "--convention", "conv-import-77"])
            .arg(&f)
            .arg("--password-file")
            .arg(&mot)
            .arg("--plugins")
            .arg(plugins_dir())
            .current_dir(dir.path())
            .env("DATABASE_URL", &s.database_url)
            .env("DUDE_MASTER_KEY", base64::engine::general_purpose::STANDARD.encode(MASTER_KEY))
            .output()
            .unwrap()
    };
    let out = lancer("mauvais\n");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mot de passe incorrect") && !err.contains("mauvais"), "{err}");
    let out = lancer("Melun-77-secret\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("1 créés, 1 mis à jour, 0 inchangés, 5 refusés"), "{text}");
    assert!(text.contains("(stock-77.csv)"), "{text}");
}

/// An import that stops says why: the adapter's own refusal, its trap with what it wrote,
/// its quarantine; options carry any value over HTTP; a wrong encoding names the right one.
#[tokio::test]
async fn an_import_that_stops_says_why() {
    let (s, _) = setup().await;
    let mut c = s.state.services().gardien.courant().registre.conventions["conv-import-77"].as_ref().clone();
    c.id = "conv-hostile-77".into();
    c.adaptateur = Some(AdaptateurRef::nouveau("hostile", "^0.1"));
    s.store.enregistrer_convention(&c).await.unwrap();
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    let importer = |conv: &str, query: &str, corps: Vec<u8>| {
        s.client
            .post(s.url(&format!("/admin/v1/conventions/{conv}/imports?nom=f.csv{query}")))
            .bearer_auth(TOKEN_ADMIN)
            .body(corps)
            .send()
    };
    let detail = |r: reqwest::Response, status: u16| async move {
        assert_eq!(r.status(), status);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let v: serde_json::Value = r.json().await.unwrap();
        v["detail"].as_str().unwrap().to_string()
    };
    // a comma as the separator, in an option's value
    let virgules = fichier().replace(';', ",");
    let r = importer("conv-import-77", "&option=separateur%3D%2C", virgules.into_bytes()).await.unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!((v["crees"].as_u64(), v["refuses"].as_u64()), (Some(1), Some(5)), "{v}");
    // the adapter's refusal of the whole file, in its words
    let d = detail(importer("conv-import-77", "&option=tri%3Dnom", fichier().into_bytes()).await.unwrap(), 400).await;
    assert!(d.contains("cd-files") && d.contains("option inconnue"), "{d}");
    assert!(!d.contains("abandonné"), "{d}");
    // bytes that are not UTF-8: the message says which encoding to try
    let texte = fichier();
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&texte);
    let d = detail(importer("conv-import-77", "", latin.into_owned()).await.unwrap(), 400).await;
    assert!(d.contains("encodage=windows-1252"), "{d}");
    // a trap, with what the adapter wrote before it
    for _ in 0..dude_core::adaptateur::chargement::ECHECS_AVANT_QUARANTAINE {
        let d = detail(importer("conv-hostile-77", "&format=panique", b"x".to_vec()).await.unwrap(), 422).await;
        assert!(d.contains("arrêt anormal") && d.contains("sortie de l'adaptateur"), "{d}");
        assert!(d.contains("l'adaptateur hostile panique"), "the adapter's own words: {d}");
    }
    // then its quarantine
    let d = detail(importer("conv-hostile-77", "&format=sage", b"x".to_vec()).await.unwrap(), 422).await;
    assert!(d.contains("quarantaine"), "{d}");
}
