//! Registration (inscription) as a dated history of events.
//!
//! One source of truth: the current status, its effect date, the category, the
//! `dateInscription12/24/36` of the Statut usager API and the monthly lists are all
//! computed from the events; nothing of it is stored twice.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    /// What happened to the registration.
    TypeEvenement, "type d'événement d'inscription" {
        Inscription => ("INSCRIPTION", "Inscription"),
        Reinscription => ("REINSCRIPTION", "Réinscription"),
        Cessation => ("CESSATION", "Cessation d'inscription"),
        Radiation => ("RADIATION", "Radiation administrative"),
    }
);

coded_enum!(
    /// Statut du demandeur d'emploi (API Statut usager). Codes are the seed's words.
    StatutDe, "statut du demandeur d'emploi" {
        Identifie => ("Identifié", "Identifié, jamais inscrit"),
        Inscrit => ("Inscrit", "Inscrit comme demandeur d'emploi"),
        Cesse => ("Cessé", "Inscription cessée"),
        Radie => ("Radié", "Radié"),
    }
);

coded_enum!(
    /// Catégorie d'inscription 1 à 5.
    CategorieInscription, "catégorie d'inscription" {
        Cat1 => ("1", "Sans emploi, immédiatement disponible, recherche un CDI à temps plein"),
        Cat2 => ("2", "Sans emploi, immédiatement disponible, recherche un CDI à temps partiel"),
        Cat3 => ("3", "Sans emploi, immédiatement disponible, recherche un CDD, temporaire ou saisonnier"),
        Cat4 => ("4", "Sans emploi, non immédiatement disponible"),
        Cat5 => ("5", "Pourvu d'un emploi, à la recherche d'un autre emploi"),
    }
);

coded_enum!(
    /// Motif d'inscription.
    MotifInscription, "motif d'inscription" {
        LicenciementEconomique => ("11", "LICENCIEMENT ECONOMIQUE"),
        AutreLicenciement => ("12", "AUTRE LICENCIEMENT"),
        Demission => ("13", "DEMISSION"),
        FinCdd => ("14", "FIN DE CDD OU DE CONTRAT AIDE"),
        FinInterim => ("15", "FIN DE MISSION D'INTERIM"),
        PremiereEntree => ("16", "PREMIERE ENTREE SUR LE MARCHE DU TRAVAIL"),
        RepriseActivite => ("17", "REPRISE D'ACTIVITE APRES INTERRUPTION"),
        RuptureConventionnelle => ("18", "RUPTURE CONVENTIONNELLE"),
        FinActivite => ("19", "FIN D'ACTIVITE NON SALARIEE"),
        AutreCas => ("99", "AUTRE CAS"),
    }
);

coded_enum!(
    /// Situation au regard de l'emploi.
    SituationEmploi, "situation au regard de l'emploi" {
        SansEmploi => ("SE", "Sans emploi"),
        ActiviteReduiteCourte => ("ARC", "En activité réduite de 78 heures ou moins dans le mois"),
        ActiviteReduiteLongue => ("ARL", "En activité réduite de plus de 78 heures dans le mois"),
        Formation => ("FOR", "En formation"),
        Creation => ("CRE", "En création d'entreprise"),
        Indisponible => ("IND", "Temporairement indisponible (maladie, maternité)"),
    }
);

coded_enum!(
    /// Motif de clôture (cessation or radiation).
    MotifCloture, "motif de clôture" {
        DefautActualisation => ("DAC", "Défaut d'actualisation"),
        RepriseEmploi => ("REM", "Reprise d'emploi déclarée"),
        EntreeFormation => ("EFO", "Entrée en formation"),
        ArretMaladie => ("AMM", "Arrêt maladie, maternité"),
        Retraite => ("RET", "Départ en retraite"),
        Demande => ("DEM", "Cessation à la demande du demandeur d'emploi"),
        AbsenceConvocation => ("ABS", "Radiation : absence à convocation"),
        InsuffisanceRecherche => ("IRE", "Radiation : insuffisance de recherche d'emploi"),
        RefusFormation => ("RFO", "Radiation : refus d'action de formation ou d'insertion"),
        FausseDeclaration => ("FDE", "Radiation : fausse déclaration"),
        Autre => ("AUT", "Autre motif"),
    }
);

/// One dated event of the registration history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvenementInscription {
    pub date: NaiveDate,
    pub evenement: TypeEvenement,
    /// Category, for an inscription or réinscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categorie: Option<CategorieInscription>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motif_inscription: Option<MotifInscription>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub situation: Option<SituationEmploi>,
    /// Reason, for a cessation or radiation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motif_cloture: Option<MotifCloture>,
}

