//! The administration of habilitations: organisations, conventions, agents (habilitate,
//! renew, revoke) and API clients (secret shown once). Only administrators of the right
//! organisation; every act journaled, a refusal too; the live habilitations are reloaded
//! after each change, so that it applies on the next call.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AppError, Services};
use crate::crypto::secrets::SecretHasher;
use crate::habilitation::administrateur::Administrateur;
use crate::habilitation::agent::{AgentHabilite, Role};
use crate::habilitation::client::ApiClient;
use crate::habilitation::convention::Convention;
use crate::habilitation::organisation::Organisation;
use crate::habilitation::registre::Registre;
use crate::journal::{Entree, FINALITE_ADMINISTRATION, Verdict};

/// Journals an administrator's act (`objet`: what it bears on, by identifier).
pub async fn journaliser(
    s: &Services,
    admin: &Administrateur,
    action: &str,
    objet: &str,
    dossier: Option<uuid::Uuid>,
    categories: &str,
    accepte: bool,
) -> Result<(), AppError> {
    let e = Entree::administration(
        admin,
        action.into(),
        objet.into(),
        dossier,
        categories,
        FINALITE_ADMINISTRATION,
        Verdict::de(accepte),
        s.clock.now(),
    );
    s.journal.ecrire(e).await?;
    Ok(())
}

/// Refuses (journaled) an act the administrator may not do.
pub async fn interdit(s: &Services, admin: &Administrateur, action: &str, objet: &str) -> AppError {
    let why = format!("{action} : réservé aux administrateurs de l'organisation concernée");
    match journaliser(s, admin, action, objet, None, "habilitations", false).await {
        Ok(()) => AppError::Interdit(why),
        Err(e) => e,
    }
}

fn id_valide(champ: &str, id: &str) -> Result<(), AppError> {
    let ok =
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    match ok {
        true => Ok(()),
        false => Err(AppError::invalide(champ, format!("{champ} : 1 à 64 caractères parmi a-z, 0-9, - et _"))),
    }
}

/// Journals the change, then reloads the live habilitations, here and on every
/// instance.
async fn appliquer(s: &Services, admin: &Administrateur, action: &str, objet: &str) -> Result<(), AppError> {
    journaliser(s, admin, action, objet, None, "habilitations", true).await?;
    if let Err(e) = s.gardien.recharger(&s.store).await {
        tracing::error!(error = %e, "rechargement après modification");
    }
    // the other instances reload at once
    super::grappe::signaler(s, super::grappe::sujet::HABILITATIONS).await;
    Ok(())
}

// ---------- organisations ----------

