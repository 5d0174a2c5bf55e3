//! Contacts and exchanges history (date, canal, motif).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    Canal, "canal de contact" {
        Physique => ("PHYSIQUE", "Entretien physique"),
        Telephone => ("TELEPHONE", "Téléphone"),
        Visio => ("VISIO", "Visioconférence"),
        Courriel => ("COURRIEL", "Courriel"),
        Courrier => ("COURRIER", "Courrier"),
        Sms => ("SMS", "SMS"),
    }
);

coded_enum!(
    MotifContact, "motif de contact" {
        Diagnostic => ("DIAGNOSTIC", "Diagnostic"),
        Suivi => ("SUIVI", "Entretien de suivi"),
        Bilan => ("BILAN", "Bilan"),
        Convocation => ("CONVOCATION", "Convocation"),
        Information => ("INFORMATION", "Information"),
        Offre => ("OFFRE", "Proposition d'offre"),
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Echange {
    pub date: NaiveDate,
    pub canal: Canal,
    pub motif: MotifContact,
    #[serde(default)]
    pub piece_jointe: bool,
}
