//! gip-inclusion adapter (to be written).