impl EvenementInscription {
    pub fn inscription(
        date: NaiveDate,
        categorie: CategorieInscription,
        motif: MotifInscription,
        situation: SituationEmploi,
    ) -> Self {
        Self {
            date,
            evenement: TypeEvenement::Inscription,
            categorie: Some(categorie),
            motif_inscription: Some(motif),
            situation: Some(situation),
            motif_cloture: None,
        }
    }

    pub fn reinscription(
        date: NaiveDate,
        categorie: CategorieInscription,
        motif: MotifInscription,
        situation: SituationEmploi,
    ) -> Self {
        Self { evenement: TypeEvenement::Reinscription, ..Self::inscription(date, categorie, motif, situation) }
    }

    pub fn cessation(date: NaiveDate, motif: MotifCloture) -> Self {
        Self {
            date,
            evenement: TypeEvenement::Cessation,
            categorie: None,
            motif_inscription: None,
            situation: None,
            motif_cloture: Some(motif),
        }
    }

    pub fn radiation(date: NaiveDate, motif: MotifCloture) -> Self {
        Self { evenement: TypeEvenement::Radiation, ..Self::cessation(date, motif) }
    }

    /// An inscription or a réinscription: a registration period starts.
    pub fn opens(&self) -> bool {
        matches!(self.evenement, TypeEvenement::Inscription | TypeEvenement::Reinscription)
    }
}

/// A history that would not make sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoriqueError {
    #[error("événement {index} ({evenement}) du {date} : antérieur à l'événement précédent du {previous}")]
    OutOfOrder { index: usize, evenement: &'static str, date: NaiveDate, previous: NaiveDate },
    #[error("événement {index} ({evenement}) impossible depuis le statut {from}")]
    Transition { index: usize, evenement: &'static str, from: &'static str },
    #[error("événement {index} ({evenement}) : champ {field} obligatoire")]
    Missing { index: usize, evenement: &'static str, field: &'static str },
}

/// The status at a given day, with the details of the event that set it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatutCourant {
    pub statut: StatutDe,
    /// Effect date of the status; `None` for a person never registered.
    pub date_effet: Option<NaiveDate>,
    /// The event that opened the current or last registration period.
    pub ouverture: Option<EvenementInscription>,
    /// The event that closed it, when the person is no longer registered.
    pub cloture: Option<EvenementInscription>,
}

/// The ordered registration history of one person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct HistoriqueInscription {
    evenements: Vec<EvenementInscription>,
}

impl HistoriqueInscription {
    /// Checks every transition of a full history.
    pub fn from_events(evenements: Vec<EvenementInscription>) -> Result<Self, HistoriqueError> {
        let mut h = Self::default();
        for e in evenements {
            h.push(e)?;
        }
        Ok(h)
    }

    /// Appends an event after checking its date and the transition it makes.
    /// Events of the same day keep the order in which they were recorded.
    pub fn push(&mut self, e: EvenementInscription) -> Result<(), HistoriqueError> {
        let index = self.evenements.len() + 1;
        let evenement = super::codes::Coded::code(e.evenement);
        if let Some(last) = self.evenements.last()
            && e.date < last.date
        {
            return Err(HistoriqueError::OutOfOrder { index, evenement, date: e.date, previous: last.date });
        }
        let from = self.statut_final();
        let allowed = match e.evenement {
            TypeEvenement::Inscription => from == StatutDe::Identifie,
            TypeEvenement::Reinscription => matches!(from, StatutDe::Cesse | StatutDe::Radie),
            TypeEvenement::Cessation | TypeEvenement::Radiation => from == StatutDe::Inscrit,
        };
        if !allowed {
            return Err(HistoriqueError::Transition { index, evenement, from: super::codes::Coded::code(from) });
        }
        let missing = |field| HistoriqueError::Missing { index, evenement, field };
        if e.opens() {
            if e.categorie.is_none() {
                return Err(missing("categorie"));
            }
            if e.motif_inscription.is_none() {
                return Err(missing("motifInscription"));
            }
        } else if e.motif_cloture.is_none() {
            return Err(missing("motifCloture"));
        }
        self.evenements.push(e);
        Ok(())
    }

    pub fn evenements(&self) -> &[EvenementInscription] {
        &self.evenements
    }

    fn statut_after(e: &EvenementInscription) -> StatutDe {
        match e.evenement {
            TypeEvenement::Inscription | TypeEvenement::Reinscription => StatutDe::Inscrit,
            TypeEvenement::Cessation => StatutDe::Cesse,
            TypeEvenement::Radiation => StatutDe::Radie,
        }
    }

