//! The appointments of the person's parcours that a partner's system makes, changes and
//! cancels (France Travail's `rendez-vous-partenaire`, as départements' systems send it:
//! an orientation or accompaniment appointment of an RSA beneficiary). Each belongs to the
//! partner that made it: only it may change or cancel it. A cancelled appointment stays,
//! with its status.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    /// Why the appointment is held.
    MotifRendezVous, "motif du rendez-vous" {
        Accompagnement => ("ACC", "Premier rendez-vous d'accompagnement RSA"),
        Orientation => ("ORI", "Rendez-vous d'orientation RSA"),
        Autre => ("AUT", "Autre"),
    }
);

coded_enum!(
    ModaliteContact, "modalité de contact" {
        Physique => ("PHYSIQUE", "Sur place"),
        Telephone => ("TELEPHONE", "Par téléphone"),
        Visio => ("VISIO", "En visioconférence"),
    }
);

coded_enum!(
    TypeReception, "type de réception" {
        Collective => ("COL", "Collective"),
        Individuelle => ("IND", "Individuelle"),
    }
);

coded_enum!(
    InitiateurRendezVous, "initiateur du rendez-vous" {
        Usager => ("USAGER", "L'usager"),
        Partenaire => ("PARTENAIRE", "Le partenaire"),
    }
);

coded_enum!(
    StatutRendezVous, "statut du rendez-vous" {
        Pris => ("PRIS", "Pris"),
        Modifie => ("MODIFIE", "Modifié"),
        Effectue => ("EFFECTUE", "Effectué"),
        Absent => ("ABSENT", "Usager absent"),
        Annule => ("ANNULE", "Annulé"),
    }
);

coded_enum!(
    /// The kind of organisation that receives the person.
    OrganismeRendezVous, "organisme du rendez-vous" {
        ConseilDepartemental => ("CD", "Conseil départemental"),
        DelegataireCd => ("DCD", "Délégataire du conseil départemental"),
        FranceTravail => ("FT", "France Travail"),
        MissionLocale => ("ML", "Mission locale"),
        CapEmploi => ("CE", "Cap Emploi"),
        Indetermine => ("IND", "Indéterminé"),
    }
);

/// The structure that receives the person.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StructureRendezVous {
    pub code: OrganismeRendezVous,
    /// Its SAFIR code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_structure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle_structure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone_contact: Option<String>,
}

/// The agent the person will meet.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Interlocuteur {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prenom: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// What the partner says of an appointment (made or changed).
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DetailRendezVous {
    /// Start, with the offset of the place.
    #[schema(value_type = String, format = DateTime)]
    pub date: DateTime<FixedOffset>,
    /// Minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duree: Option<u32>,
    pub motif: MotifRendezVous,
    pub modalite_contact: ModaliteContact,
    pub type_reception: TypeReception,
    pub statut: StatutRendezVous,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiateur: Option<InitiateurRendezVous>,
    pub organisme: StructureRendezVous,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adresse: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libelle_adresse: Option<String>,
    /// The category of the motif, as the partner names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// What the person is told (instructions of the motif).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone_contact_usager: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interlocuteur: Option<Interlocuteur>,
}

impl std::fmt::Debug for DetailRendezVous {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetailRendezVous")
            .field("date", &self.date)
            .field("motif", &self.motif)
            .field("statut", &self.statut)
            .finish_non_exhaustive()
    }
}

/// The longest text a field of an appointment may hold (characters).
pub const TEXTE_MAX: usize = 2000;
/// The longest appointment (minutes): a day.
pub const DUREE_MAX: u32 = 24 * 60;

/// Why an appointment is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusRendezVous {
    /// No appointment of this id made by this partner for this person.
    #[error("Il n'existe pas de rdv pour l'id et l'utilisateur indiqué")]
    Inconnu,
    #[error("{champ} : {max} caractères au plus")]
    TropLong { champ: &'static str, max: usize },
    #[error("duree : de 1 à {DUREE_MAX} minutes")]
    Duree,
    #[error("statut : un rendez-vous se prend « PRIS » (ANNULE s'envoie par DELETE)")]
    StatutInitial,
}

