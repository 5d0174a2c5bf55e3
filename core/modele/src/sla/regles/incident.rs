//! Incidents and their deadlines (seed 002 annex 2 §3 "Retour au service", §4, §5).
//!
//! An incident is detected, taken into account, the partner is informed, the service is
//! restored, the partner validates the return to service, and the incident is closed. The
//! steps are dated and recorded in that order, except that the partner's information and the
//! restoration do not depend on each other: a short outage may be over before the partner is
//! told, and the partner must be told all the same (closing needs both).
//!
//! Deadlines, all counted from the detection:
//!
//! | step                | applicatif             | disponibilité                     |
//! |---------------------|------------------------|-----------------------------------|
//! | taken into account  | —                      | 15 min, when reported by the partner |
//! | partner informed    | 24 h                   | 1 h                               |
//! | service restored    | 6 calendar days        | 1 business day (8 business hours) |
//!
//! Calendar deadlines are exact durations (6 days = 144 h, whatever the daylight-saving
//! changes); the business-hours one uses [`super::calendrier`]. The seed's "6 jours
//! *(Changement suivant)" is read as calendar days: the fix ships with the next weekly change.
//! An applicatif restoration may instead be planned with the partner (§3, last paragraph):
//! the agreed date then replaces the six days. A step done exactly at its deadline is on time.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::calendrier;
use crate::dossier::codes::{Coded, coded_enum};

/// Taking a disponibilité incident reported by the partner into account.
pub const DELAI_PRISE_EN_COMPTE: Duration = Duration::minutes(15);
/// Informing the partner of an applicatif incident.
pub const DELAI_INFORMATION_APPLICATIF: Duration = Duration::hours(24);
/// Informing the partner of a disponibilité incident.
pub const DELAI_INFORMATION_DISPONIBILITE: Duration = Duration::hours(1);
/// Restoring the service after an applicatif incident (calendar days).
pub const DELAI_RETABLISSEMENT_APPLICATIF: Duration = Duration::days(6);
/// Restoring the service after a disponibilité incident (business hours).
pub const DELAI_RETABLISSEMENT_DISPONIBILITE_OUVRABLE: Duration = Duration::hours(8);

coded_enum!(
    /// The two kinds of incident of seed 002 annex 2 §3.
    TypeIncident, "type d'incident" {
        Applicatif => ("APPLICATIF", "Applicatif : complétude, cohérence ou qualité des données échangées"),
        Disponibilite => ("DISPONIBILITE", "Disponibilité de service : interruption ou dégradation"),
    }
);

coded_enum!(
    /// Who found the dysfunction.
    OrigineIncident, "origine de l'incident" {
        Sonde => ("SONDE", "Détecté par une sonde de surveillance"),
        Partenaire => ("PARTENAIRE", "Signalé par le partenaire"),
        Operateur => ("OPERATEUR", "Constaté par l'opérateur de la plateforme"),
    }
);

coded_enum!(
    /// A step of an incident's timeline.
    EtapeIncident, "étape d'incident" {
        Detecte => ("DETECTE", "Détection"),
        PrisEnCompte => ("PRIS_EN_COMPTE", "Prise en compte"),
        PartenaireInforme => ("PARTENAIRE_INFORME", "Information du partenaire"),
        ServiceRetabli => ("SERVICE_RETABLI", "Rétablissement du service"),
        ValideParPartenaire => ("VALIDE_PAR_PARTENAIRE", "Validation du retour au service par le partenaire"),
        Clos => ("CLOS", "Clôture"),
    }
);

/// The partner's validation of the return to service (annex 2 §5: the partner tests and
/// validates the return to service, then the closing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValidationPartenaire {
    pub le: DateTime<Utc>,
    /// The partner's reference (ticket, message); never personal data.
    pub reference: String,
}

