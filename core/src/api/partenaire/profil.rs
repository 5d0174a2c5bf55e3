//! API Métiers recherchés et projets d'évolution, and API Création, reprise ou franchise
//! d'entreprise. Field names are those of seed 002 (lower case).

use crate::api::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::Serialize;

use super::{AvecProvenance, ProvenanceQuery, repondre};
use crate::api::AppState;
use crate::api::authenticated::Authenticated;
use crate::api::problem::{ApiError, Problem};
use crate::app::acces::Reference;
use crate::app::acces::lire_section;
use crate::dossier::Categorie;
use crate::dossier::codes::Coded;
use crate::dossier::metiers::{MetierRecherche, Mobilite, ProjetCref};
use crate::habilitation::Appelant;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AppellationDto {
    pub code: String,
    pub libelle: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContratDto {
    pub critereore: bool,
    pub priorite: u8,
    #[serde(rename = "type")]
    pub type_contrat: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DureesHebdomadairesDto {
    pub critereore: bool,
    pub tempstravail: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LieuDto {
    #[serde(rename = "type")]
    pub type_lieu: &'static str,
    pub code: String,
    pub libelle: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MobiliteDto {
    pub lieu: LieuDto,
    pub mobiliteprioritaire: bool,
    pub rayon: Option<u16>,
    pub unite: Option<&'static str>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SalaireDto {
    pub montant: u32,
    pub unite: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DureeExperienceDto {
    pub valeur: u16,
    pub unite: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MetierRechercheDto {
    pub appellation: AppellationDto,
    /// Identifiant chiffré du métier recherché ou du projet métier.
    pub identifiant: String,
    pub contrats: Vec<ContratDto>,
    pub datevalidationpasseportemploi: Option<NaiveDate>,
    pub dureeexperience: Option<DureeExperienceDto>,
    pub dureeshebdomadaires: Option<DureesHebdomadairesDto>,
    pub mobilitehabitation: Option<bool>,
    pub mobilites: Vec<MobiliteDto>,
    pub mrs: bool,
    pub passeportemploi: Option<bool>,
    pub rome: String,
    pub salaire: Option<SalaireDto>,
    pub typologieemploi: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetiersRecherchesReponse {
    pub metier_recherche: Vec<MetierRechercheDto>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProjetCrefDto {
    pub appellation: AppellationDto,
    /// Identifiant chiffré du projet CREF.
    pub identifiant: String,
    pub mobilites: Vec<MobiliteDto>,
    pub rome: String,
    pub typecrefcreation: bool,
    pub typecreffranchise: bool,
    pub typecrefreprise: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjetsCrefReponse {
    pub projet_cref: Vec<ProjetCrefDto>,
}

fn mobilite(m: &Mobilite) -> MobiliteDto {
    MobiliteDto {
        lieu: LieuDto {
            type_lieu: m.lieu.type_lieu.code(),
            code: m.lieu.code.clone(),
            libelle: m.lieu.libelle.clone(),
        },
        mobiliteprioritaire: m.mobilite_prioritaire,
        rayon: m.rayon,
        unite: m.unite.map(Coded::code),
    }
}

/// Métiers recherchés and projets d'évolution.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/metiers-recherches",
    tag = "API Métiers recherchés et projets d'évolution",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses((status = 200, body = MetiersRecherchesReponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn metiers_recherches(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<MetiersRecherchesReponse>>, ApiError> {
    let l = lire_section::<Vec<MetierRecherche>>(
        state.services(),
        &appelant,
        Reference::IdNational(&id_national),
        "metiers-recherches",
        Categorie::MetiersRecherches,
        pq.provenance,
    )
    .await?;
    let p = &appelant.partenaire();
    Ok(repondre(l, |list| {
        let list = list.unwrap_or_default();
        MetiersRecherchesReponse {
            metier_recherche: list
                .iter()
                .map(|m| MetierRechercheDto {
                    appellation: AppellationDto {
                        code: m.appellation.code.clone(),
                        libelle: m.appellation.libelle.clone(),
                    },
                    identifiant: state.ids().encode_metier(p, &m.identifiant),
                    contrats: m
                        .contrats
                        .iter()
                        .map(|c| ContratDto {
                            critereore: c.critere_ore,
                            priorite: c.priorite,
                            type_contrat: c.type_contrat.code(),
                        })
                        .collect(),
                    datevalidationpasseportemploi: m.date_validation_passeport_emploi,
                    dureeexperience: m
                        .duree_experience
                        .as_ref()
                        .map(|d| DureeExperienceDto { valeur: d.valeur, unite: d.unite.code() }),
                    dureeshebdomadaires: m.durees_hebdomadaires.as_ref().map(|d| DureesHebdomadairesDto {
                        critereore: d.critere_ore,
                        tempstravail: d.temps_travail.code(),
                    }),
                    mobilitehabitation: m.mobilite_habitation,
                    mobilites: m.mobilites.iter().map(mobilite).collect(),
                    mrs: m.mrs,
                    passeportemploi: m.passeport_emploi,
                    rome: m.rome.clone(),
                    salaire: m.salaire.as_ref().map(|s| SalaireDto { montant: s.montant, unite: s.unite.code() }),
                    typologieemploi: m.typologie_emploi.code(),
                })
                .collect(),
        }
    }))
}

/// Projets de création, reprise ou franchise d'entreprise.
#[utoipa::path(get, path = "/partenaire/v1/usagers/{id_national}/projets-creation-entreprise",
    tag = "API Création, reprise ou franchise entreprise",
    params(("id_national" = String, Path, description = "Identifiant national chiffré"), ProvenanceQuery),
    responses((status = 200, body = ProjetsCrefReponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn projets_creation(
    State(state): State<AppState>,
    Authenticated(appelant): Authenticated<Appelant>,
    Path(id_national): Path<String>,
    Query(pq): Query<ProvenanceQuery>,
) -> Result<Json<AvecProvenance<ProjetsCrefReponse>>, ApiError> {
    let l = lire_section::<Vec<ProjetCref>>(
        state.services(),
        &appelant,
        Reference::IdNational(&id_national),
        "projets-creation-entreprise",
        Categorie::ProjetsCreation,
        pq.provenance,
    )
    .await?;
    let p = &appelant.partenaire();
    Ok(repondre(l, |list| {
        let list = list.unwrap_or_default();
        ProjetsCrefReponse {
            projet_cref: list
                .iter()
                .map(|x| ProjetCrefDto {
                    appellation: AppellationDto {
                        code: x.appellation.code.clone(),
                        libelle: x.appellation.libelle.clone(),
                    },
                    identifiant: state.ids().encode_metier(p, &x.identifiant),
                    mobilites: x.mobilites.iter().map(mobilite).collect(),
                    rome: x.rome.clone(),
                    typecrefcreation: x.type_cref_creation,
                    typecreffranchise: x.type_cref_franchise,
                    typecrefreprise: x.type_cref_reprise,
                })
                .collect(),
        }
    }))
}
