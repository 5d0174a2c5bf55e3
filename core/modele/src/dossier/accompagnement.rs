//! Accompagnement: modalité de suivi and, for the accompagnement global, the exchange of
//! seed 004 annex 1 (freins périphériques, motifs de non-intégration, bilan and exits).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;
use super::contraintes::CodeContrainte;

coded_enum!(
    ModaliteAccompagnement, "modalité d'accompagnement" {
        Suivi => ("SUIVI", "Suivi"),
        Guide => ("GUIDE", "Guidé"),
        Renforce => ("RENFORCE", "Renforcé"),
        Global => ("GLOBAL", "Accompagnement global"),
    }
);

coded_enum!(
    /// Motifs de non-intégration en accompagnement global.
    MotifNonIntegration, "motif de non-intégration" {
        AbsentNonExcuse => ("NON_ADHESION_ABSENT", "Non adhésion : absent non excusé"),
        RefusGlobal => ("NON_ADHESION_REFUS_GLOBAL", "Non adhésion : ne souhaite plus l'intégration dans l'accompagnement global"),
        RefusSocial => ("NON_ADHESION_REFUS_SOCIAL", "Non adhésion : ne souhaite plus l'accompagnement social"),
        FreinsNonIdentifies => ("FREINS_NON_IDENTIFIES", "Freins sociaux à l'emploi non identifiés"),
        RepriseEmploi => ("REPRISE_EMPLOI_FORMATION", "Reprise d'emploi, formation ou suivi de prestations longues"),
        PublicNonConcerne => ("PUBLIC_NON_CONCERNE", "Public non concerné"),
    }
);

coded_enum!(
    /// Outcome of the 6-month bilan.
    ResultatBilan, "résultat du bilan" {
        Atteint => ("OBJECTIF_ATTEINT", "Objectif atteint"),
        Partiel => ("OBJECTIF_PARTIELLEMENT_ATTEINT", "Objectif partiellement atteint"),
        NonAtteint => ("OBJECTIF_NON_ATTEINT", "Objectif non atteint"),
    }
);

coded_enum!(
    /// Decision taken at the bilan.
    DecisionBilan, "décision du bilan" {
        Maintien => ("MAINTIEN_AXE2", "Maintien en accompagnement global – Axe 2"),
        SocialExclusif => ("ORIENTATION_SOCIAL_EXCLUSIF", "Orientation vers le suivi social exclusif"),
        Fin => ("FIN_AXE2", "Fin d'accompagnement global axe 2"),
    }
);

coded_enum!(
    /// Exit at the end of the accompagnement global axe 2.
    SortieAccompagnement, "sortie d'accompagnement global" {
        EmploiCdi => ("EMPLOI_CDI", "Emploi CDI"),
        EmploiLong => ("EMPLOI_CDD_CTT_PLUS_6_MOIS", "Emploi CDD/CTT > 6 mois"),
        EmploiCourt => ("EMPLOI_CDD_CTT_MOINS_6_MOIS", "Emploi CDD/CTT < 6 mois"),
        Creation => ("CREATION_REPRISE", "Création/reprise d'entreprise"),
        Autre => ("AUTRE_SORTIE", "Autre sortie"),
        ServiceCivique => ("SERVICE_CIVIQUE", "Service civique"),
        AutresSuivis => ("AUTRES_SUIVIS_FT", "Autres suivis France Travail"),
        RetraitMarche => ("RETRAIT_MARCHE_TRAVAIL", "Retrait du marché du travail"),
        Axe3 => ("AXE3_SOCIAL_EXCLUSIF", "Accompagnement global en axe 3 – volet social exclusif"),
    }
);

/// The 6-month bilan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BilanGlobal {
    pub date: NaiveDate,
    pub resultat: ResultatBilan,
    pub decision: DecisionBilan,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sortie: Option<SortieAccompagnement>,
}