/// A step of an incident that cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncidentError {
    #[error("{} : étape déjà enregistrée le {le}", .etape.libelle())]
    DejaEnregistree { etape: EtapeIncident, le: DateTime<Utc> },
    #[error("{} le {le} : antérieure à la détection de l'incident ({detecte_le})", .etape.libelle())]
    AvantDetection { etape: EtapeIncident, le: DateTime<Utc>, detecte_le: DateTime<Utc> },
    #[error("{} : l'étape « {} » doit être enregistrée avant", .etape.libelle(), .requise.libelle())]
    EtapeManquante { etape: EtapeIncident, requise: EtapeIncident },
    #[error("{} le {le} : antérieure à l'étape « {} » du {precedente_le}", .etape.libelle(), .precedente.libelle())]
    HorsOrdre { etape: EtapeIncident, le: DateTime<Utc>, precedente: EtapeIncident, precedente_le: DateTime<Utc> },
    #[error("clôture impossible : le service n'est pas rétabli")]
    ClotureAvantRetablissement,
    #[error("clôture impossible : le partenaire n'a pas validé le retour au service")]
    ClotureSansValidation,
    #[error("référence de la validation du partenaire : obligatoire")]
    ReferenceValidationVide,
    #[error("planification du rétablissement : réservée aux incidents applicatifs")]
    PlanificationNonApplicable,
    #[error("planification du rétablissement au {le} : antérieure à la détection ({detecte_le})")]
    PlanificationAvantDetection { le: DateTime<Utc>, detecte_le: DateTime<Utc> },
    #[error("planification du rétablissement : le service est déjà rétabli")]
    PlanificationTardive,
}

/// An incident and its dated timeline. Fields are private: steps are recorded through the
/// methods, which keep the timeline consistent; deserializing replays them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", try_from = "IncidentBrut")]
pub struct Incident {
    type_incident: TypeIncident,
    origine: OrigineIncident,
    detecte_le: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pris_en_compte_le: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    partenaire_informe_le: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service_retabli_le: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    validation_partenaire: Option<ValidationPartenaire>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    clos_le: Option<DateTime<Utc>>,
    /// Restoration date agreed with the partner (applicatif only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retablissement_planifie: Option<DateTime<Utc>>,
}

/// The deadlines of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Echeances {
    /// Only for a disponibilité incident reported by the partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prise_en_compte: Option<DateTime<Utc>>,
    pub information_partenaire: DateTime<Utc>,
    pub retablissement: DateTime<Utc>,
}

/// One deadline of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Echeance {
    pub etape: EtapeIncident,
    pub echeance: DateTime<Utc>,
}

/// A deadline missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Depassement {
    pub etape: EtapeIncident,
    pub echeance: DateTime<Utc>,
    /// When the step was done; `None` if it still is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realise_le: Option<DateTime<Utc>>,
    /// Lateness in whole minutes (rounded down), at the step or, if not done, at `now`.
    pub retard_minutes: i64,
}

impl Echeances {
    /// The deadlines as a list, in step order.
    pub fn liste(&self) -> Vec<Echeance> {
        let mut l = Vec::with_capacity(3);
        if let Some(e) = self.prise_en_compte {
            l.push(Echeance { etape: EtapeIncident::PrisEnCompte, echeance: e });
        }
        l.push(Echeance { etape: EtapeIncident::PartenaireInforme, echeance: self.information_partenaire });
        l.push(Echeance { etape: EtapeIncident::ServiceRetabli, echeance: self.retablissement });
        l
    }
}

impl Incident {
    /// A new incident, detected (or reported) at `detecte_le`.
    pub fn nouveau(type_incident: TypeIncident, origine: OrigineIncident, detecte_le: DateTime<Utc>) -> Self {
        Self {
            type_incident,
            origine,
            detecte_le,
            pris_en_compte_le: None,
            partenaire_informe_le: None,
            service_retabli_le: None,
            validation_partenaire: None,
            clos_le: None,
            retablissement_planifie: None,
        }
    }

