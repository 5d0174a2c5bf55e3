//! `/listes`: the monthly lists of a département (seed 003 §3), for its agents and
//! administrators: month and list chosen, the table, the CSV; each list asked is
//! journaled by the use case (the same as the API's and the command's).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::session::Connecte;
use super::{Cadre, erreur, page};
use crate::app::AppState;
use crate::app::listes::{self, Demandeur, LigneListe, ListeMensuelle};
use crate::dossier::codes::Coded;
use crate::dossier::contact::Departement;
use crate::dossier::listes::{Liste, Mois};
use crate::habilitation::agent::Role;
use crate::habilitation::perimetre::Personne;

/// The rows a page shows; the CSV holds them all.
const LIGNES_AFFICHEES: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct Demande {
    departement: Option<String>,
    mois: Option<String>,
    liste: Option<String>,
}

#[derive(Template)]
#[template(path = "portail/listes.html")]
struct PageListes {
    cadre: Cadre,
    departements: Vec<super::Choix>,
    mois: String,
    listes: Vec<super::Choix>,
    erreur: Option<String>,
    resultat: Option<ListeMensuelle>,
    lignes: Vec<LigneListe>,
    csv: String,
}

/// The départements the agent may ask for: its convention's territory (for a national
/// one, its organisation's départements, or every département of the demo lists).
fn departements(c: &Connecte) -> Vec<String> {
    match Personne::departements_du_territoire(&c.appelant) {
        Some(l) => l.iter().map(|d| d.as_str().to_string()).collect(),
        None => c.appelant.organisation.departements.iter().map(|d| d.as_str().to_string()).collect(),
    }
}

fn lire(q: &Demande) -> Result<Option<(Departement, Mois, Liste)>, String> {
    let (Some(d), Some(m), Some(l)) = (&q.departement, &q.mois, &q.liste) else {
        return Ok(None);
    };
    let d = Departement::parse(d).map_err(|_| "Champ « département » : code de département attendu.".to_string())?;
    let m = Mois::parse(m).map_err(|_| "Champ « mois » : mois attendu au format AAAA-MM.".to_string())?;
    let l = Liste::from_code(l).map_err(|_| "Champ « liste » : une des listes proposées.".to_string())?;
    Ok(Some((d, m, l)))
}

async fn calculer(
    state: &AppState,
    c: &Connecte,
    (d, m, l): &(Departement, Mois, Liste),
) -> Result<ListeMensuelle, crate::app::AppError> {
    let demandeur = match &c.admin {
        Some(a) if a.role == Role::Administrateur => Demandeur::Administrateur(a),
        _ => Demandeur::Agent(&c.appelant),
    };
    listes::liste_mensuelle(state.services(), demandeur, d, *m, *l).await
}

/// `GET /listes`: the form, and the list asked.
pub async fn page_listes(State(state): State<AppState>, c: Connecte, Query(q): Query<Demande>) -> Response {
    let demande = lire(&q);
    let mois_defaut = Mois::of(state.services().clock.today()).previous().to_string();
    let mut p = PageListes {
        cadre: Cadre::new(&state, "Listes mensuelles", Some(c.agent.clone())),
        departements: departements(&c)
            .into_iter()
            .map(|d| super::Choix {
                choisi: q.departement.as_deref() == Some(d.as_str()),
                libelle: d.clone().into(),
                code: d.into(),
            })
            .collect(),
        mois: q.mois.clone().filter(|m| Mois::parse(m).is_ok()).unwrap_or(mois_defaut),
        listes: super::choix(q.liste.as_deref().map_or(Some(Liste::Inscrits), |x| Liste::from_code(x).ok())),
        erreur: None,
        resultat: None,
        lignes: Vec::new(),
        csv: String::new(),
    };
    match demande {
        Err(e) => {
            p.erreur = Some(e);
            page(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Ok(None) => page(StatusCode::OK, &p),
        Ok(Some(x)) => match calculer(&state, &c, &x).await {
            Ok(mut l) => {
                p.csv = format!("/listes/csv?departement={}&mois={}&liste={}", x.0, x.1, x.2.code());
                p.lignes = l.lignes.drain(..l.lignes.len().min(LIGNES_AFFICHEES)).collect();
                p.resultat = Some(l);
                page(StatusCode::OK, &p)
            }
            Err(e) => erreur(&state, &c, e),
        },
    }
}

/// `GET /listes/csv`: the whole list as CSV (the same file as the API's).
pub async fn csv(State(state): State<AppState>, c: Connecte, Query(q): Query<Demande>) -> Response {
    let x = match lire(&q) {
        Ok(Some(x)) => x,
        Ok(None) | Err(_) => {
            return erreur(
                &state,
                &c,
                crate::app::AppError::invalide("liste", "Liste : département, mois et liste attendus."),
            );
        }
    };
    let l = match calculer(&state, &c, &x).await {
        Ok(l) => l,
        Err(e) => return erreur(&state, &c, e),
    };
    match listes::to_csv(&l) {
        Ok(octets) => {
            let nom = format!("attachment; filename=\"liste-{}-{}-{}.csv\"", x.0, x.1, x.2.code());
            let mut r = (StatusCode::OK, octets).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
            if let Ok(v) = HeaderValue::from_str(&nom) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => {
            tracing::error!(erreur = %e, "liste mensuelle en CSV");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
