//! The authorization matrix: role × organisation kind × territory (in/out) × public
//! (in/out) × category × action × validity (before, within, after, revoked) ×
//! certification × MFA, every decision checked through the HTTP API against an oracle
//! written plainly here (not the casbin model).

mod common;

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use common::*;
use dude_core::crypto::id_national::IdNationalCodec;
use dude_core::crypto::keys::MasterKey;
use dude_core::crypto::secrets::SecretHasher;
use dude_core::dossier::Categorie;
use dude_core::dossier::contact::Departement;
use dude_core::dossier::diagnostic::*;
use dude_core::habilitation::agent::Role;
use dude_core::habilitation::convention::{Acces, Action, Public, Territoire};
use dude_core::store::Provenance;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Validite {
    Avant,
    Pendant,
    Apres,
    Revoque,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mfa {
    NonRequise,
    RequiseFaite,
    RequiseAbsente,
}

/// What each role may do at most — the specification, written out.
fn role_permet(role: Role, cat: Categorie, act: Action) -> bool {
    use Categorie::*;
    let lecture: &[Categorie] = match role {
        Role::Conseiller => &[
            Identite,
            Nir,
            Contact,
            Inscription,
            Indemnisation,
            Rsa,
            Orientation,
            Diagnostic,
            Contraintes,
            PouvoirAgir,
            MetiersRecherches,
            ProjetsCreation,
            AccompagnementGlobal,
            ContactsEchanges,
            RendezVous,
        ],
        Role::TravailleurSocial => &[
            Identite,
            Nir,
            Contact,
            Inscription,
            Rsa,
            Orientation,
            Diagnostic,
            Contraintes,
            PouvoirAgir,
            MetiersRecherches,
            ProjetsCreation,
            AccompagnementGlobal,
            ContactsEchanges,
            RendezVous,
        ],
        Role::CorrespondantInsertion => &[Identite, Nir, Contact, Inscription, Rsa, Orientation],
        // the machine flows of partners' systems: search and status, orientation,
        // appointments (rdv-insertion), the address of the person (les-emplois)
        Role::Batch => &[Identite, Nir, Contact, Inscription, Rsa, Orientation, RendezVous],
        Role::Administrateur | Role::AuditeurDpo => &[],
    };
    let ecriture: &[Categorie] = match role {
        Role::Conseiller => &[
            Orientation,
            Diagnostic,
            Contraintes,
            PouvoirAgir,
            MetiersRecherches,
            AccompagnementGlobal,
            ContactsEchanges,
            RendezVous,
        ],
        // the département's orientation decision (seed 002 §2), sent by its system
        // and the diagnostic they fill in, pouvoir d'agir included (seed 002 annex 3 §1.2)
        Role::TravailleurSocial => {
            &[Orientation, Diagnostic, Contraintes, PouvoirAgir, AccompagnementGlobal, RendezVous]
        }
        Role::Batch => &[Orientation, RendezVous],
        _ => &[],
    };
    match act {
        Action::Lire => lecture.contains(&cat),
        Action::Ecrire => ecriture.contains(&cat),
    }
}

/// What the matrix conventions grant: not pouvoir d'agir nor projets, contraintes read-only.
fn accorde(cat: Categorie, act: Action) -> bool {
    use Categorie::*;
    match cat {
        Identite | Nir | Contact | Inscription | Rsa | MetiersRecherches | Contraintes => act == Action::Lire,
        Diagnostic => true,
        _ => false,
    }
}

fn matrix_categories() -> BTreeMap<Categorie, Acces> {
    use Categorie::*;
    let mut m = BTreeMap::new();
    for c in [Identite, Nir, Contact, Inscription, Rsa, MetiersRecherches, Contraintes] {
        m.insert(c, Acces::Lecture);
    }
    m.insert(Diagnostic, Acces::Ecriture);
    m
}

struct Personne {
    nir: &'static str,
    dep: &'static str,
    rsa: bool,
}

const PERSONNES: [Personne; 4] = [
    Personne { nir: "1900177000101", dep: "77", rsa: true },
    Personne { nir: "1900177000102", dep: "77", rsa: false },
    Personne { nir: "1900193000103", dep: "93", rsa: true },
    Personne { nir: "1900193000104", dep: "93", rsa: false },
];
const BIRTH: &str = "1990-01-20";

#[derive(Debug, Clone, Copy)]
enum Endpoint {
    Rechercher,
    Statut,
    Besoins,
    DiagnosticsEcrire,
    Contraintes,
    ContraintesEcrire,
    Dossier,
    PouvoirAgir,
    Metiers,
    Projets,
}

const ENDPOINTS: [Endpoint; 10] = [
    Endpoint::Rechercher,
    Endpoint::Statut,
    Endpoint::Besoins,
    Endpoint::DiagnosticsEcrire,
    Endpoint::Contraintes,
    Endpoint::ContraintesEcrire,
    Endpoint::Dossier,
    Endpoint::PouvoirAgir,
    Endpoint::Metiers,
    Endpoint::Projets,
];

impl Endpoint {
    fn categories(self) -> Vec<(Categorie, Action)> {
        use Action::*;
        use Categorie::*;
        match self {
            Endpoint::Rechercher => vec![(Nir, Lire), (Identite, Lire)],
            Endpoint::Statut => vec![(Inscription, Lire)],
            Endpoint::Besoins => vec![(Diagnostic, Lire)],
            Endpoint::DiagnosticsEcrire => vec![(Diagnostic, Ecrire)],
            Endpoint::Contraintes => vec![(Contraintes, Lire)],
            Endpoint::ContraintesEcrire => vec![(Contraintes, Ecrire)],
            Endpoint::Dossier => vec![(Diagnostic, Lire), (Contraintes, Lire)],
            Endpoint::PouvoirAgir => vec![(PouvoirAgir, Lire)],
            Endpoint::Metiers => vec![(MetiersRecherches, Lire)],
            Endpoint::Projets => vec![(ProjetsCreation, Lire)],
        }
    }
}

/// The expected answer: status, and for the partial dossier the keys present.
#[derive(Debug, Clone, PartialEq)]
enum Attendu {
    Status(u16),
    Recherche(&'static str),
    Partiel(Vec<&'static str>),
}

fn oracle(role: Role, national: bool, v: Validite, certifie: bool, mfa: Mfa, e: Endpoint, p: &Personne) -> Attendu {
    let global = v == Validite::Pendant && certifie && mfa != Mfa::RequiseAbsente;
    let perimetre = (national || p.dep == "77") && p.rsa;
    match e {
        Endpoint::Rechercher => {
            let ok = global && e.categories().iter().all(|&(c, a)| accorde(c, a) && role_permet(role, c, a));
            if !ok {
                Attendu::Status(403)
            } else if perimetre {
                Attendu::Recherche("S001")
            } else {
                Attendu::Recherche("S002")
            }
        }
        Endpoint::Dossier => {
            if !global {
                return Attendu::Status(403);
            }
            let mut keys = Vec::new();
            for (c, a) in e.categories() {
                if !accorde(c, a) {
                    continue;
                }
                if !perimetre {
                    return Attendu::Status(404);
                }
                if role_permet(role, c, a) {
                    keys.push(if c == Categorie::Diagnostic {
                        "besoinsParDiagnosticIndividuDtos"
                    } else {
                        "contraintesIndividusDto"
                    });
                }
            }
            if keys.is_empty() { Attendu::Status(403) } else { Attendu::Partiel(keys) }
        }
        _ => {
            let (c, a) = e.categories()[0];
            if !global || !accorde(c, a) {
                Attendu::Status(403)
            } else if !perimetre {
                Attendu::Status(404)
            } else if !role_permet(role, c, a) {
                Attendu::Status(403)
            } else {
                Attendu::Status(200)
            }
        }
    }
}

#[tokio::test]
async fn authorization_matrix_through_the_api() {
    let s = TestServer::start(None).await;
    let master = MasterKey::from_bytes(MASTER_KEY);
    let hasher = SecretHasher::new(&master);
    let codec = IdNationalCodec::new(&master);

    // people: in/out of 77 × RSA or not, all registered, with a diagnostic
    let mut dossiers = Vec::new();
    for (i, p) in PERSONNES.iter().enumerate() {
        let mut x = person(p.nir, &format!("MATRICE{i}"), BIRTH, p.dep, p.rsa, vec![ins("2025-03-03")]);
        x.diagnostic.diagnostics.push(DiagnosticMetier {
            id_metier: "MX-1".into(),
            nom_metier: "Commis de cuisine".into(),
            statut: StatutDiagnostic::EnCours,
            typologie: TypologieDiagnostic::MetierRecherche,
            est_prioritaire: true,
            conseiller: Conseiller { nom: "X".into(), prenom: "Y".into(), structure: "Z".into() },
            date_mise_a_jour: d("2026-06-01"),
        });
        dossiers.push(x);
    }
    s.store.inserer_dossiers(&dossiers, &Provenance::new("test:matrice", None)).await.unwrap();

    // conventions and applications per organisation kind × MFA case
    let orgs = [("cd77", false), ("ft", true)];
    let mfas = [Mfa::NonRequise, Mfa::RequiseFaite, Mfa::RequiseAbsente];
    let mut tokens = BTreeMap::new();
    for (org, national) in orgs {
        for mfa in mfas {
            let id = format!("mx-{org}-{mfa:?}");
            let territoire = if national {
                Territoire::National
            } else {
                Territoire::Departements(vec![Departement::parse("77").unwrap()])
            };
            let mut c = convention(&id, &["ft", org], territoire, vec![Public::BeneficiairesRsa]);
            c.categories = matrix_categories();
            c.mfa_requise = mfa != Mfa::NonRequise;
            s.store.enregistrer_convention(&c).await.unwrap();
            let mut cl = client(&id, org, &id, &hasher);
            if mfa == Mfa::RequiseFaite {
                cl.scopes.push("mfa".into());
            }
            s.store.enregistrer_client(&cl).await.unwrap();
        }
    }
    // agents: role × validity × certification, in each organisation
    let roles = [
        Role::Conseiller,
        Role::TravailleurSocial,
        Role::CorrespondantInsertion,
        Role::Administrateur,
        Role::AuditeurDpo,
    ];
    let validites = [Validite::Avant, Validite::Pendant, Validite::Apres, Validite::Revoque];
    let mut agents = Vec::new();
    for (org, national) in orgs {
        for role in roles {
            for v in validites {
                for certifie in [true, false] {
                    let ident = format!("MX-{org}-{role:?}-{v:?}-{certifie}");
                    let mut a = agent(&ident, org, "Matrice", "Agent", role);
                    match v {
                        Validite::Avant => {
                            (a.habilitation_debut, a.habilitation_fin) = (d("2026-12-01"), d("2027-12-31"))
                        }
                        Validite::Pendant => {}
                        Validite::Apres => {
                            (a.habilitation_debut, a.habilitation_fin) = (d("2025-01-01"), d("2026-11-21"))
                        }
                        Validite::Revoque => {
                            a.revoque_le = Some(Utc.from_utc_datetime(&d("2026-11-01").and_hms_opt(0, 0, 0).unwrap()))
                        }
                    }
                    a.certification = certifie.then(|| d("2026-01-15"));
                    s.store.enregistrer_agent(&a).await.unwrap();
                    agents.push((ident, org, national, role, v, certifie));
                }
            }
        }
    }
    s.state.services().gardien.recharger(&s.store).await.unwrap();
    for (org, _) in orgs {
        for mfa in mfas {
            let id = format!("mx-{org}-{mfa:?}");
            tokens.insert(id.clone(), s.token(&id, SECRET).await);
        }
    }

    // every case
    let mut cases = Vec::new();
    for (ident, org, national, role, v, certifie) in &agents {
        for mfa in mfas {
            for e in ENDPOINTS {
                for (pi, p) in PERSONNES.iter().enumerate() {
                    let attendu = oracle(*role, *national, *v, *certifie, mfa, e, p);
                    cases.push((ident.clone(), org.to_string(), mfa, e, pi, attendu));
                }
            }
        }
    }
    let total = cases.len();
    let mut mismatches = Vec::new();
    for chunk in cases.chunks(64) {
        let mut set = tokio::task::JoinSet::new();
        for (ident, org, mfa, e, pi, attendu) in chunk.iter().cloned() {
            let http = s.client.clone();
            let base = s.base.clone();
            let token = tokens[&format!("mx-{org}-{mfa:?}")].clone();
            let p = &PERSONNES[pi];
            let idn = {
                let ids =
                    s.store.dossiers_par_nir(&dude_core::dossier::Nir::parse(p.nir).unwrap(), d(BIRTH)).await.unwrap();
                codec.encode(&org, ids[0])
            };
            let metier = codec.encode_metier(&org, "MX-1");
            let nir = nir(p.nir);
            set.spawn(async move {
                let u = |x: &str| format!("{base}/partenaire/v1/usagers/{idn}/{x}");
                let req = match e {
                    Endpoint::Rechercher => http
                        .post(format!("{base}/partenaire/v1/rechercher-usager"))
                        .json(&json!({"nir": nir, "dateNaissance": BIRTH})),
                    Endpoint::Statut => http.get(u("statut")),
                    Endpoint::Besoins => http.get(u("diagnostic/besoins")),
                    Endpoint::DiagnosticsEcrire => http
                        .put(u("diagnostic/diagnostics"))
                        .json(&json!({"diagnostic": [{"idMetierChiffre": metier, "typologie": "METIER_RECHERCHE"}]})),
                    Endpoint::Contraintes => http.get(u("diagnostic/contraintes")),
                    Endpoint::ContraintesEcrire => http
                        .put(u("diagnostic/contraintes"))
                        .json(&json!({"dateExploration": "2026-11-01", "idConseiller": ident, "contraintes": []})),
                    Endpoint::Dossier => http.get(u("diagnostic/dossier")),
                    Endpoint::PouvoirAgir => http.get(u("diagnostic/pouvoir-agir")),
                    Endpoint::Metiers => http.get(u("metiers-recherches")),
                    Endpoint::Projets => http.get(u("projets-creation-entreprise")),
                };
                let r = req
                    .bearer_auth(token)
                    .header("pa-identifiant-agent", &ident)
                    .header("pa-nom-agent", "Matrice")
                    .header("pa-prenom-agent", "Agent")
                    .send()
                    .await
                    .unwrap();
                let st = r.status().as_u16();
                let body: Value = r.json().await.unwrap_or(Value::Null);
                let obtenu = match (&attendu, st) {
                    (Attendu::Recherche(_), 200) => Attendu::Recherche(if body["codeRetour"] == "S001" {
                        "S001"
                    } else if body["codeRetour"] == "S002" {
                        "S002"
                    } else {
                        "?"
                    }),
                    (Attendu::Partiel(_), 200) => {
                        let o = body["dossierIndividu"].as_object().cloned().unwrap_or_default();
                        Attendu::Partiel(
                            ["besoinsParDiagnosticIndividuDtos", "contraintesIndividusDto"]
                                .into_iter()
                                .filter(|k| o.contains_key(*k))
                                .collect(),
                        )
                    }
                    _ => Attendu::Status(st),
                };
                (obtenu != attendu).then(|| {
                    format!("{ident} {mfa:?} {e:?} personne {pi}: attendu {attendu:?}, obtenu {obtenu:?} {body}")
                })
            });
        }
        while let Some(r) = set.join_next().await {
            if let Some(m) = r.unwrap() {
                mismatches.push(m);
            }
        }
    }
    assert!(total >= 9000, "{total} cases");
    assert!(
        mismatches.is_empty(),
        "{} of {total} decisions differ from the oracle:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
    // every decision was journaled (search refusals and grants included)
    let n = s.store.journal_page(0, 100_000).await.unwrap().len();
    assert!(n >= total, "{n} journal entries for {total} calls");
}
