//! Demo organisations, conventions, agents and API clients (secrets derived from the
//! master key, so `serve --demo` can print them at every start).

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{Duration, NaiveDate};

use crate::crypto::keys::MasterKey;
use crate::crypto::secrets::SecretHasher;
use crate::store::{Store, StoreError};
use dude_modele::dossier::Categorie;
use dude_modele::dossier::contact::Departement;
use dude_modele::habilitation::agent::{AgentHabilite, Role};
use dude_modele::habilitation::client::ApiClient;
use dude_modele::habilitation::convention::{Acces, AdaptateurRef, CiblesSla, Convention, Public, Sens, Territoire};
use dude_modele::habilitation::organisation::{Organisation, TypeOrganisation};

/// A demo application and the agent it acts for.
#[derive(Debug, Clone)]
pub struct DemoClient {
    pub client_id: String,
    pub secret: String,
    pub organisation: String,
    pub agent: (String, String, String),
}

fn dep(d: &str) -> Departement {
    Departement::parse(d).expect("valid")
}

/// The categories a département's RSA convention grants (seed 002 annex 3: reading, and
/// writing the diagnostic and the constraints through check boxes; its system sends the
/// orientation it decides and the appointments it makes, as to France Travail).
pub fn categories_cd() -> BTreeMap<Categorie, Acces> {
    use Categorie::*;
    let mut m = BTreeMap::new();
    for c in [
        Identite,
        Nir,
        Contact,
        Inscription,
        Rsa,
        MetiersRecherches,
        ProjetsCreation,
        AccompagnementGlobal,
        ContactsEchanges,
    ] {
        m.insert(c, Acces::Lecture);
    }
    m.insert(Diagnostic, Acces::Ecriture);
    m.insert(Contraintes, Acces::Ecriture);
    // the pouvoir d'agir is part of the diagnostic the département's agents fill in
    // (seed 002 annex 3 §1.2)
    m.insert(PouvoirAgir, Acces::Ecriture);
    m.insert(Orientation, Acces::Ecriture);
    m.insert(RendezVous, Acces::Ecriture);
    m
}

pub fn convention_cd(id: &str, org: &str, d: &str, delai_h: u16) -> Convention {
    Convention {
        id: id.into(),
        libelle: format!("Expérimentation RSA — France Travail et {org}"),
        parties: vec!["ft-national".into(), org.into()],
        territoire: Territoire::Departements(vec![dep(d)]),
        publics: vec![Public::BeneficiairesRsa],
        categories: categories_cd(),
        finalites: vec!["Orientation et accompagnement des bénéficiaires du RSA".into()],
        debut: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        fin: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
        mfa_requise: false,
        conservation_mois: 36,
        delai_notification_violation_h: delai_h,
        batch_autorise: true,
        appelants: Default::default(),
        // every API of France Travail's live surface, as their clients call it
        scopes: dude_modele::habilitation::scopes::SCOPES.iter().map(|s| s.nom.to_string()).collect(),
        sla: CiblesSla::default(),
        adaptateur: None,
        webhook_incidents: None,
    }
}

