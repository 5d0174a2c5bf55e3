//! Shared harness of the black-box tests: a real router on a random loopback port, over
//! a real database (SQLite file or PostgreSQL), with hand-made fixtures.

#![allow(dead_code)]

pub mod demo;
pub mod pg;

/// Runs each scenario `async fn name(&TestServer)` on SQLite (a test each) and on
/// PostgreSQL (one test, one server, a database each): every scenario that touches
/// storage runs on both.
#[macro_export]
macro_rules! scenarios {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let mut s = TestServer::start(None).await;
                    #[allow(clippy::needless_borrow, unused_mut)]
                    super::$name(&mut s).await;
                }
            )+
        }

        /// Every scenario again on PostgreSQL, one server for all, a database each.
        #[tokio::test]
        async fn postgres_all_scenarios() {
            let pg = common::pg::PgServer::start();
            $(
                #[allow(unused_mut)]
                let mut s = TestServer::start(Some(pg.database(stringify!($name)))).await;
                $name(&mut s).await;
            )+
        }
    };
}

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::HashMap;

use base64::Engine;
use dude_core::api::{self, AppState};
use dude_core::app::demarrage::{Application, Options};
use dude_core::app::settings::{Settings, SourceCle};
use dude_core::clock::FixedClock;
use dude_core::crypto::keys::MasterKey;
use dude_core::crypto::secrets::SecretHasher;
use dude_core::dossier::contact::{Adresse, Contact, Departement};
use dude_core::dossier::contraintes::*;
use dude_core::dossier::diagnostic::*;
use dude_core::dossier::identite::*;
use dude_core::dossier::inscription::*;
use dude_core::dossier::metiers::*;
use dude_core::dossier::rsa::*;
use dude_core::dossier::{Dossier, Nir};
use dude_core::habilitation::agent::{AgentHabilite, Role};
use dude_core::habilitation::client::ApiClient;
use dude_core::habilitation::convention::{Acces, Convention, Public, Territoire};
use dude_core::habilitation::organisation::{Organisation, TypeOrganisation};
use dude_core::store::{Provenance, Store};

