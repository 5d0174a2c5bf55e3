//! Service levels, the model: the APIs measured, the per-minute aggregates of their calls
//! and the pure rules of service management.

pub mod agregat;
pub mod api;
pub mod regles;
