//! The supervision probes (seed 002 annex 2 §4): their identity, the probes of the
//! database and of the adapters, and the recording of every result. The probes of the
//! APIs run at the HTTP edge (`api::sondes`), end to end through the real router.
//!
//! The probe identity is created at start-up: organisation `dude-sonde`, convention
//! `conv-dude-sonde` (national, read only), agent `DUDE-SONDE`, application `dude-sonde`
//! (no usable secret: its tokens are issued in process), and a dossier with a fictitious
//! NIR (born abroad, 1900), registered, without RSA.

use chrono::NaiveDate;
use std::collections::BTreeMap;

use crate::dossier::codes::Coded;
use crate::dossier::{Categorie, Dossier, Nir};
use crate::habilitation::agent::{AgentHabilite, Role};
use crate::habilitation::client::ApiClient;
use crate::habilitation::convention::{Acces, CiblesSla, Convention, Public, Territoire};
use crate::habilitation::organisation::{Organisation, TypeOrganisation};
use crate::store::{Provenance, Store, StoreError};

pub const ORGANISATION: &str = "dude-sonde";
pub const CONVENTION: &str = "conv-dude-sonde";
pub const AGENT: &str = "DUDE-SONDE";
pub const CLIENT: &str = "dude-sonde";
/// Fictitious NIR: man born in January 1900 abroad (99), commune 999, order 999.
pub const NIR: &str = "1000199999999";
pub const NAISSANCE: &str = "1900-01-01";

fn date(s: &str) -> NaiveDate {
    s.parse().expect("constant date")
}

/// Creates (or refreshes) the probe's organisation, convention, agent, application and
/// dossier.
pub async fn preparer(store: &Store) -> Result<(), StoreError> {
    store
        .enregistrer_organisation(&Organisation {
            id: ORGANISATION.into(),
            nom: "Sondes de supervision DUDE".into(),
            type_organisation: TypeOrganisation::FranceTravailNational,
            departements: vec![],
            parent: None,
        })
        .await?;
    let mut categories = BTreeMap::new();
    for c in <Categorie as Coded>::ALL {
        categories.insert(*c, Acces::Lecture);
    }
    store
        .enregistrer_convention(&Convention {
            id: CONVENTION.into(),
            libelle: "Supervision des API par sondes (annexe 2 §4)".into(),
            parties: vec![ORGANISATION.into()],
            territoire: Territoire::National,
            publics: vec![Public::Tous],
            categories,
            finalites: vec!["Supervision de la disponibilité des API".into()],
            debut: date("2000-01-01"),
            fin: date("2099-12-31"),
            mfa_requise: false,
            conservation_mois: 13,
            delai_notification_violation_h: 48,
            batch_autorise: false,
            appelants: Default::default(),
            scopes: vec![],
            sla: CiblesSla::default(),
            adaptateur: None,
            webhook_incidents: None,
        })
        .await?;
    store
        .enregistrer_agent(&AgentHabilite {
            id: "agent-dude-sonde".into(),
            organisation_id: ORGANISATION.into(),
            identifiant: AGENT.into(),
            nom: "SONDE".into(),
            prenom: "Dude".into(),
            courriel: None,
            role: Role::Conseiller,
            habilitation_debut: date("2000-01-01"),
            habilitation_fin: date("2099-12-31"),
            certification: Some(date("2000-01-01")),
            revoque_le: None,
        })
        .await?;
    store.enregistrer_client(&client()).await?;
    let nir = Nir::parse(NIR).expect("valid probe NIR");
    if store.dossiers_par_nir(&nir, date(NAISSANCE)).await?.is_empty() {
        let mut d = Dossier::new(
            nir,
            crate::dossier::identite::Identite {
                civilite: crate::dossier::identite::Civilite::Monsieur,
                nom: "SONDE-DUDE".into(),
                nom_naissance: None,
                prenom: "Supervision".into(),
                date_naissance: date(NAISSANCE),
                sexe: crate::dossier::identite::Sexe::Homme,
                nationalite: None,
                identite_certifiee: false,
                numero_france_travail: None,
            },
        );
        d.contact = Some(crate::dossier::contact::Contact {
            telephone: None,
            courriel: None,
            departement: crate::dossier::contact::Departement::parse("75").expect("75"),
            adresse: crate::dossier::contact::Adresse {
                ligne1: "Supervision".into(),
                ligne2: None,
                code_postal: "75000".into(),
                commune: "Paris".into(),
            },
            zrr: false,
            qpv: false,
        });
        d.inscription.historique = crate::dossier::inscription::HistoriqueInscription::from_events(vec![
            crate::dossier::inscription::EvenementInscription::inscription(
                date("2020-01-06"),
                crate::dossier::inscription::CategorieInscription::Cat1,
                crate::dossier::inscription::MotifInscription::Demission,
                crate::dossier::inscription::SituationEmploi::SansEmploi,
            ),
        ])
        .expect("one registration");
        store.inserer_dossiers(&[d], &Provenance::new("systeme:sonde", None)).await?;
    }
    Ok(())
}

/// The probe's application (its tokens are issued in process).
pub fn client() -> ApiClient {
    ApiClient {
        client_id: CLIENT.into(),
        nom: "Sondes de supervision".into(),
        // no secret opens it: tokens are issued in process
        secret_hash: "-".into(),
        organisation_id: ORGANISATION.into(),
        convention_id: CONVENTION.into(),
        scopes: vec![],
        revoque_le: None,
    }
}

/// The database answers.
pub async fn base(s: &crate::app::Services) -> Result<(), String> {
    s.store.ping().await.map_err(|e| e.to_string())
}

/// Each loaded adapter answers `describe` in its sandbox: name, start, result.
pub async fn adaptateurs(s: &crate::app::Services) -> Vec<(String, std::time::Instant, Result<(), String>)> {
    let mut out = Vec::new();
    let Some(cat) = &s.catalogue else { return out };
    for a in cat.tous() {
        let debut = std::time::Instant::now();
        let a2 = a.clone();
        let r = tokio::task::spawn_blocking(move || {
            crate::adaptateur::tache::decrire(&a2, &crate::adaptateur::Limites::default(), &Default::default())
                .map(|_| ())
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
        out.push((a.nom.clone(), debut, r));
    }
    out
}

/// Stores a round's results (availability is computed from them).
pub async fn enregistrer(s: &crate::app::Services, resultats: &[crate::store::sla::ResultatSonde]) {
    for r in resultats {
        if let Err(e) = s.store.sla_ecrire_sonde(r).await {
            tracing::error!(erreur = %e, "résultat de sonde non enregistré");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_probe_nir_is_valid() {
        assert!(crate::dossier::Nir::parse(super::NIR).is_ok());
    }
}
