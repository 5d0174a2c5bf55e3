//! DUDE adapter `cd-files`: départements' files → canonical records.
//!
//! The logic is plain Rust (tested natively); `dude_adapter_sdk::composant!` exposes it
//! through the `dude:adapter@0.1.0` WIT world when built for `wasm32-wasip2`.

pub mod stock;
pub mod values;

pub use dude_adapter_sdk::modele as model;
use dude_adapter_sdk::{Adaptateur, Categorie, Description, Direction};

/// Formats this adapter reads.
pub const FORMATS: [&str; 1] = ["stock-csv"];

/// A parser for one of [`FORMATS`].
pub fn parser(format: &str, options: &[(String, String)]) -> Result<stock::StockParser, String> {
    match format {
        "stock-csv" => stock::StockParser::new(options),
        other => Err(format!("format « {other} » non pris en charge (formats : {})", FORMATS.join(", "))),
    }
}

/// The adapter, as the component exports it.
pub struct CdFiles;

impl Adaptateur for CdFiles {
    type Analyseur = stock::StockParser;

    fn description() -> Description {
        Description {
            name: "cd-files".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            formats: FORMATS.iter().map(|f| f.to_string()).collect(),
            categories: vec![
                Categorie::Identite,
                Categorie::Nir,
                Categorie::Contact,
                Categorie::Rsa,
                Categorie::Orientation,
            ],
            directions: vec![Direction::Import],
        }
    }

    fn analyseur(format: &str, options: &[(String, String)]) -> Result<Self::Analyseur, String> {
        parser(format, options)
    }
}

#[cfg(target_arch = "wasm32")]
dude_adapter_sdk::composant!(CdFiles);