pub const TODAY: &str = "2026-11-22";
/// The numéro France Travail of `who::INSCRITE`.
pub const NUMERO_INSCRITE: &str = "01234567890";
/// Keys of the test applications (their access tokens are obtained at start).
pub const TOKEN_77: &str = "cd77";
pub const TOKEN_93: &str = "cd93";
pub const TOKEN_FT: &str = "ft";
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
            nationalite: Some(Nationalite::Francaise),
            identite_certifiee: true,
            numero_france_travail: None,
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
            role: Some(RoleRsa::Demandeur),
            date_entree: Some(d("2024-01-01")),
            organisme: Some(OrganismePayeur::Caf),
            numero_allocataire: Some(format!("NA-{nom}")),
            droits_devoirs: true,
            etat_dossier: Some(EtatDossierRsa::OuvertVersable),
            cloture: None,
            suspension: None,
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
    pub const DOUBLON: &str = "2850177000006"; // two dossiers with the same NIR, RSA 77
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
    inscrite.identite.numero_france_travail = Some(NUMERO_INSCRITE.into());
    inscrite.situation.rqth = true;
    inscrite.situation.rqth_debut = Some(d("2024-01-20"));
    inscrite.orientation = Some(dude_core::dossier::orientation::Orientation {
        type_parcours: dude_core::dossier::orientation::TypeParcours::Social,
        date: d("2025-04-01"),
        referent: None,
        structure: Some("Pôle insertion de Melun".into()),
        organisme: Some(dude_core::dossier::orientation::OrganismeOrientation::ConseilDepartemental),
        origine: None,
    });
    inscrite.diagnostic = Diagnostic {
        besoins_par_diagnostic: vec![BesoinsParDiagnostic {
            id_metier: "M-ALPHA-1".into(),
            besoins: vec![
                Besoin { code: CodeBesoin::DecouvrirMetier, valeur: ValeurBesoin::Besoin },
                Besoin { code: CodeBesoin::TrouverFormation, valeur: ValeurBesoin::PointFort },
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
            code: CodeContrainte::Mobilite,
            valeur: ValeurContrainte::Oui,
            date: d("2026-05-01"),
            situations: vec![SituationContrainte {
                code: CodeSituation::PermisNonValide,
                valeur: ValeurSituation::Oui,
            }],
            objectifs: vec![ObjectifContrainte { code: CodeObjectif::PermisConduire, valeur: ValeurObjectif::EnCours }],
        }],
    };
    inscrite.pouvoir_agir = Some(PouvoirAgir {
        confiance: NiveauPouvoirAgir::NeSaitPas,
        accompagnement: NiveauPouvoirAgir::Oui,
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
        person(DOUBLON, "FOXTROT", BIRTH, "77", true, vec![ins("2025-01-10")]),
        person(DOUBLON, "FOXTROT", BIRTH, "77", true, vec![ins("2025-02-10")]),
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

/// A test application: client id, secret, and the agent it names in its calls.
pub struct App {
    pub client_id: &'static str,
    pub organisation: &'static str,
    pub convention: &'static str,
    pub agent: (&'static str, &'static str, &'static str),
}

pub const APPS: [(&str, App); 3] = [
    (
        TOKEN_77,
        App {
            client_id: "cd77-app",
            organisation: "cd77",
            convention: "conv-cd77",
            agent: ("AG001", "Dupont", "Anne"),
        },
    ),
    (
        TOKEN_93,
        App {
            client_id: "cd93-app",
            organisation: "cd93",
            convention: "conv-cd93",
            agent: ("AG093", "Martin", "Karim"),
        },
    ),
    (
        TOKEN_FT,
        App { client_id: "ft-app", organisation: "ft", convention: "conv-ft", agent: ("FT001", "Leroy", "Sophie") },
    ),
];

pub const SECRET: &str = "secret-de-test-0123456789abcdef";

pub fn cd_categories() -> std::collections::BTreeMap<dude_core::dossier::Categorie, Acces> {
    use dude_core::dossier::Categorie::*;
    let mut m = std::collections::BTreeMap::new();
    for c in [Identite, Nir, Contact, Inscription, Rsa, MetiersRecherches, ProjetsCreation] {
        m.insert(c, Acces::Lecture);
    }
    for c in [Diagnostic, Contraintes, PouvoirAgir, Orientation, RendezVous] {
        m.insert(c, Acces::Ecriture);
    }
    m
}

pub fn convention(id: &str, parties: &[&str], territoire: Territoire, publics: Vec<Public>) -> Convention {
    Convention {
        id: id.into(),
        libelle: format!("Convention {id}"),
        parties: parties.iter().map(|p| p.to_string()).collect(),
        territoire,
        publics,
        categories: cd_categories(),
        finalites: vec!["Accompagnement des bénéficiaires du RSA".into()],
        debut: d("2025-01-01"),
        fin: d("2027-12-31"),
        mfa_requise: false,
        conservation_mois: 36,
        delai_notification_violation_h: 48,
        batch_autorise: true,
        appelants: Default::default(),
        scopes: dude_core::habilitation::scopes::SCOPES.iter().map(|s| s.nom.to_string()).collect(),
        sla: Default::default(),
        adaptateur: None,
        webhook_incidents: None,
    }
}

pub fn organisation(id: &str, nom: &str, t: TypeOrganisation, deps: &[&str]) -> Organisation {
    Organisation {
        id: id.into(),
        nom: nom.into(),
        type_organisation: t,
        departements: deps.iter().map(|d| Departement::parse(d).unwrap()).collect(),
        parent: None,
    }
}

pub fn agent(identifiant: &str, org: &str, nom: &str, prenom: &str, role: Role) -> AgentHabilite {
    AgentHabilite {
        id: format!("id-{identifiant}"),
        organisation_id: org.into(),
        identifiant: identifiant.into(),
        nom: nom.into(),
        prenom: prenom.into(),
        courriel: Some(format!("{}@{org}.test", identifiant.to_lowercase())),
        role,
        habilitation_debut: d("2026-01-01"),
        habilitation_fin: d("2026-12-31"),
        certification: Some(d("2026-01-15")),
        revoque_le: None,
    }
}

pub fn client(client_id: &str, org: &str, conv: &str, hasher: &SecretHasher) -> ApiClient {
    ApiClient {
        client_id: client_id.into(),
        nom: client_id.into(),
        secret_hash: hasher.hash(client_id, SECRET),
        organisation_id: org.into(),
        convention_id: conv.into(),
        scopes: vec!["partenaire".into()],
        revoque_le: None,
    }
}

/// Two départements' councils under RSA conventions of their territory, and France
/// Travail nationally for every public.
pub async fn seed_habilitations(store: &Store) {
    let hasher = SecretHasher::new(&MasterKey::from_bytes(MASTER_KEY));
    for o in [
        organisation("cd77", "Conseil départemental 77", TypeOrganisation::ConseilDepartemental, &["77"]),
        organisation("cd93", "Conseil départemental 93", TypeOrganisation::ConseilDepartemental, &["93"]),
        organisation("ft", "France Travail", TypeOrganisation::FranceTravailNational, &[]),
    ] {
        store.enregistrer_organisation(&o).await.unwrap();
    }
    let dep = |d: &str| Departement::parse(d).unwrap();
    let mut ft = convention("conv-ft", &["ft"], Territoire::National, vec![Public::Tous]);
    for c in <dude_core::dossier::Categorie as dude_core::dossier::codes::Coded>::ALL {
        ft.categories.insert(*c, Acces::Ecriture);
    }
    for c in [
        convention(
            "conv-cd77",
            &["ft", "cd77"],
            Territoire::Departements(vec![dep("77")]),
            vec![Public::BeneficiairesRsa],
        ),
        convention(
            "conv-cd93",
            &["ft", "cd93"],
            Territoire::Departements(vec![dep("93")]),
            vec![Public::BeneficiairesRsa],
        ),
        ft,
    ] {
        store.enregistrer_convention(&c).await.unwrap();
    }
    for (ident, org, role) in [
        ("ADM77", "cd77", Role::Administrateur),
        ("ADMFT", "ft", Role::Administrateur),
        ("DPO77", "cd77", Role::AuditeurDpo),
        ("CONS77", "cd77", Role::Conseiller),
    ] {
        store.enregistrer_agent(&agent(ident, org, "Admin", "Test", role)).await.unwrap();
    }
    for (_, app) in &APPS {
        let role = if app.organisation == "ft" { Role::Conseiller } else { Role::TravailleurSocial };
        store.enregistrer_agent(&agent(app.agent.0, app.organisation, app.agent.1, app.agent.2, role)).await.unwrap();
        store.enregistrer_client(&client(app.client_id, app.organisation, app.convention, &hasher)).await.unwrap();
    }
}

/// A local OpenID Connect provider: its JWKS on a random loopback port, tokens signed
/// with a key generated for the tests.
pub struct Idp {
    pub jwks_url: String,
    encoding: jsonwebtoken::EncodingKey,
    _task: tokio::task::JoinHandle<()>,
}

pub const IDP_ISSUER: &str = "https://idp.test";

impl Idp {
    pub async fn start() -> Self {
        use base64::Engine;
        let seed = [7u8; 32];
        let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes();
        let mut der =
            vec![0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        der.extend_from_slice(&seed);
        let jwks = serde_json::json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "idp-1",
            "x": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(public)}]});
        let app = axum::Router::new().route("/jwks", axum::routing::get(move || async move { axum::Json(jwks) }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            jwks_url: format!("http://{addr}/jwks"),
            encoding: jsonwebtoken::EncodingKey::from_ed_der(&der),
            _task: task,
        }
    }

    pub fn config(&self) -> dude_core::habilitation::oidc::OidcConfig {
        dude_core::habilitation::oidc::OidcConfig {
            issuer: IDP_ISSUER.into(),
            jwks_url: self.jwks_url.clone(),
            audience: "dude-admin".into(),
        }
    }

    /// A token for `sub`, with these authentication methods, valid until `exp`.
    pub fn jeton_avec(&self, iss: &str, sub: &str, amr: &[&str], exp: i64) -> String {
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
        h.kid = Some("idp-1".into());
        let claims = serde_json::json!({"iss": iss, "aud": "dude-admin", "sub": sub, "exp": exp, "amr": amr});
        jsonwebtoken::encode(&h, &claims, &self.encoding).unwrap()
    }

    /// A valid token (one hour around the test day) with password and OTP.
    pub fn jeton(&self, sub: &str) -> String {
        let exp = Utc.from_utc_datetime(&d(TODAY).and_hms_opt(11, 0, 0).unwrap()).timestamp();
        self.jeton_avec(IDP_ISSUER, sub, &["pwd", "otp"], exp)
    }
}

/// Heartbeats of an instance for every minute of `[debut, fin)`: the service ran then
/// (the in-process server has no heartbeat task; `dude serve` writes one a minute).
pub async fn battements(store: &Store, debut: chrono::DateTime<Utc>, fin: chrono::DateTime<Utc>) {
    use dude_core::store::entity::sla_battement;
    use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};
    let txn = store.connection().begin().await.unwrap();
    let minutes: Vec<_> = (0..(fin - debut).num_minutes()).map(|i| debut + chrono::Duration::minutes(i)).collect();
    for lot in minutes.chunks(1000) {
        sla_battement::Entity::insert_many(
            lot.iter().map(|m| sla_battement::ActiveModel { instance: Set("test".into()), minute: Set(*m) }),
        )
        .exec_without_returning(&txn)
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
}

/// Rewrites entry `seq` of the journal (another agent) and recomputes every later hash,
/// as someone with write access to the database would: the chain is intact in itself.
/// Returns the rewritten entries.
pub async fn reecrire_journal(store: &Store, seq: i64) -> Vec<dude_core::journal::EntreeChainee> {
    use dude_core::journal::{GENESE, hash};
    use sea_orm::{ConnectionTrait, Statement};
    let db = store.connection();
    let mut rows = store.journal_page(0, 100_000).await.unwrap();
    rows[(seq - 1) as usize].entree.agent = Some("AG999".into());
    let mut prec = GENESE.to_string();
    for r in &mut rows {
        r.hash_precedent = prec.clone();
        r.hash = hash(&prec, r.seq, &r.entree);
        prec = r.hash.clone();
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "UPDATE journal SET agent = $1, hash_precedent = $2, hash = $3 WHERE seq = $4",
            [r.entree.agent.clone().into(), r.hash_precedent.clone().into(), r.hash.clone().into(), r.seq.into()],
        ))
        .await
        .unwrap();
    }
    rows
}