/// Why a bilan is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusBilan {
    #[error("date future non admise")]
    DateFuture,
    #[error("sortie obligatoire quand la décision est FIN_AXE2")]
    SortieManquante,
    #[error("sortie seulement quand la décision est FIN_AXE2")]
    SortieEnTrop,
    #[error("cette personne n'est pas en accompagnement global")]
    HorsAccompagnementGlobal,
    #[error("frein hors des sept freins périphériques de l'accompagnement global")]
    FreinInconnu,
}

impl BilanGlobal {
    /// A bilan, checked: not in the future, a way out exactly when it ends the
    /// accompaniment.
    pub fn nouveau(
        date: NaiveDate,
        resultat: ResultatBilan,
        decision: DecisionBilan,
        sortie: Option<SortieAccompagnement>,
        aujourdhui: NaiveDate,
    ) -> Result<Self, RefusBilan> {
        if date > aujourdhui {
            return Err(RefusBilan::DateFuture);
        }
        match (decision, sortie) {
            (DecisionBilan::Fin, None) => Err(RefusBilan::SortieManquante),
            (DecisionBilan::Maintien | DecisionBilan::SocialExclusif, Some(_)) => Err(RefusBilan::SortieEnTrop),
            _ => Ok(Self { date, resultat, decision, sortie }),
        }
    }
}

/// Accompagnement global data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccompagnementGlobal {
    /// Freins périphériques (the seven contraintes 23–29 of France Travail's thématique).
    #[serde(default)]
    pub freins: Vec<CodeContrainte>,
    #[serde(default)]
    pub motifs_non_integration: Vec<MotifNonIntegration>,
    #[serde(default)]
    pub bilans: Vec<BilanGlobal>,
    /// Dates until which the accompaniment was prolonged.
    #[serde(default)]
    pub prolongations: Vec<NaiveDate>,
}

/// Current accompaniment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Accompagnement {
    /// Unknown when only a partner's parcours is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modalite: Option<ModaliteAccompagnement>,
    pub date_debut: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_fin_prevue: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<AccompagnementGlobal>,
    /// The "Parcours insertion emploi" a partner sent (seed 002 annex 4 option 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parcours: Option<super::parcours::ParcoursInsertion>,
}

impl Accompagnement {
    /// Records a bilan of the accompagnement global (a bilan of the same date is
    /// replaced).
    pub fn enregistrer_bilan(&mut self, bilan: BilanGlobal) -> Result<(), RefusBilan> {
        let g = self.global.as_mut().ok_or(RefusBilan::HorsAccompagnementGlobal)?;
        g.bilans.retain(|b| b.date != bilan.date);
        g.bilans.push(bilan);
        g.bilans.sort_by_key(|b| b.date);
        Ok(())
    }

    /// Records the freins périphériques identified (among the seven of seed 004, France
    /// Travail's contraintes 23–29) and the motifs de non-intégration, by check box: both
    /// lists replace the stored ones.
    pub fn enregistrer_freins(
        &mut self,
        freins: &[super::contraintes::CodeContrainte],
        motifs: &[MotifNonIntegration],
    ) -> Result<(), RefusBilan> {
        let g = self.global.as_mut().ok_or(RefusBilan::HorsAccompagnementGlobal)?;
        if freins.contains(&super::contraintes::CodeContrainte::Numerique) {
            return Err(RefusBilan::FreinInconnu);
        }
        let mut f = freins.to_vec();
        f.dedup();
        g.freins = f;
        let mut m = motifs.to_vec();
        m.dedup();
        g.motifs_non_integration = m;
        Ok(())
    }

