//! DUDE adapter `sigma`: the accompagnement global exchange between France Travail and the
//! Département de Seine-et-Marne (seed 004), as specified in `FORMAT.md`.
//!
//! - `sigma-csv` (import): SIGMA's messages DIAGNOSTIC, BILAN and PROLONGATION, one line
//!   each, merged into one person per NIR ([`lecture`]);
//! - `contrat-insertion` (export): a bilan recorded by France Travail, sent back to SIGMA
//!   to update the contrat d'insertion ([`export`]).
//!
//! The logic is plain Rust (tested natively); `dude_adapter_sdk::composant!` exposes it
//! through the `dude:adapter@0.1.0` WIT world when built for `wasm32-wasip2`.

pub mod codes;
pub mod export;
pub mod lecture;

use dude_adapter_sdk::{Adaptateur, Categorie, Description, Direction, Evenement};

/// The format read.
pub const FORMAT_IMPORT: &str = "sigma-csv";
/// The format written.
pub const FORMAT_EXPORT: &str = "contrat-insertion";

/// The adapter, as the component exports it.
pub struct Sigma;

impl Adaptateur for Sigma {
    type Analyseur = lecture::AnalyseurSigma;

    fn description() -> Description {
        Description {
            name: "sigma".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            formats: vec![FORMAT_IMPORT.into(), FORMAT_EXPORT.into()],
            categories: vec![Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::Accompagnement],
            directions: vec![Direction::Import, Direction::Export],
        }
    }

    fn analyseur(format: &str, options: &[(String, String)]) -> Result<Self::Analyseur, String> {
        match format {
            FORMAT_IMPORT => lecture::AnalyseurSigma::new(options),
            FORMAT_EXPORT => {
                Err(format!("le format « {FORMAT_EXPORT} » est en export seulement (import : {FORMAT_IMPORT})"))
            }
            _ => Err(format!("format non pris en charge (import : {FORMAT_IMPORT})")),
        }
    }

    fn exporter(format: &str, evenement: &Evenement) -> Result<Vec<u8>, String> {
        match format {
            FORMAT_EXPORT => export::contrat_insertion(evenement),
            FORMAT_IMPORT => {
                Err(format!("le format « {FORMAT_IMPORT} » est en import seulement (export : {FORMAT_EXPORT})"))
            }
            _ => Err(format!("format non pris en charge (export : {FORMAT_EXPORT})")),
        }
    }
}

#[cfg(target_arch = "wasm32")]
dude_adapter_sdk::composant!(Sigma);

#[cfg(test)]
mod tests {
    use super::*;
    use dude_adapter_sdk::Batch;

    #[test]
    fn description() {
        let d = Sigma::description();
        assert_eq!(d.name, "sigma");
        assert_eq!(d.version, "0.1.0");
        assert_eq!(d.formats, ["sigma-csv", "contrat-insertion"]);
        assert_eq!(d.categories, [Categorie::Identite, Categorie::Nir, Categorie::Contact, Categorie::Accompagnement]);
        assert_eq!(d.directions, [Direction::Import, Direction::Export]);
    }

    #[test]
    fn formats_by_direction() {
        let mut a = Sigma::analyseur("sigma-csv", &[("encodage".into(), "windows-1252".into())]).unwrap();
        assert_eq!(a.push(b"").unwrap(), Batch::default());
        let Err(e) = Sigma::analyseur("contrat-insertion", &[]) else { panic!("export only") };
        assert!(e.contains("export seulement"), "{e}");
        let Err(e) = Sigma::analyseur("stock-csv", &[]) else { panic!("unknown") };
        assert!(e.contains("non pris en charge") && !e.contains("stock-csv"), "{e}");
        let ev = Evenement { kind: "BILAN".into(), ..Default::default() };
        assert!(Sigma::exporter("sigma-csv", &ev).unwrap_err().contains("import seulement"));
        assert!(Sigma::exporter("json", &ev).unwrap_err().contains("non pris en charge"));
        assert!(Sigma::exporter("contrat-insertion", &ev).is_err());
    }
}