/// A running server.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub store: Store,
    pub state: AppState,
    pub clock: FixedClock,
    /// The administrators' identity provider.
    pub idp: Idp,
    /// Access tokens by application key.
    pub jetons: HashMap<&'static str, String>,
    _app: Application,
    _dir: tempfile::TempDir,
    _task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts on SQLite (a fresh file) or on `database_url`, with the fixtures loaded.
    pub async fn start(database_url: Option<String>) -> Self {
        Self::start_avec(database_url, None).await
    }

    /// Same, with department adapters.
    pub async fn start_avec(
        database_url: Option<String>,
        catalogue: Option<Arc<dude_core::adaptateur::catalogue::Catalogue>>,
    ) -> Self {
        Self::start_delais(database_url, catalogue, Default::default()).await
    }

    /// Same, with the delays a client has to send its request.
    pub async fn start_delais(
        database_url: Option<String>,
        catalogue: Option<Arc<dude_core::adaptateur::catalogue::Catalogue>>,
        delais: dude_core::api::extract::DelaisHttp,
    ) -> Self {
        Self::start_complet(database_url, catalogue, delais, false).await
    }

    /// On SQLite, with the portal's demo identity provider (not the demo data).
    pub async fn start_demo() -> Self {
        Self::start_complet(None, None, Default::default(), true).await
    }

    /// [`TestServer::start_demo`] on the database given (PostgreSQL), SQLite otherwise.
    pub async fn start_demo_sur(database_url: Option<String>) -> Self {
        Self::start_complet(database_url, None, Default::default(), true).await
    }

    async fn start_complet(
        database_url: Option<String>,
        catalogue: Option<Arc<dude_core::adaptateur::catalogue::Catalogue>>,
        delais: dude_core::api::extract::DelaisHttp,
        demo: bool,
    ) -> Self {
        // the same assembly as `dude serve` (app::demarrage), with the test's clock,
        // database, identity provider and operator token
        let dir = tempfile::tempdir().unwrap();
        let url = database_url.unwrap_or_else(|| format!("sqlite://{}/dude.db", dir.path().display()));
        let key = MasterKey::from_bytes(MASTER_KEY);
        let store = Store::open(&url, &key).await.expect("store opens");
        store.inserer_dossiers(&fixtures(), &Provenance::new("test:fixtures", None)).await.expect("fixtures");
        seed_habilitations(&store).await;
        let clock = FixedClock::new(Utc.from_utc_datetime(&d(TODAY).and_hms_opt(10, 0, 0).unwrap()));
        let idp = Idp::start().await;
        let mut settings = Settings::defaut();
        settings.database_url = url.clone();
        settings.cle = SourceCle::Valeur(base64::engine::general_purpose::STANDARD.encode(MASTER_KEY));
        settings.admin_tokens = vec![TOKEN_ADMIN.into()];
        settings.oidc = Some(idp.config());
        settings.sla_sondes = None;
        settings.delais_http = delais;
        // the portal's demo identity provider, without the demo data
        settings.portail.demo = demo;
        settings.bind = "127.0.0.1:0".parse().unwrap();
        settings.checkpoint_file = dir.path().join("journal-checkpoints.jsonl");
        // compiled adapters shared by every test (compiled once per build of a component)
        settings.cwasm_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/cwasm-tests");
        // adapters only where the test brings them
        let options = Options {
            clock: Some(Arc::new(clock.clone())),
            catalogue,
            sans_adaptateurs_integres: true,
            ..Default::default()
        };
        let app = Application::demarrer(&settings, options).await.expect("application");
        let state = app.state.clone();
        let http = api::serveur::Http::lier(state.clone(), &settings).await.unwrap();
        let addr = http.adresse();
        let task = tokio::spawn(http.servir(std::future::pending()));
        let mut s = Self {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            database_url: url,
            store,
            state,
            clock,
            idp,
            jetons: HashMap::new(),
            _app: app,
            _dir: dir,
            _task: task,
        };
        for (k, app) in &APPS {
            let t = s.token(app.client_id, SECRET).await;
            s.jetons.insert(k, t);
        }
        s
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// New access tokens for the test applications, at the clock's current time.
    pub async fn renouveler_jetons(&mut self) {
        for (k, app) in &APPS {
            let t = self.token(app.client_id, SECRET).await;
            self.jetons.insert(k, t);
        }
    }

    /// An access token by OAuth2 client credentials.
    pub async fn token(&self, client_id: &str, secret: &str) -> String {
        let r = self
            .client
            .post(self.url("/oauth2/token"))
            .form(&[("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "token for {client_id}");
        let v: serde_json::Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    /// The access token of a test application (or the string itself for unknown keys).
    pub fn jwt(&self, key: &str) -> String {
        self.jetons.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    /// A partner request with the application's token and its agent's headers.
    pub fn partner(&self, method: reqwest::Method, key: &str, path: &str) -> reqwest::RequestBuilder {
        let agent = APPS.iter().find(|(k, _)| *k == key).map(|(_, a)| a.agent).unwrap_or(("AG001", "Dupont", "Anne"));
        self.client
            .request(method, self.url(path))
            .bearer_auth(self.jwt(key))
            .header("pa-identifiant-agent", agent.0)
            .header("pa-nom-agent", agent.1)
            .header("pa-prenom-agent", agent.2)
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

/// An appointment as rdv-insertion sends it to France Travail's live API.
pub fn rendez_vous(id: Option<&str>, duree: u32, statut: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "adresse": "1 rue de la Gare 77000 Melun",
        "libelleAdresse": "Conseil départemental de Seine-et-Marne",
        "date": "2026-12-10T10:30:00.000+01:00",
        "duree": duree,
        "information": "Se munir d'une pièce d'identité",
        "initiateur": "PARTENAIRE",
        "modaliteContact": "PHYSIQUE",
        "motif": "ORI",
        "organisme": {"code": "CD", "emailContact": "insertion@cd77.fr", "idStructure": "77001",
            "libelleStructure": "Pôle insertion de Melun", "telephoneContact": "0160000000"},
        "statut": statut,
        "telephoneContactUsager": "+33600000000",
        "theme": "RSA orientation",
        "typeReception": "IND",
        "interlocuteur": {"email": null, "nom": "Dupont", "prenom": "Anne"}
    })
}

/// What a test webhook received, in order.
pub type Recus = std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>;

/// A local webhook that keeps what it receives.
pub async fn webhook() -> (String, Recus) {
    let recus = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let r2 = recus.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(v): axum::Json<serde_json::Value>| {
            let r = r2.clone();
            async move {
                r.lock().unwrap().push(v);
                "ok"
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, recus)
}
