//! The portal's pages for the data protection officer (a person's dossiers found by NIR,
//! then their access history, the RGPD art. 15 report, as a page and a CSV) and for
//! administrators (the SLA page). The use cases are the administration API's.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::session::{Connecte, csrf_valide};
use super::{Cadre, erreur, page};
use crate::app::rapport::{self, Acces};
use crate::app::{AppError, AppState};
use crate::dossier::Nir;
use crate::habilitation::administrateur::Administrateur;
use crate::habilitation::authorizer::Motif;

fn administrateur(c: &Connecte) -> Result<&Administrateur, AppError> {
    c.admin.as_ref().ok_or(AppError::Refus(Motif::RoleNonAutorise))
}

#[derive(Template)]
#[template(path = "portail/dpo.html")]
struct PageDpo {
    cadre: Cadre,
    csrf: String,
    erreur: Option<String>,
    /// After a search: the dossiers found.
    dossiers: Option<Vec<String>>,
}

/// `GET /dpo`: finding a person's dossiers by NIR and date of birth (the form, for the
/// data protection officer; the use cases check it again).
pub async fn dpo(State(state): State<AppState>, c: Connecte) -> Response {
    if !c.admin.as_ref().is_some_and(Administrateur::dpo) {
        return erreur(&state, &c, AppError::Refus(Motif::RoleNonAutorise));
    }
    let cadre = Cadre::new(&state, "Droit d'accès d'une personne", Some(c.agent.clone()));
    page(StatusCode::OK, &PageDpo { cadre, csrf: c.session.csrf.clone(), erreur: None, dossiers: None })
}

#[derive(Debug, Deserialize)]
pub struct RechercheDpo {
    csrf: Option<String>,
    #[serde(default)]
    nir: String,
    #[serde(default)]
    date_naissance: String,
}

/// `POST /dpo`: the dossiers of the person (journaled by the use case).
pub async fn dpo_rechercher(State(state): State<AppState>, c: Connecte, Form(f): Form<RechercheDpo>) -> Response {
    if !csrf_valide(&c.session, f.csrf.as_deref()) {
        return super::connexion::formulaire_refuse(&state);
    }
    let admin = match administrateur(&c) {
        Ok(a) => a,
        Err(e) => return erreur(&state, &c, e),
    };
    let cadre = Cadre::new(&state, "Droit d'accès d'une personne", Some(c.agent.clone()));
    let mut p = PageDpo { cadre, csrf: c.session.csrf.clone(), erreur: None, dossiers: None };
    let lu = Nir::parse(&f.nir).map_err(|e| e.to_string()).and_then(|n| {
        NaiveDate::parse_from_str(f.date_naissance.trim(), "%Y-%m-%d")
            .map(|d| (n, d))
            .map_err(|_| "Date de naissance : date attendue au format AAAA-MM-JJ".to_string())
    });
    let (nir, naissance) = match lu {
        Ok(x) => x,
        Err(m) => {
            p.erreur = Some(m);
            return page(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    match rapport::rechercher_dossiers(state.services(), admin, &nir, naissance).await {
        Ok(ids) => {
            p.dossiers = Some(ids.iter().map(Uuid::to_string).collect());
            page(StatusCode::OK, &p)
        }
        Err(e) => erreur(&state, &c, e),
    }
}

#[derive(Template)]
#[template(path = "portail/rapport_acces.html")]
struct PageRapport {
    cadre: Cadre,
    dossier: String,
    nir_partiel: String,
    etabli_le: String,
    categories: Vec<(String, String)>,
    acces: Vec<Acces>,
}

/// The report of dossier `id` for the signed-in DPO (the use case checks the role).
async fn rapport_de(state: &AppState, c: &Connecte, id: &str) -> Result<rapport::RapportAcces, AppError> {
    let admin = administrateur(c)?;
    let id = Uuid::parse_str(id).map_err(|_| AppError::Inconnu("dossier inconnu".into()))?;
    rapport::rapport_acces(state.services(), admin, id).await
}

/// `GET /dpo/dossiers/{id}`: the access report.
pub async fn rapport_acces(State(state): State<AppState>, c: Connecte, Path(id): Path<String>) -> Response {
    match rapport_de(&state, &c, &id).await {
        Ok(r) => page(
            StatusCode::OK,
            &PageRapport {
                cadre: Cadre::new(&state, "Historique des accès", Some(c.agent.clone())),
                dossier: r.dossier.to_string(),
                nir_partiel: r.nir_partiel,
                etabli_le: r.etabli_le.format("%d/%m/%Y à %H:%M UTC").to_string(),
                categories: r
                    .donnees
                    .iter()
                    .map(|d| (d.categorie.clone(), format!("{} — {}", d.source, d.maj_le.format("%d/%m/%Y"))))
                    .collect(),
                acces: r.acces,
            },
        ),
        Err(e) => erreur(&state, &c, e),
    }
}

/// `GET /dpo/dossiers/{id}/acces.csv`: the same history as CSV.
pub async fn rapport_acces_csv(State(state): State<AppState>, c: Connecte, Path(id): Path<String>) -> Response {
    let r = match rapport_de(&state, &c, &id).await {
        Ok(r) => r,
        Err(e) => return erreur(&state, &c, e),
    };
    match rapport::acces_en_csv(&r.acces) {
        Ok(octets) => {
            let mut rep = (StatusCode::OK, octets).into_response();
            let h = rep.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"acces.csv\""));
            rep
        }
        Err(e) => {
            tracing::error!(erreur = %e, "historique des accès en CSV");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DemandeSla {
    mois: Option<String>,
    convention: Option<String>,
}

/// `GET /sla`: the SLA page of the administration API, for a signed-in administrator, of
/// the convention it acts under unless another is asked. Its own stylesheet is inline:
/// the page's CSP allows that one block by its hash.
pub async fn sla(State(state): State<AppState>, c: Connecte, Query(q): Query<DemandeSla>) -> Response {
    use base64::Engine;
    use sha2::Digest;
    let admin = match administrateur(&c) {
        Ok(a) => a,
        Err(e) => return erreur(&state, &c, e),
    };
    let mois = q.mois.unwrap_or_else(|| state.services().clock.today().format("%Y-%m").to_string());
    // by default, the convention the agent acts under
    let convention = q.convention.unwrap_or_else(|| c.appelant.convention.id.clone());
    match crate::app::sla::administration::page(state.services(), admin, &mois, Some(&convention)).await {
        Ok(html) => {
            let empreinte = base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(crate::sla::page::CSS.as_bytes()));
            let csp = super::CSP.replace("style-src 'self'", &format!("style-src 'self' 'sha256-{empreinte}'"));
            let mut r = (StatusCode::OK, axum::response::Html(html)).into_response();
            if let Ok(v) = HeaderValue::from_str(&csp) {
                r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
            }
            r
        }
        Err(e) => erreur(&state, &c, e),
    }
}
