//! Service management as administrators do it: who may read which convention's service
//! levels, who runs service management, and each act journaled. The edges (admin API,
//! page) parse and render; the rules of deadlines and notices are the model's.

use chrono::{DateTime, Utc};

use super::gestion::{self, ChangementEnregistre, GestionError, ViolationEnregistree, VueIncident};
use crate::app::habilitations::{interdit, journaliser};
use crate::app::{AppError, Services};
use crate::dossier::Categorie;
use crate::dossier::codes::Coded;
use crate::habilitation::administrateur::Administrateur;
use crate::sla::api::Api;
use crate::sla::page::LigneIncident;
use crate::sla::rapport::{self, RapportError, RapportSla};
use crate::sla::regles::changement::{Changement, VersionApi};
use crate::sla::regles::incident::{EtapeIncident, OrigineIncident, TypeIncident};
use crate::sla::regles::violation::{FaitGenerateur, NatureViolation, SensNotification, Violation};
use crate::store::sla::Fenetre;

impl From<RapportError> for AppError {
    fn from(e: RapportError) -> Self {
        match e {
            RapportError::Store(s) => AppError::Store(s),
            RapportError::Convention(_) => AppError::Inconnu("convention inconnue".into()),
            e @ RapportError::Mois(_) => AppError::invalide("mois", e.to_string()),
        }
    }
}

/// Who may read: operators and France Travail's national administrators for everything;
/// an administrator of a party for a convention. A refusal is journaled.
pub async fn lecture(s: &Services, admin: &Administrateur, convention: Option<&str>) -> Result<(), AppError> {
    let ok = match convention {
        None => admin.gere_organisations(),
        Some(id) => {
            let c = crate::app::habilitations::convention(s, id)?;
            admin.gere_organisations() || c.parties.iter().any(|p| admin.gere(p))
        }
    };
    if ok { Ok(()) } else { Err(interdit(s, admin, "admin.sla", convention.unwrap_or("*")).await) }
}

/// Operators and France Travail's national administrators run service management.
async fn exploitant(s: &Services, admin: &Administrateur, action: &str) -> Result<(), AppError> {
    if admin.gere_organisations() { Ok(()) } else { Err(interdit(s, admin, action, "sla").await) }
}

async fn journaliser_sla(s: &Services, admin: &Administrateur, action: &str, objet: &str) -> Result<(), AppError> {
    journaliser(s, admin, action, objet, None, "sla", true).await
}

/// The month's report (`mois`: AAAA-MM), for one convention or all; the minutes still in
/// memory count too.
pub async fn rapport(
    s: &Services,
    admin: &Administrateur,
    mois: &str,
    convention: Option<&str>,
) -> Result<RapportSla, AppError> {
    lecture(s, admin, convention).await?;
    let conv = convention.map(|id| crate::app::habilitations::convention(s, id)).transpose()?;
    if let Some(m) = &s.mesureur {
        let lot = super::collecte::ecrire_minutes_passees(m, &s.store).await;
        super::collecte::detecter_pics(s, &lot).await;
    }
    Ok(rapport::calculer(&s.store, mois, conv.as_deref(), s.clock.now()).await?)
}

/// Records a window excluded from availability: an announced maintenance (operators and
/// France Travail's national administrators), or a partner-side unavailability of one
/// convention (an administrator of a party). Announced now.
pub async fn ajouter_fenetre(s: &Services, admin: &Administrateur, mut f: Fenetre) -> Result<Fenetre, AppError> {
    match f.nature.as_str() {
        "maintenance" => lecture(s, admin, None).await?,
        "partenaire" => {
            let c = f.convention.clone().ok_or_else(|| {
                AppError::invalide("convention", "convention : obligatoire pour une indisponibilité du partenaire")
            })?;
            lecture(s, admin, Some(&c)).await?
        }
        _ => return Err(AppError::invalide("nature", "nature : maintenance ou partenaire")),
    }
    if f.fin <= f.debut {
        return Err(AppError::invalide("fin", "fin : après le début"));
    }
    if let Some(a) = &f.api
        && Api::from_code(a).is_err()
    {
        return Err(AppError::invalide("api", "api : inconnue (voir GET /admin/v1/sla/rapport)"));
    }
    f.annonce_le = s.clock.now();
    f.id = s.store.sla_ajouter_fenetre(&f).await?;
    journaliser_sla(s, admin, &format!("admin.sla.fenetre.{}", f.nature), &f.id).await?;
    Ok(f)
}

