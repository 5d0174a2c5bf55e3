//! DUDE's model: what the seeds name, and their rules. Pure: no HTTP, SQL, WebAssembly or
//! async runtime — the compiler holds it (this crate depends on none of them).
//!
//! - [`dossier`]: the canonical dossier, its coded values, the registration history and
//!   the monthly-list rules;
//! - [`habilitation`]: organisations, conventions, agents, API clients, the authenticated
//!   call and the authorization rules (attributes, reasons, perimeter);
//! - [`sla`]: the APIs of the convention and the rules of service management (business
//!   calendar, incidents, breaches, changes);
//! - [`journal`]: the access journal's entries and their chaining hash.

pub mod dossier;
pub mod habilitation;
pub mod journal;
pub mod sla;
