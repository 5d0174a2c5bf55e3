//! France Travail's `rendez-vous-partenaire/v1`: a département's system makes (POST),
//! changes (PUT, the id in the body) and cancels (DELETE `/{id}`) an appointment of the
//! person's parcours. Another partner's id, or an unknown one, answers 400
//! `ID_NON_RECONNU`, as France Travail does (its clients then make it again).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::JetonUsager;
use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::{Body, Path};
use crate::api::problem::{ApiError, Problem};
use crate::app::AppError;
use crate::app::acces::{Reference, exiger_scope};
use crate::app::error::Refus;
use crate::app::rendez_vous;
use crate::dossier::rendez_vous::{DetailRendezVous, RefusRendezVous, RendezVous};
use crate::habilitation::Appelant;
use crate::habilitation::scopes;

/// An appointment as the partner sends it: `id` null (or absent) to make it, the id DUDE
/// gave to change it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RendezVousEnvoye {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(flatten)]
    pub detail: DetailRendezVous,
}

/// An appointment as DUDE answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RendezVousPartenaire {
    pub id: String,
    #[serde(flatten)]
    pub detail: DetailRendezVous,
}

fn reponse(r: RendezVous) -> RendezVousPartenaire {
    RendezVousPartenaire { id: r.id, detail: r.detail }
}

fn refus(r: Refus<RefusRendezVous>) -> ApiError {
    match r {
        Refus::Regle(RefusRendezVous::Inconnu) => {
            ApiError::App(AppError::IdNonReconnu(RefusRendezVous::Inconnu.to_string()))
        }
        Refus::Regle(e @ RefusRendezVous::TropLong { champ, .. }) => ApiError::invalid(champ, e.to_string()),
        Refus::Regle(e @ RefusRendezVous::Duree) => ApiError::invalid("duree", e.to_string()),
        Refus::Regle(e @ RefusRendezVous::StatutInitial) => ApiError::invalid("statut", e.to_string()),
        Refus::App(e) => ApiError::App(e),
    }
}

/// Makes an appointment for the person of the `ft-jeton-usager`.
#[utoipa::path(post, path = "/partenaire/rendez-vous-partenaire/v1/rendez-vous", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2")),
    request_body = RendezVousEnvoye,
    responses(
        (status = 201, description = "le rendez-vous, avec son id", body = RendezVousPartenaire),
        (status = 400, description = "R997, le champ en cause nommé", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001 (dont rendez-vous non accordés, scope absent)", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn prendre(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
    Body(req): Body<RendezVousEnvoye>,
) -> Result<Response, ApiError> {
    let s = state.services();
    exiger_scope(s, &appelant, "rendez-vous.prendre", scopes::RENDEZ_VOUS_PARTENAIRE_V1).await?;
    if req.id.is_some() {
        return Err(ApiError::invalid("id", "id : absent ou null pour prendre un rendez-vous (PUT pour le modifier)"));
    }
    let r = rendez_vous::prendre(s, &appelant, Reference::Jeton(&jeton), req.detail).await.map_err(refus)?;
    Ok((StatusCode::CREATED, Json(reponse(r))).into_response())
}

/// Changes an appointment the partner made (its id in the body).
#[utoipa::path(put, path = "/partenaire/rendez-vous-partenaire/v1/rendez-vous", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2")),
    request_body = RendezVousEnvoye,
    responses(
        (status = 200, body = RendezVousPartenaire),
        (status = 400, description = "R997, dont codeErreur ID_NON_RECONNU : pas de rendez-vous de ce partenaire pour cet id et cet usager", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn modifier(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
    Body(req): Body<RendezVousEnvoye>,
) -> Result<Json<RendezVousPartenaire>, ApiError> {
    let s = state.services();
    exiger_scope(s, &appelant, "rendez-vous.modifier", scopes::RENDEZ_VOUS_PARTENAIRE_V1).await?;
    let Some(id) = req.id.as_deref().map(str::trim).filter(|i| !i.is_empty()) else {
        return Err(ApiError::invalid("id", "id : obligatoire pour modifier un rendez-vous"));
    };
    let r = rendez_vous::modifier(s, &appelant, Reference::Jeton(&jeton), id, req.detail).await.map_err(refus)?;
    Ok(Json(reponse(r)))
}

/// Cancels an appointment the partner made (kept, ANNULE).
#[utoipa::path(delete, path = "/partenaire/rendez-vous-partenaire/v1/rendez-vous/{id}", tag = "France Travail",
    params(("ft-jeton-usager" = String, Header, description = "jetonUsager de rechercher-usager v2"),
        ("id" = String, Path, description = "l'id donné à la prise du rendez-vous")),
    responses(
        (status = 204, description = "annulé"),
        (status = 400, description = "R997, dont codeErreur ID_NON_RECONNU", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "R001 jeton usager expiré : rechercher de nouveau", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "R001", body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn annuler(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    JetonUsager(jeton): JetonUsager,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let s = state.services();
    exiger_scope(s, &appelant, "rendez-vous.annuler", scopes::RENDEZ_VOUS_PARTENAIRE_V1).await?;
    rendez_vous::annuler(s, &appelant, Reference::Jeton(&jeton), &id).await.map_err(refus)?;
    Ok(StatusCode::NO_CONTENT)
}
