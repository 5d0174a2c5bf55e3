//! The register of personal-data breaches (seed 002 art. 4, seed 004 art. 7).
//!
//! Each party informs the other of any personal-data breach, or of a complaint, "dans les plus
//! brefs délais et au plus tard" 48 hours (seed 002) or 36 hours (seed 004) after its
//! discovery or reception: the convention's `delai_notification_violation_h`. The delay is in
//! calendar hours, exact durations from the discovery. A notification exactly at the deadline
//! is on time.
//!
//! The register holds codes only — nature of the breach, categories of data concerned — and
//! never free text that could carry personal data.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::dossier::Categorie;
use crate::dossier::codes::coded_enum;
use crate::habilitation::convention::Convention;

coded_enum!(
    /// What starts the delay (seed 002 art. 4: "la découverte de la violation de données ou la
    /// réception de la plainte").
    FaitGenerateur, "fait générateur de la violation" {
        Decouverte => ("DECOUVERTE", "Découverte d'une violation de données"),
        Plainte => ("PLAINTE", "Réception d'une plainte d'une personne concernée"),
    }
);

coded_enum!(
    /// Nature of the breach (the three criteria the CNIL uses).
    NatureViolation, "nature de la violation" {
        Confidentialite => ("CONFIDENTIALITE", "Atteinte à la confidentialité (accès ou divulgation non autorisés)"),
        Integrite => ("INTEGRITE", "Atteinte à l'intégrité (altération non autorisée)"),
        Disponibilite => ("DISPONIBILITE", "Atteinte à la disponibilité (perte ou destruction)"),
    }
);

coded_enum!(
    /// Who must notify whom.
    SensNotification, "sens de la notification" {
        PlateformeVersPartenaire => ("PLATEFORME_VERS_PARTENAIRE", "Notifiée par la plateforme au partenaire"),
        PartenaireVersPlateforme => ("PARTENAIRE_VERS_PLATEFORME", "Notifiée par le partenaire à la plateforme"),
    }
);

coded_enum!(
    /// The reminder thresholds, as a share of the notification delay.
    SeuilRappel, "seuil de rappel" {
        Moitie => ("50", "50 % du délai de notification écoulé"),
        TroisQuarts => ("75", "75 % du délai de notification écoulé"),
        NeufDixiemes => ("90", "90 % du délai de notification écoulé"),
        Echeance => ("100", "Échéance de notification atteinte"),
    }
);

impl SeuilRappel {
    /// The share of the delay, in percent.
    pub fn pourcentage(self) -> i64 {
        match self {
            SeuilRappel::Moitie => 50,
            SeuilRappel::TroisQuarts => 75,
            SeuilRappel::NeufDixiemes => 90,
            SeuilRappel::Echeance => 100,
        }
    }
}

/// A breach that cannot be registered or notified as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViolationError {
    #[error("délai de notification de {0} h : entre 1 et 72 heures")]
    DelaiInvalide(u16),
    #[error("identifiant de convention : obligatoire")]
    ConventionManquante,
    #[error("nature de la violation : au moins une")]
    NatureManquante,
    #[error("notification du {le} : antérieure à la découverte ({decouverte_le})")]
    NotificationAvantDecouverte { le: DateTime<Utc>, decouverte_le: DateTime<Utc> },
    #[error("violation déjà notifiée le {0}")]
    DejaNotifiee(DateTime<Utc>),
}

/// One breach of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    pub convention_id: String,
    pub sens: SensNotification,
    pub fait_generateur: FaitGenerateur,
    /// Discovery of the breach, or reception of the complaint.
    pub decouverte_le: DateTime<Utc>,
    /// The convention's `delai_notification_violation_h`, copied at registration.
    pub delai_notification_h: u16,
    pub natures: Vec<NatureViolation>,
    /// Categories of data concerned, when known.
    #[serde(default)]
    pub categories_donnees: Vec<Categorie>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifiee_le: Option<DateTime<Utc>>,
}

/// A reminder due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rappel {
    pub seuil: SeuilRappel,
    /// When it fell due.
    pub du_le: DateTime<Utc>,
    pub echeance: DateTime<Utc>,
}

/// A notification late, or still missing past its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RetardNotification {
    pub echeance: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifiee_le: Option<DateTime<Utc>>,
    /// Lateness in whole minutes (rounded down), at the notification or, if none, at `now`.
    pub retard_minutes: i64,
}

