//! The three department adapters through the real host (their `.wasm` built from
//! `plugins/`): SIGMA in and out (a bilan recorded by France Travail becomes the update of
//! the contrat d'insertion), the GIP "Parcours insertion emploi", the CAF/MSA flux; each
//! checked against its convention (territory, publics, idNational).

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::*;
use dude_core::adaptateur::catalogue::Catalogue;
use dude_core::adaptateur::{Limites, Moteur, Sens};
use dude_core::dossier::Categorie;
use dude_core::dossier::accompagnement::{ModaliteAccompagnement, ResultatBilan};
use dude_core::dossier::contact::Departement;
use dude_core::dossier::contraintes::CodeContrainte;
use dude_core::habilitation::convention::{Acces, AdaptateurRef, Convention, Public, Territoire};
use dude_core::import::{DemandeImport, Rapport, importer};

fn plugins_dir() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/target/wasm32-wasip2/release");
    for f in ["cd_files.wasm", "sigma.wasm", "gip_inclusion.wasm"] {
        assert!(p.join(f).exists(), "build the adapters first (tests/run.sh does): {f}");
    }
    p
}

fn ids() -> dude_core::crypto::id_national::IdNationalCodec {
    dude_core::crypto::id_national::IdNationalCodec::new(&dude_core::crypto::keys::MasterKey::from_bytes(MASTER_KEY))
}

fn conv_avec(
    id: &str,
    dep: &str,
    adaptateur: AdaptateurRef,
    ecriture: &[Categorie],
    publics: Vec<Public>,
) -> Convention {
    let mut c =
        convention(id, &["ft", "cd77"], Territoire::Departements(vec![Departement::parse(dep).unwrap()]), publics);
    for cat in ecriture {
        c.categories.insert(*cat, Acces::Ecriture);
    }
    c.adaptateur = Some(adaptateur);
    c
}

/// A server with the shipped adapters and these conventions, on SQLite (`None`) or on
/// this PostgreSQL database.
async fn serveur(base: Option<String>, conventions: Vec<Convention>) -> (TestServer, Arc<Catalogue>) {
    let cat = Arc::new(Catalogue::new(Moteur::new(8, 64 << 20).unwrap(), plugins_dir(), None));
    let c2 = cat.clone();
    let n = tokio::task::spawn_blocking(move || c2.charger_tout()).await.unwrap();
    assert!(n >= 3, "adapters loaded: {n}");
    let s = TestServer::start_avec(base, Some(cat.clone())).await;
    for c in &conventions {
        s.store.enregistrer_convention(c).await.unwrap();
    }
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    (s, cat)
}

async fn importer_sous(s: &TestServer, cat: &Catalogue, conv: &str, format: &str, contenu: Vec<u8>) -> Rapport {
    let conv = s.state.services().gardien.courant().registre.conventions[conv].clone();
    let adaptateur = cat.pour(&conv, Sens::Import).unwrap();
    importer(
        &s.store,
        &s.state.services().journal,
        DemandeImport {
            convention: conv,
            adaptateur,
            format: format.into(),
            options: vec![],
            nom_fichier: format!("fichier.{format}"),
            auteur: "ADM77".into(),
            organisation: Some("cd77".into()),
            request_id: "req-adaptateurs".into(),
            limites: Limites { morceau: 101, ..Limites::default() },
            ids: ids(),
        },
        Box::new(std::io::Cursor::new(contenu)),
        None,
    )
    .await
    .unwrap()
}

async fn dossier_de(s: &TestServer, nir_body: &str) -> dude_core::dossier::Dossier {
    let ids =
        s.store.dossiers_par_nir(&dude_core::dossier::Nir::parse(nir_body).unwrap(), d(who::BIRTH)).await.unwrap();
    s.store.charger_dossier(ids[0]).await.unwrap().unwrap()
}

