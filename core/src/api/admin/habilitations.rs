//! Create, read, update organisations, conventions, agents (habilitate, renew, revoke)
//! and API clients (secret shown once): the HTTP side of `app::habilitations`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::extract::{Body, Octets, Path};
use crate::api::problem::{ApiError, Problem};
use crate::app::habilitations::{self as h, ClientAvecSecret, ClientEtat, NouveauClient, NouvelAgent, Renouvellement};
use crate::habilitation::administrateur::Administrateur;
use crate::habilitation::agent::AgentHabilite;
use crate::habilitation::client::ApiClient;
use crate::habilitation::convention::Convention;
use crate::habilitation::organisation::Organisation;

/// Organisations.
#[utoipa::path(get, path = "/admin/v1/organisations", tag = "administration", responses((status = 200, body = [Organisation])), security(("bearer" = [])))]
pub async fn organisations(
    State(state): State<AppState>,
    Authenticated(_admin): Authenticated<Administrateur>,
) -> Json<Vec<Organisation>> {
    Json(h::organisations(state.services()))
}

#[utoipa::path(get, path = "/admin/v1/organisations/{id}", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = Organisation), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn organisation(
    State(state): State<AppState>,
    Authenticated(_admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
) -> Result<Json<Organisation>, ApiError> {
    Ok(Json(h::organisation(state.services(), &id)?))
}

