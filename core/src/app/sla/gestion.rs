//! Service management over the registers: incidents (opened by the probes, by a partner or
//! by an operator; steps; deadlines watched), data breaches (deadline of the convention,
//! reminders), changes (notice checked) and API versions (Deprecation/Sunset). The rules
//! are in `regles`; this module stores, notifies and watches.
//!
//! Notifications go out on the log, as metrics (`dude_sla_notifications_total`), and to the
//! webhook of each convention concerned (`webhookIncidents`): an incident of one
//! convention to it; an incident of the platform (no convention) to every convention that
//! has a webhook. A notification is sent once (its key is kept with the document).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::app::Services;
use crate::dossier::codes::Coded;
use crate::habilitation::convention::Convention;
use crate::sla::regles::changement::{Changement, ChangementError, StatutVersion, VersionApi, VersionApiError};
use crate::sla::regles::incident::{
    Depassement, Echeances, EtapeIncident, Incident, IncidentError, OrigineIncident, TypeIncident,
};
use crate::sla::regles::violation::{SeuilRappel, Violation, ViolationError};
use crate::store::StoreError;
use crate::store::sla::Document;

#[derive(Debug, thiserror::Error)]
pub enum GestionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Incident(#[from] IncidentError),
    #[error(transparent)]
    Violation(#[from] ViolationError),
    #[error(transparent)]
    Changement(#[from] ChangementError),
    #[error(transparent)]
    Version(#[from] VersionApiError),
    #[error("{0}")]
    Inconnu(String),
    #[error("{champ} : {message}")]
    Invalide { champ: &'static str, message: String },
}

/// Minutes of failing probes after which an availability incident opens by itself.
pub const MINUTES_AVANT_INCIDENT: i64 = 5;

/// An incident as registered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncidentEnregistre {
    pub id: String,
    /// The API concerned (its code), if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// The convention concerned; none for the platform as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convention: Option<String>,
    /// What happens, without personal data.
    pub resume: String,
    pub incident: Incident,
    /// Keys of the notifications already sent.
    #[serde(default)]
    pub notifications: Vec<String>,
}

/// An incident with its deadlines and breaches at a given time.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VueIncident {
    #[serde(flatten)]
    pub enregistre: IncidentEnregistre,
    pub etape: EtapeIncident,
    pub echeances: Echeances,
    pub depassements: Vec<Depassement>,
}

impl IncidentEnregistre {
    pub fn vue(&self, maintenant: DateTime<Utc>) -> VueIncident {
        VueIncident {
            enregistre: self.clone(),
            etape: self.incident.etape_courante(),
            echeances: self.incident.echeances(),
            depassements: self.incident.depassements(maintenant),
        }
    }
}

/// A data breach as registered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ViolationEnregistree {
    pub id: String,
    pub resume: String,
    pub violation: Violation,
    #[serde(default)]
    pub rappels_envoyes: Vec<SeuilRappel>,
    #[serde(default)]
    pub retard_signale: bool,
}

fn resume_valide(resume: &str) -> Result<String, GestionError> {
    let r = resume.trim();
    if r.is_empty() || r.chars().count() > 500 {
        return Err(GestionError::Invalide { champ: "resume", message: "de 1 à 500 caractères".into() });
    }
    Ok(r.to_string())
}

async fn sauver_incident(services: &Services, i: &IncidentEnregistre, now: DateTime<Utc>) -> Result<(), GestionError> {
    let donnees =
        serde_json::to_string(i).map_err(|e| StoreError::Corrupt { dossier: i.id.clone(), what: e.to_string() })?;
    let cree_le = i.incident.detecte_le();
    services
        .store
        .sla_enregistrer(&Document {
            id: i.id.clone(),
            genre: "incident".into(),
            convention: i.convention.clone(),
            ouvert: !i.incident.est_clos(),
            donnees,
            cree_le,
            maj_le: now,
        })
        .await?;
    Ok(())
}

fn lire<T: for<'de> Deserialize<'de>>(d: &Document) -> Result<T, GestionError> {
    serde_json::from_str(&d.donnees)
        .map_err(|e| GestionError::Store(StoreError::Corrupt { dossier: d.id.clone(), what: e.to_string() }))
}

pub async fn incident(services: &Services, id: &str) -> Result<IncidentEnregistre, GestionError> {
    let d = services
        .store
        .sla_document("incident", id)
        .await?
        .ok_or_else(|| GestionError::Inconnu("incident inconnu".into()))?;
    lire(&d)
}

pub async fn incidents(
    services: &Services,
    ouverts: bool,
    convention: Option<&str>,
) -> Result<Vec<IncidentEnregistre>, GestionError> {
    services.store.sla_documents("incident", ouverts, convention).await?.iter().map(lire).collect()
}

/// Opens an incident and notifies it.
pub async fn ouvrir_incident(
    services: &Services,
    type_incident: TypeIncident,
    origine: OrigineIncident,
    api: Option<String>,
    convention: Option<String>,
    resume: &str,
    maintenant: DateTime<Utc>,
) -> Result<IncidentEnregistre, GestionError> {
    if let Some(a) = &api
        && crate::sla::api::Api::from_code(a).is_err()
    {
        return Err(GestionError::Invalide { champ: "api", message: "API inconnue".into() });
    }
    let mut i = IncidentEnregistre {
        id: format!("INC-{}-{}", maintenant.format("%Y%m%d%H%M"), &uuid::Uuid::new_v4().simple().to_string()[..6]),
        api,
        convention,
        resume: resume_valide(resume)?,
        incident: Incident::nouveau(type_incident, origine, maintenant),
        notifications: vec![],
    };
    notifier_incident(services, &mut i, "ouvert", maintenant).await;
    sauver_incident(services, &i, maintenant).await?;
    metrics::counter!("dude_incidents_total", "type" => type_incident.code(), "origine" => origine.code()).increment(1);
    Ok(i)
}

/// Records a step of an incident's timeline.
pub async fn etape_incident(
    services: &Services,
    id: &str,
    etape: EtapeIncident,
    le: DateTime<Utc>,
    reference: Option<String>,
    maintenant: DateTime<Utc>,
) -> Result<IncidentEnregistre, GestionError> {
    let mut i = incident(services, id).await?;
    match etape {
        EtapeIncident::PrisEnCompte => i.incident.prendre_en_compte(le)?,
        EtapeIncident::PartenaireInforme => i.incident.informer_partenaire(le)?,
        EtapeIncident::ServiceRetabli => i.incident.retablir_service(le)?,
        EtapeIncident::ValideParPartenaire => {
            i.incident.enregistrer_validation_partenaire(le, &reference.unwrap_or_default())?
        }
        EtapeIncident::Clos => i.incident.clore(le)?,
        EtapeIncident::Detecte => {
            return Err(GestionError::Invalide { champ: "etape", message: "la détection date l'ouverture".into() });
        }
    }
    notifier_incident(services, &mut i, &format!("etape:{}", etape.code()), maintenant).await;
    sauver_incident(services, &i, maintenant).await?;
    Ok(i)
}

/// The conventions a notification goes to.
fn destinataires(services: &Services, convention: Option<&str>) -> Vec<Arc<Convention>> {
    let h = services.gardien.courant();
    match convention {
        Some(c) => h.registre.conventions.get(c).cloned().into_iter().collect(),
        None => h.registre.conventions.values().filter(|c| c.webhook_incidents.is_some()).cloned().collect(),
    }
}

/// Sends a notification once: log, metric, webhooks.
async fn notifier_incident(services: &Services, i: &mut IncidentEnregistre, cle: &str, maintenant: DateTime<Utc>) {
    if i.notifications.iter().any(|n| n == cle) {
        return;
    }
    i.notifications.push(cle.to_string());
    tracing::warn!(incident = %i.id, evenement = %cle, api = ?i.api, convention = ?i.convention, "incident");
    metrics::counter!("dude_sla_notifications_total", "objet" => "incident", "evenement" => cle.split(':').next().unwrap_or("").to_string()).increment(1);
    let corps = serde_json::json!({
        "objet": "incident",
        "evenement": cle,
        "incident": i.vue(maintenant),
    });
    for c in destinataires(services, i.convention.as_deref()) {
        if let Some(url) = &c.webhook_incidents {
            envoyer(url.clone(), corps.clone());
        }
    }
}

/// Posts a notification to a webhook in the background (5 s), failures logged.
fn envoyer(url: String, corps: serde_json::Value) {
    tokio::spawn(async move {
        let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(5)).build();
        let r = match client {
            Ok(c) => c.post(&url).json(&corps).send().await.map(|r| r.status()),
            Err(e) => {
                tracing::error!(erreur = %e, "client HTTP des notifications");
                return;
            }
        };
        match r {
            Ok(s) if s.is_success() => {}
            Ok(s) => tracing::warn!(statut = s.as_u16(), "notification refusée par le webhook"),
            Err(e) => tracing::warn!(erreur = %e, "notification non délivrée au webhook"),
        }
    });
}

