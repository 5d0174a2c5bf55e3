//! RSA (revenu de solidarité active): entitlement as the CAF/MSA report it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codes::coded_enum;

coded_enum!(
    /// Role of the person in the RSA household.
    RoleRsa, "rôle dans le foyer RSA" {
        Demandeur => ("DEM", "Demandeur"),
        Conjoint => ("CJT", "Conjoint"),
    }
);

coded_enum!(
    /// Paying body.
    OrganismePayeur, "organisme payeur" {
        Caf => ("CAF", "Caisse d'allocations familiales"),
        Msa => ("MSA", "Mutualité sociale agricole"),
    }
);

coded_enum!(
    /// État du dossier RSA (ETATDOSRSA of the CNAF flux).
    EtatDossierRsa, "état du dossier RSA" {
        EnAttente => ("0", "Nouvelle demande en attente de décision"),
        Refuse => ("1", "Droit refusé"),
        OuvertVersable => ("2", "Droit ouvert et versable"),
        OuvertSuspendu => ("3", "Droit ouvert et suspendu"),
        VersementSuspendu => ("4", "Droit ouvert, versement suspendu"),
        Clos => ("5", "Droit clos"),
        ClosAnterieur => ("6", "Droit clos sur mois antérieur"),
    }
);

/// RSA entitlement of the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Rsa {
    pub beneficiaire: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleRsa>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_entree: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisme: Option<OrganismePayeur>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numero_allocataire: Option<String>,
    /// Soumis aux droits et devoirs (TOPPERSDRODEVORSA).
    pub droits_devoirs: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etat_dossier: Option<EtatDossierRsa>,
    /// Closure of the right (CAF/MSA DTCLORSA, MOTICLORSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloture: Option<EvenementDroit>,
    /// Suspension of the right or of its payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension: Option<EvenementDroit>,
}

/// A dated change of the RSA right, with the payer's motif code as given (CAF/MSA codes,
/// e.g. MOTICLORSA "PCG").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvenementDroit {
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motif: Option<String>,
}

impl EtatDossierRsa {
    /// The right is open (payable, suspended or with a nil amount): the person is a
    /// beneficiary.
    pub fn ouvert(self) -> bool {
        matches!(self, Self::OuvertVersable | Self::OuvertSuspendu | Self::VersementSuspendu)
    }
}
