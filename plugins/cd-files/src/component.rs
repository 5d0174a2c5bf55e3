//! The WebAssembly component: `dude:adapter@0.1.0` world over the crate's logic.

use std::cell::RefCell;

use crate::model;

wit_bindgen::generate!({ world: "adapter", path: "../../wit" });

use dude::adapter::types as t;
use exports::dude::adapter::exporter::Guest as ExporterGuest;
use exports::dude::adapter::parser::{Guest as ParserGuest, GuestParser};

struct Component;

impl Guest for Component {
    fn describe() -> t::Description {
        t::Description {
            name: "cd-files".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            formats: crate::FORMATS.iter().map(|f| f.to_string()).collect(),
            categories: vec![
                t::Categorie::Identite,
                t::Categorie::Nir,
                t::Categorie::Contact,
                t::Categorie::Rsa,
                t::Categorie::Orientation,
            ],
            directions: vec![t::Direction::Import],
        }
    }
}

impl ExporterGuest for Component {
    fn export_event(_format: String, _event: t::Evenement) -> Result<Vec<u8>, String> {
        Err("cd-files n'exporte pas : direction import seulement".into())
    }
}

impl ParserGuest for Component {
    type Parser = Parser;
}

struct Parser(RefCell<crate::stock::StockParser>);

fn batch(b: model::Batch) -> t::Batch {
    t::Batch {
        personnes: b.personnes.into_iter().map(personne).collect(),
        errors: b
            .errors
            .into_iter()
            .map(|e| t::RowError { record_number: e.record_number, field: e.field, message: e.message })
            .collect(),
    }
}

fn personne(p: model::Personne) -> t::Personne {
    let i = p.identite;
    t::Personne {
        numero: p.numero,
        identite: t::Identite {
            civilite: i.civilite,
            nom: i.nom,
            nom_naissance: i.nom_naissance,
            prenom: i.prenom,
            date_naissance: i.date_naissance,
            sexe: i.sexe,
            nationalite: i.nationalite,
            nir: i.nir,
        },
        contact: p.contact.map(|c| t::Contact {
            telephone: c.telephone,
            courriel: c.courriel,
            adresse: c.adresse.map(|a| t::Adresse {
                ligne1: a.ligne1,
                ligne2: a.ligne2,
                code_postal: a.code_postal,
                commune: a.commune,
            }),
        }),
        rsa: p.rsa.map(|r| t::Rsa {
            role: r.role,
            date_entree: r.date_entree,
            organisme: r.organisme,
            numero_allocataire: r.numero_allocataire,
            droits_devoirs: r.droits_devoirs,
            etat_dossier: r.etat_dossier,
        }),
        orientation: p.orientation.map(|o| t::Orientation {
            type_parcours: o.type_parcours,
            date: o.date,
            referent_nom: o.referent_nom,
            referent_prenom: o.referent_prenom,
            structure: o.structure,
        }),
        accompagnement: None,
    }
}

impl GuestParser for Parser {
    fn new(format: String, options: Vec<(String, String)>) -> Self {
        // The WIT constructor cannot fail: an unusable format or option is reported by the
        // first push.
        match crate::parser(&format, &options) {
            Ok(p) => Parser(RefCell::new(p)),
            Err(e) => {
                dude::adapter::log::log(dude::adapter::log::Level::Warn, &e);
                Parser(RefCell::new(crate::stock::StockParser::invalide(e)))
            }
        }
    }

    fn push(&self, chunk: Vec<u8>) -> Result<t::Batch, String> {
        self.0.borrow_mut().push(&chunk).map(batch)
    }

    fn finish(&self) -> Result<t::Batch, String> {
        self.0.borrow_mut().finish().map(batch)
    }
}

export!(Component);
