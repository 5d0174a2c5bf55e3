//! Service levels, the model: the APIs measured and the pure rules of service management.

pub mod api;
pub mod regles;
