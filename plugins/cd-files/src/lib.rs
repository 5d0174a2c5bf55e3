//! DUDE adapter `cd-files`: départements' files → canonical records.
//!
//! The logic is plain Rust (tested natively); `component.rs` exposes it through the
//! `dude:adapter@0.1.0` WIT world when built for `wasm32-wasip2`.

pub mod model;
pub mod stock;
pub mod values;

#[cfg(target_arch = "wasm32")]
mod component;

/// Formats this adapter reads.
pub const FORMATS: [&str; 1] = ["stock-csv"];

/// A parser for one of [`FORMATS`].
pub fn parser(format: &str, options: &[(String, String)]) -> Result<stock::StockParser, String> {
    match format {
        "stock-csv" => stock::StockParser::new(options),
        other => Err(format!("format « {other} » non pris en charge (formats : {})", FORMATS.join(", "))),
    }
}
