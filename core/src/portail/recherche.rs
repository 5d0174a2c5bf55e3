//! `/recherche`: finding a person (seed 002 annex 3 §2, the search page). The criteria
//! travel in the body of a POST with the CSRF token, never in an address (which browsers
//! keep in their history and servers in their logs).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use super::session::{Connecte, csrf_valide};
use super::{Cadre, erreur, page};
use crate::app::AppState;
use crate::app::recherche::{self, Critere, Resultat, Trouve};
use crate::dossier::Nir;
use crate::dossier::codes::Coded;

/// What the agent typed, given back in the form (and in the pagination's forms).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Saisie {
    #[serde(default)]
    csrf: Option<String>,
    /// `nir`, `nom` or `identifiant`.
    #[serde(default)]
    critere: String,
    #[serde(default)]
    nir: String,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    prenom: String,
    #[serde(default)]
    date_naissance: String,
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    page: Option<usize>,
}

/// A row of the results table.
struct Ligne {
    reference: String,
    statut: String,
    nom: String,
    prenom: String,
    date_naissance: String,
    identifiant: String,
    commune: String,
    nir: String,
}

impl From<Trouve> for Ligne {
    fn from(t: Trouve) -> Self {
        let tiret = || "—".to_string();
        Ligne {
            reference: t.reference,
            statut: t.statut.map_or_else(tiret, |s| s.libelle().to_string()),
            nom: t.nom,
            prenom: t.prenom,
            date_naissance: t.date_naissance.format("%d/%m/%Y").to_string(),
            identifiant: t.identifiant.unwrap_or_else(tiret),
            commune: match (t.code_postal, t.ville) {
                (Some(cp), Some(v)) => format!("{cp} {v}"),
                _ => tiret(),
            },
            nir: t.nir_debut.unwrap_or_else(tiret),
        }
    }
}

#[derive(Template)]
#[template(path = "portail/recherche.html")]
struct PageRecherche {
    cadre: Cadre,
    csrf: String,
    saisie: Saisie,
    /// The field in error (`nir`, `nom`, `date_naissance`, `identifiant`; empty when none).
    erreur_champ: &'static str,
    /// Why (never the value typed).
    erreur: Option<String>,
    /// `None` before any search.
    lignes: Option<Vec<Ligne>>,
    trop: bool,
    page: usize,
    pages: usize,
    total: usize,
}

impl PageRecherche {
    fn new(c: &Connecte, state: &AppState, saisie: Saisie) -> Self {
        PageRecherche {
            cadre: Cadre::new(state, "Rechercher une personne", Some(c.agent.clone())),
            csrf: c.session.csrf.clone(),
            saisie,
            erreur_champ: "",
            erreur: None,
            lignes: None,
            trop: false,
            page: 1,
            pages: 1,
            total: 0,
        }
    }
}

/// `GET /recherche`: the form.
pub async fn formulaire(State(state): State<AppState>, c: Connecte) -> Response {
    page(StatusCode::OK, &PageRecherche::new(&c, &state, Saisie { critere: "nom".into(), ..Default::default() }))
}

fn critere(s: &Saisie) -> Result<Critere, (&'static str, String)> {
    match s.critere.as_str() {
        "nir" => Nir::parse(&s.nir).map(Critere::Nir).map_err(|e| ("nir", e.to_string())),
        "identifiant" => {
            let i = s.identifiant.trim();
            if i.is_empty() || i.len() > 11 || !i.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(("identifiant", "Identifiant : 1 à 11 lettres ou chiffres attendus".into()));
            }
            Ok(Critere::Identifiant(i.to_ascii_uppercase()))
        }
        _ => {
            let date_naissance = match s.date_naissance.trim() {
                "" => None,
                d => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    ("date_naissance", "Date de naissance : date attendue au format AAAA-MM-JJ".to_string())
                })?),
            };
            let c = Critere::Nom { nom: s.nom.clone(), prenom: s.prenom.clone(), date_naissance };
            c.valider().map_err(|e| ("nom", format!("Nom et prénom : {e}")))?;
            Ok(c)
        }
    }
}

/// `POST /recherche`: the results, a page at a time.
pub async fn rechercher(State(state): State<AppState>, c: Connecte, Form(saisie): Form<Saisie>) -> Response {
    if !csrf_valide(&c.session, saisie.csrf.as_deref()) {
        return super::connexion::formulaire_refuse(&state);
    }
    let mut p = PageRecherche::new(&c, &state, saisie.clone());
    let critere = match critere(&saisie) {
        Ok(x) => x,
        Err((champ, message)) => {
            p.erreur_champ = champ;
            p.erreur = Some(message);
            return page(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
    };
    match recherche::rechercher(state.services(), &c.appelant, &critere, saisie.page.unwrap_or(1)).await {
        Ok(Resultat::Page { personnes, page: n, pages, total }) => {
            p.lignes = Some(personnes.into_iter().map(Ligne::from).collect());
            (p.page, p.pages, p.total) = (n, pages, total);
            page(StatusCode::OK, &p)
        }
        Ok(Resultat::TropNombreux) => {
            p.trop = true;
            page(StatusCode::OK, &p)
        }
        Err(e) => erreur(&state, &c, e),
    }
}
