//! Accompagnement global (seed 004): France Travail records the 6-month bilan; the
//! conventions that exchange with the département's system through an adapter get the
//! update of their contrat d'insertion (see `crate::export`).

use crate::api::extract::Path;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::diagnostic::{AccuseEnregistrement, ENREGISTRE};
use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::app::acces::Reference;
use crate::app::accompagnement;
use crate::app::error::Refus;
use crate::dossier::accompagnement::{BilanGlobal, DecisionBilan, RefusBilan, ResultatBilan, SortieAccompagnement};
use crate::habilitation::Appelant;

/// A bilan of the accompagnement global.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BilanEnregistrement {
    /// AAAA-MM-JJ, not in the future.
    pub date: String,
    pub resultat: ResultatBilan,
    pub decision: DecisionBilan,
    /// Required when the decision ends the accompagnement (`FIN_AXE2`), absent otherwise.
    #[serde(default)]
    pub sortie: Option<SortieAccompagnement>,
}

/// Records a bilan (a bilan of the same date is replaced); the département's system is
/// then sent the update through its adapter, where its convention allows it.
#[utoipa::path(post, path = "/partenaire/v1/usagers/{id_national}/accompagnement-global/bilans", tag = "API Accompagnement global",
    params(("id_national" = String, Path, description = "Identifiant national chiffré")),
    request_body = BilanEnregistrement,
    responses((status = 200, body = AccuseEnregistrement),
        (status = 400, description = "R997, the field is named", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_bilan(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Body(req): Body<BilanEnregistrement>,
) -> Result<Json<AccuseEnregistrement>, ApiError> {
    let date = super::usagers::parse_date("date", &req.date)?;
    let refus = |r: RefusBilan| match r {
        RefusBilan::DateFuture => ApiError::invalid("date", format!("date : {r}")),
        RefusBilan::SortieManquante | RefusBilan::SortieEnTrop => ApiError::invalid("sortie", format!("sortie : {r}")),
        RefusBilan::HorsAccompagnementGlobal => ApiError::invalid("idNational", r.to_string()),
        // a rule of the freins' recording, which a bilan does not make
        RefusBilan::FreinInconnu => ApiError::invalid("freins", format!("freins : {r}")),
    };
    let bilan =
        BilanGlobal::nouveau(date, req.resultat, req.decision, req.sortie, state.clock().today()).map_err(refus)?;
    accompagnement::enregistrer_bilan(state.services(), &appelant, Reference::IdNational(&id_national), bilan)
        .await
        .map_err(|e| match e {
            Refus::Regle(r) => refus(r),
            Refus::App(e) => ApiError::App(e),
        })?;
    Ok(Json(ENREGISTRE))
}