/// Watches the deadlines: each newly breached deadline of an open incident is notified;
/// each reminder due of a breach not yet notified, and a missed deadline, too.
pub async fn surveiller_echeances(services: &Services, maintenant: DateTime<Utc>) -> Result<usize, GestionError> {
    let mut n = 0;
    for mut i in incidents(services, true, None).await? {
        let mut change = false;
        for d in i.incident.depassements(maintenant) {
            let cle = format!("depasse:{}", d.etape.code());
            if !i.notifications.contains(&cle) {
                notifier_incident(services, &mut i, &cle, maintenant).await;
                metrics::counter!("dude_sla_echeances_depassees_total", "objet" => "incident").increment(1);
                change = true;
                n += 1;
            }
        }
        if change {
            sauver_incident(services, &i, maintenant).await?;
        }
    }
    for d in services.store.sla_documents("violation", true, None).await? {
        let mut v: ViolationEnregistree = lire(&d)?;
        let mut change = false;
        for r in v.violation.rappels_dus(maintenant, &v.rappels_envoyes) {
            v.rappels_envoyes.push(r.seuil);
            notifier_violation(services, &v, &format!("rappel:{}", r.seuil.code()), maintenant);
            change = true;
            n += 1;
        }
        if v.violation.en_retard(maintenant) && !v.retard_signale {
            v.retard_signale = true;
            notifier_violation(services, &v, "depassee", maintenant);
            metrics::counter!("dude_sla_echeances_depassees_total", "objet" => "violation").increment(1);
            change = true;
            n += 1;
        }
        if change {
            sauver_violation(services, &v, maintenant).await?;
        }
    }
    Ok(n)
}