impl Violation {
    /// Registers a breach with an explicit delay (hours, 1 to 72 as for conventions).
    pub fn nouvelle(
        convention_id: &str,
        sens: SensNotification,
        fait_generateur: FaitGenerateur,
        decouverte_le: DateTime<Utc>,
        delai_notification_h: u16,
        natures: Vec<NatureViolation>,
        categories_donnees: Vec<Categorie>,
    ) -> Result<Self, ViolationError> {
        let v = Self {
            convention_id: convention_id.trim().to_owned(),
            sens,
            fait_generateur,
            decouverte_le,
            delai_notification_h,
            natures,
            categories_donnees,
            notifiee_le: None,
        };
        v.valider()?;
        Ok(v)
    }

    /// Registers a breach under a convention, with the convention's delay.
    pub fn sous_convention(
        convention: &Convention,
        sens: SensNotification,
        fait_generateur: FaitGenerateur,
        decouverte_le: DateTime<Utc>,
        natures: Vec<NatureViolation>,
        categories_donnees: Vec<Categorie>,
    ) -> Result<Self, ViolationError> {
        Self::nouvelle(
            &convention.id,
            sens,
            fait_generateur,
            decouverte_le,
            convention.delai_notification_violation_h,
            natures,
            categories_donnees,
        )
    }

    /// Checks the entry (also for one read back from storage).
    pub fn valider(&self) -> Result<(), ViolationError> {
        if self.convention_id.trim().is_empty() {
            return Err(ViolationError::ConventionManquante);
        }
        if !matches!(self.delai_notification_h, 1..=72) {
            return Err(ViolationError::DelaiInvalide(self.delai_notification_h));
        }
        if self.natures.is_empty() {
            return Err(ViolationError::NatureManquante);
        }
        if let Some(le) = self.notifiee_le
            && le < self.decouverte_le
        {
            return Err(ViolationError::NotificationAvantDecouverte { le, decouverte_le: self.decouverte_le });
        }
        Ok(())
    }

    /// Records the notification to the other party.
    pub fn notifier(&mut self, le: DateTime<Utc>) -> Result<(), ViolationError> {
        if let Some(deja) = self.notifiee_le {
            return Err(ViolationError::DejaNotifiee(deja));
        }
        if le < self.decouverte_le {
            return Err(ViolationError::NotificationAvantDecouverte { le, decouverte_le: self.decouverte_le });
        }
        self.notifiee_le = Some(le);
        Ok(())
    }

    /// The notification delay.
    pub fn delai(&self) -> Duration {
        Duration::hours(i64::from(self.delai_notification_h))
    }

    /// Discovery + delay.
    pub fn echeance(&self) -> DateTime<Utc> {
        self.decouverte_le + self.delai()
    }

    /// When a reminder falls due: discovery + its share of the delay (to the second; 90 % of
    /// 36 h is 32 h 24 min).
    pub fn date_rappel(&self, seuil: SeuilRappel) -> DateTime<Utc> {
        self.decouverte_le + Duration::seconds(self.delai().num_seconds() * seuil.pourcentage() / 100)
    }

    /// The reminders due at `now` and not sent yet, in threshold order; none once notified.
    /// Several may be due together after an interruption: all are returned, so that the
    /// caller records them as sent.
    pub fn rappels_dus(&self, now: DateTime<Utc>, deja_envoyes: &[SeuilRappel]) -> Vec<Rappel> {
        if self.notifiee_le.is_some() {
            return Vec::new();
        }
        let echeance = self.echeance();
        <SeuilRappel as crate::dossier::codes::Coded>::ALL
            .iter()
            .copied()
            .filter(|s| !deja_envoyes.contains(s))
            .map(|seuil| Rappel { seuil, du_le: self.date_rappel(seuil), echeance })
            .filter(|r| r.du_le <= now)
            .collect()
    }

    /// Whether the notification is late: made after the deadline, or still missing with `now`
    /// past it.
    pub fn retard(&self, now: DateTime<Utc>) -> Option<RetardNotification> {
        let echeance = self.echeance();
        let reference = self.notifiee_le.unwrap_or(now);
        (reference > echeance).then(|| RetardNotification {
            echeance,
            notifiee_le: self.notifiee_le,
            retard_minutes: (reference - echeance).num_minutes(),
        })
    }

