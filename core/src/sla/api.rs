//! The APIs measured: the five of seed 002 annex 2 §1 (and DUDE's accompagnement global),
//! and which route belongs to which, by the route's pattern (never the concrete path,
//! which holds encrypted ids).

use axum::http::Method;

use crate::dossier::codes::coded_enum;

coded_enum!(
    /// An API of the partner interface.
    Api, "API" {
        RechercheUsager => ("recherche-usager", "API Recherche usager"),
        StatutUsager => ("statut-usager", "API Statut usager"),
        DiagnosticIndividu => ("diagnostic-individu", "API Diagnostic individu"),
        MetiersProjets => ("metiers-projets", "API Métiers recherchés et projets d'évolution"),
        CreationEntreprise => ("creation-entreprise", "API Création, reprise ou franchise entreprise"),
        AccompagnementGlobal => ("accompagnement-global", "API Accompagnement global"),
    }
);

/// The API and resource of a partner route (its pattern as axum matched it), or `None`
/// for routes that are not measured.
pub fn classer(methode: &Method, motif: &str) -> Option<(Api, &'static str)> {
    let reste = motif.strip_prefix("/partenaire/v1/")?;
    let ecrit = *methode == Method::PUT || *methode == Method::POST;
    Some(match reste {
        "rechercher-usager" => (Api::RechercheUsager, "rechercher-usager"),
        "usagers/{id_national}/statut" => (Api::StatutUsager, "statut"),
        "usagers/{id_national}/diagnostic/besoins" => (Api::DiagnosticIndividu, "besoins"),
        "usagers/{id_national}/diagnostic/diagnostics" if ecrit => (Api::DiagnosticIndividu, "diagnostics:ecriture"),
        "usagers/{id_national}/diagnostic/diagnostics" => (Api::DiagnosticIndividu, "diagnostics"),
        "usagers/{id_national}/diagnostic/contraintes" if ecrit => (Api::DiagnosticIndividu, "contraintes:ecriture"),
        "usagers/{id_national}/diagnostic/contraintes" => (Api::DiagnosticIndividu, "contraintes"),
        "usagers/{id_national}/diagnostic/dossier" => (Api::DiagnosticIndividu, "dossier"),
        "usagers/{id_national}/diagnostic/pouvoir-agir" => (Api::DiagnosticIndividu, "pouvoir-agir"),
        "usagers/{id_national}/metiers-recherches" => (Api::MetiersProjets, "metiers-recherches"),
        "usagers/{id_national}/projets-creation-entreprise" => (Api::CreationEntreprise, "projets-creation-entreprise"),
        "usagers/{id_national}/accompagnement-global/bilans" => (Api::AccompagnementGlobal, "bilans:ecriture"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partner_route_is_classified() {
        assert_eq!(
            classer(&Method::POST, "/partenaire/v1/rechercher-usager"),
            Some((Api::RechercheUsager, "rechercher-usager"))
        );
        assert_eq!(
            classer(&Method::PUT, "/partenaire/v1/usagers/{id_national}/diagnostic/contraintes"),
            Some((Api::DiagnosticIndividu, "contraintes:ecriture"))
        );
        assert_eq!(classer(&Method::GET, "/admin/v1/plugins"), None);
        assert_eq!(classer(&Method::GET, "/partenaire/v1/inconnu"), None);
    }
}