fn notifier_violation(services: &Services, v: &ViolationEnregistree, cle: &str, maintenant: DateTime<Utc>) {
    tracing::warn!(violation = %v.id, evenement = %cle, convention = %v.violation.convention_id, echeance = %v.violation.echeance(), "violation de données");
    metrics::counter!("dude_sla_notifications_total", "objet" => "violation", "evenement" => cle.split(':').next().unwrap_or("").to_string()).increment(1);
    let corps = serde_json::json!({
        "objet": "violation",
        "evenement": cle,
        "violation": v,
        "echeance": v.violation.echeance(),
        "enRetard": v.violation.en_retard(maintenant),
    });
    for c in destinataires(services, Some(&v.violation.convention_id)) {
        if let Some(url) = &c.webhook_incidents {
            envoyer(url.clone(), corps.clone());
        }
    }
}

async fn sauver_violation(
    services: &Services,
    v: &ViolationEnregistree,
    now: DateTime<Utc>,
) -> Result<(), GestionError> {
    let donnees =
        serde_json::to_string(v).map_err(|e| StoreError::Corrupt { dossier: v.id.clone(), what: e.to_string() })?;
    services
        .store
        .sla_enregistrer(&Document {
            id: v.id.clone(),
            genre: "violation".into(),
            convention: Some(v.violation.convention_id.clone()),
            ouvert: v.violation.notifiee_le.is_none(),
            donnees,
            cree_le: v.violation.decouverte_le,
            maj_le: now,
        })
        .await?;
    Ok(())
}

/// Registers a breach under its convention (the convention's delay).
pub async fn declarer_violation(
    services: &Services,
    violation: Violation,
    resume: &str,
    maintenant: DateTime<Utc>,
) -> Result<ViolationEnregistree, GestionError> {
    violation.valider()?;
    let v = ViolationEnregistree {
        id: format!("VIO-{}-{}", maintenant.format("%Y%m%d%H%M"), &uuid::Uuid::new_v4().simple().to_string()[..6]),
        resume: resume_valide(resume)?,
        violation,
        rappels_envoyes: vec![],
        retard_signale: false,
    };
    notifier_violation(services, &v, "declaree", maintenant);
    sauver_violation(services, &v, maintenant).await?;
    Ok(v)
}

pub async fn violations(
    services: &Services,
    convention: Option<&str>,
) -> Result<Vec<ViolationEnregistree>, GestionError> {
    services.store.sla_documents("violation", false, convention).await?.iter().map(lire).collect()
}