    pub fn type_incident(&self) -> TypeIncident {
        self.type_incident
    }
    pub fn origine(&self) -> OrigineIncident {
        self.origine
    }
    pub fn detecte_le(&self) -> DateTime<Utc> {
        self.detecte_le
    }
    pub fn pris_en_compte_le(&self) -> Option<DateTime<Utc>> {
        self.pris_en_compte_le
    }
    pub fn partenaire_informe_le(&self) -> Option<DateTime<Utc>> {
        self.partenaire_informe_le
    }
    pub fn service_retabli_le(&self) -> Option<DateTime<Utc>> {
        self.service_retabli_le
    }
    pub fn validation_partenaire(&self) -> Option<&ValidationPartenaire> {
        self.validation_partenaire.as_ref()
    }
    pub fn clos_le(&self) -> Option<DateTime<Utc>> {
        self.clos_le
    }
    pub fn retablissement_planifie(&self) -> Option<DateTime<Utc>> {
        self.retablissement_planifie
    }
    pub fn est_clos(&self) -> bool {
        self.clos_le.is_some()
    }

    /// When a step was done, if it was.
    pub fn date_etape(&self, etape: EtapeIncident) -> Option<DateTime<Utc>> {
        match etape {
            EtapeIncident::Detecte => Some(self.detecte_le),
            EtapeIncident::PrisEnCompte => self.pris_en_compte_le,
            EtapeIncident::PartenaireInforme => self.partenaire_informe_le,
            EtapeIncident::ServiceRetabli => self.service_retabli_le,
            EtapeIncident::ValideParPartenaire => self.validation_partenaire.as_ref().map(|v| v.le),
            EtapeIncident::Clos => self.clos_le,
        }
    }

    /// The last step done (detection at least).
    pub fn etape_courante(&self) -> EtapeIncident {
        EtapeIncident::ALL
            .iter()
            .rev()
            .copied()
            .find(|&e| self.date_etape(e).is_some())
            .unwrap_or(EtapeIncident::Detecte)
    }

    /// Records the taking into account.
    pub fn prendre_en_compte(&mut self, le: DateTime<Utc>) -> Result<(), IncidentError> {
        self.controler(EtapeIncident::PrisEnCompte, le, &[])?;
        self.pris_en_compte_le = Some(le);
        Ok(())
    }

    /// Records that the partner was informed of the cause and of the foreseeable restoration.
    pub fn informer_partenaire(&mut self, le: DateTime<Utc>) -> Result<(), IncidentError> {
        self.controler(EtapeIncident::PartenaireInforme, le, &[EtapeIncident::PrisEnCompte])?;
        self.partenaire_informe_le = Some(le);
        Ok(())
    }

    /// Records the restoration of the service.
    pub fn retablir_service(&mut self, le: DateTime<Utc>) -> Result<(), IncidentError> {
        self.controler(EtapeIncident::ServiceRetabli, le, &[EtapeIncident::PrisEnCompte])?;
        self.service_retabli_le = Some(le);
        Ok(())
    }

    /// Records the partner's validation of the return to service.
    pub fn enregistrer_validation_partenaire(
        &mut self,
        le: DateTime<Utc>,
        reference: &str,
    ) -> Result<(), IncidentError> {
        self.controler(EtapeIncident::ValideParPartenaire, le, &[EtapeIncident::ServiceRetabli])?;
        if reference.trim().is_empty() {
            return Err(IncidentError::ReferenceValidationVide);
        }
        self.validation_partenaire = Some(ValidationPartenaire { le, reference: reference.trim().to_owned() });
        Ok(())
    }

    /// Closes the incident: the service must be restored, the partner informed and the
    /// return to service validated by the partner.
    pub fn clore(&mut self, le: DateTime<Utc>) -> Result<(), IncidentError> {
        if let Some(deja) = self.clos_le {
            return Err(IncidentError::DejaEnregistree { etape: EtapeIncident::Clos, le: deja });
        }
        if self.service_retabli_le.is_none() {
            return Err(IncidentError::ClotureAvantRetablissement);
        }
        if self.validation_partenaire.is_none() {
            return Err(IncidentError::ClotureSansValidation);
        }
        self.controler(
            EtapeIncident::Clos,
            le,
            &[EtapeIncident::PartenaireInforme, EtapeIncident::ServiceRetabli, EtapeIncident::ValideParPartenaire],
        )?;
        self.clos_le = Some(le);
        Ok(())
    }