/// Incidents with their deadlines and breaches (all, or the open ones).
pub async fn incidents(
    s: &Services,
    admin: &Administrateur,
    ouverts: bool,
    convention: Option<&str>,
) -> Result<Vec<VueIncident>, AppError> {
    lecture(s, admin, convention).await?;
    let now = s.clock.now();
    Ok(gestion::incidents(s, ouverts, convention).await?.into_iter().map(|i| i.vue(now)).collect())
}

/// An incident found by the operator, `detecte_le` at most now.
pub async fn ouvrir_incident(
    s: &Services,
    admin: &Administrateur,
    type_incident: TypeIncident,
    api: Option<String>,
    convention: Option<String>,
    resume: &str,
    detecte_le: Option<DateTime<Utc>>,
) -> Result<VueIncident, AppError> {
    exploitant(s, admin, "admin.sla.incident").await?;
    let now = s.clock.now();
    let detecte = detecte_le.unwrap_or(now).min(now);
    let i = gestion::ouvrir_incident(s, type_incident, OrigineIncident::Operateur, api, convention, resume, detecte)
        .await?;
    journaliser_sla(s, admin, "admin.sla.incident.ouvrir", &i.id).await?;
    Ok(i.vue(now))
}

/// A step of an incident's timeline, `le` not in the future.
pub async fn etape_incident(
    s: &Services,
    admin: &Administrateur,
    id: &str,
    etape: EtapeIncident,
    le: Option<DateTime<Utc>>,
    reference: Option<String>,
) -> Result<VueIncident, AppError> {
    exploitant(s, admin, "admin.sla.incident").await?;
    let now = s.clock.now();
    let le = le.unwrap_or(now);
    if le > now {
        return Err(AppError::invalide("le", "le : date future non admise"));
    }
    let i = gestion::etape_incident(s, id, etape, le, reference, now).await?;
    journaliser_sla(s, admin, &format!("admin.sla.incident.{}", etape.code()), id).await?;
    Ok(i.vue(now))
}

/// The data-breach register (seed 002 art. 4, seed 004 art. 7).
pub async fn violations(
    s: &Services,
    admin: &Administrateur,
    convention: Option<&str>,
) -> Result<Vec<ViolationEnregistree>, AppError> {
    lecture(s, admin, convention).await?;
    Ok(gestion::violations(s, convention).await?)
}

/// A data breach as declared.
pub struct Declaration {
    pub convention: String,
    pub sens: SensNotification,
    pub fait_generateur: FaitGenerateur,
    pub decouverte_le: DateTime<Utc>,
    pub natures: Vec<NatureViolation>,
    pub categories_donnees: Vec<Categorie>,
    pub resume: String,
}

/// Registers a breach: its notification deadline is the convention's (48 h or 36 h).
pub async fn declarer_violation(
    s: &Services,
    admin: &Administrateur,
    d: Declaration,
) -> Result<ViolationEnregistree, AppError> {
    lecture(s, admin, Some(&d.convention)).await?;
    let conv = crate::app::habilitations::convention(s, &d.convention)?;
    let now = s.clock.now();
    if d.decouverte_le > now {
        return Err(AppError::invalide("decouverteLe", "decouverteLe : date future non admise"));
    }
    let v =
        Violation::sous_convention(&conv, d.sens, d.fait_generateur, d.decouverte_le, d.natures, d.categories_donnees)
            .map_err(GestionError::from)?;
    let v = gestion::declarer_violation(s, v, &d.resume, now).await?;
    journaliser_sla(s, admin, "admin.sla.violation.declarer", &v.id).await?;
    Ok(v)
}