/// Creates an organisation (France Travail's national administrators).
#[utoipa::path(post, path = "/admin/v1/organisations", tag = "administration", request_body = Organisation,
    responses((status = 201, body = Organisation), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn creer_organisation(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Body(o): Body<Organisation>,
) -> Result<(StatusCode, Json<Organisation>), ApiError> {
    Ok((StatusCode::CREATED, Json(h::creer_organisation(state.services(), &admin, o).await?)))
}

#[utoipa::path(put, path = "/admin/v1/organisations/{id}", tag = "administration", params(("id" = String, Path)), request_body = Organisation,
    responses((status = 200, body = Organisation), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn modifier_organisation(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
    Body(o): Body<Organisation>,
) -> Result<Json<Organisation>, ApiError> {
    Ok(Json(h::modifier_organisation(state.services(), &admin, &id, o).await?))
}

#[utoipa::path(get, path = "/admin/v1/conventions", tag = "administration", responses((status = 200, body = [Convention])), security(("bearer" = [])))]
pub async fn conventions(
    State(state): State<AppState>,
    Authenticated(_admin): Authenticated<Administrateur>,
) -> Json<Vec<Convention>> {
    Json(h::conventions(state.services()))
}

#[utoipa::path(get, path = "/admin/v1/conventions/{id}", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = Convention), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn convention(
    State(state): State<AppState>,
    Authenticated(_admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
) -> Result<Json<Convention>, ApiError> {
    Ok(Json((*h::convention(state.services(), &id)?).clone()))
}

/// Creates a convention (an administrator of one of its parties).
#[utoipa::path(post, path = "/admin/v1/conventions", tag = "administration", request_body = Convention,
    responses((status = 201, body = Convention), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn creer_convention(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Body(c): Body<Convention>,
) -> Result<(StatusCode, Json<Convention>), ApiError> {
    Ok((StatusCode::CREATED, Json(h::creer_convention(state.services(), &admin, c).await?)))
}

#[utoipa::path(put, path = "/admin/v1/conventions/{id}", tag = "administration", params(("id" = String, Path)), request_body = Convention,
    responses((status = 200, body = Convention), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn modifier_convention(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
    Body(c): Body<Convention>,
) -> Result<Json<Convention>, ApiError> {
    Ok(Json(h::modifier_convention(state.services(), &admin, &id, c).await?))
}

#[utoipa::path(get, path = "/admin/v1/agents", tag = "administration", responses((status = 200, body = [AgentHabilite])), security(("bearer" = [])))]
pub async fn agents(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
) -> Json<Vec<AgentHabilite>> {
    Json(h::agents(state.services(), &admin))
}

#[utoipa::path(get, path = "/admin/v1/agents/{identifiant}", tag = "administration", params(("identifiant" = String, Path)),
    responses((status = 200, body = AgentHabilite), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn agent(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(identifiant): Path<String>,
) -> Result<Json<AgentHabilite>, ApiError> {
    Ok(Json(h::agent(state.services(), &admin, &identifiant)?))
}

/// Habilitates an agent of the administrator's organisation (one account per person).
#[utoipa::path(post, path = "/admin/v1/agents", tag = "administration", request_body = NouvelAgent,
    responses((status = 201, body = AgentHabilite), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn habiliter_agent(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Body(n): Body<NouvelAgent>,
) -> Result<(StatusCode, Json<AgentHabilite>), ApiError> {
    Ok((StatusCode::CREATED, Json(h::habiliter_agent(state.services(), &admin, n).await?)))
}

#[utoipa::path(post, path = "/admin/v1/agents/{identifiant}/renouveler", tag = "administration", params(("identifiant" = String, Path)), request_body = Renouvellement,
    responses((status = 200, body = AgentHabilite)), security(("bearer" = [])))]
pub async fn renouveler_agent(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(identifiant): Path<String>,
    Body(r): Body<Renouvellement>,
) -> Result<Json<AgentHabilite>, ApiError> {
    Ok(Json(h::renouveler_agent(state.services(), &admin, &identifiant, r).await?))
}

#[utoipa::path(post, path = "/admin/v1/agents/{identifiant}/revoquer", tag = "administration", params(("identifiant" = String, Path)),
    responses((status = 200, body = AgentHabilite)), security(("bearer" = [])))]
pub async fn revoquer_agent(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(identifiant): Path<String>,
) -> Result<Json<AgentHabilite>, ApiError> {
    Ok(Json(h::revoquer_agent(state.services(), &admin, &identifiant).await?))
}

#[utoipa::path(get, path = "/admin/v1/clients", tag = "administration", responses((status = 200, body = [ClientEtat])), security(("bearer" = [])))]
pub async fn clients(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
) -> Json<Vec<ClientEtat>> {
    Json(h::clients(state.services(), &admin))
}

#[utoipa::path(get, path = "/admin/v1/clients/{id}", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = ClientEtat)), security(("bearer" = [])))]
pub async fn client(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
) -> Result<Json<ClientEtat>, ApiError> {
    Ok(Json(h::client(state.services(), &admin, &id)?))
}

/// Registers a partner application under a convention its organisation is party to; the
/// secret is in this answer only.
#[utoipa::path(post, path = "/admin/v1/clients", tag = "administration", request_body = NouveauClient,
    responses((status = 201, body = ClientAvecSecret), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn creer_client(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Body(n): Body<NouveauClient>,
) -> Result<(StatusCode, Json<ClientAvecSecret>), ApiError> {
    Ok((StatusCode::CREATED, Json(h::creer_client(state.services(), &admin, n).await?)))
}

#[utoipa::path(post, path = "/admin/v1/clients/{id}/revoquer", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = ApiClient)), security(("bearer" = [])))]
pub async fn revoquer_client(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
) -> Result<Json<ApiClient>, ApiError> {
    Ok(Json(h::revoquer_client(state.services(), &admin, &id).await?))
}

/// A new secret (the old one stops working); shown once.
#[utoipa::path(post, path = "/admin/v1/clients/{id}/secret", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = ClientAvecSecret)), security(("bearer" = [])))]
pub async fn renouveler_secret(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Path(id): Path<String>,
) -> Result<Json<ClientAvecSecret>, ApiError> {
    Ok(Json(h::renouveler_secret(state.services(), &admin, &id).await?))
}

/// The authorization rules in force (role, category, action) and where they come from.
#[utoipa::path(get, path = "/admin/v1/regles", tag = "administration", responses((status = 200, body = h::Regles)), security(("bearer" = [])))]
pub async fn regles(
    State(state): State<AppState>,
    Authenticated(_admin): Authenticated<Administrateur>,
) -> Json<h::Regles> {
    Json(h::regles(state.services()))
}

/// Sets the authorization rules of every instance (France Travail's national
/// administrators): the body is a `policy.csv` (`text/csv`, lines `ROLE, categorie,
/// action`). Refused, naming the line, when a line does not parse or the known-answer
/// suite fails; applied by every instance within a second.
#[utoipa::path(put, path = "/admin/v1/regles", tag = "administration", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = h::Regles), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn deposer_regles(
    State(state): State<AppState>,
    Authenticated(admin): Authenticated<Administrateur>,
    Octets(octets): Octets<{ super::REGLES_MAX }>,
) -> Result<Json<h::Regles>, ApiError> {
    Ok(Json(h::deposer_regles(state.services(), &admin, &octets).await?))
}
