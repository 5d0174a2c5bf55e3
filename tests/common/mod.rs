//! Shared harness of the black-box tests: a real router on a random loopback port, over
//! a real database (SQLite file or PostgreSQL), with hand-made fixtures.

#![allow(dead_code)]

pub mod pg;

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use dude_core::api::{self, AppState};
use dude_core::clock::FixedClock;
use dude_core::crypto::id_national::IdNationalCodec;
use dude_core::crypto::keys::MasterKey;
use dude_core::dossier::contact::{Adresse, Contact, Departement};
use dude_core::dossier::contraintes::*;
use dude_core::dossier::diagnostic::*;
use dude_core::dossier::identite::*;
use dude_core::dossier::inscription::*;
use dude_core::dossier::metiers::*;
use dude_core::dossier::rsa::*;
use dude_core::dossier::{Dossier, Nir};
use dude_core::habilitation::{Client, StaticTokens};
use dude_core::store::{Provenance, Store};

pub const TODAY: &str = "2026-11-22";
pub const TOKEN_77: &str = "test-token-cd77-0123456789";
pub const TOKEN_93: &str = "test-token-cd93-0123456789";
pub const TOKEN_ADMIN: &str = "test-token-admin-0123456789";
pub const MASTER_KEY: [u8; 32] = [42; 32];

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A valid NIR with its key, from a 13-character body.
pub fn nir(body: &str) -> String {
    let n = Nir::parse(body).unwrap();
    n.expose()
}

pub fn ins(date: &str) -> EvenementInscription {
    EvenementInscription::inscription(
        d(date),
        CategorieInscription::Cat1,
        MotifInscription::FinCdd,
        SituationEmploi::SansEmploi,
    )
}
pub fn reins(date: &str) -> EvenementInscription {
    EvenementInscription::reinscription(
        d(date),
        CategorieInscription::Cat3,
        MotifInscription::FinInterim,
        SituationEmploi::ActiviteReduiteCourte,
    )
}
pub fn cess(date: &str) -> EvenementInscription {
    EvenementInscription::cessation(d(date), MotifCloture::DefautActualisation)
}
pub fn rad(date: &str) -> EvenementInscription {
    EvenementInscription::radiation(d(date), MotifCloture::AbsenceConvocation)
}

/// A person of the fixtures.
pub fn person(body: &str, nom: &str, birth: &str, dep: &str, rsa: bool, events: Vec<EvenementInscription>) -> Dossier {
    let mut x = Dossier::new(
        Nir::parse(body).unwrap(),
        Identite {
            civilite: Civilite::Madame,
            nom: nom.into(),
            nom_naissance: None,
            prenom: "Test".into(),
            date_naissance: d(birth),
            sexe: Sexe::Femme,
            nationalite: Nationalite::Francaise,
            identite_certifiee: true,
        },
    );
    let cp = if dep.len() == 2 { format!("{dep}000") } else { format!("{dep}00") };
    x.contact = Some(Contact {
        telephone: Some("0600000000".into()),
        courriel: None,
        adresse: Adresse { ligne1: "1 rue de la Paix".into(), ligne2: None, code_postal: cp, commune: "Ville".into() },
        departement: Departement::parse(dep).unwrap(),
        zrr: false,
        qpv: false,
    });
    x.inscription.historique = HistoriqueInscription::from_events(events).unwrap();
    if rsa {
        x.rsa = Some(Rsa {
            beneficiaire: true,
            role: RoleRsa::Demandeur,
            date_entree: Some(d("2024-01-01")),
            organisme: OrganismePayeur::Caf,
            numero_allocataire: Some(format!("NA-{nom}")),
            droits_devoirs: true,
            etat_dossier: Some(EtatDossierRsa::OuvertVersable),
        });
    }
    x
}