/// Inserts (or refreshes) the demo habilitations; returns the demo applications.
pub async fn seed(store: &Store, master: &MasterKey, today: NaiveDate) -> Result<Vec<DemoClient>, StoreError> {
    let orgs = [
        Organisation {
            id: "ft-national".into(),
            nom: "France Travail".into(),
            type_organisation: TypeOrganisation::FranceTravailNational,
            departements: vec![],
            parent: None,
        },
        Organisation {
            id: "cd77".into(),
            nom: "Conseil départemental de Seine-et-Marne".into(),
            type_organisation: TypeOrganisation::ConseilDepartemental,
            departements: vec![dep("77")],
            parent: None,
        },
        Organisation {
            id: "cd93".into(),
            nom: "Conseil départemental de la Seine-Saint-Denis".into(),
            type_organisation: TypeOrganisation::ConseilDepartemental,
            departements: vec![dep("93")],
            parent: None,
        },
    ];
    for o in &orgs {
        store.enregistrer_organisation(o).await?;
    }
    store
        .enregistrer_organisation(&Organisation {
            id: "gip-inclusion".into(),
            nom: "GIP Plateforme de l'inclusion".into(),
            type_organisation: TypeOrganisation::Gip,
            departements: vec![dep("77"), dep("93")],
            parent: None,
        })
        .await?;
    let mut ft = convention_cd("conv-ft-national", "ft-national", "77", 48);
    ft.libelle = "France Travail — accès national".into();
    ft.parties = vec!["ft-national".into()];
    ft.territoire = Territoire::National;
    ft.publics = vec![Public::Tous];
    ft.categories = toutes_categories_en_ecriture();
    // the 77's adapters: its stock files and the CAF/MSA flux (cd-files), and the
    // accompagnement global exchanged with SIGMA (in, and the bilans back); the GIP's
    // "Parcours insertion emploi" (gip-inclusion)
    let mut cd77 = convention_cd("conv-cd77-rsa", "cd77", "77", 48);
    cd77.adaptateur = Some(AdaptateurRef::nouveau("cd-files", "^0.1"));
    ecrit(
        &mut cd77,
        &[Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::Rsa, Categorie::Orientation],
    );
    let mut sigma = convention_cd("conv-cd77-sigma", "cd77", "77", 48);
    sigma.libelle = "Accompagnement global — France Travail et Seine-et-Marne (SIGMA)".into();
    let mut r = AdaptateurRef::nouveau("sigma", "^0.1");
    r.directions = vec![Sens::Import, Sens::Export];
    r.format_export = Some("contrat-insertion".into());
    sigma.adaptateur = Some(r);
    ecrit(&mut sigma, &[Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::AccompagnementGlobal]);
    let mut gip = convention_cd("conv-gip-inclusion", "gip-inclusion", "77", 48);
    gip.libelle = "Parcours insertion emploi — France Travail et le GIP Plateforme de l'inclusion".into();
    gip.territoire = Territoire::Departements(vec![dep("77"), dep("93")]);
    gip.adaptateur = Some(AdaptateurRef::nouveau("gip-inclusion", "^0.1"));
    // the GIP's services call as machines (BATCH, BATCH-<name>, a name they answer for,
    // or no agent headers on France Travail's generation 1)
    gip.appelants = dude_modele::habilitation::convention::ModeAppelants::DeclaresParApplication;
    ecrit(
        &mut gip,
        &[
            Categorie::Identite,
            Categorie::Nir,
            Categorie::Contact,
            Categorie::Rsa,
            Categorie::Orientation,
            Categorie::Diagnostic,
            Categorie::AccompagnementGlobal,
        ],
    );
    for c in [cd77, sigma, gip, convention_cd("conv-cd93-rsa", "cd93", "93", 36), ft] {
        store.enregistrer_convention(&c).await?;
    }
    let agents = [
        ("AG077", "cd77", "DUPONT", "Anne", Role::TravailleurSocial),
        ("AG093", "cd93", "MARTIN", "Karim", Role::TravailleurSocial),
        ("FT001", "ft-national", "LEROY", "Sophie", Role::Conseiller),
        // the portal's administration pages: the 77's administrator (monthly lists, SLA)
        // and data protection officer (access histories)
        ("ADM077", "cd77", "BERNARD", "Claire", Role::Administrateur),
        ("DPO077", "cd77", "PETIT", "Louis", Role::AuditeurDpo),
    ];
    for (id, org, nom, prenom, role) in agents {
        store
            .enregistrer_agent(&AgentHabilite {
                id: format!("demo-{id}"),
                organisation_id: org.into(),
                identifiant: id.into(),
                nom: nom.into(),
                prenom: prenom.into(),
                // the address the demo identity provider vouches for (the portal's sign-in)
                courriel: Some(format!("{}.{}@{org}.demo.dude.invalid", prenom.to_lowercase(), nom.to_lowercase())),
                role,
                habilitation_debut: today - Duration::days(365),
                habilitation_fin: today + Duration::days(365),
                certification: Some(today - Duration::days(300)),
                revoque_le: None,
            })
            .await?;
    }
    let hasher = SecretHasher::new(master);
    let mut out = Vec::new();
    for (client_id, org, conv, agent) in [
        ("cd77-sigma", "cd77", "conv-cd77-rsa", ("AG077", "DUPONT", "Anne")),
        ("cd93-solis", "cd93", "conv-cd93-rsa", ("AG093", "MARTIN", "Karim")),
        ("ft-dude", "ft-national", "conv-ft-national", ("FT001", "LEROY", "Sophie")),
        ("gip-emplois", "gip-inclusion", "conv-gip-inclusion", ("BATCH", "Les emplois", "Plateforme de l'inclusion")),
    ] {
        let raw: [u8; 32] = master.derive(format!("dude/demo-secret/{client_id}").as_bytes());
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        store
            .enregistrer_client(&ApiClient {
                client_id: client_id.into(),
                nom: format!("Application de démonstration {client_id}"),
                secret_hash: hasher.hash(client_id, &secret),
                organisation_id: org.into(),
                convention_id: conv.into(),
                scopes: vec!["partenaire".into()],
                revoque_le: None,
            })
            .await?;
        out.push(DemoClient {
            client_id: client_id.into(),
            secret,
            organisation: org.into(),
            agent: (agent.0.into(), agent.1.into(), agent.2.into()),
        });
    }
    Ok(out)
}

/// These categories in writing (the imports of the convention's adapter write them).
fn ecrit(c: &mut Convention, categories: &[Categorie]) {
    for cat in categories {
        c.categories.insert(*cat, Acces::Ecriture);
    }
}

#[allow(non_snake_case)]
fn toutes_categories_en_ecriture() -> BTreeMap<Categorie, Acces> {
    use dude_modele::dossier::codes::Coded;
    Categorie::ALL.iter().map(|c| (*c, Acces::Ecriture)).collect()
}