    /// Records a restoration date agreed with the partner for an applicatif incident; it
    /// replaces the six days. It may be agreed again until the service is restored.
    pub fn planifier_retablissement(&mut self, le: DateTime<Utc>) -> Result<(), IncidentError> {
        if self.type_incident != TypeIncident::Applicatif {
            return Err(IncidentError::PlanificationNonApplicable);
        }
        if self.service_retabli_le.is_some() {
            return Err(IncidentError::PlanificationTardive);
        }
        if le < self.detecte_le {
            return Err(IncidentError::PlanificationAvantDetection { le, detecte_le: self.detecte_le });
        }
        self.retablissement_planifie = Some(le);
        Ok(())
    }

    /// The deadlines, from the detection.
    pub fn echeances(&self) -> Echeances {
        let t0 = self.detecte_le;
        let prise_en_compte = (self.type_incident == TypeIncident::Disponibilite
            && self.origine == OrigineIncident::Partenaire)
            .then(|| t0 + DELAI_PRISE_EN_COMPTE);
        let (information_partenaire, retablissement) = match self.type_incident {
            TypeIncident::Applicatif => (
                t0 + DELAI_INFORMATION_APPLICATIF,
                self.retablissement_planifie.unwrap_or(t0 + DELAI_RETABLISSEMENT_APPLICATIF),
            ),
            TypeIncident::Disponibilite => (
                t0 + DELAI_INFORMATION_DISPONIBILITE,
                calendrier::ajouter_heures_ouvrables(t0, DELAI_RETABLISSEMENT_DISPONIBILITE_OUVRABLE),
            ),
        };
        Echeances { prise_en_compte, information_partenaire, retablissement }
    }

    /// The deadlines missed at `now`: a step done after its deadline, or not done while `now`
    /// is past it. Being exactly at the deadline is on time.
    pub fn depassements(&self, now: DateTime<Utc>) -> Vec<Depassement> {
        self.echeances()
            .liste()
            .into_iter()
            .filter_map(|Echeance { etape, echeance }| {
                let realise_le = self.date_etape(etape);
                let reference = realise_le.unwrap_or(now);
                (reference > echeance).then(|| Depassement {
                    etape,
                    echeance,
                    realise_le,
                    retard_minutes: (reference - echeance).num_minutes(),
                })
            })
            .collect()
    }

    /// The earliest deadline of a step not done yet and not passed at `now` (`now` itself
    /// included); `None` once every step with a deadline is done or overdue.
    pub fn prochaine_echeance(&self, now: DateTime<Utc>) -> Option<Echeance> {
        self.echeances()
            .liste()
            .into_iter()
            .filter(|e| self.date_etape(e.etape).is_none() && e.echeance >= now)
            .min_by_key(|e| e.echeance)
    }