pub async fn violation(services: &Services, id: &str) -> Result<ViolationEnregistree, GestionError> {
    let d = services
        .store
        .sla_document("violation", id)
        .await?
        .ok_or_else(|| GestionError::Inconnu("violation inconnue".into()))?;
    lire(&d)
}

pub async fn violation_notifiee(
    services: &Services,
    id: &str,
    le: DateTime<Utc>,
    maintenant: DateTime<Utc>,
) -> Result<ViolationEnregistree, GestionError> {
    let mut v = violation(services, id).await?;
    v.violation.notifier(le)?;
    sauver_violation(services, &v, maintenant).await?;
    Ok(v)
}

/// A change of the calendar, with its id.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangementEnregistre {
    pub id: String,
    #[serde(flatten)]
    pub changement: Changement,
}

/// Registers a change after checking its notice (or the joint decision).
pub async fn annoncer_changement(
    services: &Services,
    c: Changement,
    maintenant: DateTime<Utc>,
) -> Result<ChangementEnregistre, GestionError> {
    c.verifier()?;
    let id = format!("CHG-{}-{}", maintenant.format("%Y%m%d"), &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let donnees =
        serde_json::to_string(&c).map_err(|e| StoreError::Corrupt { dossier: id.clone(), what: e.to_string() })?;
    services
        .store
        .sla_enregistrer(&Document {
            id: id.clone(),
            genre: "changement".into(),
            convention: None,
            ouvert: c.mise_en_production > maintenant,
            donnees,
            cree_le: maintenant,
            maj_le: maintenant,
        })
        .await?;
    Ok(ChangementEnregistre { id, changement: c })
}

pub async fn changements(services: &Services) -> Result<Vec<ChangementEnregistre>, GestionError> {
    services
        .store
        .sla_documents("changement", false, None)
        .await?
        .iter()
        .map(|d| Ok(ChangementEnregistre { id: d.id.clone(), changement: lire(d)? }))
        .collect()
}

/// The API versions DUDE serves: the seed-named surface (`v1`) and each API of France
/// Travail's live surface (`<api>.<vN>`, as `api::version_de` names them), with what they
/// are.
pub const VERSIONS_SERVIES: &[(&str, &str)] = &[
    ("v1", "API partenaires, noms de la convention de 2022 (/partenaire/v1)"),
    ("rechercher-usager.v1", "France Travail : rechercher-usager v1 (identifiant)"),
    ("rechercher-usager.v2", "France Travail : rechercher-usager v2 (jeton usager)"),
    ("contrat-usager.v2", "France Travail : contrat-usager v2 (statut)"),
    ("diagnosticargumente.v1", "France Travail : diagnosticargumente v1 (individus)"),
    ("diagnosticargumente.v4", "France Travail : diagnosticargumente v4 (dossiers)"),
    ("informations-administratives.v1", "France Travail : informations-administratives v1"),
    ("donnees-rqth.v1", "France Travail : donnees-rqth v1"),
    ("orientationusager.v1", "France Travail : orientationusager v1"),
    ("rendez-vous-partenaire.v1", "France Travail : rendez-vous-partenaire v1"),
];

/// When DUDE first served its versions (the default production date of a version whose
/// lifetime was not recorded).
fn premiere_mise_en_production(version: &str) -> DateTime<Utc> {
    let jour = if version == "v1" { "2026-11-22T00:00:00Z" } else { "2026-12-03T00:00:00Z" };
    jour.parse().expect("constant date")
}

/// A version as the change calendar lists it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionListee {
    #[serde(flatten)]
    pub version: VersionApi,
    pub libelle: String,
    pub statut: StatutVersion,
}

/// The API versions, as the partner routes answer them (Deprecation/Sunset headers).
#[derive(Clone, Default)]
pub struct Versions(Arc<RwLock<HashMap<String, VersionApi>>>);

impl Versions {
    pub async fn recharger(&self, services: &Services) -> Result<(), GestionError> {
        let mut m = HashMap::new();
        for d in services.store.sla_documents("version", false, None).await? {
            let v: VersionApi = lire(&d)?;
            m.insert(v.version.clone(), v);
        }
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = m;
        Ok(())
    }

    /// The lifetimes recorded.
    pub fn liste(&self) -> Vec<VersionApi> {
        let mut v: Vec<VersionApi> = self.0.read().unwrap_or_else(|p| p.into_inner()).values().cloned().collect();
        v.sort_by_key(|a| a.mise_en_production);
        v
    }

