//! The scopes of France Travail's live partner API (`../shared/reference-formats/
//! france-travail-api/`): a convention grants its applications some of them; a token
//! carries those granted among the ones asked for; each live resource requires one.
//!
//! Each API scope (`api_…vN`) comes with the companion scopes France Travail's clients ask
//! for beside it (`rechercheusager`, `statutcontratusager`, `profil_accedant`…); granting
//! the API scope grants its companions. `application_<client_id>` (asked by some clients)
//! is granted to that client.

/// One API scope of the live surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeApi {
    /// France Travail's name, e.g. `api_rechercher-usagerv2`.
    pub nom: &'static str,
    /// The scopes asked beside it.
    pub compagnons: &'static [&'static str],
    pub libelle: &'static str,
}

pub const RECHERCHER_USAGER_V1: &str = "api_rechercher-usagerv1";
pub const RECHERCHER_USAGER_V2: &str = "api_rechercher-usagerv2";
pub const CONTRAT_USAGER_V2: &str = "api_contrat-usagerv2";
pub const DIAGNOSTIC_ARGUMENTE_V1: &str = "api_diagnosticargumentev1";
pub const DIAGNOSTIC_ARGUMENTE_V4: &str = "api_diagnosticargumentev4";
pub const INFORMATIONS_ADMINISTRATIVES_V1: &str = "api_informations-administrativesv1";
pub const DONNEES_RQTH_V1: &str = "api_donnees-rqthv1";
pub const ORIENTATION_USAGER_V1: &str = "api_orientationusagerv1";
pub const RENDEZ_VOUS_PARTENAIRE_V1: &str = "api_rendez-vous-partenairev1";

/// Every API scope DUDE knows, in the order of the reference.
pub const SCOPES: &[ScopeApi] = &[
    ScopeApi { nom: RECHERCHER_USAGER_V1, compagnons: &[], libelle: "Rechercher un usager (v1, identifiant)" },
    ScopeApi {
        nom: RECHERCHER_USAGER_V2,
        compagnons: &["rechercheusager", "profil_accedant"],
        libelle: "Rechercher un usager (v2, jeton usager)",
    },
    ScopeApi {
        nom: CONTRAT_USAGER_V2,
        compagnons: &["statutcontratusager", "profil_accedant"],
        libelle: "Statut de l'usager (contrat)",
    },
    ScopeApi { nom: DIAGNOSTIC_ARGUMENTE_V1, compagnons: &[], libelle: "Diagnostic argumenté (v1, par identifiant)" },
    ScopeApi {
        nom: DIAGNOSTIC_ARGUMENTE_V4,
        compagnons: &["diagnosticusageragent", "profil_accedant"],
        libelle: "Diagnostic argumenté (v4, dossier consolidé)",
    },
    ScopeApi {
        nom: INFORMATIONS_ADMINISTRATIVES_V1,
        compagnons: &["informationsadministrativesusager", "profil_accedant"],
        libelle: "Informations administratives de l'usager",
    },
    ScopeApi { nom: DONNEES_RQTH_V1, compagnons: &["h2a", "profil_accedant"], libelle: "Données RQTH" },
    ScopeApi {
        nom: ORIENTATION_USAGER_V1,
        compagnons: &["orientationusager", "profil_accedant"],
        libelle: "Orientation de l'usager (lecture et écriture)",
    },
    ScopeApi {
        nom: RENDEZ_VOUS_PARTENAIRE_V1,
        compagnons: &["gererRDV", "profil_accedant"],
        libelle: "Rendez-vous partenaire",
    },
];

/// The API scope named `nom`, if DUDE knows it.
pub fn api(nom: &str) -> Option<&'static ScopeApi> {
    SCOPES.iter().find(|s| s.nom == nom)
}

/// Why no scope can be granted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("aucun des scopes demandés n'est accordé à l'application (accordables : {accordables})")]
pub struct AucunScope {
    /// The scopes the application could be granted, space-separated.
    pub accordables: String,
}

/// What an application may be granted: its convention's API scopes and their companions,
/// its own scopes (`mfa`…), and `application_<client_id>`. In a stable order, each once.
pub fn accordables(convention: &[String], client: &[String], client_id: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut ajouter = |s: &str| {
        if !out.iter().any(|x| x == s) {
            out.push(s.to_string());
        }
    };
    for s in convention {
        ajouter(s);
        for c in api(s).map(|a| a.compagnons).unwrap_or(&[]) {
            ajouter(c);
        }
    }
    for s in client {
        ajouter(s);
    }
    ajouter(&format!("application_{client_id}"));
    out
}

/// The scopes a token carries: all those accordable when none is asked, otherwise those
/// asked that are accordable (the others are left out, RFC 6749 §3.3); none → refused.
pub fn accorder(accordables: &[String], demandes: Option<&str>) -> Result<Vec<String>, AucunScope> {
    let refus = || AucunScope { accordables: accordables.join(" ") };
    match demandes {
        None => Ok(accordables.to_vec()),
        Some(d) => {
            let mut out: Vec<String> = Vec::new();
            for s in d.split_ascii_whitespace() {
                if accordables.iter().any(|a| a == s) && !out.iter().any(|x| x == s) {
                    out.push(s.to_string());
                }
            }
            // `application_…` alone says nothing of what to do
            if out.iter().all(|s| s.starts_with("application_")) { Err(refus()) } else { Ok(out) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn companions_come_with_their_api_scope_and_a_token_carries_what_was_asked() {
        let a = accordables(&v(&[RECHERCHER_USAGER_V2]), &v(&["mfa"]), "c1");
        assert_eq!(a, v(&["api_rechercher-usagerv2", "rechercheusager", "profil_accedant", "mfa", "application_c1"]));
        // les-emplois' request: application_<id> and an unknown scope among known ones
        let t =
            accorder(&a, Some("application_c1 api_rechercher-usagerv2 rechercheusager profil_accedant h2a")).unwrap();
        assert_eq!(t, v(&["application_c1", "api_rechercher-usagerv2", "rechercheusager", "profil_accedant"]));
        assert_eq!(accorder(&a, None).unwrap(), a);
        assert!(accorder(&a, Some("api_diagnosticargumentev1")).is_err());
        assert!(accorder(&a, Some("application_c1")).is_err(), "nothing to do with it");
        assert!(accorder(&a, Some("application_c2 rechercheusager")).is_ok());
    }

    #[test]
    fn every_api_scope_is_named_as_france_travail_names_it() {
        for s in SCOPES {
            assert!(s.nom.starts_with("api_") && s.nom.chars().last().is_some_and(|c| c.is_ascii_digit()), "{}", s.nom);
        }
        assert!(api("api_contrat-usagerv2").is_some());
        assert!(api("api_inconnuv1").is_none());
    }
}
