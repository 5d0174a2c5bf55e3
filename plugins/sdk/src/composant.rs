//! The component glue: WIT bindings, conversions, the parser resource. Used by
//! [`crate::composant!`]; nothing here is for adapters to call.

use std::cell::RefCell;

pub mod bindings {
    wit_bindgen::generate!({
        world: "adapter",
        path: "../../wit",
        pub_export_macro: true,
        default_bindings_module: "dude_adapter_sdk::composant::bindings",
    });
}

use crate::modele as m;
use bindings::dude::adapter::log as hlog;
use bindings::dude::adapter::types as t;
use bindings::exports::dude::adapter::parser::GuestParser;

pub fn log(niveau: crate::Niveau, message: &str) {
    let level = match niveau {
        crate::Niveau::Debug => hlog::Level::Debug,
        crate::Niveau::Info => hlog::Level::Info,
        crate::Niveau::Warn => hlog::Level::Warn,
        crate::Niveau::Error => hlog::Level::Error,
    };
    hlog::log(level, message);
}

/// How the parser resource makes its analyseur (implemented by the macro).
pub trait Fabrique: crate::Analyseur + Sized {
    fn fabriquer(format: &str, options: &[(String, String)]) -> Result<Self, String>;
}

/// The parser resource over an analyseur. The WIT constructor cannot fail: an unusable
/// format or option is reported by the first `push` or `finish`.
pub struct Ressource<A>(RefCell<Result<A, String>>);

impl<A: Fabrique> GuestParser for Ressource<A> {
    fn new(format: String, options: Vec<(String, String)>) -> Self {
        let a = A::fabriquer(&format, &options);
        if let Err(e) = &a {
            log(crate::Niveau::Warn, e);
        }
        Ressource(RefCell::new(a))
    }

    fn push(&self, chunk: Vec<u8>) -> Result<t::Batch, String> {
        match &mut *self.0.borrow_mut() {
            Ok(a) => a.push(&chunk).map(batch),
            Err(e) => Err(e.clone()),
        }
    }

    fn finish(&self) -> Result<t::Batch, String> {
        match &mut *self.0.borrow_mut() {
            Ok(a) => a.finish().map(batch),
            Err(e) => Err(e.clone()),
        }
    }
}

pub fn description(d: m::Description) -> t::Description {
    t::Description {
        name: d.name,
        version: d.version,
        formats: d.formats,
        categories: d
            .categories
            .into_iter()
            .map(|c| match c {
                m::Categorie::Identite => t::Categorie::Identite,
                m::Categorie::Nir => t::Categorie::Nir,
                m::Categorie::Contact => t::Categorie::Contact,
                m::Categorie::Inscription => t::Categorie::Inscription,
                m::Categorie::Indemnisation => t::Categorie::Indemnisation,
                m::Categorie::Rsa => t::Categorie::Rsa,
                m::Categorie::Orientation => t::Categorie::Orientation,
                m::Categorie::Diagnostic => t::Categorie::Diagnostic,
                m::Categorie::Contraintes => t::Categorie::Contraintes,
                m::Categorie::PouvoirAgir => t::Categorie::PouvoirAgir,
                m::Categorie::MetiersRecherches => t::Categorie::MetiersRecherches,
                m::Categorie::ProjetsCreation => t::Categorie::ProjetsCreation,
                m::Categorie::Accompagnement => t::Categorie::Accompagnement,
                m::Categorie::Echanges => t::Categorie::Echanges,
            })
            .collect(),
        directions: d
            .directions
            .into_iter()
            .map(|d| match d {
                m::Direction::Import => t::Direction::Import,
                m::Direction::Export => t::Direction::Export,
            })
            .collect(),
    }
}

pub fn batch(b: m::Batch) -> t::Batch {
    t::Batch {
        personnes: b.personnes.into_iter().map(personne).collect(),
        errors: b
            .errors
            .into_iter()
            .map(|e| t::RowError { record_number: e.record_number, field: e.field, message: e.message })
            .collect(),
    }
}

fn identite(i: m::Identite) -> t::Identite {
    t::Identite {
        civilite: i.civilite,
        nom: i.nom,
        nom_naissance: i.nom_naissance,
        prenom: i.prenom,
        date_naissance: i.date_naissance,
        sexe: i.sexe,
        nationalite: i.nationalite,
        nir: i.nir,
    }
}

fn identite_depuis(i: t::Identite) -> m::Identite {
    m::Identite {
        civilite: i.civilite,
        nom: i.nom,
        nom_naissance: i.nom_naissance,
        prenom: i.prenom,
        date_naissance: i.date_naissance,
        sexe: i.sexe,
        nationalite: i.nationalite,
        nir: i.nir,
    }
}

fn accompagnement(a: m::AccompagnementGlobal) -> t::AccompagnementGlobal {
    t::AccompagnementGlobal {
        date_debut: a.date_debut,
        freins: a.freins,
        motifs_non_integration: a.motifs_non_integration,
        bilans: a
            .bilans
            .into_iter()
            .map(|b| t::Bilan { date: b.date, resultat: b.resultat, decision: b.decision, sortie: b.sortie })
            .collect(),
        prolongations: a.prolongations,
    }
}

fn accompagnement_depuis(a: t::AccompagnementGlobal) -> m::AccompagnementGlobal {
    m::AccompagnementGlobal {
        date_debut: a.date_debut,
        freins: a.freins,
        motifs_non_integration: a.motifs_non_integration,
        bilans: a
            .bilans
            .into_iter()
            .map(|b| m::Bilan { date: b.date, resultat: b.resultat, decision: b.decision, sortie: b.sortie })
            .collect(),
        prolongations: a.prolongations,
    }
}

fn personne(p: m::Personne) -> t::Personne {
    t::Personne {
        numero: p.numero,
        identite: identite(p.identite),
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
            date_cloture: r.date_cloture,
            motif_cloture: r.motif_cloture,
            date_suspension: r.date_suspension,
            motif_suspension: r.motif_suspension,
        }),
        orientation: p.orientation.map(|o| t::Orientation {
            type_parcours: o.type_parcours,
            date: o.date,
            referent_nom: o.referent_nom,
            referent_prenom: o.referent_prenom,
            structure: o.structure,
        }),
        accompagnement: p.accompagnement.map(accompagnement),
        parcours: p.parcours.map(|x| t::Parcours {
            identifiant_france_travail: x.identifiant_france_travail,
            date_entree_dispositif: x.date_entree_dispositif,
            date_rendez_vous_orientation: x.date_rendez_vous_orientation,
            besoins: x.besoins.into_iter().map(|b| t::Besoin { code: b.code, valeur: b.valeur }).collect(),
            rendez_vous: x.rendez_vous,
            prestations: x
                .prestations
                .into_iter()
                .map(|p| t::Prestation {
                    libelle: p.libelle,
                    date_debut: p.date_debut,
                    duree_jours: p.duree_jours,
                    collective: p.collective,
                })
                .collect(),
        }),
    }
}

pub fn evenement(e: t::Evenement) -> m::Evenement {
    m::Evenement {
        kind: e.kind,
        date: e.date,
        identite: identite_depuis(e.identite),
        accompagnement: e.accompagnement.map(accompagnement_depuis),
    }
}
