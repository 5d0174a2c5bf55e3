//! Monthly lists of RSA beneficiaries for a département (seed 003, fiche technique §3):
//! - `inscrits`: registered (inscription or réinscription) during month M;
//! - `radies`: radiated during month M;
//! - `cesses`: ceased during month M−1 and not registered again between that cessation
//!   and the end of month M.
//!
//! The rules work on histories only; the store selects the candidates (RSA beneficiaries
//! residing in the département with an event between the start of M−1 and the end of M).

use chrono::{Datelike, Months, NaiveDate};

use super::codes::coded_enum;
use super::inscription::{EvenementInscription, HistoriqueInscription, TypeEvenement};

coded_enum!(
    /// Which monthly list.
    Liste, "liste mensuelle" {
        Inscrits => ("inscrits", "Bénéficiaires du RSA inscrits durant le mois M"),
        Radies => ("radies", "Bénéficiaires du RSA radiés durant le mois M"),
        Cesses => ("cesses", "Bénéficiaires du RSA ayant cessé en M−1, non réinscrits fin M"),
    }
);

/// A calendar month `AAAA-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mois {
    first: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mois invalide : format attendu AAAA-MM")]
pub struct MoisError(pub String);

impl Mois {
    pub fn parse(s: &str) -> Result<Self, MoisError> {
        let err = || MoisError(s.chars().take(16).collect());
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let y: i32 = y.parse().map_err(|_| err())?;
        let m: u32 = m.parse().map_err(|_| err())?;
        let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(err)?;
        Ok(Self { first })
    }

    pub fn of(date: NaiveDate) -> Self {
        Self { first: date.with_day(1).expect("day 1 exists") }
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first.pred_opt().expect("not the first day ever")
    }

    pub fn previous(self) -> Self {
        Self { first: self.first - Months::new(1) }
    }

    pub fn next(self) -> Self {
        Self { first: self.first + Months::new(1) }
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        d >= self.first && d <= self.last_day()
    }
}

