//! The API reference page (`/api`), for integrators: every operation of `/openapi.json`,
//! grouped by tag, with its parameters, body and answers — rendered by DUDE from the
//! OpenAPI document it serves (given by the API edge), with the portal's assets: no
//! third-party script or stylesheet, readable without JavaScript.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::connexion::agent_affiche;
use super::session::Visiteur;
use super::{Cadre, page};
use crate::app::AppState;

/// The OpenAPI document, as the API edge serves it.
#[derive(Clone)]
pub struct DocumentOpenApi(pub std::sync::Arc<Value>);

pub struct Parametre {
    nom: String,
    lieu: String,
    requis: bool,
    description: String,
}

pub struct Reponse {
    code: String,
    description: String,
}

pub struct Operation {
    ancre: String,
    methode: String,
    chemin: String,
    resume: String,
    description: String,
    parametres: Vec<Parametre>,
    corps: Option<String>,
    reponses: Vec<Reponse>,
}

pub struct Groupe {
    nom: String,
    operations: Vec<Operation>,
}

#[derive(Template)]
#[template(path = "portail/api.html")]
struct PageReference {
    cadre: Cadre,
    titre: String,
    version: String,
    description: String,
    groupes: Vec<Groupe>,
}

fn texte(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// The name of a schema reference (`#/components/schemas/X` → `X`).
fn schema(v: &Value) -> Option<String> {
    let c = v.get("content")?.as_object()?;
    let (type_, m) = c.iter().next()?;
    let r = m.pointer("/schema/$ref").and_then(Value::as_str).map(|r| r.rsplit('/').next().unwrap_or(r).to_string());
    Some(match r {
        Some(r) => format!("{r} ({type_})"),
        None => type_.clone(),
    })
}

/// The operations of the document, grouped by their first tag, in the document's order.
pub fn groupes(doc: &Value) -> Vec<Groupe> {
    let mut groupes: Vec<Groupe> = Vec::new();
    let Some(chemins) = doc.get("paths").and_then(Value::as_object) else {
        return groupes;
    };
    for (chemin, item) in chemins {
        for methode in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(methode) else { continue };
            let tag = op.pointer("/tags/0").map(texte).filter(|t| !t.is_empty()).unwrap_or_else(|| "Autres".into());
            let parametres = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| Parametre {
                            nom: texte(&p["name"]),
                            lieu: match p["in"].as_str() {
                                Some("path") => "chemin".into(),
                                Some("query") => "requête".into(),
                                Some("header") => "en-tête".into(),
                                Some(x) => x.into(),
                                None => String::new(),
                            },
                            requis: p["required"].as_bool().unwrap_or(false),
                            description: texte(&p["description"]),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let reponses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|rs| {
                    rs.iter()
                        .map(|(code, r)| Reponse { code: code.clone(), description: texte(&r["description"]) })
                        .collect()
                })
                .unwrap_or_default();
            let o = Operation {
                ancre: format!("{methode}-{}", chemin.replace(['/', '{', '}'], "-").trim_matches('-')),
                methode: methode.to_uppercase(),
                chemin: chemin.clone(),
                resume: texte(&op["summary"]),
                description: texte(&op["description"]),
                parametres,
                corps: op.get("requestBody").and_then(schema),
                reponses,
            };
            match groupes.iter_mut().find(|g| g.nom == tag) {
                Some(g) => g.operations.push(o),
                None => groupes.push(Groupe { nom: tag, operations: vec![o] }),
            }
        }
    }
    groupes
}

/// `/api`.
pub async fn page_reference(
    State(state): State<AppState>,
    v: Visiteur,
    Extension(doc): Extension<DocumentOpenApi>,
) -> Response {
    let agent = v.session.as_ref().and_then(|s| agent_affiche(&state, s));
    let d = &doc.0;
    page(
        StatusCode::OK,
        &PageReference {
            cadre: Cadre::new(&state, "Référence de l'API", agent),
            titre: texte(&d["info"]["title"]),
            version: texte(&d["info"]["version"]),
            description: texte(&d["info"]["description"]),
            groupes: groupes(d),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_grouped_by_tag_with_parameters_body_and_answers() {
        let doc = serde_json::json!({"paths": {
            "/a/{id}": {"get": {"tags": ["T1"], "summary": "Lire", "parameters": [{"name": "id", "in": "path", "required": true, "description": "l'id"}],
                "responses": {"200": {"description": "ok"}, "404": {"description": "inconnu"}}},
                "put": {"tags": ["T2"], "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Corps"}}}}, "responses": {}}},
            "/b": {"post": {"tags": ["T1"], "responses": {}}}
        }});
        let g = groupes(&doc);
        assert_eq!(g.iter().map(|g| g.nom.as_str()).collect::<Vec<_>>(), ["T1", "T2"]);
        assert_eq!(g[0].operations.len(), 2);
        let o = &g[0].operations[0];
        assert_eq!((o.methode.as_str(), o.chemin.as_str(), o.ancre.as_str()), ("GET", "/a/{id}", "get-a--id"));
        assert_eq!((o.parametres[0].lieu.as_str(), o.parametres[0].requis), ("chemin", true));
        assert_eq!(o.reponses.len(), 2);
        assert_eq!(g[1].operations[0].corps.as_deref(), Some("Corps (application/json)"));
    }
}
