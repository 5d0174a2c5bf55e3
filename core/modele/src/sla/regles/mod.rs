//! Pure domain rules of the service levels (seed 002 annex 2 §2–9, seed 002 art. 4, seed 004
//! art. 7): no database, no HTTP, no clock — every function takes the instants it needs, so
//! callers inject the clock and tests run to the minute.
//!
//! - [`calendrier`]: French public holidays, business days and business hours (Europe/Paris).
//! - [`incident`]: incidents, their timeline as a state machine, deadlines and breaches.
//! - [`violation`]: the personal-data breach register, notification deadline and reminders.
//! - [`changement`]: the change calendar (notices, joint decisions) and API version lifetime
//!   (n−1 kept 6 months, `Deprecation` and `Sunset` headers).

pub mod calendrier;
pub mod changement;
pub mod incident;
pub mod violation;
