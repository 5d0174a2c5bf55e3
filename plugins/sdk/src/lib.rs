//! Write a DUDE adapter in plain Rust.
//!
//! An adapter implements [`Adaptateur`] (what it is, how to read a format, how to write an
//! event) and [`Analyseur`] (a streaming parser), over the records of [`modele`]; then
//!
//! ```ignore
//! #[cfg(target_arch = "wasm32")]
//! dude_adapter_sdk::composant!(MonAdaptateur);
//! ```
//!
//! exports them as a `dude:adapter@0.1.0` component when built with
//! `cargo build --target wasm32-wasip2 --release`. Natively (`cargo test`) the same code
//! runs without the component glue. The contract is `wit/adapter.wit`; this crate is only
//! a convenience for Rust.

pub mod allocateur;
pub mod modele;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod composant;

pub use modele::*;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics"), feature = "allocateur"))]
#[global_allocator]
static ALLOCATEUR: allocateur::Allocateur = allocateur::Allocateur::new();

/// An adapter: its description, its parsers and its exporter.
pub trait Adaptateur: 'static {
    type Analyseur: Analyseur;

    /// Name, version, formats read, categories produced, directions.
    fn description() -> Description;

    /// A parser for `format` (one of `description().formats`) with adapter-specific options.
    fn analyseur(format: &str, options: &[(String, String)]) -> Result<Self::Analyseur, String>;

    /// A dossier event → bytes in the partner's format. By default: import only.
    fn exporter(format: &str, evenement: &Evenement) -> Result<Vec<u8>, String> {
        let _ = (format, evenement);
        Err(format!("{} n'exporte pas : direction import seulement", Self::description().name))
    }
}

/// A streaming parser: chunks are pushed as they arrive; complete records come out.
/// Every problem with one record goes in `Batch.errors` and the file goes on; `Err` only
/// when nothing more can be read.
pub trait Analyseur: 'static {
    fn push(&mut self, chunk: &[u8]) -> Result<Batch, String>;
    fn finish(&mut self) -> Result<Batch, String>;
}

/// Log levels of the host's `log` import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Niveau {
    Debug,
    Info,
    Warn,
    Error,
}

/// Logs through the host (its tracing); natively, to stderr. Never log personal data.
pub fn log(niveau: Niveau, message: &str) {
    #[cfg(target_arch = "wasm32")]
    composant::log(niveau, message);
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("[{niveau:?}] {message}");
}

/// Exports an [`Adaptateur`] as the component's `describe`, `parser` and `exporter`.
/// Use once per crate, under `#[cfg(target_arch = "wasm32")]`.
#[macro_export]
macro_rules! composant {
    ($adaptateur:ty) => {
        struct __DudeComposant;

        impl $crate::composant::bindings::Guest for __DudeComposant {
            fn describe() -> $crate::composant::bindings::dude::adapter::types::Description {
                $crate::composant::description(<$adaptateur as $crate::Adaptateur>::description())
            }
        }

        impl $crate::composant::bindings::exports::dude::adapter::exporter::Guest for __DudeComposant {
            fn export_event(
                format: ::std::string::String,
                event: $crate::composant::bindings::dude::adapter::types::Evenement,
            ) -> ::core::result::Result<::std::vec::Vec<u8>, ::std::string::String> {
                <$adaptateur as $crate::Adaptateur>::exporter(&format, &$crate::composant::evenement(event))
            }
        }

        impl $crate::composant::bindings::exports::dude::adapter::parser::Guest for __DudeComposant {
            type Parser = $crate::composant::Ressource<<$adaptateur as $crate::Adaptateur>::Analyseur>;
        }

        impl $crate::composant::Fabrique for <$adaptateur as $crate::Adaptateur>::Analyseur {
            fn fabriquer(
                format: &str,
                options: &[(::std::string::String, ::std::string::String)],
            ) -> ::core::result::Result<Self, ::std::string::String> {
                <$adaptateur as $crate::Adaptateur>::analyseur(format, options)
            }
        }

        $crate::composant::bindings::export!(__DudeComposant with_types_in $crate::composant::bindings);
    };
}