/// Records that the breach was notified (`le` at most now).
pub async fn notifier_violation(
    s: &Services,
    admin: &Administrateur,
    id: &str,
    le: Option<DateTime<Utc>>,
) -> Result<ViolationEnregistree, AppError> {
    let now = s.clock.now();
    let v = gestion::violation(s, id).await?;
    lecture(s, admin, Some(&v.violation.convention_id)).await?;
    let v = gestion::violation_notifiee(s, id, le.unwrap_or(now).min(now), now).await?;
    journaliser_sla(s, admin, "admin.sla.violation.notifiee", id).await?;
    Ok(v)
}

/// Every API version served, with its status.
pub fn versions(s: &Services) -> Vec<super::gestion::VersionListee> {
    s.versions.catalogue(s.clock.now())
}

/// The change calendar.
pub async fn changements(s: &Services) -> Result<Vec<ChangementEnregistre>, AppError> {
    Ok(gestion::changements(s).await?)
}

/// Announces a change, now whatever the body says: minor ≥ 5 days before production,
/// interface contract with a joint decision, major ≥ 3 months.
pub async fn annoncer_changement(
    s: &Services,
    admin: &Administrateur,
    mut c: Changement,
) -> Result<ChangementEnregistre, AppError> {
    exploitant(s, admin, "admin.sla.changement").await?;
    let now = s.clock.now();
    c.annonce_le = now;
    let c = gestion::annoncer_changement(s, c, now).await?;
    journaliser_sla(s, admin, "admin.sla.changement.annoncer", &c.id).await?;
    Ok(c)
}

/// Records a version's lifetime (`version`: the one named by the edge; a deprecated
/// version answers with Deprecation/Sunset). n−1 is kept at least 6 months after its
/// successor's production.
pub async fn enregistrer_version(
    s: &Services,
    admin: &Administrateur,
    version: &str,
    v: VersionApi,
) -> Result<VersionApi, AppError> {
    exploitant(s, admin, "admin.sla.version").await?;
    if v.version != version {
        return Err(AppError::invalide("version", "version : celle du chemin"));
    }
    let now = s.clock.now();
    for autre in s.versions.liste() {
        if autre.famille() == v.famille()
            && autre.mise_en_production > v.mise_en_production
            && let Err(e) = v.verifier_fin_de_vie(autre.mise_en_production)
        {
            return Err(GestionError::from(e).into());
        }
    }
    let v = gestion::enregistrer_version(s, v, now).await?;
    s.versions.recharger(s).await?;
    crate::app::grappe::signaler(s, crate::app::grappe::sujet::VERSIONS).await;
    journaliser_sla(s, admin, "admin.sla.version", version).await?;
    Ok(v)
}

/// The month's report as a page a person reads: indicators against targets, daily
/// availability and latency per API, excluded windows, the incidents of the month (and
/// those still open) with their deadlines.
pub async fn page(
    s: &Services,
    admin: &Administrateur,
    mois: &str,
    convention: Option<&str>,
) -> Result<String, AppError> {
    let r = rapport(s, admin, mois, convention).await?;
    let now = s.clock.now();
    let libelle_api = |a: &str| Api::from_code(a).map(|x| x.libelle().to_string()).unwrap_or(a.into());
    let incidents: Vec<LigneIncident> = gestion::incidents(s, false, convention)
        .await?
        .into_iter()
        .filter(|i| {
            let d = i.incident.detecte_le();
            (d < r.fin && i.incident.clos_le().is_none_or(|c| c >= r.debut)) || !i.incident.est_clos()
        })
        .map(|i| {
            let depasses: Vec<_> = i.incident.depassements(now).into_iter().map(|d| d.etape).collect();
            LigneIncident {
                id: i.id.clone(),
                type_incident: i.incident.type_incident().libelle().to_string(),
                origine: i.incident.origine().libelle().to_string(),
                api: i.api.as_deref().map(libelle_api),
                convention: i.convention.clone(),
                etat: i.incident.etape_courante().libelle().to_string(),
                detecte_le: i.incident.detecte_le(),
                echeances: i
                    .incident
                    .echeances()
                    .liste()
                    .into_iter()
                    .map(|e| {
                        (
                            e.etape.libelle().to_string(),
                            e.echeance,
                            i.incident.date_etape(e.etape),
                            depasses.contains(&e.etape),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(crate::sla::page::rendre(&r, &incidents, now))
}
