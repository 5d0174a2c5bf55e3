//! Create, read, update organisations, conventions, agents (habilitate, renew, revoke)
//! and API clients (secret shown once). Only administrators of the right organisation;
//! every change journaled; the live habilitations are reloaded after each change.

use crate::api::extract::Path;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{interdit, journaliser};
use crate::api::AppState;
use crate::api::caller::{Admin, Administrateur};
use crate::api::extract::Body;
use crate::api::problem::{ApiError, Problem};
use crate::habilitation::agent::{AgentHabilite, Role};
use crate::crypto::secrets::SecretHasher;
use crate::habilitation::client::ApiClient;
use crate::habilitation::convention::Convention;
use crate::habilitation::organisation::Organisation;

fn id_valide(field: &str, id: &str) -> Result<(), ApiError> {
    let ok =
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(field, format!("{field} : 1 à 64 caractères parmi a-z, 0-9, - et _")))
    }
}

async fn appliquer(state: &AppState, admin: &Administrateur, action: &str, objet: &str) -> Result<(), ApiError> {
    journaliser(state, admin, action.into(), objet.into(), None, "habilitations", true).await?;
    if let Err(e) = state.services().gardien.recharger(state.store()).await {
        tracing::error!(error = %e, "rechargement après modification");
    }
    Ok(())
}

// ---------- organisations ----------

/// Organisations.
#[utoipa::path(get, path = "/admin/v1/organisations", tag = "administration", responses((status = 200, body = [Organisation])), security(("bearer" = [])))]
pub async fn organisations(State(state): State<AppState>, Admin(_admin): Admin) -> Json<Vec<Organisation>> {
    let h = state.services().gardien.courant();
    let mut v: Vec<Organisation> = h.registre.organisations.values().cloned().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    Json(v)
}

#[utoipa::path(get, path = "/admin/v1/organisations/{id}", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = Organisation), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn organisation(
    State(state): State<AppState>,
    Admin(_admin): Admin,
    Path(id): Path<String>,
) -> Result<Json<Organisation>, ApiError> {
    let h = state.services().gardien.courant();
    h.registre
        .organisations
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("organisation inconnue".into()))
}

