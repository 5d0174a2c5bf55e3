//! Supervision probes (seed 002 annex 2 §4): every interval (default 30 s), the database,
//! each loaded adapter (`describe` in its sandbox) and each API end to end — through the
//! real router, authenticated as the probe's own application (`app::sla::sonde`), on the
//! probe's own dossier. Results are stored per minute (availability) and exposed as
//! metrics. The probe's calls are journaled like any access and kept out of the partners'
//! measurements.

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Utc};
use tower::ServiceExt;

use crate::app::Services;
use crate::app::sla::sonde::{self, AGENT, NAISSANCE, NIR, client};
use crate::dossier::Nir;
use crate::dossier::codes::Coded;
use crate::sla::api::Api;
use crate::store::sla::ResultatSonde;

/// One probe round; every result is stored and exposed as a metric.
pub async fn sonder(services: &Services, router: Router, maintenant: DateTime<Utc>) -> Vec<ResultatSonde> {
    let minute = DateTime::from_timestamp(crate::sla::agregat::minute_de(maintenant), 0).unwrap_or(maintenant);
    let mut out = Vec::new();
    let mut note = |cible: String, debut: Instant, r: Result<(), String>| {
        let duree = debut.elapsed();
        crate::sla::metriques::sonde(&cible, r.is_ok(), duree);
        if let Err(e) = &r {
            tracing::warn!(cible = %cible, erreur = %e, "sonde en échec");
        }
        out.push(ResultatSonde { minute, cible, ok: r.is_ok(), duree_ms: duree.as_millis() as i64, detail: r.err() });
    };
    // the database
    let t = Instant::now();
    note("base".into(), t, sonde::base(services).await);
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
    for (nom, debut, r) in sonde::adaptateurs(services).await {
        note(format!("adaptateur:{nom}"), debut, r);
    }
    sonde::enregistrer(services, &out).await;
    out
}

/// Starts the probes every `intervalle`; probes failing for a few minutes open an
/// availability incident, which their success restores.
pub fn demarrer_sondes(
    services: std::sync::Arc<Services>,
    router: Router,
    intervalle: Duration,
) -> tokio::task::JoinHandle<()> {
    // one prober across instances (lease `sondes`); its count of consecutive failures
    // starts again when another instance takes over
    let echecs = std::sync::Arc::new(tokio::sync::Mutex::new(std::collections::HashMap::new()));
    crate::app::grappe::sous_bail(services, "sondes", intervalle, move |s| {
        let (router, echecs) = (router.clone(), echecs.clone());
        async move {
            let now = s.clock.now();
            let r = sonder(&s, router, now).await;
            let mut echecs = echecs.lock().await;
            if let Err(e) = crate::app::sla::gestion::suivre_sondes(&s, &r, &mut echecs, now).await {
                tracing::error!(erreur = %e, "suivi des sondes");
            }
        }
    })
}
