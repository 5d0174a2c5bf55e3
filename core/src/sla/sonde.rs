//! Supervision probes (seed 002 annex 2 §4): every interval (default 30 s), the database,
//! each loaded adapter (`describe` in its sandbox) and each API end to end — through the
//! real router, authenticated as the probe's own application, on the probe's own dossier.
//! Results are stored per minute (availability) and exposed as metrics. The probe's calls
//! are journaled like any access and kept out of the partners' measurements.
//!
//! The probe identity is created at start-up: organisation `dude-sonde`, convention
//! `conv-dude-sonde` (national, read only), agent `DUDE-SONDE`, application `dude-sonde`
//! (no usable secret: its tokens are issued in process), and a dossier with a fictitious
//! NIR (born abroad, 1900), registered, without RSA.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use tower::ServiceExt;

use super::api::Api;
use crate::api::Services;
use crate::dossier::codes::Coded;
use crate::dossier::{Categorie, Dossier, Nir};
use crate::habilitation::agent::{AgentHabilite, Role};
use crate::habilitation::client::ApiClient;
use crate::habilitation::convention::{Acces, CiblesSla, Convention, Public, Territoire};
use crate::habilitation::organisation::{Organisation, TypeOrganisation};
use crate::store::sla::ResultatSonde;
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
    if store.find_by_nir(&nir, date(NAISSANCE)).await?.is_empty() {
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
        store.insert_dossiers(&[d], &Provenance::new("systeme:sonde", None)).await?;
    }
    Ok(())
}

fn client() -> ApiClient {
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

/// One probe round; every result is stored and exposed as a metric.
pub async fn sonder(services: &Services, router: Router, maintenant: DateTime<Utc>) -> Vec<ResultatSonde> {
    let minute = DateTime::from_timestamp(super::agregat::minute_de(maintenant), 0).unwrap_or(maintenant);
    let mut out = Vec::new();
    let mut note = |cible: String, debut: Instant, r: Result<(), String>| {
        let duree = debut.elapsed();
        super::metriques::sonde(&cible, r.is_ok(), duree);
        if let Err(e) = &r {
            tracing::warn!(cible = %cible, erreur = %e, "sonde en échec");
        }
        out.push(ResultatSonde { minute, cible, ok: r.is_ok(), duree_ms: duree.as_millis() as i64, detail: r.err() });
    };
    // the database
    let t = Instant::now();
    note("base".into(), t, services.store.ping().await.map_err(|e| e.to_string()));
    // the APIs, end to end
    let jeton = services.emetteur.emettre(&client(), maintenant);
    let appel = |methode: &str, chemin: String, corps: Option<serde_json::Value>| {
        let mut r = Request::builder()
            .method(methode)
            .uri(chemin)
            .header("authorization", format!("Bearer {jeton}"))
            .header("pa-identifiant-agent", AGENT)
            .header("pa-nom-agent", "SONDE")
            .header("pa-prenom-agent", "Dude")
            .header("x-request-id", format!("sonde-{}", maintenant.timestamp()));
        let body = match corps {
            Some(v) => {
                r = r.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let req = r.body(body).expect("valid request");
        let router = router.clone();
        async move {
            let rep = tokio::time::timeout(Duration::from_secs(10), router.oneshot(req))
                .await
                .map_err(|_| "pas de réponse en 10 s".to_string())?
                .map_err(|e| e.to_string())?;
            let statut = rep.status();
            let octets = axum::body::to_bytes(rep.into_body(), 1 << 20).await.map_err(|e| e.to_string())?;
            if statut != StatusCode::OK {
                return Err(format!("HTTP {}", statut.as_u16()));
            }
            serde_json::from_slice::<serde_json::Value>(&octets).map_err(|e| e.to_string())
        }
    };
    let t = Instant::now();
    let recherche = appel(
        "POST",
        "/partenaire/v1/rechercher-usager".into(),
        Some(serde_json::json!({"nir": Nir::parse(NIR).expect("valid").expose(), "dateNaissance": NAISSANCE})),
    )
    .await
    .and_then(|v| match v["idNational"].as_str() {
        Some(id) if v["codeRetour"] == "S001" => Ok(id.to_string()),
        _ => Err(format!("dossier de sonde non trouvé ({})", v["codeRetour"])),
    });
    note(Api::RechercheUsager.code().into(), t, recherche.as_ref().map(|_| ()).map_err(Clone::clone));
    for (api, suffixe) in [
        (Api::StatutUsager, "statut"),
        (Api::DiagnosticIndividu, "diagnostic/dossier"),
        (Api::MetiersProjets, "metiers-recherches"),
        (Api::CreationEntreprise, "projets-creation-entreprise"),
    ] {
        let t = Instant::now();
        let r = match &recherche {
            Ok(id) => appel("GET", format!("/partenaire/v1/usagers/{id}/{suffixe}"), None).await.map(|_| ()),
            Err(e) => Err(format!("recherche impossible : {e}")),
        };
        note(api.code().into(), t, r);
    }
    // each adapter, in its sandbox
    if let Some(cat) = &services.catalogue {
        for a in cat.tous() {
            let t = Instant::now();
            let a2 = a.clone();
            let r = tokio::task::spawn_blocking(move || {
                crate::plugin::tache::decrire(&a2, &crate::plugin::Limites::default(), &Default::default()).map(|_| ())
            })
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
            note(format!("adaptateur:{}", a.nom), t, r);
        }
    }
    for r in &out {
        if let Err(e) = services.store.sla_ecrire_sonde(r).await {
            tracing::error!(erreur = %e, "résultat de sonde non enregistré");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_probe_nir_is_valid() {
        assert!(crate::dossier::Nir::parse(super::NIR).is_ok());
    }
}
