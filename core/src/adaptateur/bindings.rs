//! Host bindings generated from `wit/adapter.wit`.

wasmtime::component::bindgen!({
    world: "adapter",
    path: "../wit",
});
