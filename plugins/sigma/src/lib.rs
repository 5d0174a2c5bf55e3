//! SIGMA adapter (to be written).
