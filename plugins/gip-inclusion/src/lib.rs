//! DUDE adapter `gip-inclusion`: the "Parcours insertion emploi" export of the GIP
//! Plateforme de l'inclusion (seed 002 annex 4 option 2), as JSON lines → canonical records.
//!
//! The logic is plain Rust (tested natively); `dude_adapter_sdk::composant!` exposes it
//! through the `dude:adapter@0.1.0` WIT world when built for `wasm32-wasip2`. The format is
//! described in FORMAT.md.

pub mod codes;
pub mod lignes;
pub mod objet;
pub mod parcours;

pub use dude_adapter_sdk::modele as model;
use dude_adapter_sdk::{Adaptateur, Categorie, Description, Direction};

/// Formats this adapter reads.
pub const FORMATS: [&str; 1] = [parcours::FORMAT];

/// A parser for one of [`FORMATS`].
pub fn parser(format: &str, options: &[(String, String)]) -> Result<parcours::ParcoursParser, String> {
    match format {
        parcours::FORMAT => parcours::ParcoursParser::new(options),
        _ => Err(format!("format non pris en charge (formats : {})", FORMATS.join(", "))),
    }
}

/// The adapter, as the component exports it.
pub struct GipInclusion;

impl Adaptateur for GipInclusion {
    type Analyseur = parcours::ParcoursParser;

    fn description() -> Description {
        Description {
            name: "gip-inclusion".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            formats: FORMATS.iter().map(|f| f.to_string()).collect(),
            categories: vec![
                Categorie::Identite,
                Categorie::Nir,
                Categorie::Contact,
                Categorie::Rsa,
                Categorie::Orientation,
                Categorie::Diagnostic,
                Categorie::Accompagnement,
            ],
            directions: vec![Direction::Import],
        }
    }

    fn analyseur(format: &str, options: &[(String, String)]) -> Result<Self::Analyseur, String> {
        parser(format, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_and_formats() {
        let d = GipInclusion::description();
        assert_eq!(d.name, "gip-inclusion");
        assert_eq!(d.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(d.formats, vec!["parcours-jsonl".to_string()]);
        assert_eq!(d.directions, vec![Direction::Import]);
        assert!(d.categories.contains(&Categorie::Diagnostic) && d.categories.contains(&Categorie::Accompagnement));
        assert!(GipInclusion::analyseur("parcours-jsonl", &[]).is_ok());
        let Err(e) = GipInclusion::analyseur("stock-csv", &[]) else { panic!("refused") };
        assert!(e.contains("parcours-jsonl"), "{e}");
        let Err(e) = GipInclusion::exporter("parcours-jsonl", &Default::default()) else { panic!("import only") };
        assert!(e.contains("import"), "{e}");
    }
}

#[cfg(target_arch = "wasm32")]
dude_adapter_sdk::composant!(GipInclusion);
