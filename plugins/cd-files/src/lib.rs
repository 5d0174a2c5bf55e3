//! DUDE adapter `cd-files`: départements' files → canonical records.
//!
//! Formats: `stock-csv` (the stock-recovery file of seed 002 annex 1, [`stock`]) and
//! `flux-rsa-xml` (the CAF/MSA « flux bénéficiaires RSA », [`flux`]).
//!
//! The logic is plain Rust (tested natively); `dude_adapter_sdk::composant!` exposes it
//! through the `dude:adapter@0.1.0` WIT world when built for `wasm32-wasip2`.

pub mod codes;
pub mod flux;
pub mod stock;

pub use dude_adapter_sdk::modele as model;
use dude_adapter_sdk::{Adaptateur, Categorie, Description, Direction};
use model::Batch;

/// Formats this adapter reads.
pub const FORMATS: [&str; 2] = ["stock-csv", "flux-rsa-xml"];

/// A parser for one of [`FORMATS`].
pub enum Analyseur {
    Stock(Box<stock::StockParser>),
    Flux(flux::FluxParser),
}

/// A parser for `format` with its options.
pub fn parser(format: &str, options: &[(String, String)]) -> Result<Analyseur, String> {
    match format {
        "stock-csv" => stock::StockParser::new(options).map(|p| Analyseur::Stock(Box::new(p))),
        "flux-rsa-xml" => flux::FluxParser::new(options).map(Analyseur::Flux),
        _ => Err(format!("format non pris en charge (formats : {})", FORMATS.join(", "))),
    }
}

impl dude_adapter_sdk::Analyseur for Analyseur {
    fn push(&mut self, chunk: &[u8]) -> Result<Batch, String> {
        match self {
            Analyseur::Stock(p) => p.push(chunk),
            Analyseur::Flux(p) => p.push(chunk),
        }
    }

    fn finish(&mut self) -> Result<Batch, String> {
        match self {
            Analyseur::Stock(p) => p.finish(),
            Analyseur::Flux(p) => p.finish(),
        }
    }
}

/// The adapter, as the component exports it.
pub struct CdFiles;

impl Adaptateur for CdFiles {
    type Analyseur = Analyseur;

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

#[cfg(test)]
mod tests {
    use super::*;
    use dude_adapter_sdk::Analyseur as _;

    fn lire(format: &str, options: &[(String, String)], bytes: &[u8]) -> Result<Batch, String> {
        let mut p = CdFiles::analyseur(format, options)?;
        let mut b = p.push(bytes)?;
        b.extend(p.finish()?);
        Ok(b)
    }

    #[test]
    fn both_formats_through_the_adapter() {
        assert_eq!(CdFiles::description().formats, ["stock-csv", "flux-rsa-xml"]);
        let csv = std::fs::read("tests/data/stock.csv").unwrap();
        assert_eq!(lire("stock-csv", &[], &csv).unwrap().personnes.len(), 10);
        let xml = std::fs::read("tests/data/flux-rsa.xml").unwrap();
        assert_eq!(lire("flux-rsa-xml", &[], &xml).unwrap().personnes.len(), 4);
        let opt = [("encodage".to_string(), "utf-8".to_string())];
        assert!(matches!(parser("flux-rsa-xml", &opt), Ok(Analyseur::Flux(_))));
        // each format has its own options
        let sep = [("separateur".to_string(), ",".to_string())];
        assert!(matches!(parser("stock-csv", &sep), Ok(Analyseur::Stock(_))));
        assert!(parser("flux-rsa-xml", &sep).is_err());
        let Err(e) = parser("xml", &[]) else { panic!("unknown format accepted") };
        assert!(e.contains("format non pris en charge") && e.contains("flux-rsa-xml") && !e.contains("xml »"), "{e}");
        // a CSV given as the flux is refused at once
        assert!(lire("flux-rsa-xml", &[], &csv).unwrap_err().contains("pas un document XML"));
    }

    #[test]
    fn conformite_reference_both_formats() {
        let dir = "../../../shared/reference-formats/carnet-de-bord";
        if !std::path::Path::new(dir).is_dir() {
            eprintln!("fichiers de référence absents ({dir}) : couche de conformité non exécutée");
            return;
        }
        let csv = std::fs::read(format!("{dir}/import_beneficiaires.csv")).unwrap();
        assert_eq!(lire("stock-csv", &[], &csv).unwrap().personnes.len(), 4);
        let xml = std::fs::read(format!("{dir}/RSABEM.xml")).unwrap();
        assert_eq!(lire("flux-rsa-xml", &[], &xml).unwrap().personnes.len(), 3);
        assert!(lire("flux-rsa-xml", &[], &csv).unwrap_err().contains("pas un document XML"));
    }
}