    /// Merges what a partner's file says into the stored accompaniment: the file's
    /// accompagnement global replaces its lists but keeps the bilans and prolongations
    /// already known (a bilan is identified by its date); the parcours is replaced whole.
    /// Returns the merged value.
    pub fn fusionner(
        existant: Option<&Accompagnement>,
        global: Option<AccompagnementGlobal>,
        date_debut_global: Option<NaiveDate>,
        parcours: Option<super::parcours::ParcoursInsertion>,
    ) -> Option<Accompagnement> {
        if global.is_none() && parcours.is_none() {
            return existant.cloned();
        }
        let date_debut = existant
            .map(|a| a.date_debut)
            .or(date_debut_global)
            .or(parcours.as_ref().map(|p| p.date_entree_dispositif))?;
        let mut a = existant.cloned().unwrap_or(Accompagnement {
            modalite: None,
            date_debut,
            date_fin_prevue: None,
            structure: None,
            global: None,
            parcours: None,
        });
        if let Some(mut g) = global {
            a.modalite = Some(ModaliteAccompagnement::Global);
            if let Some(d) = date_debut_global {
                a.date_debut = d;
            }
            if let Some(old) = &a.global {
                for b in &old.bilans {
                    if !g.bilans.iter().any(|n| n.date == b.date) {
                        g.bilans.push(b.clone());
                    }
                }
                for p in &old.prolongations {
                    if !g.prolongations.contains(p) {
                        g.prolongations.push(*p);
                    }
                }
                if g.freins.is_empty() {
                    g.freins = old.freins.clone();
                }
                if g.motifs_non_integration.is_empty() {
                    g.motifs_non_integration = old.motifs_non_integration.clone();
                }
            }
            g.bilans.sort_by_key(|b| b.date);
            g.prolongations.sort();
            a.global = Some(g);
        }
        if let Some(p) = parcours {
            a.parcours = Some(p);
        }
        Some(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn bilan(date: &str, resultat: ResultatBilan) -> BilanGlobal {
        BilanGlobal { date: d(date), resultat, decision: DecisionBilan::Maintien, sortie: None }
    }

    #[test]
    fn a_file_adds_bilans_and_keeps_the_known_ones() {
        let old = Accompagnement::fusionner(
            None,
            Some(AccompagnementGlobal {
                freins: vec![CodeContrainte::Logement],
                bilans: vec![bilan("2026-01-10", ResultatBilan::Partiel)],
                ..Default::default()
            }),
            Some(d("2025-07-01")),
            None,
        )
        .unwrap();
        assert_eq!(old.modalite, Some(ModaliteAccompagnement::Global));
        assert_eq!(old.date_debut, d("2025-07-01"));
        let new = Accompagnement::fusionner(
            Some(&old),
            Some(AccompagnementGlobal {
                bilans: vec![bilan("2026-07-10", ResultatBilan::Atteint)],
                prolongations: vec![d("2027-01-10")],
                ..Default::default()
            }),
            None,
            None,
        )
        .unwrap();
        let g = new.global.unwrap();
        assert_eq!(g.bilans.iter().map(|b| b.date).collect::<Vec<_>>(), vec![d("2026-01-10"), d("2026-07-10")]);
        assert_eq!(g.freins, vec![CodeContrainte::Logement], "freins not in the file are kept");
        assert_eq!(g.prolongations, vec![d("2027-01-10")]);
        assert_eq!(new.date_debut, d("2025-07-01"));
    }

    #[test]
    fn a_parcours_alone_starts_an_accompaniment_without_modalite() {
        let p = super::super::parcours::ParcoursInsertion {
            date_entree_dispositif: d("2026-03-01"),
            date_rendez_vous_orientation: None,
            besoins: vec![],
            rendez_vous: vec![d("2026-03-15")],
            prestations: vec![],
        };
        let a = Accompagnement::fusionner(None, None, None, Some(p.clone())).unwrap();
        assert_eq!(a.modalite, None);
        assert_eq!(a.date_debut, d("2026-03-01"));
        assert_eq!(a.parcours, Some(p));
        assert_eq!(Accompagnement::fusionner(Some(&a), None, None, None), Some(a));
    }
}