    /// Every version served (and any other recorded), with its status at `maintenant`.
    pub fn catalogue(&self, maintenant: DateTime<Utc>) -> Vec<VersionListee> {
        let enregistrees = self.0.read().unwrap_or_else(|p| p.into_inner()).clone();
        let mut out: Vec<VersionListee> = VERSIONS_SERVIES
            .iter()
            .map(|(id, libelle)| {
                let version = enregistrees.get(*id).cloned().unwrap_or_else(|| VersionApi {
                    version: id.to_string(),
                    mise_en_production: premiere_mise_en_production(id),
                    depreciee_le: None,
                    fin_de_vie: None,
                });
                (version, libelle.to_string())
            })
            .chain(
                enregistrees
                    .values()
                    .filter(|v| !VERSIONS_SERVIES.iter().any(|(id, _)| *id == v.version))
                    .map(|v| (v.clone(), v.version.clone())),
            )
            .map(|(version, libelle)| VersionListee { statut: version.statut(maintenant), version, libelle })
            .collect();
        out.sort_by(|a, b| a.version.version.cmp(&b.version.version));
        out
    }

    /// `Deprecation` and `Sunset` values for a deprecated version.
    pub fn entetes(&self, version: &str, maintenant: DateTime<Utc>) -> Option<(String, String)> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).get(version).and_then(|v| v.entetes(maintenant))
    }
}

/// Records a version (its production, deprecation and sunset, checked).
pub async fn enregistrer_version(
    services: &Services,
    v: VersionApi,
    maintenant: DateTime<Utc>,
) -> Result<VersionApi, GestionError> {
    v.valider()?;
    let donnees = serde_json::to_string(&v)
        .map_err(|e| StoreError::Corrupt { dossier: v.version.clone(), what: e.to_string() })?;
    services
        .store
        .sla_enregistrer(&Document {
            id: format!("version:{}", v.version),
            genre: "version".into(),
            convention: None,
            ouvert: v.fin_de_vie.is_none_or(|f| f > maintenant),
            donnees,
            cree_le: v.mise_en_production,
            maj_le: maintenant,
        })
        .await?;
    Ok(v)
}

/// Opens an availability incident for an API whose probes have failed for
/// [`MINUTES_AVANT_INCIDENT`] minutes, and records the restoration of a probe incident
/// when its probes succeed again. `echecs` holds, per API, the start of the current run
/// of failures.
pub async fn suivre_sondes(
    services: &Services,
    resultats: &[crate::store::sla::ResultatSonde],
    echecs: &mut HashMap<String, DateTime<Utc>>,
    maintenant: DateTime<Utc>,
) -> Result<(), GestionError> {
    let base_ko = resultats.iter().any(|r| r.cible == "base" && !r.ok);
    let ouverts: Vec<IncidentEnregistre> = incidents(services, true, None)
        .await?
        .into_iter()
        .filter(|i| i.incident.origine() == OrigineIncident::Sonde)
        .collect();
    for r in resultats.iter().filter(|r| crate::sla::api::Api::from_code(&r.cible).is_ok()) {
        let ko = !r.ok || base_ko;
        let ouvert = ouverts.iter().find(|i| i.api.as_deref() == Some(r.cible.as_str()));
        if ko {
            let debut = *echecs.entry(r.cible.clone()).or_insert(maintenant);
            if ouvert.is_none() && maintenant - debut >= Duration::minutes(MINUTES_AVANT_INCIDENT) {
                ouvrir_incident(
                    services,
                    TypeIncident::Disponibilite,
                    OrigineIncident::Sonde,
                    Some(r.cible.clone()),
                    None,
                    &format!(
                        "sondes en échec depuis {} : {}",
                        debut.format("%d/%m/%Y %H:%M UTC"),
                        r.detail.as_deref().unwrap_or("échec")
                    ),
                    debut,
                )
                .await?;
            }
        } else {
            echecs.remove(&r.cible);
            if let Some(i) = ouvert
                && i.incident.service_retabli_le().is_none()
            {
                if i.incident.pris_en_compte_le().is_none() {
                    etape_incident(services, &i.id, EtapeIncident::PrisEnCompte, maintenant, None, maintenant).await?;
                }
                etape_incident(services, &i.id, EtapeIncident::ServiceRetabli, maintenant, None, maintenant).await?;
            }
        }
    }
    Ok(())
}