impl std::fmt::Display for Mois {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

/// The event that puts a person on a list, if any.
pub fn evenement_retenu(liste: Liste, mois: Mois, h: &HistoriqueInscription) -> Option<&EvenementInscription> {
    let evs = h.evenements();
    match liste {
        Liste::Inscrits => evs.iter().rev().find(|e| e.opens() && mois.contains(e.date)),
        Liste::Radies => evs.iter().rev().find(|e| e.evenement == TypeEvenement::Radiation && mois.contains(e.date)),
        Liste::Cesses => {
            let prev = mois.previous();
            let (i, c) = evs
                .iter()
                .enumerate()
                .rev()
                .find(|(_, e)| e.evenement == TypeEvenement::Cessation && prev.contains(e.date))?;
            let end = mois.last_day();
            let reinscrit = evs[i + 1..].iter().any(|e| e.opens() && e.date <= end);
            (!reinscrit).then_some(c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::inscription::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn h(evs: &[(&str, char)]) -> HistoriqueInscription {
        HistoriqueInscription::from_events(
            evs.iter()
                .map(|(date, k)| match k {
                    'I' => EvenementInscription::inscription(
                        d(date),
                        CategorieInscription::Cat1,
                        MotifInscription::FinCdd,
                        SituationEmploi::SansEmploi,
                    ),
                    'R' => EvenementInscription::reinscription(
                        d(date),
                        CategorieInscription::Cat1,
                        MotifInscription::FinCdd,
                        SituationEmploi::SansEmploi,
                    ),
                    'C' => EvenementInscription::cessation(d(date), MotifCloture::DefautActualisation),
                    'X' => EvenementInscription::radiation(d(date), MotifCloture::AbsenceConvocation),
                    _ => unreachable!(),
                })
                .collect(),
        )
        .unwrap()
    }
    fn on(liste: Liste, mois: &str, evs: &[(&str, char)]) -> Option<NaiveDate> {
        evenement_retenu(liste, Mois::parse(mois).unwrap(), &h(evs)).map(|e| e.date)
    }

    #[test]
    fn month_parsing_and_bounds() {
        let m = Mois::parse("2024-02").unwrap();
        assert_eq!(m.last_day(), d("2024-02-29"));
        assert_eq!(m.previous().to_string(), "2024-01");
        assert_eq!(Mois::parse("2025-01").unwrap().previous().to_string(), "2024-12");
        for bad in ["2024-13", "2024-1", "24-01", "2024/01", "", "abcd-ef"] {
            assert!(Mois::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn inscrits_at_month_boundaries() {
        assert_eq!(on(Liste::Inscrits, "2026-10", &[("2026-10-01", 'I')]), Some(d("2026-10-01")));
        assert_eq!(on(Liste::Inscrits, "2026-10", &[("2026-10-31", 'I')]), Some(d("2026-10-31")));
        assert_eq!(on(Liste::Inscrits, "2026-10", &[("2026-09-30", 'I')]), None);
        assert_eq!(on(Liste::Inscrits, "2026-10", &[("2026-11-01", 'I')]), None);
        // a réinscription counts as an inscription in M
        assert_eq!(
            on(Liste::Inscrits, "2026-10", &[("2025-01-01", 'I'), ("2026-05-01", 'C'), ("2026-10-15", 'R')]),
            Some(d("2026-10-15"))
        );
    }

    #[test]
    fn radies_in_month() {
        assert_eq!(on(Liste::Radies, "2026-10", &[("2026-01-01", 'I'), ("2026-10-31", 'X')]), Some(d("2026-10-31")));
        assert_eq!(on(Liste::Radies, "2026-10", &[("2026-01-01", 'I'), ("2026-11-01", 'X')]), None);
        // a cessation is not a radiation
        assert_eq!(on(Liste::Radies, "2026-10", &[("2026-01-01", 'I'), ("2026-10-10", 'C')]), None);
    }

    #[test]
    fn cesses_in_previous_month_not_reregistered() {
        // ceased on the last day of M-1, not re-registered: listed
        assert_eq!(on(Liste::Cesses, "2026-10", &[("2026-01-01", 'I'), ("2026-09-30", 'C')]), Some(d("2026-09-30")));
        // ceased on the first day of M-1
        assert_eq!(on(Liste::Cesses, "2026-10", &[("2026-01-01", 'I'), ("2026-09-01", 'C')]), Some(d("2026-09-01")));
        // ceased during M, not M-1: not listed this month
        assert_eq!(on(Liste::Cesses, "2026-10", &[("2026-01-01", 'I'), ("2026-10-01", 'C')]), None);
        // re-registered the same day as the cessation: not listed
        assert_eq!(
            on(Liste::Cesses, "2026-10", &[("2026-01-01", 'I'), ("2026-09-30", 'C'), ("2026-09-30", 'R')]),
            None
        );
        // re-registered on the last day of M: not listed
        assert_eq!(
            on(Liste::Cesses, "2026-10", &[("2026-01-01", 'I'), ("2026-09-15", 'C'), ("2026-10-31", 'R')]),
            None
        );
        // re-registered after the end of M: listed
        assert_eq!(
            on(Liste::Cesses, "2026-10", &[("2026-01-01", 'I'), ("2026-09-15", 'C'), ("2026-11-01", 'R')]),
            Some(d("2026-09-15"))
        );
        // ceased, re-registered, ceased again within M-1: the last cessation counts
        assert_eq!(
            on(
                Liste::Cesses,
                "2026-10",
                &[("2026-01-01", 'I'), ("2026-09-05", 'C'), ("2026-09-10", 'R'), ("2026-09-20", 'C')]
            ),
            Some(d("2026-09-20"))
        );
        // January: M-1 is December of the previous year
        assert_eq!(on(Liste::Cesses, "2027-01", &[("2026-01-01", 'I'), ("2026-12-31", 'C')]), Some(d("2026-12-31")));
        // a radiation in M-1 is not a cessation
        assert_eq!(on(Liste::Cesses, "2026-10", &[("2026-01-01", 'I'), ("2026-09-15", 'X')]), None);
    }
}
