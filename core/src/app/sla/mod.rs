//! Service management, the use cases: what administrators do and may do
//! ([`administration`]: report, windows, incidents, breaches, changes, versions, the page);
//! the registers and their notices ([`gestion`]); the background work that writes the minutes over, detects error spikes,
//! beats per minute and watches deadlines ([`collecte`]); the probes' identity
//! ([`sonde`]).

pub mod administration;
pub mod collecte;
pub mod gestion;
pub mod partenaires;
pub mod sonde;