pub fn organisations(s: &Services) -> Vec<Organisation> {
    let h = s.gardien.courant();
    let mut v: Vec<Organisation> = h.registre.organisations.values().cloned().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

pub fn organisation(s: &Services, id: &str) -> Result<Organisation, AppError> {
    s.gardien
        .courant()
        .registre
        .organisations
        .get(id)
        .cloned()
        .ok_or_else(|| AppError::Inconnu("organisation inconnue".into()))
}

/// Creates an organisation (France Travail's national administrators).
pub async fn creer_organisation(
    s: &Services,
    admin: &Administrateur,
    o: Organisation,
) -> Result<Organisation, AppError> {
    id_valide("id", &o.id)?;
    if !admin.gere_organisations() {
        return Err(interdit(s, admin, "admin.organisation.creer", &o.id).await);
    }
    if s.gardien.courant().registre.organisations.contains_key(&o.id) {
        return Err(AppError::Conflit("id : organisation déjà enregistrée".into()));
    }
    s.store.enregistrer_organisation(&o).await?;
    appliquer(s, admin, "admin.organisation.creer", &o.id).await?;
    Ok(o)
}

pub async fn modifier_organisation(
    s: &Services,
    admin: &Administrateur,
    id: &str,
    o: Organisation,
) -> Result<Organisation, AppError> {
    if o.id != id {
        return Err(AppError::invalide("id", "id : différent de celui de l'URL"));
    }
    if !s.gardien.courant().registre.organisations.contains_key(id) {
        return Err(AppError::Inconnu("organisation inconnue".into()));
    }
    if !admin.gere(id) {
        return Err(interdit(s, admin, "admin.organisation.modifier", id).await);
    }
    s.store.enregistrer_organisation(&o).await?;
    appliquer(s, admin, "admin.organisation.modifier", id).await?;
    Ok(o)
}

// ---------- conventions ----------

pub fn conventions(s: &Services) -> Vec<Convention> {
    let h = s.gardien.courant();
    let mut v: Vec<Convention> = h.registre.conventions.values().map(|c| (**c).clone()).collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// A convention in force in the current habilitations.
pub fn convention(s: &Services, id: &str) -> Result<std::sync::Arc<Convention>, AppError> {
    s.gardien
        .courant()
        .registre
        .conventions
        .get(id)
        .cloned()
        .ok_or_else(|| AppError::Inconnu("convention inconnue".into()))
}

async fn verifier_convention(
    s: &Services,
    admin: &Administrateur,
    c: &Convention,
    action: &str,
) -> Result<(), AppError> {
    id_valide("id", &c.id)?;
    c.valider().map_err(|e| AppError::invalide(e.split(' ').next().unwrap_or("convention").to_string(), e))?;
    {
        let h = s.gardien.courant();
        if c.parties.iter().any(|p| !h.registre.organisations.contains_key(p)) {
            return Err(AppError::invalide("parties", "parties : organisation inconnue"));
        }
    }
    if !c.parties.iter().any(|p| admin.gere(p)) {
        return Err(interdit(s, admin, action, &c.id).await);
    }
    Ok(())
}

/// Creates a convention (an administrator of one of its parties).
pub async fn creer_convention(s: &Services, admin: &Administrateur, c: Convention) -> Result<Convention, AppError> {
    verifier_convention(s, admin, &c, "admin.convention.creer").await?;
    if s.gardien.courant().registre.conventions.contains_key(&c.id) {
        return Err(AppError::Conflit("id : convention déjà enregistrée".into()));
    }
    s.store.enregistrer_convention(&c).await?;
    appliquer(s, admin, "admin.convention.creer", &c.id).await?;
    Ok(c)
}

/// Changes a convention (an administrator of one of its parties, before and after): it
/// applies on the next call of every appelant.
pub async fn modifier_convention(
    s: &Services,
    admin: &Administrateur,
    id: &str,
    c: Convention,
) -> Result<Convention, AppError> {
    if c.id != id {
        return Err(AppError::invalide("id", "id : différent de celui de l'URL"));
    }
    let ancienne = convention(s, id)?;
    if !ancienne.parties.iter().any(|p| admin.gere(p)) {
        return Err(interdit(s, admin, "admin.convention.modifier", id).await);
    }
    verifier_convention(s, admin, &c, "admin.convention.modifier").await?;
    s.store.enregistrer_convention(&c).await?;
    appliquer(s, admin, "admin.convention.modifier", id).await?;
    Ok(c)
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

/// A renewal of an agent's habilitation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Renouvellement {
    pub habilitation_fin: NaiveDate,
    #[serde(default)]
    pub certification: Option<NaiveDate>,
}

/// The agents of the administrator's organisations.
pub fn agents(s: &Services, admin: &Administrateur) -> Vec<AgentHabilite> {
    let h = s.gardien.courant();
    let mut v: Vec<AgentHabilite> =
        h.registre.agents.values().filter(|a| admin.gere(&a.organisation_id)).cloned().collect();
    v.sort_by(|a, b| a.identifiant.cmp(&b.identifiant));
    v
}

pub fn agent(s: &Services, admin: &Administrateur, identifiant: &str) -> Result<AgentHabilite, AppError> {
    s.gardien
        .courant()
        .registre
        .agents
        .get(identifiant)
        .filter(|a| admin.gere(&a.organisation_id))
        .cloned()
        .ok_or_else(|| AppError::Inconnu("agent inconnu dans vos organisations".into()))
}

/// Habilitates an agent of the administrator's organisation (one account per person).
pub async fn habiliter_agent(s: &Services, admin: &Administrateur, n: NouvelAgent) -> Result<AgentHabilite, AppError> {
    id_valide("identifiant", &n.identifiant)?;
    if n.identifiant == "BATCH" {
        return Err(AppError::invalide("identifiant", "identifiant : BATCH est réservé aux traitements automatisés"));
    }
    if n.habilitation_fin < n.habilitation_debut {
        return Err(AppError::invalide("habilitationFin", "habilitationFin : antérieure au début"));
    }
    if !admin.gere(&n.organisation_id) {
        return Err(interdit(s, admin, "admin.agent.habiliter", &n.identifiant).await);
    }
    {
        let h = s.gardien.courant();
        if !h.registre.organisations.contains_key(&n.organisation_id) {
            return Err(AppError::invalide("organisationId", "organisationId : organisation inconnue"));
        }
        if h.registre.agents.contains_key(&n.identifiant) {
            return Err(AppError::Conflit("identifiant : un compte existe déjà (un seul compte par personne)".into()));
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
    s.store.enregistrer_agent(&a).await?;
    appliquer(s, admin, "admin.agent.habiliter", &a.identifiant).await?;
    Ok(a)
}

pub async fn renouveler_agent(
    s: &Services,
    admin: &Administrateur,
    identifiant: &str,
    r: Renouvellement,
) -> Result<AgentHabilite, AppError> {
    let mut a = agent(s, admin, identifiant)?;
    if r.habilitation_fin < a.habilitation_debut {
        return Err(AppError::invalide("habilitationFin", "habilitationFin : antérieure au début de l'habilitation"));
    }
    a.habilitation_fin = r.habilitation_fin;
    if r.certification.is_some() {
        a.certification = r.certification;
    }
    s.store.enregistrer_agent(&a).await?;
    appliquer(s, admin, "admin.agent.renouveler", identifiant).await?;
    Ok(a)
}

pub async fn revoquer_agent(
    s: &Services,
    admin: &Administrateur,
    identifiant: &str,
) -> Result<AgentHabilite, AppError> {
    let mut a = agent(s, admin, identifiant)?;
    a.revoque_le.get_or_insert(s.clock.now());
    s.store.enregistrer_agent(&a).await?;
    appliquer(s, admin, "admin.agent.revoquer", identifiant).await?;
    Ok(a)
}

// ---------- API clients ----------

/// A partner application to register.
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

fn etat(r: &Registre, c: &ApiClient, now: chrono::DateTime<chrono::Utc>) -> EtatClient {
    if c.revoque_le.is_some_and(|t| t <= now) {
        EtatClient::Revoque
    } else if r.conventions.get(&c.convention_id).is_some_and(|conv| conv.parties.contains(&c.organisation_id)) {
        EtatClient::Actif
    } else {
        EtatClient::HorsConvention
    }
}

/// The applications of the administrator's organisations, with their state.
pub fn clients(s: &Services, admin: &Administrateur) -> Vec<ClientEtat> {
    let h = s.gardien.courant();
    let now = s.clock.now();
    let mut v: Vec<ClientEtat> = h
        .registre
        .clients
        .values()
        .filter(|c| admin.gere(&c.organisation_id))
        .map(|c| ClientEtat { etat: etat(&h.registre, c, now), client: c.clone() })
        .collect();
    v.sort_by(|a, b| a.client.client_id.cmp(&b.client.client_id));
    v
}

fn trouver_client(s: &Services, admin: &Administrateur, id: &str) -> Result<ApiClient, AppError> {
    s.gardien
        .courant()
        .registre
        .clients
        .get(id)
        .filter(|c| admin.gere(&c.organisation_id))
        .cloned()
        .ok_or_else(|| AppError::Inconnu("application inconnue dans vos organisations".into()))
}

pub fn client(s: &Services, admin: &Administrateur, id: &str) -> Result<ClientEtat, AppError> {
    let c = trouver_client(s, admin, id)?;
    let h = s.gardien.courant();
    Ok(ClientEtat { etat: etat(&h.registre, &c, s.clock.now()), client: c })
}

/// Registers a partner application under a convention its organisation is party to; the
/// secret is in this answer only.
pub async fn creer_client(
    s: &Services,
    admin: &Administrateur,
    n: NouveauClient,
) -> Result<ClientAvecSecret, AppError> {
    id_valide("clientId", &n.client_id)?;
    if !admin.gere(&n.organisation_id) {
        return Err(interdit(s, admin, "admin.client.creer", &n.client_id).await);
    }
    {
        let h = s.gardien.courant();
        let conv = h
            .registre
            .conventions
            .get(&n.convention_id)
            .ok_or_else(|| AppError::invalide("conventionId", "conventionId : convention inconnue"))?;
        if !conv.parties.contains(&n.organisation_id) {
            return Err(AppError::invalide(
                "conventionId",
                "conventionId : l'organisation n'est pas partie à cette convention",
            ));
        }
        if h.registre.clients.contains_key(&n.client_id) {
            return Err(AppError::Conflit("clientId : application déjà enregistrée".into()));
        }
    }
    let secret = SecretHasher::generate();
    let c = ApiClient {
        secret_hash: s.secrets.hash(&n.client_id, &secret),
        client_id: n.client_id,
        nom: n.nom,
        organisation_id: n.organisation_id,
        convention_id: n.convention_id,
        scopes: n.scopes,
        revoque_le: None,
    };
    s.store.enregistrer_client(&c).await?;
    appliquer(s, admin, "admin.client.creer", &c.client_id).await?;
    Ok(ClientAvecSecret { client: c, client_secret: secret })
}

pub async fn revoquer_client(s: &Services, admin: &Administrateur, id: &str) -> Result<ApiClient, AppError> {
    let mut c = trouver_client(s, admin, id)?;
    c.revoque_le.get_or_insert(s.clock.now());
    s.store.enregistrer_client(&c).await?;
    appliquer(s, admin, "admin.client.revoquer", id).await?;
    Ok(c)
}

/// A new secret (the old one stops working); shown once.
pub async fn renouveler_secret(s: &Services, admin: &Administrateur, id: &str) -> Result<ClientAvecSecret, AppError> {
    let mut c = trouver_client(s, admin, id)?;
    let secret = SecretHasher::generate();
    c.secret_hash = s.secrets.hash(&c.client_id, &secret);
    s.store.enregistrer_client(&c).await?;
    appliquer(s, admin, "admin.client.secret", id).await?;
    Ok(ClientAvecSecret { client: c, client_secret: secret })
}

// ---------- authorization rules ----------

/// The authorization rules in force (casbin `policy.csv`: role, category, action) and
/// where they come from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Regles {
    /// `DEPOSEES` (set through this API, kept in the database), `FICHIER`
    /// (`DUDE_AUTHZ_DIR`) or `LIVREES` (shipped with the binary).
    pub origine: &'static str,
    /// The version of the set through this API.
    pub version: Option<i64>,
    pub sha256: String,
    pub deposees_par: Option<String>,
    pub deposees_le: Option<chrono::DateTime<chrono::Utc>>,
    /// Rules in force.
    pub nombre: usize,
    /// The rules' text, as set.
    pub texte: String,
}

/// The rules in force.
pub fn regles(s: &Services) -> Regles {
    use sha2::Digest;
    let h = s.gardien.courant();
    let r = &h.regles;
    let origine = match (&r.deposees, s.gardien.repertoire().is_some()) {
        (Some(_), _) => "DEPOSEES",
        (None, true) => "FICHIER",
        (None, false) => "LIVREES",
    };
    Regles {
        origine,
        version: r.deposees.as_ref().map(|d| d.version),
        sha256: hex::encode(sha2::Sha256::digest(r.texte.as_bytes())),
        deposees_par: r.deposees.as_ref().map(|d| d.deposees_par.clone()),
        deposees_le: r.deposees.as_ref().map(|d| d.deposees_le),
        nombre: h.authorizer.regles(),
        texte: r.texte.clone(),
    }
}

/// Sets new rules for every instance (France Travail's national administrators): checked
/// first as a reload checks them (each line parsed, the known-answer suite passed), then
/// kept as the next version, journaled, and applied here and by every instance at once.
pub async fn deposer_regles(s: &Services, admin: &Administrateur, octets: &[u8]) -> Result<Regles, AppError> {
    use sha2::Digest;
    if !admin.gere_organisations() {
        return Err(interdit(s, admin, "admin.regles.deposer", "regles").await);
    }
    let texte = std::str::from_utf8(octets)
        .map_err(|_| AppError::invalide("regles", "regles : le texte n'est pas en UTF-8"))?;
    s.gardien.essayer(texte).await.map_err(|e| AppError::invalide("regles", e.to_string()))?;
    let sha256 = hex::encode(sha2::Sha256::digest(octets));
    let version = s.store.regles_deposer(texte, &sha256, &admin.identifiant, s.clock.now()).await?;
    appliquer(s, admin, "admin.regles.deposer", &format!("version {version} {sha256}")).await?;
    Ok(regles(s))
}
