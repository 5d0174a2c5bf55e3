//! An adapter of a future contract version (dude:adapter@0.2.0): the host must refuse it
//! with a clear error.

#[cfg(target_arch = "wasm32")]
mod component {
    wit_bindgen::generate!({ world: "adapter", path: "wit" });

    use dude::adapter::types as t;
    use exports::dude::adapter::exporter::Guest as ExporterGuest;
    use exports::dude::adapter::parser::{Guest as ParserGuest, GuestParser};

    struct Component;

    impl Guest for Component {
        fn describe() -> t::Description {
            t::Description {
                name: "contrat-0-2".into(),
                version: "0.1.0".into(),
                formats: vec![],
                categories: vec![],
                directions: vec![],
            }
        }
    }

    impl ExporterGuest for Component {
        fn export_event(_: String, _: t::Evenement) -> Result<Vec<u8>, String> {
            Err("non".into())
        }
    }

    impl ParserGuest for Component {
        type Parser = P;
    }

    struct P;

    impl GuestParser for P {
        fn new(_format: String, _options: Vec<(String, String)>) -> Self {
            P
        }
        fn push(&self, _chunk: Vec<u8>) -> Result<t::Batch, String> {
            Err("non".into())
        }
        fn finish(&self) -> Result<t::Batch, String> {
            Err("non".into())
        }
    }

    export!(Component);
}
