//! Service management, the use cases: incidents, data breaches, changes, API versions
//! ([`gestion`]); the background work that writes the minutes over, detects error spikes,
//! beats per minute and watches deadlines ([`collecte`]); the probes' identity
//! ([`sonde`]).

pub mod collecte;
pub mod gestion;
pub mod partenaires;
pub mod sonde;