    fn statut_final(&self) -> StatutDe {
        self.evenements.last().map_or(StatutDe::Identifie, Self::statut_after)
    }

    /// The status at the end of day `jour` (events dated after it are ignored).
    pub fn statut_au(&self, jour: NaiveDate) -> StatutCourant {
        let known: Vec<&EvenementInscription> = self.evenements.iter().take_while(|e| e.date <= jour).collect();
        let Some(last) = known.last() else {
            return StatutCourant { statut: StatutDe::Identifie, date_effet: None, ouverture: None, cloture: None };
        };
        let ouverture = known.iter().rev().find(|e| e.opens()).map(|e| (*e).clone());
        let cloture = (!last.opens()).then(|| (*last).clone());
        StatutCourant { statut: Self::statut_after(last), date_effet: Some(last.date), ouverture, cloture }
    }

    /// Registration periods `[start, end)` (end = day of cessation or radiation).
    pub fn periodes(&self) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        let mut out: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        for e in &self.evenements {
            if e.opens() {
                out.push((e.date, None));
            } else if let Some(p) = out.last_mut() {
                p.1 = Some(e.date);
            }
        }
        out
    }

    /// `dateInscription12/24/36`: the start date of the latest registration period during
    /// which the person was registered at some time in the `months` months up to `jour`.
    pub fn date_inscription_dans(&self, jour: NaiveDate, months: u32) -> Option<NaiveDate> {
        let from = jour.checked_sub_months(Months::new(months))?;
        self.periodes()
            .into_iter()
            .rev()
            .find(|(start, end)| *start <= jour && end.is_none_or(|end| end > from))
            .map(|(start, _)| start)
    }

    /// `m_duree_inscription_12/24/36` (France Travail's contrat-usager v2): the number of
    /// months the person was registered within the `months` months up to `jour`, from the
    /// same periods as `dateInscription12/24/36`. The window `]jour − months, jour]` is cut
    /// into `months` calendar months counted back from `jour`; a month counts when the
    /// person was registered every day of it — so a person registered throughout gets
    /// `months`, and one registered half of it about half.
    pub fn mois_inscrits_dans(&self, jour: NaiveDate, months: u32) -> u32 {
        let periodes = self.periodes();
        let inscrit_tout = |debut: NaiveDate, fin: NaiveDate| {
            // [debut, fin] inside one period [start, end)
            periodes.iter().any(|(start, end)| *start <= debut && end.is_none_or(|e| e > fin))
        };
        (0..months)
            .filter(|k| {
                let fin = jour.checked_sub_months(Months::new(*k));
                let debut = jour.checked_sub_months(Months::new(k + 1)).and_then(|d| d.succ_opt());
                matches!((debut, fin), (Some(debut), Some(fin)) if inscrit_tout(debut, fin))
            })
            .count() as u32
    }

    /// Rechercher usager finds people registered, or whose registration ended (radiation
    /// or cessation) less than three years before `jour`.
    pub fn recherchable_au(&self, jour: NaiveDate) -> bool {
        let s = self.statut_au(jour);
        match s.statut {
            StatutDe::Identifie => false,
            StatutDe::Inscrit => true,
            StatutDe::Cesse | StatutDe::Radie => {
                let limit = jour.checked_sub_months(Months::new(36)).unwrap_or(NaiveDate::MIN);
                s.date_effet.is_some_and(|d| d > limit)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CategorieInscription::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn ins(s: &str) -> EvenementInscription {
        EvenementInscription::inscription(d(s), Cat1, MotifInscription::FinCdd, SituationEmploi::SansEmploi)
    }
    fn reins(s: &str) -> EvenementInscription {
        EvenementInscription::reinscription(d(s), Cat2, MotifInscription::AutreCas, SituationEmploi::SansEmploi)
    }
    fn cess(s: &str) -> EvenementInscription {
        EvenementInscription::cessation(d(s), MotifCloture::DefautActualisation)
    }
    fn rad(s: &str) -> EvenementInscription {
        EvenementInscription::radiation(d(s), MotifCloture::AbsenceConvocation)
    }

    #[test]
    fn status_is_derived_from_events() {
        let h = HistoriqueInscription::from_events(vec![ins("2024-01-10"), cess("2024-06-30"), reins("2024-09-01")])
            .unwrap();
        assert_eq!(h.statut_au(d("2024-01-09")).statut, StatutDe::Identifie);
        assert_eq!(h.statut_au(d("2024-01-10")).statut, StatutDe::Inscrit);
        let s = h.statut_au(d("2024-07-01"));
        assert_eq!((s.statut, s.date_effet), (StatutDe::Cesse, Some(d("2024-06-30"))));
        assert_eq!(s.ouverture.unwrap().categorie, Some(Cat1));
        let s = h.statut_au(d("2025-01-01"));
        assert_eq!((s.statut, s.date_effet), (StatutDe::Inscrit, Some(d("2024-09-01"))));
        assert_eq!(s.ouverture.unwrap().categorie, Some(Cat2));
        assert!(s.cloture.is_none());
    }

    #[test]
    fn same_day_reregistration_keeps_recording_order() {
        let h = HistoriqueInscription::from_events(vec![ins("2024-01-10"), cess("2024-03-31"), reins("2024-03-31")])
            .unwrap();
        assert_eq!(h.statut_au(d("2024-03-31")).statut, StatutDe::Inscrit);
        assert_eq!(h.periodes(), vec![(d("2024-01-10"), Some(d("2024-03-31"))), (d("2024-03-31"), None)]);
    }

    #[test]
    fn impossible_histories_are_refused_with_position() {
        assert!(matches!(
            HistoriqueInscription::from_events(vec![cess("2024-01-01")]),
            Err(HistoriqueError::Transition { index: 1, .. })
        ));
        assert!(matches!(
            HistoriqueInscription::from_events(vec![ins("2024-01-10"), ins("2024-02-10")]),
            Err(HistoriqueError::Transition { index: 2, .. })
        ));
        assert!(matches!(
            HistoriqueInscription::from_events(vec![ins("2024-01-10"), cess("2024-01-09")]),
            Err(HistoriqueError::OutOfOrder { index: 2, .. })
        ));
        let mut no_motif = cess("2024-02-01");
        no_motif.motif_cloture = None;
        let err = HistoriqueInscription::from_events(vec![ins("2024-01-10"), no_motif]).unwrap_err();
        assert_eq!(err, HistoriqueError::Missing { index: 2, evenement: "CESSATION", field: "motifCloture" });
        assert!(err.to_string().contains("motifCloture"));
    }

    #[test]
    fn date_inscription_windows() {
        let h = HistoriqueInscription::from_events(vec![ins("2020-01-15"), rad("2023-05-01")]).unwrap();
        let today = d("2024-11-22");
        assert_eq!(h.date_inscription_dans(today, 12), None);
        assert_eq!(h.date_inscription_dans(today, 24), Some(d("2020-01-15")));
        assert_eq!(h.date_inscription_dans(today, 36), Some(d("2020-01-15")));
        // a period ending exactly at the window's start does not count
        assert_eq!(h.date_inscription_dans(d("2024-05-01"), 12), None);
        assert_eq!(h.date_inscription_dans(d("2024-04-30"), 12), Some(d("2020-01-15")));
        let open = HistoriqueInscription::from_events(vec![ins("2015-03-01")]).unwrap();
        assert_eq!(open.date_inscription_dans(today, 12), Some(d("2015-03-01")));
    }

    #[test]
    fn months_registered_within_the_last_12_24_36() {
        let today = d("2025-06-30");
        let h = HistoriqueInscription::from_events(vec![ins("2023-01-01")]).unwrap();
        assert_eq!((h.mois_inscrits_dans(today, 12), h.mois_inscrits_dans(today, 24)), (12, 24));
        assert_eq!(h.mois_inscrits_dans(today, 36), 29, "registered since January 2023: 29 whole months");
        // registered nine months, then a closure three months ago
        let h = HistoriqueInscription::from_events(vec![ins("2024-06-15"), cess("2025-03-31")]).unwrap();
        assert_eq!(h.mois_inscrits_dans(today, 12), 9);
        // a gap of one day breaks the month it falls in
        let h = HistoriqueInscription::from_events(vec![ins("2024-01-01"), cess("2025-01-15"), reins("2025-01-16")])
            .unwrap();
        assert_eq!(h.mois_inscrits_dans(today, 12), 11);
        assert_eq!(HistoriqueInscription::default().mois_inscrits_dans(today, 12), 0);
    }

    #[test]
    fn recherchable_three_years_after_closure() {
        let h = HistoriqueInscription::from_events(vec![ins("2020-01-15"), rad("2021-11-23")]).unwrap();
        assert!(h.recherchable_au(d("2024-11-22")));
        assert!(!h.recherchable_au(d("2024-11-23")));
        assert!(!HistoriqueInscription::default().recherchable_au(d("2024-11-22")));
    }
}
