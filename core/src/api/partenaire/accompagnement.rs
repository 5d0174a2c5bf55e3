//! Accompagnement global (seed 004): France Travail records the 6-month bilan; the
//! conventions that exchange with the département's system through an adapter get the
//! update of their contrat d'insertion (see `crate::export`).

use crate::api::extract::Path;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::Gate;
use super::diagnostic::{ENREGISTRE, Enregistrement, provenance};
use crate::api::AppState;
use crate::api::caller::Partner;
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::dossier::Categorie;
use crate::dossier::accompagnement::{Accompagnement, BilanGlobal, DecisionBilan, ResultatBilan, SortieAccompagnement};
use crate::habilitation::convention::Action;

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
    responses((status = 200, body = Enregistrement),
        (status = 400, description = "R997, the field is named", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enregistrer_bilan(
    State(state): State<AppState>,
    Partner(caller): Partner,
    Path(id_national): Path<String>,
    Body(req): Body<BilanEnregistrement>,
) -> Result<Json<Enregistrement>, ApiError> {
    let gate = Gate::new(&state, &caller, "accompagnement.bilan.ecrire");
    let id = gate.acceder(&id_national, &[(Categorie::AccompagnementGlobal, Action::Ecrire)], false).await?.id;
    let date = super::usagers::parse_date("date", &req.date)?;
    if date > state.clock().today() {
        return Err(ApiError::invalid("date", "date : date future non admise"));
    }
    match (req.decision, req.sortie) {
        (DecisionBilan::Fin, None) => {
            return Err(ApiError::invalid("sortie", "sortie : obligatoire quand la décision est FIN_AXE2"));
        }
        (DecisionBilan::Maintien | DecisionBilan::SocialExclusif, Some(_)) => {
            return Err(ApiError::invalid("sortie", "sortie : seulement quand la décision est FIN_AXE2"));
        }
        _ => {}
    }
    let bilan = BilanGlobal { date, resultat: req.resultat, decision: req.decision, sortie: req.sortie };
    state
        .store()
        .update_section(id, Categorie::AccompagnementGlobal, &provenance(&caller), |a: Option<Accompagnement>| {
            let mut a = a.filter(|a| a.global.is_some()).ok_or_else(|| {
                ApiError::invalid("idNational", "cette personne n'est pas en accompagnement global : pas de bilan")
            })?;
            let g = a.global.as_mut().expect("filtered");
            g.bilans.retain(|b| b.date != bilan.date);
            g.bilans.push(bilan.clone());
            g.bilans.sort_by_key(|b| b.date);
            Ok::<_, ApiError>(a)
        })
        .await?
        .ok_or_else(|| ApiError::HorsPerimetre)??;
    let s = state.services();
    let conventions: Vec<_> = s.gardien.courant().registre.conventions.values().cloned().collect();
    crate::export::diffuser(
        &s.store,
        &s.journal,
        s.catalogue.as_ref(),
        conventions,
        crate::export::Fait {
            dossier: id,
            genre: crate::export::BILAN,
            auteur: &caller.agent.identifiant,
            request_id: &caller.request_id,
            quand: s.clock.now(),
        },
    )
    .await?;
    Ok(Json(ENREGISTRE))
}