/// The fixture NIR bodies, by role.
pub mod who {
    pub const INSCRITE: &str = "2850177000001"; // registered, RSA, 77, with a full profile
    pub const CESSEE: &str = "2850177000002"; // ceased 2026-09-30, RSA 77
    pub const RADIEE_ANCIENNE: &str = "2850177000003"; // radiated 2023-11-01 (> 3 years)
    pub const RADIEE_RECENTE: &str = "2850177000004"; // radiated 2026-10-15
    pub const IDENTIFIEE: &str = "2850177000005"; // never registered
    pub const DOUBLON: &str = "2850177000006"; // two dossiers with the same NIR
    pub const INSCRITE_OCT_NON_RSA: &str = "2850177000007"; // registered in October, no RSA
    pub const INSCRITE_OCT_93: &str = "2850193000008"; // registered in October, RSA, 93
    pub const INSCRITE_OCT: &str = "2850177000009"; // registered 2026-10-31, RSA 77
    pub const CESSEE_REINSCRITE: &str = "2850177000010"; // ceased 2026-09-10, back 2026-10-31
    pub const CESSEE_MEME_JOUR: &str = "2850177000011"; // ceased and back on 2026-09-30
    pub const BIRTH: &str = "1985-01-15";
}

pub fn fixtures() -> Vec<Dossier> {
    use who::*;
    let mut inscrite = person(INSCRITE, "ALPHA", BIRTH, "77", true, vec![ins("2025-03-03")]);
    inscrite.diagnostic = Diagnostic {
        besoins_par_diagnostic: vec![BesoinsParDiagnostic {
            id_metier: "M-ALPHA-1".into(),
            besoins: vec![
                Besoin { code: CodeBesoin::ElaborerProjet, valeur: ValeurBesoin::Besoin },
                Besoin { code: CodeBesoin::SeFormer, valeur: ValeurBesoin::PointFort },
            ],
        }],
        diagnostics: vec![DiagnosticMetier {
            id_metier: "M-ALPHA-1".into(),
            nom_metier: "Commis / Commise de cuisine".into(),
            statut: StatutDiagnostic::EnCours,
            typologie: TypologieDiagnostic::MetierRecherche,
            est_prioritaire: true,
            conseiller: Conseiller { nom: "CONSEIL".into(), prenom: "Paul".into(), structure: "France Travail".into() },
            date_mise_a_jour: d("2026-06-01"),
        }],
    };
    inscrite.contraintes = Contraintes {
        date_exploration: Some(d("2026-05-01")),
        conseiller: Some("AG777".into()),
        date_de_modification: Some(d("2026-05-01")),
        contraintes: vec![Contrainte {
            code: CodeContrainte::Permis,
            valeur: ValeurContrainte::Oui,
            date: d("2026-05-01"),
            situations: vec![SituationContrainte { code: CodeSituation::SansPermis, valeur: ValeurSituation::Oui }],
            objectifs: vec![ObjectifContrainte { code: CodeObjectif::PasserPermis, valeur: ValeurObjectif::EnCours }],
        }],
    };
    inscrite.pouvoir_agir = Some(PouvoirAgir {
        confiance: NiveauPouvoirAgir::Moyen,
        accompagnement: NiveauPouvoirAgir::Eleve,
        resultat_analyse: ResultatPouvoirAgir::AAccompagner,
    });
    inscrite.metiers_recherches = vec![MetierRecherche {
        identifiant: "M-ALPHA-1".into(),
        appellation: Appellation { code: "12190".into(), libelle: "Commis / Commise de cuisine".into() },
        rome: "G1603".into(),
        contrats: vec![Contrat { type_contrat: TypeContrat::Cdi, critere_ore: true, priorite: 0 }],
        date_validation_passeport_emploi: None,
        duree_experience: Some(DureeExperience { valeur: 3, unite: UniteDuree::Annees }),
        durees_hebdomadaires: Some(DureesHebdomadaires { critere_ore: true, temps_travail: TempsTravail::Plein }),
        mobilite_habitation: Some(false),
        mobilites: vec![Mobilite {
            lieu: Lieu { type_lieu: TypeLieu::Commune, code: "77288".into(), libelle: "Melun".into() },
            mobilite_prioritaire: true,
            rayon: Some(20),
            unite: Some(UniteMobilite::Kilometres),
        }],
        mrs: false,
        passeport_emploi: None,
        salaire: Some(Salaire { montant: 1900, unite: UniteSalaire::Mensuel }),
        typologie_emploi: TypologieEmploi::MetierRecherche,
    }];
    inscrite.projets_creation = vec![ProjetCref {
        identifiant: "C-ALPHA".into(),
        appellation: Appellation { code: "12190".into(), libelle: "Traiteur".into() },
        rome: "G1603".into(),
        mobilites: vec![],
        type_cref_creation: true,
        type_cref_reprise: false,
        type_cref_franchise: false,
    }];
    vec![
        inscrite,
        person(CESSEE, "BRAVO", BIRTH, "77", true, vec![ins("2025-01-10"), cess("2026-09-30")]),
        person(RADIEE_ANCIENNE, "CHARLIE", BIRTH, "77", true, vec![ins("2021-01-10"), rad("2023-11-01")]),
        person(RADIEE_RECENTE, "DELTA", BIRTH, "77", true, vec![ins("2024-01-10"), rad("2026-10-15")]),
        person(IDENTIFIEE, "ECHO", BIRTH, "77", true, vec![]),
        person(DOUBLON, "FOXTROT", BIRTH, "77", false, vec![ins("2025-01-10")]),
        person(DOUBLON, "FOXTROT", BIRTH, "77", false, vec![ins("2025-02-10")]),
        person(INSCRITE_OCT_NON_RSA, "GOLF", BIRTH, "77", false, vec![ins("2026-10-05")]),
        person(INSCRITE_OCT_93, "HOTEL", BIRTH, "93", true, vec![ins("2026-10-06")]),
        person(INSCRITE_OCT, "INDIA", BIRTH, "77", true, vec![ins("2026-10-31")]),
        person(
            CESSEE_REINSCRITE,
            "JULIET",
            BIRTH,
            "77",
            true,
            vec![ins("2025-01-10"), cess("2026-09-10"), reins("2026-10-31")],
        ),
        person(
            CESSEE_MEME_JOUR,
            "KILO",
            BIRTH,
            "77",
            true,
            vec![ins("2025-01-10"), cess("2026-09-30"), reins("2026-09-30")],
        ),
    ]
}