const SIGMA_ENTETE: &str = "TYPE_MESSAGE;ID_SIGMA;N_CONTRAT_INSERTION;NIR;NOM;PRENOM;DATE_NAISSANCE;ADRESSE;COMPLEMENT_ADRESSE;\
CODE_POSTAL;COMMUNE;TELEPHONE;COURRIEL;DATE_DEBUT;FREINS;MOTIFS_NON_INTEGRATION;DATE_BILAN;RESULTAT_BILAN;DECISION_BILAN;SORTIE;\
DATE_FIN_PROLONGATION";

fn sigma_fichier() -> String {
    let (a, b) = (nir(who::INSCRITE), nir(who::INSCRITE_OCT_93));
    format!(
        "{SIGMA_ENTETE}\n\
         DIAGNOSTIC;S1;CI-1;{a};ALPHA;Test;15/01/1985;1 rue de la Paix;;77000;Melun;;;01/03/2026;FIN|LOG;;;;;;\n\
         BILAN;S1;CI-1;{a};ALPHA;Test;15/01/1985;1 rue de la Paix;;77000;Melun;;;;;;01/09/2026;OPA;MAINTIEN;;\n\
         PROLONGATION;S1;CI-1;{a};ALPHA;Test;15/01/1985;1 rue de la Paix;;77000;Melun;;;;;;;;;;01/03/2027\n\
         DIAGNOSTIC;S2;CI-2;{b};ECHO;Test;15/01/1985;9 rue Loin;;93200;Saint-Denis;;;01/03/2026;SANTE;;;;;;\n\
         BILAN;S3;CI-3;{a};;Test;15/01/1985;;;77000;Melun;;;;;;32/13/2026;XX;MAINTIEN;;\n"
    )
}