/// Creates an organisation (France Travail's national administrators).
#[utoipa::path(post, path = "/admin/v1/organisations", tag = "administration", request_body = Organisation,
    responses((status = 201, body = Organisation), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn creer_organisation(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Body(o): Body<Organisation>,
) -> Result<(StatusCode, Json<Organisation>), ApiError> {
    id_valide("id", &o.id)?;
    if !admin.gere_organisations() {
        return Err(interdit(&state, &admin, "admin.organisation.creer".into(), o.id).await);
    }
    if state.services().gardien.courant().registre.organisations.contains_key(&o.id) {
        return Err(ApiError::Conflit("id : organisation déjà enregistrée".into()));
    }
    state.store().enregistrer_organisation(&o).await?;
    appliquer(&state, &admin, "admin.organisation.creer", &o.id).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[utoipa::path(put, path = "/admin/v1/organisations/{id}", tag = "administration", params(("id" = String, Path)), request_body = Organisation,
    responses((status = 200, body = Organisation), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn modifier_organisation(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Body(o): Body<Organisation>,
) -> Result<Json<Organisation>, ApiError> {
    if o.id != id {
        return Err(ApiError::invalid("id", "id : différent de celui de l'URL"));
    }
    if !state.services().gardien.courant().registre.organisations.contains_key(&id) {
        return Err(ApiError::NotFound("organisation inconnue".into()));
    }
    if !admin.gere(&id) {
        return Err(interdit(&state, &admin, "admin.organisation.modifier".into(), id).await);
    }
    state.store().enregistrer_organisation(&o).await?;
    appliquer(&state, &admin, "admin.organisation.modifier", &id).await?;
    Ok(Json(o))
}

// ---------- conventions ----------

#[utoipa::path(get, path = "/admin/v1/conventions", tag = "administration", responses((status = 200, body = [Convention])), security(("bearer" = [])))]
pub async fn conventions(State(state): State<AppState>, Admin(_admin): Admin) -> Json<Vec<Convention>> {
    let h = state.services().gardien.courant();
    let mut v: Vec<Convention> = h.registre.conventions.values().map(|c| (**c).clone()).collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    Json(v)
}

#[utoipa::path(get, path = "/admin/v1/conventions/{id}", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = Convention), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn convention(
    State(state): State<AppState>,
    Admin(_admin): Admin,
    Path(id): Path<String>,
) -> Result<Json<Convention>, ApiError> {
    super::convention_connue(&state, &id).map(|c| Json((*c).clone()))
}

async fn verifier_convention(
    state: &AppState,
    admin: &Administrateur,
    c: &Convention,
    action: &str,
) -> Result<(), ApiError> {
    id_valide("id", &c.id)?;
    c.valider().map_err(|e| ApiError::invalid(e.split(' ').next().unwrap_or("convention").to_string(), e))?;
    let h = state.services().gardien.courant();
    for p in &c.parties {
        if !h.registre.organisations.contains_key(p) {
            return Err(ApiError::invalid("parties", "parties : organisation inconnue"));
        }
    }
    if !c.parties.iter().any(|p| admin.gere(p)) {
        return Err(interdit(state, admin, action.into(), c.id.clone()).await);
    }
    Ok(())
}

/// Creates a convention (an administrator of one of its parties).
#[utoipa::path(post, path = "/admin/v1/conventions", tag = "administration", request_body = Convention,
    responses((status = 201, body = Convention), (status = 400, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn creer_convention(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Body(c): Body<Convention>,
) -> Result<(StatusCode, Json<Convention>), ApiError> {
    verifier_convention(&state, &admin, &c, "admin.convention.creer").await?;
    if state.services().gardien.courant().registre.conventions.contains_key(&c.id) {
        return Err(ApiError::Conflit("id : convention déjà enregistrée".into()));
    }
    state.store().enregistrer_convention(&c).await?;
    appliquer(&state, &admin, "admin.convention.creer", &c.id).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[utoipa::path(put, path = "/admin/v1/conventions/{id}", tag = "administration", params(("id" = String, Path)), request_body = Convention,
    responses((status = 200, body = Convention), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn modifier_convention(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Body(c): Body<Convention>,
) -> Result<Json<Convention>, ApiError> {
    if c.id != id {
        return Err(ApiError::invalid("id", "id : différent de celui de l'URL"));
    }
    let ancienne = state.services().gardien.courant().registre.conventions.get(&id).cloned();
    let Some(ancienne) = ancienne else {
        return Err(ApiError::NotFound("convention inconnue".into()));
    };
    if !ancienne.parties.iter().any(|p| admin.gere(p)) {
        return Err(interdit(&state, &admin, "admin.convention.modifier".into(), id).await);
    }
    verifier_convention(&state, &admin, &c, "admin.convention.modifier").await?;
    state.store().enregistrer_convention(&c).await?;
    appliquer(&state, &admin, "admin.convention.modifier", &id).await?;
    Ok(Json(c))
}

// ---------- agents ----------

/// An agent to habilitate.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NouvelAgent {
    pub organisation_id: String,
    pub identifiant: String,
    pub nom: String,
    pub prenom: String,
    #[serde(default)]
    pub courriel: Option<String>,
    pub role: Role,
    pub habilitation_debut: NaiveDate,
    pub habilitation_fin: NaiveDate,
    #[serde(default)]
    pub certification: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Renouvellement {
    pub habilitation_fin: NaiveDate,
    #[serde(default)]
    pub certification: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/admin/v1/agents", tag = "administration", responses((status = 200, body = [AgentHabilite])), security(("bearer" = [])))]
pub async fn agents(State(state): State<AppState>, Admin(admin): Admin) -> Json<Vec<AgentHabilite>> {
    let h = state.services().gardien.courant();
    let mut v: Vec<AgentHabilite> =
        h.registre.agents.values().filter(|a| admin.gere(&a.organisation_id)).cloned().collect();
    v.sort_by(|a, b| a.identifiant.cmp(&b.identifiant));
    Json(v)
}

fn trouver_agent(state: &AppState, admin: &Administrateur, identifiant: &str) -> Result<AgentHabilite, ApiError> {
    let h = state.services().gardien.courant();
    h.registre
        .agents
        .get(identifiant)
        .filter(|a| admin.gere(&a.organisation_id))
        .cloned()
        .ok_or_else(|| ApiError::NotFound("agent inconnu dans vos organisations".into()))
}

#[utoipa::path(get, path = "/admin/v1/agents/{identifiant}", tag = "administration", params(("identifiant" = String, Path)),
    responses((status = 200, body = AgentHabilite), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn agent(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(identifiant): Path<String>,
) -> Result<Json<AgentHabilite>, ApiError> {
    trouver_agent(&state, &admin, &identifiant).map(Json)
}

/// Habilitates an agent of the administrator's organisation (one account per person).
#[utoipa::path(post, path = "/admin/v1/agents", tag = "administration", request_body = NouvelAgent,
    responses((status = 201, body = AgentHabilite), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn habiliter_agent(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Body(n): Body<NouvelAgent>,
) -> Result<(StatusCode, Json<AgentHabilite>), ApiError> {
    id_valide("identifiant", &n.identifiant)?;
    if n.identifiant == "BATCH" {
        return Err(ApiError::invalid("identifiant", "identifiant : BATCH est réservé aux traitements automatisés"));
    }
    if n.habilitation_fin < n.habilitation_debut {
        return Err(ApiError::invalid("habilitationFin", "habilitationFin : antérieure au début"));
    }
    if !admin.gere(&n.organisation_id) {
        return Err(interdit(&state, &admin, "admin.agent.habiliter".into(), n.identifiant).await);
    }
    {
        let h = state.services().gardien.courant();
        if !h.registre.organisations.contains_key(&n.organisation_id) {
            return Err(ApiError::invalid("organisationId", "organisationId : organisation inconnue"));
        }
        if h.registre.agents.contains_key(&n.identifiant) {
            return Err(ApiError::Conflit("identifiant : un compte existe déjà (un seul compte par personne)".into()));
        }
    }
    let a = AgentHabilite {
        id: uuid::Uuid::new_v4().to_string(),
        organisation_id: n.organisation_id,
        identifiant: n.identifiant,
        nom: n.nom,
        prenom: n.prenom,
        courriel: n.courriel,
        role: n.role,
        habilitation_debut: n.habilitation_debut,
        habilitation_fin: n.habilitation_fin,
        certification: n.certification,
        revoque_le: None,
    };
    state.store().enregistrer_agent(&a).await?;
    appliquer(&state, &admin, "admin.agent.habiliter", &a.identifiant).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

#[utoipa::path(post, path = "/admin/v1/agents/{identifiant}/renouveler", tag = "administration", params(("identifiant" = String, Path)), request_body = Renouvellement,
    responses((status = 200, body = AgentHabilite)), security(("bearer" = [])))]
pub async fn renouveler_agent(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(identifiant): Path<String>,
    Body(r): Body<Renouvellement>,
) -> Result<Json<AgentHabilite>, ApiError> {
    let mut a = trouver_agent(&state, &admin, &identifiant)?;
    if r.habilitation_fin < a.habilitation_debut {
        return Err(ApiError::invalid("habilitationFin", "habilitationFin : antérieure au début de l'habilitation"));
    }
    a.habilitation_fin = r.habilitation_fin;
    if r.certification.is_some() {
        a.certification = r.certification;
    }
    state.store().enregistrer_agent(&a).await?;
    appliquer(&state, &admin, "admin.agent.renouveler", &identifiant).await?;
    Ok(Json(a))
}

#[utoipa::path(post, path = "/admin/v1/agents/{identifiant}/revoquer", tag = "administration", params(("identifiant" = String, Path)),
    responses((status = 200, body = AgentHabilite)), security(("bearer" = [])))]
pub async fn revoquer_agent(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(identifiant): Path<String>,
) -> Result<Json<AgentHabilite>, ApiError> {
    let mut a = trouver_agent(&state, &admin, &identifiant)?;
    a.revoque_le.get_or_insert(state.clock().now());
    state.store().enregistrer_agent(&a).await?;
    appliquer(&state, &admin, "admin.agent.revoquer", &identifiant).await?;
    Ok(Json(a))
}

// ---------- API clients ----------

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NouveauClient {
    pub client_id: String,
    pub nom: String,
    pub organisation_id: String,
    pub convention_id: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// A client with its secret: shown once, never stored in clear.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientAvecSecret {
    #[serde(flatten)]
    pub client: ApiClient,
    pub client_secret: String,
}

/// Whether an application may call: `ACTIF`, `REVOQUE`, or `HORS_CONVENTION` when its
/// organisation is no longer party to its convention (its calls are refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EtatClient {
    Actif,
    Revoque,
    HorsConvention,
}

/// An application as administrators see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientEtat {
    #[serde(flatten)]
    pub client: ApiClient,
    pub etat: EtatClient,
}

fn etat(r: &crate::habilitation::registre::Registre, c: &ApiClient, now: chrono::DateTime<chrono::Utc>) -> EtatClient {
    if c.revoque_le.is_some_and(|t| t <= now) {
        EtatClient::Revoque
    } else if r.conventions.get(&c.convention_id).is_some_and(|conv| conv.parties.contains(&c.organisation_id)) {
        EtatClient::Actif
    } else {
        EtatClient::HorsConvention
    }
}

#[utoipa::path(get, path = "/admin/v1/clients", tag = "administration", responses((status = 200, body = [ClientEtat])), security(("bearer" = [])))]
pub async fn clients(State(state): State<AppState>, Admin(admin): Admin) -> Json<Vec<ClientEtat>> {
    let h = state.services().gardien.courant();
    let now = state.clock().now();
    let mut v: Vec<ClientEtat> = h
        .registre
        .clients
        .values()
        .filter(|c| admin.gere(&c.organisation_id))
        .map(|c| ClientEtat { etat: etat(&h.registre, c, now), client: c.clone() })
        .collect();
    v.sort_by(|a, b| a.client.client_id.cmp(&b.client.client_id));
    Json(v)
}

fn trouver_client(state: &AppState, admin: &Administrateur, id: &str) -> Result<ApiClient, ApiError> {
    let h = state.services().gardien.courant();
    h.registre
        .clients
        .get(id)
        .filter(|c| admin.gere(&c.organisation_id))
        .cloned()
        .ok_or_else(|| ApiError::NotFound("application inconnue dans vos organisations".into()))
}

#[utoipa::path(get, path = "/admin/v1/clients/{id}", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = ClientEtat)), security(("bearer" = [])))]
pub async fn client(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> Result<Json<ClientEtat>, ApiError> {
    let c = trouver_client(&state, &admin, &id)?;
    let h = state.services().gardien.courant();
    Ok(Json(ClientEtat { etat: etat(&h.registre, &c, state.clock().now()), client: c }))
}

/// Registers a partner application under a convention its organisation is party to; the
/// secret is in this answer only.
#[utoipa::path(post, path = "/admin/v1/clients", tag = "administration", request_body = NouveauClient,
    responses((status = 201, body = ClientAvecSecret), (status = 403, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn creer_client(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Body(n): Body<NouveauClient>,
) -> Result<(StatusCode, Json<ClientAvecSecret>), ApiError> {
    id_valide("clientId", &n.client_id)?;
    if !admin.gere(&n.organisation_id) {
        return Err(interdit(&state, &admin, "admin.client.creer".into(), n.client_id).await);
    }
    {
        let h = state.services().gardien.courant();
        let conv = h
            .registre
            .conventions
            .get(&n.convention_id)
            .ok_or_else(|| ApiError::invalid("conventionId", "conventionId : convention inconnue"))?;
        if !conv.parties.contains(&n.organisation_id) {
            return Err(ApiError::invalid(
                "conventionId",
                "conventionId : l'organisation n'est pas partie à cette convention",
            ));
        }
        if h.registre.clients.contains_key(&n.client_id) {
            return Err(ApiError::Conflit("clientId : application déjà enregistrée".into()));
        }
    }
    let secret = SecretHasher::generate();
    let c = ApiClient {
        secret_hash: state.services().secrets.hash(&n.client_id, &secret),
        client_id: n.client_id,
        nom: n.nom,
        organisation_id: n.organisation_id,
        convention_id: n.convention_id,
        scopes: n.scopes,
        revoque_le: None,
    };
    state.store().enregistrer_client(&c).await?;
    appliquer(&state, &admin, "admin.client.creer", &c.client_id).await?;
    Ok((StatusCode::CREATED, Json(ClientAvecSecret { client: c, client_secret: secret })))
}

#[utoipa::path(post, path = "/admin/v1/clients/{id}/revoquer", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = ApiClient)), security(("bearer" = [])))]
pub async fn revoquer_client(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> Result<Json<ApiClient>, ApiError> {
    let mut c = trouver_client(&state, &admin, &id)?;
    c.revoque_le.get_or_insert(state.clock().now());
    state.store().enregistrer_client(&c).await?;
    appliquer(&state, &admin, "admin.client.revoquer", &id).await?;
    Ok(Json(c))
}

/// A new secret (the old one stops working); shown once.
#[utoipa::path(post, path = "/admin/v1/clients/{id}/secret", tag = "administration", params(("id" = String, Path)),
    responses((status = 200, body = ClientAvecSecret)), security(("bearer" = [])))]
pub async fn renouveler_secret(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> Result<Json<ClientAvecSecret>, ApiError> {
    let mut c = trouver_client(&state, &admin, &id)?;
    let secret = SecretHasher::generate();
    c.secret_hash = state.services().secrets.hash(&c.client_id, &secret);
    state.store().enregistrer_client(&c).await?;
    appliquer(&state, &admin, "admin.client.secret", &id).await?;
    Ok(Json(ClientAvecSecret { client: c, client_secret: secret }))
}
