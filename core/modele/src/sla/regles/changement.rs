//! The change calendar and the lifetime of API versions (seed 002 annex 2 §2 and §7).
//!
//! - A minor change (minor evolution, fix of a non-blocking incident) is announced to the
//!   partner at least 5 days before production.
//! - A change of the interface contract (data, rules, input parameters, results) goes to
//!   production on a joint decision of the parties, recorded with the partner's agreement
//!   reference; without it, production is refused.
//! - A major change, or one affecting the service contract, gives at least 3 months' notice.
//!
//! Notices are counted on the Paris calendar: a change announced on day D (Paris date) may go
//! to production from day D + 5 (minor) or D + 3 months (major, chrono's `Months`: the last
//! day of the month when the day does not exist, 30 November + 3 months = 28 February).
//!
//! The previous version (n−1) of an API is kept online for 6 months after the new version's
//! production (§7: "conservation en ligne de la version précédente (n-1) des API, pendant une
//! durée maximale de 6 mois"). The seed's maximum is what the partner may count on, so the
//! platform keeps n−1 for the whole 6 months: a sunset earlier than that is refused; a later
//! one is allowed (keeping it longer harms no one). Deprecated versions carry the
//! `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) response headers.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};

use crate::dossier::codes::coded_enum;

/// Minimum notice of a minor change, in calendar days.
pub const PREAVIS_MINEUR_JOURS: u64 = 5;
/// Minimum notice of a major change, in months.
pub const PREAVIS_MAJEUR_MOIS: u32 = 3;
/// How long the previous version of an API is kept after the new one's production, in months.
pub const CONSERVATION_N_MOINS_1_MOIS: u32 = 6;

coded_enum!(
    /// The kinds of change of seed 002 annex 2 §7.
    TypeChangement, "type de changement" {
        Mineur => ("MINEUR", "Évolution mineure ou résolution d'incident non bloquant (préavis de 5 jours)"),
        ContratInterface => ("CONTRAT_INTERFACE", "Évolution du contrat d'interface (décision commune des parties)"),
        Majeur => ("MAJEUR", "Évolution majeure ou impactant le contrat de service (préavis de 3 mois)"),
    }
);

/// The parties' joint decision on an interface-contract change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DecisionCommune {
    pub le: DateTime<Utc>,
    /// Reference of the partner's agreement (minutes, letter, ticket).
    pub reference_accord: String,
}

/// A change planned on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Changement {
    pub type_changement: TypeChangement,
    /// What changes (API, version); never personal data.
    pub objet: String,
    /// When the partner was told.
    pub annonce_le: DateTime<Utc>,
    pub mise_en_production: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_commune: Option<DecisionCommune>,
}

/// A change that breaks the calendar's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangementError {
    #[error("objet du changement : obligatoire")]
    ObjetVide,
    #[error("annonce du {annonce_le} : postérieure à la mise en production du {mise_en_production}")]
    AnnonceApresMiseEnProduction { annonce_le: DateTime<Utc>, mise_en_production: DateTime<Utc> },
    #[error(
        "changement mineur annoncé le {annonce_le} : mise en production le {mise_en_production}, \
         au plus tôt le {au_plus_tot} (préavis de 5 jours)"
    )]
    PreavisMineurInsuffisant { annonce_le: NaiveDate, mise_en_production: NaiveDate, au_plus_tot: NaiveDate },
    #[error(
        "changement majeur annoncé le {annonce_le} : mise en production le {mise_en_production}, \
         au plus tôt le {au_plus_tot} (préavis de 3 mois)"
    )]
    PreavisMajeurInsuffisant { annonce_le: NaiveDate, mise_en_production: NaiveDate, au_plus_tot: NaiveDate },
    #[error("évolution du contrat d'interface : mise en production refusée sans décision commune des parties")]
    DecisionCommuneManquante,
    #[error("décision commune : référence de l'accord du partenaire obligatoire")]
    ReferenceAccordVide,
    #[error("décision commune du {decision_le} : postérieure à la mise en production du {mise_en_production}")]
    DecisionApresMiseEnProduction { decision_le: DateTime<Utc>, mise_en_production: DateTime<Utc> },
}

/// The Paris calendar day of an instant.
fn jour_paris(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Paris).date_naive()
}

