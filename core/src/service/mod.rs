//! Application services: the use cases shared by the HTTP API and the CLI. They combine
//! the store with the domain rules; they know nothing of HTTP.

pub mod listes;
pub mod usagers;