async fn sigma_in_and_the_bilan_back_to_sigma(base: Option<String>) {
    let mut r = AdaptateurRef::nouveau("sigma", "^0.1");
    r.directions = vec![Sens::Import, Sens::Export];
    r.format_export = Some("contrat-insertion".into());
    let conv = conv_avec(
        "conv-sigma-77",
        "77",
        r,
        &[Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::AccompagnementGlobal],
        vec![Public::BeneficiairesRsa],
    );
    let (s, cat) = serveur(base.clone(), vec![conv]).await;
    let rapport = importer_sous(&s, &cat, "conv-sigma-77", "sigma-csv", sigma_fichier().into_bytes()).await;
    // two lines refused: one for the territory, one with four faulty columns (counted once)
    assert_eq!((rapport.crees, rapport.modifies, rapport.refuses), (0, 1, 2), "{rapport:#?}");
    let refus: Vec<(u64, Option<&str>)> =
        rapport.lignes_refusees.iter().map(|l| (l.numero, l.champ.as_deref())).collect();
    // the 93 resident is refused for the territory; the bad line by each of its columns
    assert_eq!(
        refus,
        [
            (5, Some("code_postal")),
            (6, Some("NOM")),
            (6, Some("DATE_BILAN")),
            (6, Some("RESULTAT_BILAN")),
            (6, Some("NIR"))
        ],
        "{rapport:#?}"
    );
    assert!(!rapport.lignes_refusees.is_empty());
    assert!(rapport.lignes_refusees.iter().all(|l| !l.raison.contains("ALPHA")), "no personal data");
    let x = dossier_de(&s, who::INSCRITE).await;
    let a = x.accompagnement.as_ref().unwrap();
    assert_eq!(a.modalite, Some(ModaliteAccompagnement::Global));
    assert_eq!(a.date_debut, d("2026-03-01"));
    let g = a.global.as_ref().unwrap();
    assert_eq!(g.freins, vec![CodeContrainte::Finances, CodeContrainte::Logement]);
    assert_eq!(g.bilans.len(), 1);
    assert_eq!(g.bilans[0].resultat, ResultatBilan::Partiel);
    assert_eq!(g.prolongations, vec![d("2027-03-01")]);
    // the same file again: nothing changes
    let encore = importer_sous(&s, &cat, "conv-sigma-77", "sigma-csv", sigma_fichier().into_bytes()).await;
    assert_eq!((encore.crees, encore.modifies, encore.inchanges), (0, 0, 1), "{encore:#?}");

    // France Travail records the end of the accompagnement: refused without its exit…
    let id = s.id_national(TOKEN_FT, who::INSCRITE).await;
    let chemin = format!("/partenaire/v1/usagers/{id}/accompagnement-global/bilans");
    let r = s
        .partner(reqwest::Method::POST, TOKEN_FT, &chemin)
        .json(&serde_json::json!({"date": "2026-11-20", "resultat": "OBJECTIF_ATTEINT", "decision": "FIN_AXE2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["champ"], "sortie", "{v}");
    // …recorded with it
    let r = s
        .partner(reqwest::Method::POST, TOKEN_FT, &chemin)
        .json(&serde_json::json!({"date": "2026-11-20", "resultat": "OBJECTIF_ATTEINT", "decision": "FIN_AXE2",
            "sortie": "EMPLOI_CDI"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let g = dossier_de(&s, who::INSCRITE).await.accompagnement.unwrap().global.unwrap();
    assert_eq!(g.bilans.len(), 2);

    // the département's system gets the update of the contrat d'insertion
    let adm77 = s.idp.jeton("ADM77");
    let liste: serde_json::Value = s
        .client
        .get(s.url("/admin/v1/conventions/conv-sigma-77/exports"))
        .bearer_auth(&adm77)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let exports = liste.as_array().unwrap();
    assert_eq!(exports.len(), 1, "{liste}");
    assert_eq!(exports[0]["genre"], "BILAN");
    assert_eq!(exports[0]["adaptateur"], "sigma@0.1.0");
    assert!(exports[0].get("erreur").is_none(), "{liste}");
    let r = s
        .client
        .get(s.url(&format!("/admin/v1/conventions/conv-sigma-77/exports/{}", exports[0]["id"].as_str().unwrap())))
        .bearer_auth(&adm77)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let fichier = r.text().await.unwrap();
    let lignes: Vec<&str> = fichier.lines().collect();
    assert_eq!(lignes.len(), 2, "{fichier}");
    assert!(
        lignes[0].starts_with("TYPE_MESSAGE;HORODATAGE;NIR;") && lignes[0].ends_with("ACTION_CONTRAT"),
        "{fichier}"
    );
    let champs: Vec<&str> = lignes[1].split(';').collect();
    assert_eq!(champs[0], "BILAN");
    assert_eq!(champs[2], nir(who::INSCRITE));
    assert_eq!(champs[8], "2", "rank of the bilan");
    assert_eq!(champs[9], "20/11/2026");
    assert_eq!(*champs.last().unwrap(), "CLORE");
    // fetched, journaled; the sealed file at rest is not the clear one
    let liste: serde_json::Value = s
        .client
        .get(s.url("/admin/v1/conventions/conv-sigma-77/exports"))
        .bearer_auth(&adm77)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(liste[0]["recupereLe"].is_string(), "{liste}");
    let j = s.store.journal_page(0, 10_000).await.unwrap();
    assert!(j.iter().any(|e| e.entree.action == "export:sigma:BILAN" && e.entree.decision == "ACCEPTE"));
    use sea_orm::{ConnectionTrait, Statement};
    let db = s.store.connection();
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT contenu FROM export_sortant"))
        .await
        .unwrap()
        .unwrap();
    let scelle: Vec<u8> = row.try_get("", "contenu").unwrap();
    assert!(!String::from_utf8_lossy(&scelle).contains(&nir(who::INSCRITE)), "sealed at rest");
}

async fn an_adapter_without_the_export_direction_sends_nothing(base: Option<String>) {
    // the convention allows import only: the bilan is recorded, no file is made
    let conv = conv_avec(
        "conv-sigma-import",
        "77",
        AdaptateurRef::nouveau("sigma", "^0.1"),
        &[Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::AccompagnementGlobal],
        vec![Public::BeneficiairesRsa],
    );
    let (s, cat) = serveur(base.clone(), vec![conv]).await;
    importer_sous(&s, &cat, "conv-sigma-import", "sigma-csv", sigma_fichier().into_bytes()).await;
    let conv = s.state.services().gardien.courant().registre.conventions["conv-sigma-import"].clone();
    let e = cat.pour(&conv, Sens::Export).err().expect("refused");
    assert!(e.contains("n'autorise pas l'export"), "{e}");
    let id = s.id_national(TOKEN_FT, who::INSCRITE).await;
    let r = s
        .partner(reqwest::Method::POST, TOKEN_FT, &format!("/partenaire/v1/usagers/{id}/accompagnement-global/bilans"))
        .json(
            &serde_json::json!({"date": "2026-11-20", "resultat": "OBJECTIF_NON_ATTEINT", "decision": "MAINTIEN_AXE2"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(s.store.exports("conv-sigma-import", 10).await.unwrap().is_empty());
    // and cd-files, which declares import only, cannot be bound for export
    let mut r = AdaptateurRef::nouveau("cd-files", "^0.1");
    r.directions = vec![Sens::Export];
    let mut c = (*conv).clone();
    c.adaptateur = Some(r);
    let e = cat.pour(&c, Sens::Export).err().expect("refused");
    assert!(e.contains("ne déclare pas la direction export"), "{e}");
}

async fn gip_inclusion_parcours_checked_against_the_convention(base: Option<String>) {
    let conv = conv_avec(
        "conv-gip-77",
        "77",
        AdaptateurRef::nouveau("gip-inclusion", "^0.1"),
        &[
            Categorie::Identite,
            Categorie::Nir,
            Categorie::Contact,
            Categorie::Rsa,
            Categorie::Orientation,
            Categorie::Diagnostic,
            Categorie::AccompagnementGlobal,
        ],
        vec![Public::BeneficiairesRsa],
    );
    let (s, cat) = serveur(base.clone(), vec![conv]).await;
    let id_inscrite = dossier_de(&s, who::INSCRITE).await.id;
    let id_cessee = dossier_de(&s, who::CESSEE).await.id;
    // the idNational the département holds for each person
    let idn_inscrite = ids().encode("cd77", id_inscrite);
    let idn_cessee = ids().encode("cd77", id_cessee);
    let ligne = |nir_body: &str, nom: &str, cp: &str, idn: &str| {
        serde_json::json!({
            "nir": nir(nir_body), "nom": nom, "prenom": "Test", "date_naissance": "1985-01-15",
            "code_postal": cp, "commune": "Ville", "adresse": "1 rue de la Paix",
            "identifiant_france_travail": idn, "identifiant_rsa": "7001", "organisme": "CAF",
            "date_ouverture_droits": "2024-01-01", "date_entree_dispositif": "2026-02-01",
            "date_rendez_vous_orientation": "2026-02-10", "type_parcours": "socio-professionnel",
            "diagnostic": {"SE_FORMER": "BESOIN", "ELABORER_PROJET": "POINT_FORT"},
            "rendez_vous": ["2026-03-01", "2026-04-01"],
            "prestations": [{"libelle": "Atelier CV", "date_debut": "2026-03-05", "duree_jours": 2, "collective": true}]
        })
        .to_string()
    };
    let fichier = [
        ligne(who::INSCRITE, "ALPHA", "77000", &idn_inscrite),
        // the idNational of another person
        ligne(who::CESSEE, "BRAVO", "77000", &idn_inscrite),
        ligne(who::INSCRITE_OCT_93, "ECHO", "93200", &ids().encode("cd77", id_cessee)),
        "{pas du json".to_string(),
    ]
    .join("\n");
    let r = importer_sous(&s, &cat, "conv-gip-77", "parcours-jsonl", fichier.into_bytes()).await;
    assert_eq!((r.crees, r.modifies, r.refuses), (0, 1, 3), "{r:#?}");
    let refus: Vec<(u64, Option<&str>)> = r.lignes_refusees.iter().map(|l| (l.numero, l.champ.as_deref())).collect();
    assert_eq!(refus[0], (2, Some("identifiant_france_travail")), "{refus:?}");
    assert_eq!(refus[1].0, 3, "{refus:?}");
    assert_eq!(refus[2].0, 4, "{refus:?}");
    let x = s.store.charger_dossier(id_inscrite).await.unwrap().unwrap();
    let p = x.accompagnement.as_ref().unwrap().parcours.as_ref().unwrap();
    assert_eq!(p.date_entree_dispositif, d("2026-02-01"));
    assert_eq!(p.rendez_vous, vec![d("2026-03-01"), d("2026-04-01")]);
    assert_eq!(p.prestations.len(), 1);
    assert_eq!(p.besoins.len(), 2);
    assert_eq!(x.orientation.as_ref().unwrap().date, d("2026-02-10"));
    assert_eq!(x.rsa.as_ref().unwrap().numero_allocataire.as_deref(), Some("7001"));
    // the person the wrong idNational pointed at is untouched
    let c = s.store.charger_dossier(id_cessee).await.unwrap().unwrap();
    assert!(c.accompagnement.as_ref().and_then(|a| a.parcours.as_ref()).is_none());
    let _ = idn_cessee;
}

async fn caf_msa_flux_through_the_host(base: Option<String>) {
    let dossier = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/cd-files/tests/data");
    let conv = conv_avec(
        "conv-flux-93",
        "93",
        AdaptateurRef::nouveau("cd-files", "^0.1"),
        &[Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::Rsa],
        vec![Public::BeneficiairesRsa],
    );
    let (s, cat) = serveur(base.clone(), vec![conv]).await;
    let avant = s.store.compter_dossiers().await.unwrap();
    let r =
        importer_sous(&s, &cat, "conv-flux-93", "flux-rsa-xml", std::fs::read(dossier.join("flux-rsa.xml")).unwrap())
            .await;
    // household 1 has a closed right: its two persons are not in the public; household 2
    // (payment suspended) and household 3 (open right; its child is no record) are
    // beneficiaries
    assert_eq!((r.crees, r.refuses), (2, 2), "{r:#?}");
    assert!(!r.lignes_refusees.is_empty() && r.lignes_refusees.iter().all(|l| l.raison.contains("publics")), "{r:#?}");
    let mut refusees: Vec<u64> = r.lignes_refusees.iter().map(|l| l.numero).collect();
    refusees.sort_unstable();
    assert_eq!(refusees, [29, 123], "{r:#?}");
    assert_eq!(s.store.compter_dossiers().await.unwrap(), avant + 2);
    let ids =
        s.store.dossiers_par_nir(&dude_core::dossier::Nir::parse("2900593001057").unwrap(), d("1990-05-04")).await;
    let ids = ids.unwrap();
    assert_eq!(ids.len(), 1, "created with the flux's birth date");
    let x = s.store.charger_dossier(ids[0]).await.unwrap().unwrap();
    let rsa = x.rsa.unwrap();
    assert_eq!(rsa.etat_dossier, Some(dude_core::dossier::rsa::EtatDossierRsa::VersementSuspendu));
    assert_eq!(rsa.suspension.as_ref().map(|s| s.date), Some(d("2025-01-01")));
    assert_eq!(x.contact.unwrap().departement.to_string(), "93");
    // the next month's flux: the right is payable again
    let r = importer_sous(
        &s,
        &cat,
        "conv-flux-93",
        "flux-rsa-xml",
        std::fs::read(dossier.join("flux-rsa-ouvert.xml")).unwrap(),
    )
    .await;
    assert_eq!((r.crees, r.modifies, r.refuses), (0, 1, 0), "{r:#?}");
    let x = s.store.charger_dossier(ids[0]).await.unwrap().unwrap();
    assert_eq!(x.rsa.unwrap().suspension, None);
    // the invalid sample: every record refused with its element named
    let r = importer_sous(
        &s,
        &cat,
        "conv-flux-93",
        "flux-rsa-xml",
        std::fs::read(dossier.join("flux-rsa-invalide.xml")).unwrap(),
    )
    .await;
    assert_eq!((r.crees, r.modifies), (0, 0), "{r:#?}");
    assert!(r.lignes_refusees.iter().any(|l| l.champ.as_deref() == Some("PrestationRSA")), "{r:#?}");
}

#[tokio::test]
async fn conformite_reference_caf_msa_flux_through_the_host() {
    let dossier = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference-formats/carnet-de-bord");
    if !dossier.is_dir() {
        eprintln!("fichiers de référence absents ({}) : couche de conformité non exécutée", dossier.display());
        return;
    }
    let conv = conv_avec(
        "conv-flux-92",
        "92",
        AdaptateurRef::nouveau("cd-files", "^0.1"),
        &[Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::Rsa],
        vec![Public::BeneficiairesRsa],
    );
    let (s, cat) = serveur(None, vec![conv]).await;
    let avant = s.store.compter_dossiers().await.unwrap();
    let r = importer_sous(&s, &cat, "conv-flux-92", "flux-rsa-xml", std::fs::read(dossier.join("RSABEM.xml")).unwrap())
        .await;
    // household 1 has a closed right: not in the public; household 2 (payment suspended)
    // is a beneficiary
    assert_eq!((r.crees, r.refuses), (1, 2), "{r:#?}");
    assert!(!r.lignes_refusees.is_empty() && r.lignes_refusees.iter().all(|l| l.raison.contains("publics")), "{r:#?}");
    assert_eq!(s.store.compter_dossiers().await.unwrap(), avant + 1);
    let ids =
        s.store.dossiers_par_nir(&dude_core::dossier::Nir::parse("2730799404078").unwrap(), d("1973-07-21")).await;
    let ids = ids.unwrap();
    assert_eq!(ids.len(), 1, "created with the flux's birth date");
    let x = s.store.charger_dossier(ids[0]).await.unwrap().unwrap();
    let rsa = x.rsa.unwrap();
    assert_eq!(rsa.etat_dossier, Some(dude_core::dossier::rsa::EtatDossierRsa::VersementSuspendu));
    assert_eq!(rsa.suspension.as_ref().map(|s| s.date), Some(d("2021-11-01")));
    assert_eq!(x.contact.unwrap().departement.to_string(), "92");
    // the next month's flux: the right is payable again
    let r = importer_sous(
        &s,
        &cat,
        "conv-flux-92",
        "flux-rsa-xml",
        std::fs::read(dossier.join("RSABEM-ouvert.xml")).unwrap(),
    )
    .await;
    assert_eq!((r.crees, r.modifies, r.refuses), (0, 1, 0), "{r:#?}");
    let x = s.store.charger_dossier(ids[0]).await.unwrap().unwrap();
    assert_eq!(x.rsa.unwrap().suspension, None);
    // the invalid sample: every record refused with its element named
    let r = importer_sous(
        &s,
        &cat,
        "conv-flux-92",
        "flux-rsa-xml",
        std::fs::read(dossier.join("RSABEI_invalid.xml")).unwrap(),
    )
    .await;
    assert_eq!((r.crees, r.modifies), (0, 0), "{r:#?}");
    assert!(r.lignes_refusees.iter().any(|l| l.champ.as_deref() == Some("PrestationRSA")), "{r:#?}");
}

/// Each scenario on SQLite (a test each) and on PostgreSQL (one server, a database each).
macro_rules! sur_les_deux_bases {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(None).await;
                }
            )+
        }

        #[tokio::test]
        async fn postgres_all_scenarios() {
            let pg = common::pg::PgServer::start();
            $( $name(Some(pg.database(stringify!($name)))).await; )+
        }
    };
}

sur_les_deux_bases!(
    sigma_in_and_the_bilan_back_to_sigma,
    an_adapter_without_the_export_direction_sends_nothing,
    gip_inclusion_parcours_checked_against_the_convention,
    caf_msa_flux_through_the_host,
);