/// The first day (Paris calendar) a change of this type announced at `annonce_le` may go to
/// production; `None` for an interface-contract change, which waits for a joint decision
/// rather than a notice.
pub fn mise_en_production_au_plus_tot(type_changement: TypeChangement, annonce_le: DateTime<Utc>) -> Option<NaiveDate> {
    let jour = jour_paris(annonce_le);
    match type_changement {
        TypeChangement::Mineur => jour.checked_add_days(Days::new(PREAVIS_MINEUR_JOURS)),
        TypeChangement::Majeur => jour.checked_add_months(Months::new(PREAVIS_MAJEUR_MOIS)),
        TypeChangement::ContratInterface => None,
    }
}

impl Changement {
    /// Checks the change against the calendar's rules.
    pub fn verifier(&self) -> Result<(), ChangementError> {
        if self.objet.trim().is_empty() {
            return Err(ChangementError::ObjetVide);
        }
        if self.annonce_le > self.mise_en_production {
            return Err(ChangementError::AnnonceApresMiseEnProduction {
                annonce_le: self.annonce_le,
                mise_en_production: self.mise_en_production,
            });
        }
        let (annonce_le, mise_en_production) = (jour_paris(self.annonce_le), jour_paris(self.mise_en_production));
        match self.type_changement {
            TypeChangement::Mineur | TypeChangement::Majeur => {
                let au_plus_tot = mise_en_production_au_plus_tot(self.type_changement, self.annonce_le)
                    .expect("date hors du calendrier pris en charge");
                if mise_en_production < au_plus_tot {
                    return Err(if self.type_changement == TypeChangement::Mineur {
                        ChangementError::PreavisMineurInsuffisant { annonce_le, mise_en_production, au_plus_tot }
                    } else {
                        ChangementError::PreavisMajeurInsuffisant { annonce_le, mise_en_production, au_plus_tot }
                    });
                }
            }
            TypeChangement::ContratInterface => {
                let decision = self.decision_commune.as_ref().ok_or(ChangementError::DecisionCommuneManquante)?;
                if decision.reference_accord.trim().is_empty() {
                    return Err(ChangementError::ReferenceAccordVide);
                }
                if decision.le > self.mise_en_production {
                    return Err(ChangementError::DecisionApresMiseEnProduction {
                        decision_le: decision.le,
                        mise_en_production: self.mise_en_production,
                    });
                }
            }
        }
        Ok(())
    }
}

/// A version of an API and its lifetime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionApi {
    /// As in the path, e.g. `v1`.
    pub version: String,
    pub mise_en_production: DateTime<Utc>,
    /// Deprecated from (normally the successor's production).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depreciee_le: Option<DateTime<Utc>>,
    /// Sunset: withdrawn from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fin_de_vie: Option<DateTime<Utc>>,
}

coded_enum!(
    /// Where a version is in its lifetime.
    StatutVersion, "statut de version" {
        EnService => ("EN_SERVICE", "En service"),
        Depreciee => ("DEPRECIEE", "Dépréciée : fin de vie annoncée"),
        Retiree => ("RETIREE", "Retirée"),
    }
);

/// A version whose lifetime does not make sense or breaks the n−1 rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionApiError {
    #[error("version d'API : identifiant obligatoire")]
    VersionVide,
    #[error("version {version} : dépréciée le {depreciee_le}, avant sa mise en production du {mise_en_production}")]
    DepreciationAvantMiseEnProduction {
        version: String,
        depreciee_le: DateTime<Utc>,
        mise_en_production: DateTime<Utc>,
    },
    #[error("version {version} : fin de vie sans date de dépréciation")]
    FinDeVieSansDepreciation { version: String },
    #[error("version {version} : dépréciée sans date de fin de vie")]
    DepreciationSansFinDeVie { version: String },
    #[error("version {version} : fin de vie le {fin_de_vie}, avant sa dépréciation du {depreciee_le}")]
    FinDeVieAvantDepreciation { version: String, fin_de_vie: DateTime<Utc>, depreciee_le: DateTime<Utc> },
    #[error(
        "version {version} : fin de vie le {fin_de_vie}, avant le {minimum} \
         (la version précédente est maintenue 6 mois après la mise en production de la suivante)"
    )]
    FinDeVieAnticipee { version: String, fin_de_vie: DateTime<Utc>, minimum: DateTime<Utc> },
    #[error("version {version} : la version suivante ne peut être mise en production le {successeur_le}, avant elle")]
    SuccesseurAnterieur { version: String, successeur_le: DateTime<Utc> },
}