    /// Checks a step may be recorded at `le`: not already recorded, not before the detection,
    /// prerequisites recorded and not later than `le`.
    fn controler(
        &self,
        etape: EtapeIncident,
        le: DateTime<Utc>,
        prerequis: &[EtapeIncident],
    ) -> Result<(), IncidentError> {
        if let Some(deja) = self.date_etape(etape) {
            return Err(IncidentError::DejaEnregistree { etape, le: deja });
        }
        if le < self.detecte_le {
            return Err(IncidentError::AvantDetection { etape, le, detecte_le: self.detecte_le });
        }
        for &requise in prerequis {
            match self.date_etape(requise) {
                None => return Err(IncidentError::EtapeManquante { etape, requise }),
                Some(precedente_le) if le < precedente_le => {
                    return Err(IncidentError::HorsOrdre { etape, le, precedente: requise, precedente_le });
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// The serialized form, checked by replaying the steps.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IncidentBrut {
    type_incident: TypeIncident,
    origine: OrigineIncident,
    detecte_le: DateTime<Utc>,
    #[serde(default)]
    pris_en_compte_le: Option<DateTime<Utc>>,
    #[serde(default)]
    partenaire_informe_le: Option<DateTime<Utc>>,
    #[serde(default)]
    service_retabli_le: Option<DateTime<Utc>>,
    #[serde(default)]
    validation_partenaire: Option<ValidationPartenaire>,
    #[serde(default)]
    clos_le: Option<DateTime<Utc>>,
    #[serde(default)]
    retablissement_planifie: Option<DateTime<Utc>>,
}

impl TryFrom<IncidentBrut> for Incident {
    type Error = IncidentError;

    fn try_from(b: IncidentBrut) -> Result<Self, IncidentError> {
        let mut i = Incident::nouveau(b.type_incident, b.origine, b.detecte_le);
        if let Some(le) = b.retablissement_planifie {
            i.planifier_retablissement(le)?;
        }
        if let Some(le) = b.pris_en_compte_le {
            i.prendre_en_compte(le)?;
        }
        if let Some(le) = b.partenaire_informe_le {
            i.informer_partenaire(le)?;
        }
        if let Some(le) = b.service_retabli_le {
            i.retablir_service(le)?;
        }
        if let Some(v) = b.validation_partenaire {
            i.enregistrer_validation_partenaire(v.le, &v.reference)?;
        }
        if let Some(le) = b.clos_le {
            i.clore(le)?;
        }
        Ok(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, TimeZone};
    use chrono_tz::Europe::Paris;

    /// A Paris wall-clock time, "YYYY-MM-DD HH:MM".
    fn p(s: &str) -> DateTime<Utc> {
        let l = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        Paris.from_local_datetime(&l).single().unwrap().with_timezone(&Utc)
    }

    fn dispo_partenaire(s: &str) -> Incident {
        Incident::nouveau(TypeIncident::Disponibilite, OrigineIncident::Partenaire, p(s))
    }

    #[test]
    fn whole_lifecycle_on_time() {
        // Tuesday 4 March 2025, an outage reported by the partner at 10:00.
        let mut i = dispo_partenaire("2025-03-04 10:00");
        assert_eq!(i.etape_courante(), EtapeIncident::Detecte);
        assert_eq!(
            i.echeances(),
            Echeances {
                prise_en_compte: Some(p("2025-03-04 10:15")),
                information_partenaire: p("2025-03-04 11:00"),
                // 10–12 (2 h), 13–18 (5 h), Wednesday 09:00 + 1 h.
                retablissement: p("2025-03-05 10:00"),
            }
        );
        assert_eq!(
            i.prochaine_echeance(p("2025-03-04 10:01")),
            Some(Echeance { etape: EtapeIncident::PrisEnCompte, echeance: p("2025-03-04 10:15") })
        );
        i.prendre_en_compte(p("2025-03-04 10:15")).unwrap(); // exactly at the deadline
        assert_eq!(
            i.prochaine_echeance(p("2025-03-04 10:20")),
            Some(Echeance { etape: EtapeIncident::PartenaireInforme, echeance: p("2025-03-04 11:00") })
        );
        i.informer_partenaire(p("2025-03-04 10:40")).unwrap();
        assert_eq!(
            i.prochaine_echeance(p("2025-03-04 10:41")),
            Some(Echeance { etape: EtapeIncident::ServiceRetabli, echeance: p("2025-03-05 10:00") })
        );
        i.retablir_service(p("2025-03-04 16:00")).unwrap();
        assert_eq!(i.prochaine_echeance(p("2025-03-04 16:01")), None);
        i.enregistrer_validation_partenaire(p("2025-03-05 09:30"), " TICKET-4521 ").unwrap();
        assert_eq!(i.validation_partenaire().unwrap().reference, "TICKET-4521");
        i.clore(p("2025-03-05 09:45")).unwrap();
        assert!(i.est_clos());
        assert_eq!(i.etape_courante(), EtapeIncident::Clos);
        assert!(i.depassements(p("2025-04-01 00:00")).is_empty());

        // The JSON form round-trips and replays the checks.
        let json = serde_json::to_value(&i).unwrap();
        assert_eq!(json["typeIncident"], "DISPONIBILITE");
        assert_eq!(json["origine"], "PARTENAIRE");
        assert_eq!(json["validationPartenaire"]["reference"], "TICKET-4521");
        let relu: Incident = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(relu, i);
        let mut faux = json;
        faux.as_object_mut().unwrap().remove("validationPartenaire");
        let err = serde_json::from_value::<Incident>(faux).unwrap_err().to_string();
        assert!(err.contains("le partenaire n'a pas validé"), "{err}");
    }

    #[test]
    fn deadlines_by_type_and_origin() {
        // Applicatif found by a probe on Tuesday 4 March 2025 10:00: no taking-into-account
        // deadline, partner informed within 24 h, restored within 6 calendar days.
        let i = Incident::nouveau(TypeIncident::Applicatif, OrigineIncident::Sonde, p("2025-03-04 10:00"));
        assert_eq!(
            i.echeances(),
            Echeances {
                prise_en_compte: None,
                information_partenaire: p("2025-03-05 10:00"),
                retablissement: p("2025-03-10 10:00"),
            }
        );
        // Applicatif reported by the partner: the 15 minutes are for disponibilité only.
        let i = Incident::nouveau(TypeIncident::Applicatif, OrigineIncident::Partenaire, p("2025-03-04 10:00"));
        assert_eq!(i.echeances().prise_en_compte, None);
        // Disponibilité found by the operator: no 15 minutes either.
        let i = Incident::nouveau(TypeIncident::Disponibilite, OrigineIncident::Operateur, p("2025-03-04 10:00"));
        assert_eq!(i.echeances().prise_en_compte, None);
        assert_eq!(i.echeances().information_partenaire, p("2025-03-04 11:00"));
        // Six calendar days are 144 h: over the spring change the wall clock moves an hour.
        let i = Incident::nouveau(TypeIncident::Applicatif, OrigineIncident::Sonde, p("2025-03-27 10:00"));
        assert_eq!(i.echeances().retablissement, p("2025-04-02 11:00"));
    }

    #[test]
    fn disponibilite_before_a_holiday_monday() {
        // Friday 18 April 2025 16:00, Monday 21 is Easter Monday: 2 h on Friday, then
        // Tuesday 09–12 (3 h) and 13:00 + 3 h.
        let i = dispo_partenaire("2025-04-18 16:00");
        assert_eq!(i.echeances().retablissement, p("2025-04-22 16:00"));
        // Friday 11 July 2025 16:00, Monday 14 July: Tuesday 15 at 16:00.
        let i = dispo_partenaire("2025-07-11 16:00");
        assert_eq!(i.echeances().retablissement, p("2025-07-15 16:00"));
        // Detected on a Saturday night: the business day starts on Monday 09:00.
        let i = dispo_partenaire("2025-03-08 23:00");
        assert_eq!(i.echeances().retablissement, p("2025-03-10 18:00"));
    }

    #[test]
    fn each_breach() {
        let mut i = dispo_partenaire("2025-03-04 10:00");
        // Nothing overdue at the deadlines themselves.
        assert!(i.depassements(p("2025-03-04 10:15")).is_empty());
        // One minute past the taking-into-account deadline.
        assert_eq!(
            i.depassements(p("2025-03-04 10:16")),
            vec![Depassement {
                etape: EtapeIncident::PrisEnCompte,
                echeance: p("2025-03-04 10:15"),
                realise_le: None,
                retard_minutes: 1,
            }]
        );
        // Taken into account late; still overdue, now with its date.
        i.prendre_en_compte(p("2025-03-04 10:30")).unwrap();
        let d = i.depassements(p("2025-03-04 10:31"));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].realise_le, d[0].retard_minutes), (Some(p("2025-03-04 10:30")), 15));
        // Partner not informed after 1 h.
        let d = i.depassements(p("2025-03-04 11:30"));
        assert_eq!(
            d.iter().map(|d| d.etape).collect::<Vec<_>>(),
            [EtapeIncident::PrisEnCompte, EtapeIncident::PartenaireInforme]
        );
        assert_eq!(d[1].retard_minutes, 30);
        i.informer_partenaire(p("2025-03-04 11:05")).unwrap();
        // Not restored by Wednesday 10:00.
        let d = i.depassements(p("2025-03-05 12:00"));
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[2],
            Depassement {
                etape: EtapeIncident::ServiceRetabli,
                echeance: p("2025-03-05 10:00"),
                realise_le: None,
                retard_minutes: 120,
            }
        );
        // Restored late: the lateness is frozen at the restoration.
        i.retablir_service(p("2025-03-05 11:00")).unwrap();
        let d = i.depassements(p("2025-03-20 00:00"));
        assert_eq!(d[1].retard_minutes, 5);
        assert_eq!(d[2].retard_minutes, 60);
        assert_eq!(i.prochaine_echeance(p("2025-03-05 11:00")), None);
    }

    #[test]
    fn applicatif_breaches_and_planned_restoration() {
        let mut i = Incident::nouveau(TypeIncident::Applicatif, OrigineIncident::Operateur, p("2025-03-04 10:00"));
        i.prendre_en_compte(p("2025-03-04 10:05")).unwrap();
        i.informer_partenaire(p("2025-03-05 10:00")).unwrap(); // exactly 24 h
        assert!(i.depassements(p("2025-03-10 10:00")).is_empty());
        let d = i.depassements(p("2025-03-10 10:01"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].etape, EtapeIncident::ServiceRetabli);
        // A restoration planned with the partner replaces the six days.
        i.planifier_retablissement(p("2025-03-20 18:00")).unwrap();
        assert_eq!(i.echeances().retablissement, p("2025-03-20 18:00"));
        assert!(i.depassements(p("2025-03-15 00:00")).is_empty());
        assert_eq!(
            i.prochaine_echeance(p("2025-03-15 00:00")),
            Some(Echeance { etape: EtapeIncident::ServiceRetabli, echeance: p("2025-03-20 18:00") })
        );
        i.retablir_service(p("2025-03-20 17:00")).unwrap();
        assert_eq!(i.planifier_retablissement(p("2025-03-25 18:00")), Err(IncidentError::PlanificationTardive));

        let mut dispo = dispo_partenaire("2025-03-04 10:00");
        assert_eq!(
            dispo.planifier_retablissement(p("2025-03-06 10:00")),
            Err(IncidentError::PlanificationNonApplicable)
        );
        let mut app = Incident::nouveau(TypeIncident::Applicatif, OrigineIncident::Sonde, p("2025-03-04 10:00"));
        assert!(matches!(
            app.planifier_retablissement(p("2025-03-04 09:00")),
            Err(IncidentError::PlanificationAvantDetection { .. })
        ));
    }

    #[test]
    fn refused_steps() {
        let mut i = dispo_partenaire("2025-03-04 10:00");
        // Before the detection.
        assert_eq!(
            i.prendre_en_compte(p("2025-03-04 09:59")),
            Err(IncidentError::AvantDetection {
                etape: EtapeIncident::PrisEnCompte,
                le: p("2025-03-04 09:59"),
                detecte_le: p("2025-03-04 10:00"),
            })
        );
        // Out of order: informing or restoring before taking into account.
        assert_eq!(
            i.informer_partenaire(p("2025-03-04 10:10")),
            Err(IncidentError::EtapeManquante {
                etape: EtapeIncident::PartenaireInforme,
                requise: EtapeIncident::PrisEnCompte,
            })
        );
        assert!(matches!(i.retablir_service(p("2025-03-04 10:10")), Err(IncidentError::EtapeManquante { .. })));
        // Closing before restoration, validating before restoration.
        assert_eq!(i.clore(p("2025-03-04 10:10")), Err(IncidentError::ClotureAvantRetablissement));
        assert!(matches!(
            i.enregistrer_validation_partenaire(p("2025-03-04 10:10"), "T-1"),
            Err(IncidentError::EtapeManquante { requise: EtapeIncident::ServiceRetabli, .. })
        ));
        i.prendre_en_compte(p("2025-03-04 10:05")).unwrap();
        // Twice the same step.
        assert_eq!(
            i.prendre_en_compte(p("2025-03-04 10:06")),
            Err(IncidentError::DejaEnregistree { etape: EtapeIncident::PrisEnCompte, le: p("2025-03-04 10:05") })
        );
        // A step dated before its prerequisite.
        assert_eq!(
            i.informer_partenaire(p("2025-03-04 10:04")),
            Err(IncidentError::HorsOrdre {
                etape: EtapeIncident::PartenaireInforme,
                le: p("2025-03-04 10:04"),
                precedente: EtapeIncident::PrisEnCompte,
                precedente_le: p("2025-03-04 10:05"),
            })
        );
        // Restoration before informing the partner is allowed (a short outage)…
        i.retablir_service(p("2025-03-04 10:20")).unwrap();
        // …and informing afterwards too.
        i.informer_partenaire(p("2025-03-04 10:30")).unwrap();
        // Closing without the partner's validation.
        assert_eq!(i.clore(p("2025-03-04 11:00")), Err(IncidentError::ClotureSansValidation));
        assert_eq!(
            i.enregistrer_validation_partenaire(p("2025-03-04 10:45"), "  "),
            Err(IncidentError::ReferenceValidationVide)
        );
        assert!(matches!(
            i.enregistrer_validation_partenaire(p("2025-03-04 10:15"), "T-1"),
            Err(IncidentError::HorsOrdre { precedente: EtapeIncident::ServiceRetabli, .. })
        ));
        i.enregistrer_validation_partenaire(p("2025-03-04 10:45"), "T-1").unwrap();
        // Closing before the validation's date.
        assert!(matches!(
            i.clore(p("2025-03-04 10:40")),
            Err(IncidentError::HorsOrdre { precedente: EtapeIncident::ValideParPartenaire, .. })
        ));
        i.clore(p("2025-03-04 11:00")).unwrap();
        assert!(matches!(i.clore(p("2025-03-04 12:00")), Err(IncidentError::DejaEnregistree { .. })));
    }

    #[test]
    fn closing_needs_the_partner_informed() {
        let mut i = Incident::nouveau(TypeIncident::Disponibilite, OrigineIncident::Sonde, p("2025-03-04 10:00"));
        i.prendre_en_compte(p("2025-03-04 10:00")).unwrap();
        i.retablir_service(p("2025-03-04 10:10")).unwrap();
        i.enregistrer_validation_partenaire(p("2025-03-04 10:20"), "T-2").unwrap();
        assert_eq!(
            i.clore(p("2025-03-04 10:30")),
            Err(IncidentError::EtapeManquante {
                etape: EtapeIncident::Clos,
                requise: EtapeIncident::PartenaireInforme
            })
        );
    }

    #[test]
    fn error_messages_are_french() {
        let e = IncidentError::EtapeManquante {
            etape: EtapeIncident::PartenaireInforme,
            requise: EtapeIncident::PrisEnCompte,
        };
        assert_eq!(
            e.to_string(),
            "Information du partenaire : l'étape « Prise en compte » doit être enregistrée avant"
        );
        assert_eq!(
            IncidentError::ClotureAvantRetablissement.to_string(),
            "clôture impossible : le service n'est pas rétabli"
        );
    }
}
