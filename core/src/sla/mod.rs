//! Service levels (seed 002 annex 2 §2–9), the infrastructure: per-minute aggregates of
//! partner calls, the Prometheus metrics, the month's report computed from the store, its
//! HTML rendering. The rules are the model's (`dude_modele::sla`, re-exported as [`api`]
//! and [`regles`]); measurement at the HTTP edge (`api::mesure`), probes there too
//! (`api::sondes`); management and background tasks in `app::sla`.

pub use dude_modele::sla::{api, regles};

pub mod agregat;
pub mod metriques;
pub mod page;
pub mod rapport;