/// The sunset of the previous version: the new version's production + 6 months (last day of
/// the month when the day does not exist: 31 August + 6 months = 28 or 29 February).
///
/// # Panics
/// Outside chrono's date range.
pub fn fin_de_vie_n_moins_1(mise_en_production_nouvelle: DateTime<Utc>) -> DateTime<Utc> {
    mise_en_production_nouvelle
        .checked_add_months(Months::new(CONSERVATION_N_MOINS_1_MOIS))
        .expect("date hors du calendrier pris en charge")
}

impl VersionApi {
    /// A version in production from `mise_en_production`, neither deprecated nor retired.
    pub fn nouvelle(version: &str, mise_en_production: DateTime<Utc>) -> Self {
        Self { version: version.trim().to_owned(), mise_en_production, depreciee_le: None, fin_de_vie: None }
    }

    /// Checks the dates are in order: production ≤ deprecation ≤ sunset, and a deprecated
    /// version has a sunset (partners need the date).
    pub fn valider(&self) -> Result<(), VersionApiError> {
        let version = self.version.clone();
        if self.version.trim().is_empty() {
            return Err(VersionApiError::VersionVide);
        }
        match (self.depreciee_le, self.fin_de_vie) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(VersionApiError::FinDeVieSansDepreciation { version }),
            (Some(_), None) => Err(VersionApiError::DepreciationSansFinDeVie { version }),
            (Some(depreciee_le), Some(_)) if depreciee_le < self.mise_en_production => {
                Err(VersionApiError::DepreciationAvantMiseEnProduction {
                    version,
                    depreciee_le,
                    mise_en_production: self.mise_en_production,
                })
            }
            (Some(depreciee_le), Some(fin_de_vie)) if fin_de_vie < depreciee_le => {
                Err(VersionApiError::FinDeVieAvantDepreciation { version, fin_de_vie, depreciee_le })
            }
            (Some(_), Some(_)) => Ok(()),
        }
    }

    /// Checks this version, as n−1 of a version in production at `mise_en_production_suivante`,
    /// is kept at least until [`fin_de_vie_n_moins_1`]. No sunset at all is fine.
    pub fn verifier_fin_de_vie(&self, mise_en_production_suivante: DateTime<Utc>) -> Result<(), VersionApiError> {
        let minimum = fin_de_vie_n_moins_1(mise_en_production_suivante);
        match self.fin_de_vie {
            Some(fin_de_vie) if fin_de_vie < minimum => {
                Err(VersionApiError::FinDeVieAnticipee { version: self.version.clone(), fin_de_vie, minimum })
            }
            _ => Ok(()),
        }
    }

    /// Deprecates this version when `suivante` goes to production: deprecated from that
    /// production, sunset 6 months later.
    pub fn deprecier_par(&mut self, suivante: &VersionApi) -> Result<(), VersionApiError> {
        if suivante.mise_en_production < self.mise_en_production {
            return Err(VersionApiError::SuccesseurAnterieur {
                version: self.version.clone(),
                successeur_le: suivante.mise_en_production,
            });
        }
        self.depreciee_le = Some(suivante.mise_en_production);
        self.fin_de_vie = Some(fin_de_vie_n_moins_1(suivante.mise_en_production));
        Ok(())
    }

    /// Whether the version is deprecated at `now`.
    pub fn est_depreciee(&self, now: DateTime<Utc>) -> bool {
        self.depreciee_le.is_some_and(|d| d <= now)
    }

    /// Whether the version is withdrawn at `now` (its sunset reached).
    pub fn est_retiree(&self, now: DateTime<Utc>) -> bool {
        self.fin_de_vie.is_some_and(|f| f <= now)
    }

    /// The `Deprecation` (RFC 9745, `@` and Unix seconds) and `Sunset` (RFC 8594, HTTP-date)
    /// header values, once the version is deprecated at `now` and has a sunset; `None`
    /// otherwise. A retired version still gets them: answering it (or 410) is the caller's
    /// choice.
    /// Where the version is at `now`.
    pub fn statut(&self, now: DateTime<Utc>) -> StatutVersion {
        match (self.depreciee_le, self.fin_de_vie) {
            (_, Some(f)) if f <= now => StatutVersion::Retiree,
            (Some(d), _) if d <= now => StatutVersion::Depreciee,
            _ => StatutVersion::EnService,
        }
    }

    /// The API a version belongs to (`rechercher-usager` of `rechercher-usager.v2`; the
    /// seed-named surface for `v1`): the n−1 rule holds within one.
    pub fn famille(&self) -> &str {
        self.version.rsplit_once('.').map_or("", |(f, _)| f)
    }

    pub fn entetes(&self, now: DateTime<Utc>) -> Option<(String, String)> {
        let depreciee_le = self.depreciee_le.filter(|d| *d <= now)?;
        let fin_de_vie = self.fin_de_vie?;
        Some((format!("@{}", depreciee_le.timestamp()), fin_de_vie.format("%a, %d %b %Y %H:%M:%S GMT").to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, TimeZone};

    /// A Paris wall-clock time, "YYYY-MM-DD HH:MM".
    fn p(s: &str) -> DateTime<Utc> {
        let l = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        Paris.from_local_datetime(&l).single().unwrap().with_timezone(&Utc)
    }
    fn u(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn changement(t: TypeChangement, annonce: DateTime<Utc>, mep: DateTime<Utc>) -> Changement {
        Changement {
            type_changement: t,
            objet: "API Statut usager : correctif".into(),
            annonce_le: annonce,
            mise_en_production: mep,
            decision_commune: None,
        }
    }

    #[test]
    fn minor_change_five_days() {
        // Announced Tuesday 4 March 2025: production from Sunday 9 March (Paris dates).
        let annonce = p("2025-03-04 16:00");
        assert_eq!(mise_en_production_au_plus_tot(TypeChangement::Mineur, annonce), Some(d("2025-03-09")));
        assert_eq!(changement(TypeChangement::Mineur, annonce, p("2025-03-09 06:00")).verifier(), Ok(()));
        assert_eq!(changement(TypeChangement::Mineur, annonce, p("2025-03-11 20:00")).verifier(), Ok(()));
        assert_eq!(
            changement(TypeChangement::Mineur, annonce, p("2025-03-08 23:59")).verifier(),
            Err(ChangementError::PreavisMineurInsuffisant {
                annonce_le: d("2025-03-04"),
                mise_en_production: d("2025-03-08"),
                au_plus_tot: d("2025-03-09"),
            })
        );
        // Days are Paris days: 23:30Z on 3 March is 00:30 on 4 March in Paris.
        let annonce = u("2025-03-03T23:30:00Z");
        assert_eq!(mise_en_production_au_plus_tot(TypeChangement::Mineur, annonce), Some(d("2025-03-09")));
        assert_eq!(changement(TypeChangement::Mineur, annonce, u("2025-03-08T23:00:00Z")).verifier(), Ok(()));
        assert!(changement(TypeChangement::Mineur, annonce, u("2025-03-08T22:59:00Z")).verifier().is_err());
    }

    #[test]
    fn major_change_three_months() {
        let annonce = p("2025-03-04 10:00");
        assert_eq!(mise_en_production_au_plus_tot(TypeChangement::Majeur, annonce), Some(d("2025-06-04")));
        assert_eq!(changement(TypeChangement::Majeur, annonce, p("2025-06-04 08:00")).verifier(), Ok(()));
        assert_eq!(
            changement(TypeChangement::Majeur, annonce, p("2025-06-03 18:00")).verifier(),
            Err(ChangementError::PreavisMajeurInsuffisant {
                annonce_le: d("2025-03-04"),
                mise_en_production: d("2025-06-03"),
                au_plus_tot: d("2025-06-04"),
            })
        );
        // 30 November + 3 months: the last day of February.
        let annonce = p("2025-11-30 10:00");
        assert_eq!(mise_en_production_au_plus_tot(TypeChangement::Majeur, annonce), Some(d("2026-02-28")));
        assert_eq!(changement(TypeChangement::Majeur, annonce, p("2026-02-28 00:00")).verifier(), Ok(()));
        assert!(matches!(
            changement(TypeChangement::Majeur, annonce, p("2026-02-27 23:00")).verifier(),
            Err(ChangementError::PreavisMajeurInsuffisant { .. })
        ));
        // Five days are enough for a minor change, not for a major one.
        let mep = p("2025-12-10 10:00");
        assert_eq!(changement(TypeChangement::Mineur, annonce, mep).verifier(), Ok(()));
        assert!(changement(TypeChangement::Majeur, annonce, mep).verifier().is_err());
    }

    #[test]
    fn interface_contract_needs_a_joint_decision() {
        let mut c = changement(TypeChangement::ContratInterface, p("2025-03-04 10:00"), p("2025-03-05 10:00"));
        assert_eq!(mise_en_production_au_plus_tot(TypeChangement::ContratInterface, c.annonce_le), None);
        assert_eq!(c.verifier(), Err(ChangementError::DecisionCommuneManquante));
        c.decision_commune = Some(DecisionCommune { le: p("2025-03-04 15:00"), reference_accord: " ".into() });
        assert_eq!(c.verifier(), Err(ChangementError::ReferenceAccordVide));
        c.decision_commune =
            Some(DecisionCommune { le: p("2025-03-06 15:00"), reference_accord: "COPIL-2025-03".into() });
        assert_eq!(
            c.verifier(),
            Err(ChangementError::DecisionApresMiseEnProduction {
                decision_le: p("2025-03-06 15:00"),
                mise_en_production: p("2025-03-05 10:00"),
            })
        );
        // No notice needed once decided together, even the next day.
        c.decision_commune =
            Some(DecisionCommune { le: p("2025-03-04 15:00"), reference_accord: "COPIL-2025-03".into() });
        assert_eq!(c.verifier(), Ok(()));
        // Decided exactly at the production time.
        c.decision_commune =
            Some(DecisionCommune { le: p("2025-03-05 10:00"), reference_accord: "COPIL-2025-03".into() });
        assert_eq!(c.verifier(), Ok(()));
    }

    #[test]
    fn general_checks() {
        let c = changement(TypeChangement::Mineur, p("2025-03-10 10:00"), p("2025-03-04 10:00"));
        assert_eq!(
            c.verifier(),
            Err(ChangementError::AnnonceApresMiseEnProduction {
                annonce_le: p("2025-03-10 10:00"),
                mise_en_production: p("2025-03-04 10:00"),
            })
        );
        let mut c = changement(TypeChangement::Majeur, p("2025-01-10 10:00"), p("2025-06-04 10:00"));
        c.objet = "  ".into();
        assert_eq!(c.verifier(), Err(ChangementError::ObjetVide));
        assert_eq!(
            ChangementError::DecisionCommuneManquante.to_string(),
            "évolution du contrat d'interface : mise en production refusée sans décision commune des parties"
        );
        let json = serde_json::to_value(changement(
            TypeChangement::ContratInterface,
            u("2025-03-04T09:00:00Z"),
            u("2025-03-05T09:00:00Z"),
        ))
        .unwrap();
        assert_eq!(json["typeChangement"], "CONTRAT_INTERFACE");
        assert!(json.get("decisionCommune").is_none());
    }

    #[test]
    fn previous_version_kept_six_months() {
        assert_eq!(fin_de_vie_n_moins_1(u("2026-11-30T00:00:00Z")), u("2027-05-30T00:00:00Z"));
        // Last day of the month when the day does not exist.
        assert_eq!(fin_de_vie_n_moins_1(u("2026-08-31T08:00:00Z")), u("2027-02-28T08:00:00Z"));
        assert_eq!(fin_de_vie_n_moins_1(u("2027-08-31T08:00:00Z")), u("2028-02-29T08:00:00Z"));

        let v2 = VersionApi::nouvelle("v2", u("2026-11-30T00:00:00Z"));
        let mut v1 = VersionApi::nouvelle("v1", u("2025-01-15T08:00:00Z"));
        assert_eq!(v1.verifier_fin_de_vie(v2.mise_en_production), Ok(()), "no sunset: kept");
        v1.fin_de_vie = Some(u("2027-05-29T23:59:59Z"));
        assert_eq!(
            v1.verifier_fin_de_vie(v2.mise_en_production),
            Err(VersionApiError::FinDeVieAnticipee {
                version: "v1".into(),
                fin_de_vie: u("2027-05-29T23:59:59Z"),
                minimum: u("2027-05-30T00:00:00Z"),
            })
        );
        v1.fin_de_vie = Some(u("2027-09-01T00:00:00Z"));
        assert_eq!(v1.verifier_fin_de_vie(v2.mise_en_production), Ok(()), "later is allowed");
        v1.deprecier_par(&v2).unwrap();
        assert_eq!(v1.depreciee_le, Some(u("2026-11-30T00:00:00Z")));
        assert_eq!(v1.fin_de_vie, Some(u("2027-05-30T00:00:00Z")));
        assert_eq!(v1.verifier_fin_de_vie(v2.mise_en_production), Ok(()), "exactly 6 months");
        assert_eq!(v1.valider(), Ok(()));

        let mut v3 = VersionApi::nouvelle("v3", u("2028-01-01T00:00:00Z"));
        assert_eq!(
            v3.deprecier_par(&v2),
            Err(VersionApiError::SuccesseurAnterieur {
                version: "v3".into(),
                successeur_le: u("2026-11-30T00:00:00Z")
            })
        );
    }

    #[test]
    fn deprecation_and_sunset_headers() {
        let v2 = VersionApi::nouvelle("v2", u("2026-11-30T00:00:00Z"));
        let mut v1 = VersionApi::nouvelle("v1", u("2025-01-15T08:00:00Z"));
        assert_eq!(v1.entetes(u("2026-12-01T00:00:00Z")), None, "not deprecated");
        v1.deprecier_par(&v2).unwrap();
        assert_eq!(v1.entetes(u("2026-11-29T23:59:59Z")), None, "not deprecated yet");
        assert!(!v1.est_depreciee(u("2026-11-29T23:59:59Z")));
        assert!(v1.est_depreciee(u("2026-11-30T00:00:00Z")));
        assert_eq!(
            v1.entetes(u("2026-11-30T00:00:00Z")),
            Some(("@1795996800".to_owned(), "Sun, 30 May 2027 00:00:00 GMT".to_owned()))
        );
        assert!(!v1.est_retiree(u("2027-05-29T23:59:59Z")));
        assert!(v1.est_retiree(u("2027-05-30T00:00:00Z")));
        assert!(v1.entetes(u("2027-06-15T00:00:00Z")).is_some());
        // Any time of day, single-digit days padded, always GMT.
        v1.depreciee_le = Some(u("2025-09-01T08:30:00Z"));
        v1.fin_de_vie = Some(u("2027-05-01T09:05:07Z"));
        assert_eq!(
            v1.entetes(u("2026-01-01T00:00:00Z")),
            Some(("@1756715400".to_owned(), "Sat, 01 May 2027 09:05:07 GMT".to_owned()))
        );
        // Deprecated without a sunset: no headers, and refused by `valider`.
        v1.fin_de_vie = None;
        assert_eq!(v1.entetes(u("2026-01-01T00:00:00Z")), None);
        assert_eq!(v1.valider(), Err(VersionApiError::DepreciationSansFinDeVie { version: "v1".into() }));
    }

    #[test]
    fn version_dates_in_order() {
        let mut v = VersionApi::nouvelle("v1", u("2025-01-15T08:00:00Z"));
        assert_eq!(v.valider(), Ok(()));
        v.fin_de_vie = Some(u("2026-01-01T00:00:00Z"));
        assert_eq!(v.valider(), Err(VersionApiError::FinDeVieSansDepreciation { version: "v1".into() }));
        v.depreciee_le = Some(u("2025-01-01T00:00:00Z"));
        assert!(matches!(v.valider(), Err(VersionApiError::DepreciationAvantMiseEnProduction { .. })));
        v.depreciee_le = Some(u("2026-02-01T00:00:00Z"));
        assert!(matches!(v.valider(), Err(VersionApiError::FinDeVieAvantDepreciation { .. })));
        v.depreciee_le = Some(u("2025-07-01T00:00:00Z"));
        assert_eq!(v.valider(), Ok(()));
        assert_eq!(VersionApi::nouvelle(" ", u("2025-01-15T08:00:00Z")).valider(), Err(VersionApiError::VersionVide));
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["version"], "v1");
        assert_eq!(json["deprecieeLe"], "2025-07-01T00:00:00Z");
        assert_eq!(json["finDeVie"], "2026-01-01T00:00:00Z");
    }
}