    /// Shorthand for `retard(now).is_some()`.
    pub fn en_retard(&self, now: DateTime<Utc>) -> bool {
        self.retard(now).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::codes::Coded;

    fn u(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn violation(delai_h: u16) -> Violation {
        Violation::nouvelle(
            "CONV-CD93-2025",
            SensNotification::PartenaireVersPlateforme,
            FaitGenerateur::Decouverte,
            u("2025-03-04T10:00:00Z"),
            delai_h,
            vec![NatureViolation::Confidentialite],
            vec![Categorie::Contact, Categorie::Rsa],
        )
        .unwrap()
    }

    #[test]
    fn deadline_is_discovery_plus_delay() {
        assert_eq!(violation(48).echeance(), u("2025-03-06T10:00:00Z"));
        assert_eq!(violation(36).echeance(), u("2025-03-05T22:00:00Z"));
        // Calendar hours: a weekend or the spring change does not matter (UTC instants).
        let mut v = violation(48);
        v.decouverte_le = u("2025-03-29T18:30:00Z");
        assert_eq!(v.echeance(), u("2025-03-31T18:30:00Z"));
    }

    #[test]
    fn from_the_convention() {
        let conv: Convention = serde_json::from_value(serde_json::json!({
            "id": "CONV-GIP-2025",
            "libelle": "GIP",
            "parties": ["FT", "GIP"],
            "territoire": { "portee": "national" },
            "publics": ["TOUS"],
            "categories": {},
            "finalites": ["accompagnement"],
            "debut": "2025-01-01",
            "fin": "2027-12-31",
            "conservationMois": 36,
            "delaiNotificationViolationH": 36
        }))
        .unwrap();
        let v = Violation::sous_convention(
            &conv,
            SensNotification::PlateformeVersPartenaire,
            FaitGenerateur::Plainte,
            u("2025-06-01T08:00:00Z"),
            vec![NatureViolation::Integrite],
            vec![],
        )
        .unwrap();
        assert_eq!((v.convention_id.as_str(), v.delai_notification_h), ("CONV-GIP-2025", 36));
        assert_eq!(v.echeance(), u("2025-06-02T20:00:00Z"));
    }

    #[test]
    fn notification_at_the_edges() {
        let mut v = violation(48);
        // Exactly at the deadline: on time.
        assert_eq!(v.retard(u("2025-03-06T10:00:00Z")), None);
        // One second past it, not notified: late (0 whole minutes).
        assert_eq!(
            v.retard(u("2025-03-06T10:00:01Z")),
            Some(RetardNotification { echeance: u("2025-03-06T10:00:00Z"), notifiee_le: None, retard_minutes: 0 })
        );
        assert!(v.en_retard(u("2025-03-06T12:30:00Z")));
        assert_eq!(v.retard(u("2025-03-06T12:30:00Z")).unwrap().retard_minutes, 150);
        v.notifier(u("2025-03-06T10:00:00Z")).unwrap();
        assert!(!v.en_retard(u("2025-04-01T00:00:00Z")), "notified exactly at the deadline");

        let mut tard = violation(36);
        tard.notifier(u("2025-03-05T22:45:00Z")).unwrap();
        // Late for good, whatever `now`.
        assert_eq!(
            tard.retard(u("2025-03-05T23:00:00Z")),
            Some(RetardNotification {
                echeance: u("2025-03-05T22:00:00Z"),
                notifiee_le: Some(u("2025-03-05T22:45:00Z")),
                retard_minutes: 45,
            })
        );
        assert!(tard.en_retard(u("2025-03-04T00:00:00Z")));
    }

    #[test]
    fn reminders_at_50_75_90_and_100_percent() {
        let v = violation(48);
        // 24 h, 36 h, 43 h 12 min, 48 h after discovery.
        assert_eq!(v.date_rappel(SeuilRappel::Moitie), u("2025-03-05T10:00:00Z"));
        assert_eq!(v.date_rappel(SeuilRappel::TroisQuarts), u("2025-03-05T22:00:00Z"));
        assert_eq!(v.date_rappel(SeuilRappel::NeufDixiemes), u("2025-03-06T05:12:00Z"));
        assert_eq!(v.date_rappel(SeuilRappel::Echeance), u("2025-03-06T10:00:00Z"));
        // 36 h: 18 h, 27 h, 32 h 24 min, 36 h.
        let v36 = violation(36);
        let dates: Vec<_> = SeuilRappel::ALL.iter().map(|&s| v36.date_rappel(s)).collect();
        assert_eq!(
            dates,
            [
                u("2025-03-05T04:00:00Z"),
                u("2025-03-05T13:00:00Z"),
                u("2025-03-05T18:24:00Z"),
                u("2025-03-05T22:00:00Z"),
            ]
        );

        // Nothing before half the delay.
        assert!(v.rappels_dus(u("2025-03-05T09:59:59Z"), &[]).is_empty());
        // Exactly at 50 %.
        assert_eq!(
            v.rappels_dus(u("2025-03-05T10:00:00Z"), &[]),
            vec![Rappel {
                seuil: SeuilRappel::Moitie,
                du_le: u("2025-03-05T10:00:00Z"),
                echeance: u("2025-03-06T10:00:00Z"),
            }]
        );
        // Once sent, not again.
        assert!(v.rappels_dus(u("2025-03-05T21:59:00Z"), &[SeuilRappel::Moitie]).is_empty());
        // After an interruption, every missed threshold is due.
        let dus = v.rappels_dus(u("2025-03-06T06:00:00Z"), &[SeuilRappel::Moitie]);
        assert_eq!(
            dus.iter().map(|r| r.seuil).collect::<Vec<_>>(),
            [SeuilRappel::TroisQuarts, SeuilRappel::NeufDixiemes]
        );
        // At the deadline itself.
        let tous = [SeuilRappel::Moitie, SeuilRappel::TroisQuarts, SeuilRappel::NeufDixiemes];
        let dus = v.rappels_dus(u("2025-03-06T10:00:00Z"), &tous);
        assert_eq!(dus.iter().map(|r| r.seuil).collect::<Vec<_>>(), [SeuilRappel::Echeance]);
        assert!(v.rappels_dus(u("2025-03-09T00:00:00Z"), SeuilRappel::ALL).is_empty());
        // No reminder once notified.
        let mut n = violation(48);
        n.notifier(u("2025-03-05T12:00:00Z")).unwrap();
        assert!(n.rappels_dus(u("2025-03-07T00:00:00Z"), &[]).is_empty());
    }

    #[test]
    fn odd_delays_to_the_second() {
        // 1 h: 30 min, 45 min, 54 min, 60 min.
        let v = violation(1);
        assert_eq!(v.date_rappel(SeuilRappel::NeufDixiemes), u("2025-03-04T10:54:00Z"));
        // 7 h: 90 % is 6 h 18 min.
        let v = violation(7);
        assert_eq!(v.date_rappel(SeuilRappel::NeufDixiemes), u("2025-03-04T16:18:00Z"));
        assert_eq!(v.date_rappel(SeuilRappel::Moitie), u("2025-03-04T13:30:00Z"));
    }

    #[test]
    fn refused_entries() {
        let base = violation(48);
        let essai = |delai: u16, natures: Vec<NatureViolation>, conv: &str| {
            Violation::nouvelle(conv, base.sens, base.fait_generateur, base.decouverte_le, delai, natures, vec![])
        };
        assert_eq!(essai(0, vec![NatureViolation::Integrite], "C"), Err(ViolationError::DelaiInvalide(0)));
        assert_eq!(essai(73, vec![NatureViolation::Integrite], "C"), Err(ViolationError::DelaiInvalide(73)));
        assert_eq!(essai(48, vec![], "C"), Err(ViolationError::NatureManquante));
        assert_eq!(essai(48, vec![NatureViolation::Integrite], " "), Err(ViolationError::ConventionManquante));
        let mut v = violation(48);
        assert_eq!(
            v.notifier(u("2025-03-04T09:59:00Z")),
            Err(ViolationError::NotificationAvantDecouverte {
                le: u("2025-03-04T09:59:00Z"),
                decouverte_le: u("2025-03-04T10:00:00Z"),
            })
        );
        v.notifier(u("2025-03-04T11:00:00Z")).unwrap();
        assert_eq!(v.notifier(u("2025-03-04T12:00:00Z")), Err(ViolationError::DejaNotifiee(u("2025-03-04T11:00:00Z"))));
        assert_eq!(ViolationError::DelaiInvalide(0).to_string(), "délai de notification de 0 h : entre 1 et 72 heures");
    }

    #[test]
    fn codes_on_the_wire() {
        let json = serde_json::to_value(violation(48)).unwrap();
        assert_eq!(json["natures"], serde_json::json!(["CONFIDENTIALITE"]));
        assert_eq!(json["categoriesDonnees"], serde_json::json!(["contact", "rsa"]));
        assert_eq!(json["sens"], "PARTENAIRE_VERS_PLATEFORME");
        assert_eq!(json["delaiNotificationH"], 48);
        assert!(json.get("notifieeLe").is_none());
        let relu: Violation = serde_json::from_value(json).unwrap();
        assert_eq!(relu, violation(48));
    }
}