pub fn tokens() -> StaticTokens {
    let mut t = StaticTokens::default();
    for (tok, p, dep) in [(TOKEN_77, "cd77", "77"), (TOKEN_93, "cd93", "93")] {
        t.add_partner(
            tok,
            Client {
                client_id: format!("{p}-app"),
                partenaire: p.into(),
                organisation: format!("Conseil départemental {dep}"),
                convention: format!("conv-{p}"),
                departement: Departement::parse(dep).ok(),
            },
        );
    }
    t.add_admin(TOKEN_ADMIN);
    t
}

/// A running server.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    _task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts on SQLite (a fresh file) or on `database_url`, with the fixtures loaded.
    pub async fn start(database_url: Option<String>) -> Self {
        let (url, dir) = match database_url {
            Some(u) => (u, None),
            None => {
                let dir = tempfile::tempdir().unwrap();
                (format!("sqlite://{}/dude.db", dir.path().display()), Some(dir))
            }
        };
        let key = MasterKey::from_bytes(MASTER_KEY);
        let store = Store::open(&url, &key).await.expect("store opens");
        store.insert_dossiers(&fixtures(), &Provenance::new("test:fixtures", None)).await.expect("fixtures");
        let clock = FixedClock::new(Utc.from_utc_datetime(&d(TODAY).and_hms_opt(10, 0, 0).unwrap()));
        let state = AppState::new(store.clone(), IdNationalCodec::new(&key), Arc::new(clock), tokens());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, api::router(state)).await.unwrap();
        });
        Self {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            database_url: url,
            store,
            _dir: dir,
            _task: task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A partner request with token and agent headers.
    pub fn partner(&self, method: reqwest::Method, token: &str, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("pa-identifiant-agent", "AG001")
            .header("pa-nom-agent", "Dupont")
            .header("pa-prenom-agent", "Anne")
    }

    /// GETs a partner resource that must answer 200, and returns its JSON.
    pub async fn get_json(&self, token: &str, path: &str) -> serde_json::Value {
        let r = self.partner(reqwest::Method::GET, token, path).send().await.unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    /// Searches and returns the JSON answer.
    pub async fn rechercher(&self, token: &str, nir_body: &str, birth: &str) -> serde_json::Value {
        let r = self
            .partner(reqwest::Method::POST, token, "/partenaire/v1/rechercher-usager")
            .json(&serde_json::json!({"nir": nir(nir_body), "dateNaissance": birth}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    pub async fn id_national(&self, token: &str, nir_body: &str) -> String {
        let v = self.rechercher(token, nir_body, who::BIRTH).await;
        assert_eq!(v["codeRetour"], "S001", "{v}");
        v["idNational"].as_str().unwrap().to_string()
    }
}