impl DetailRendezVous {
    /// Checks the bounds of what is given (texts, duration).
    pub fn valider(&self) -> Result<(), RefusRendezVous> {
        let textes: [(&'static str, Option<&str>); 9] = [
            ("adresse", self.adresse.as_deref()),
            ("libelleAdresse", self.libelle_adresse.as_deref()),
            ("theme", self.theme.as_deref()),
            ("information", self.information.as_deref()),
            ("telephoneContactUsager", self.telephone_contact_usager.as_deref()),
            ("organisme.idStructure", self.organisme.id_structure.as_deref()),
            ("organisme.libelleStructure", self.organisme.libelle_structure.as_deref()),
            ("organisme.emailContact", self.organisme.email_contact.as_deref()),
            ("organisme.telephoneContact", self.organisme.telephone_contact.as_deref()),
        ];
        for (champ, v) in textes {
            if v.is_some_and(|v| v.chars().count() > TEXTE_MAX) {
                return Err(RefusRendezVous::TropLong { champ, max: TEXTE_MAX });
            }
        }
        if let Some(i) = &self.interlocuteur {
            for (champ, v) in
                [("interlocuteur.nom", &i.nom), ("interlocuteur.prenom", &i.prenom), ("interlocuteur.email", &i.email)]
            {
                if v.as_deref().is_some_and(|v| v.chars().count() > 200) {
                    return Err(RefusRendezVous::TropLong { champ, max: 200 });
                }
            }
        }
        if self.duree.is_some_and(|d| d == 0 || d > DUREE_MAX) {
            return Err(RefusRendezVous::Duree);
        }
        Ok(())
    }
}

/// One appointment, as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RendezVous {
    /// DUDE's id, given to the partner that made it.
    pub id: String,
    /// The partner that made it (the only one that may change or cancel it).
    pub partenaire: String,
    #[serde(flatten)]
    pub detail: DetailRendezVous,
    pub cree_le: DateTime<Utc>,
    pub modifie_le: DateTime<Utc>,
}

/// The appointments of a person's parcours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RendezVousParcours(pub Vec<RendezVous>);

impl RendezVousParcours {
    /// Records a new appointment (status PRIS) under `id`.
    pub fn prendre(
        &mut self,
        id: String,
        partenaire: &str,
        detail: DetailRendezVous,
        quand: DateTime<Utc>,
    ) -> Result<(), RefusRendezVous> {
        detail.valider()?;
        if detail.statut != StatutRendezVous::Pris {
            return Err(RefusRendezVous::StatutInitial);
        }
        self.0.push(RendezVous { id, partenaire: partenaire.to_string(), detail, cree_le: quand, modifie_le: quand });
        Ok(())
    }

    fn du_partenaire(&mut self, id: &str, partenaire: &str) -> Result<&mut RendezVous, RefusRendezVous> {
        self.0.iter_mut().find(|r| r.id == id && r.partenaire == partenaire).ok_or(RefusRendezVous::Inconnu)
    }

    /// Replaces what the partner said of its appointment `id`.
    pub fn modifier(
        &mut self,
        id: &str,
        partenaire: &str,
        detail: DetailRendezVous,
        quand: DateTime<Utc>,
    ) -> Result<(), RefusRendezVous> {
        detail.valider()?;
        let r = self.du_partenaire(id, partenaire)?;
        r.detail = detail;
        r.modifie_le = quand;
        Ok(())
    }

    /// Cancels the partner's appointment `id` (kept, ANNULE).
    pub fn annuler(&mut self, id: &str, partenaire: &str, quand: DateTime<Utc>) -> Result<(), RefusRendezVous> {
        let r = self.du_partenaire(id, partenaire)?;
        r.detail.statut = StatutRendezVous::Annule;
        r.modifie_le = quand;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail() -> DetailRendezVous {
        serde_json::from_value(serde_json::json!({
            "organisme": {"code": "CD", "emailContact": "insertion@cd77.fr"},
            "motif": "ACC", "date": "2025-10-01T10:30:00.000+02:00", "modaliteContact": "PHYSIQUE",
            "typeReception": "IND", "statut": "PRIS", "libelleAdresse": "Agence de Melun",
            "adresse": "1 rue de la Gare 77000 Melun", "duree": 45
        }))
        .unwrap()
    }

    #[test]
    fn made_changed_cancelled_by_its_partner_only() {
        let now = Utc::now();
        let mut p = RendezVousParcours::default();
        p.prendre("r1".into(), "cd77", detail(), now).unwrap();
        let mut d = detail();
        d.duree = Some(60);
        d.statut = StatutRendezVous::Modifie;
        assert_eq!(p.modifier("r1", "cd93", d.clone(), now), Err(RefusRendezVous::Inconnu));
        assert_eq!(p.modifier("r2", "cd77", d.clone(), now), Err(RefusRendezVous::Inconnu));
        p.modifier("r1", "cd77", d, now).unwrap();
        assert_eq!(p.0[0].detail.duree, Some(60));
        assert_eq!(p.annuler("r1", "cd93", now), Err(RefusRendezVous::Inconnu));
        p.annuler("r1", "cd77", now).unwrap();
        assert_eq!(p.0[0].detail.statut, StatutRendezVous::Annule);
    }

    #[test]
    fn bounds() {
        let mut p = RendezVousParcours::default();
        let mut d = detail();
        d.information = Some("x".repeat(TEXTE_MAX + 1));
        assert_eq!(
            p.prendre("r".into(), "cd77", d, Utc::now()),
            Err(RefusRendezVous::TropLong { champ: "information", max: TEXTE_MAX })
        );
        let mut d = detail();
        d.duree = Some(0);
        assert_eq!(p.prendre("r".into(), "cd77", d, Utc::now()), Err(RefusRendezVous::Duree));
        let mut d = detail();
        d.statut = StatutRendezVous::Annule;
        assert_eq!(p.prendre("r".into(), "cd77", d, Utc::now()), Err(RefusRendezVous::StatutInitial));
    }
}
