//! Measurement of every partner call (seed 002 annex 2 §3): API and resource, convention
//! and client, status class, latency — into the per-minute aggregates of
//! [`crate::sla::agregat`], held in memory and written by a background task once each minute
//! is over. The request path only takes a lock and updates a map: no database write per
//! request.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::sla::agregat::Mesureur;
use crate::sla::api::Api;

/// Who called: filled by the partner authentication (`api::authenticated`) in a slot the
/// layer put in the request, read by the layer once the response is ready.
#[derive(Clone, Default)]
pub struct Attribution(pub Arc<OnceLock<(String, String)>>);

impl Attribution {
    pub fn renseigner(&self, convention: &str, client: &str) {
        let _ = self.0.set((convention.to_string(), client.to_string()));
    }
}

/// The measuring layer (`axum::middleware::from_fn_with_state`) over the partner routes.
pub async fn mesurer(State(m): State<Mesureur>, mut req: Request, next: Next) -> Response {
    let classe = req.extensions().get::<MatchedPath>().and_then(|p| classer(req.method(), p.as_str()));
    let attribution = Attribution::default();
    req.extensions_mut().insert(attribution.clone());
    let debut = Instant::now();
    let reponse = next.run(req).await;
    let latence = debut.elapsed();
    // the probes' own calls are not partners' calls
    let sonde = attribution.0.get().is_some_and(|(c, _)| c == crate::app::sla::sonde::CONVENTION);
    if let Some((api, ressource)) = classe
        && !sonde
    {
        let statut = reponse.status().as_u16();
        m.enregistrer(api, ressource, attribution.0.get(), statut, latence);
        crate::sla::metriques::appel(api, ressource, statut, latence);
    }
    reponse
}

/// The API and resource of a partner route (its pattern as axum matched it), or `None`
/// for routes that are not measured.
pub fn classer(methode: &Method, motif: &str) -> Option<(Api, &'static str)> {
    let Some(reste) = motif.strip_prefix("/partenaire/v1/") else {
        return classer_live(methode, motif.strip_prefix("/partenaire/")?);
    };
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

/// France Travail's live routes, under the API of their seed-named twin.
fn classer_live(methode: &Method, reste: &str) -> Option<(Api, &'static str)> {
    let ecrit = *methode == Method::PUT || *methode == Method::POST || *methode == Method::DELETE;
    Some(match reste {
        "rechercher-usager/v1/usagers/recherche" => (Api::RechercheUsager, "rechercher-usager/v1"),
        "rechercher-usager/v2/usagers/par-datenaissance-et-nir" => (Api::RechercheUsager, "rechercher-usager/v2/nir"),
        "rechercher-usager/v2/usagers/par-numero-francetravail" => {
            (Api::RechercheUsager, "rechercher-usager/v2/numero")
        }
        "contrat-usager/v2/contrat" => (Api::StatutUsager, "contrat-usager/v2"),
        "diagnosticargumente/v1/individus/{identifiant}" => (Api::DiagnosticIndividu, "diagnosticargumente/v1"),
        "diagnosticargumente/v1/individus/{identifiant}/contraintes" => {
            (Api::DiagnosticIndividu, "diagnosticargumente/v1/contraintes")
        }
        "diagnosticargumente/v4/dossiers" => (Api::DiagnosticIndividu, "diagnosticargumente/v4"),
        "informations-administratives/v1/usager" => {
            (Api::InformationsAdministratives, "informations-administratives/v1")
        }
        "donnees-rqth/v1/rqth" => (Api::DonneesRqth, "donnees-rqth/v1"),
        "orientationusager/v1/lectureOrientation" => (Api::OrientationUsager, "orientationusager/v1"),
        "orientationusager/v1/orientation" => (Api::OrientationUsager, "orientationusager/v1:ecriture"),
        "rendez-vous-partenaire/v1/rendez-vous" | "rendez-vous-partenaire/v1/rendez-vous/{id}" if ecrit => {
            (Api::RendezVousPartenaire, "rendez-vous-partenaire/v1:ecriture")
        }
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
        assert_eq!(
            classer(&Method::POST, "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail"),
            Some((Api::RechercheUsager, "rechercher-usager/v2/numero"))
        );
        assert_eq!(
            classer(&Method::GET, "/partenaire/contrat-usager/v2/contrat"),
            Some((Api::StatutUsager, "contrat-usager/v2"))
        );
        assert_eq!(classer(&Method::GET, "/partenaire/inconnu/v1/x"), None);
    }
}
