//! A hostile adapter for the host's tests: the format names the misbehaviour —
//! `boucle` loops forever, `memoire` allocates without end, `panique` panics,
//! `constructeur` prints a line then panics in its constructor, `bavard` writes 100 KiB
//! on its stdout and stderr at each push and behaves otherwise, `sage` behaves (one
//! record per push).

#[cfg(target_arch = "wasm32")]
mod component {
    wit_bindgen::generate!({ world: "adapter", path: "../../wit" });

    use dude::adapter::types as t;
    use exports::dude::adapter::exporter::Guest as ExporterGuest;
    use exports::dude::adapter::parser::{Guest as ParserGuest, GuestParser};

    struct Component;

    impl Guest for Component {
        fn describe() -> t::Description {
            t::Description {
                name: "hostile".into(),
                version: "0.1.0".into(),
                formats: vec![
                    "boucle".into(),
                    "memoire".into(),
                    "panique".into(),
                    "constructeur".into(),
                    "bavard".into(),
                    "sage".into(),
                ],
                categories: vec![t::Categorie::Identite],
                directions: vec![t::Direction::Import],
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

    struct P(String);

    impl GuestParser for P {
        fn new(format: String, _options: Vec<(String, String)>) -> Self {
            if format == "constructeur" {
                println!("hostile : construction de l'analyseur");
                panic!("l'adaptateur hostile panique dans son constructeur");
            }
            P(format)
        }

        fn push(&self, chunk: Vec<u8>) -> Result<t::Batch, String> {
            match self.0.as_str() {
                "boucle" => {
                    let mut x: u64 = chunk.len() as u64;
                    loop {
                        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                    }
                }
                "memoire" => {
                    let mut v: Vec<Vec<u8>> = Vec::new();
                    loop {
                        v.push(vec![1u8; 1 << 20]);
                        std::hint::black_box(&v);
                    }
                }
                "panique" => panic!("l'adaptateur hostile panique"),
                "bavard" => {
                    use std::io::Write;
                    let ligne = "hostile : une ligne de débogage de soixante-quatre octets environ…\n";
                    for _ in 0..(100 * 1024 / ligne.len()) {
                        let _ = std::io::stdout().write_all(ligne.as_bytes());
                        let _ = std::io::stderr().write_all(ligne.as_bytes());
                    }
                    Ok(t::Batch { personnes: vec![], errors: vec![] })
                }
                _ => Ok(t::Batch { personnes: vec![], errors: vec![] }),
            }
        }

        fn finish(&self) -> Result<t::Batch, String> {
            Ok(t::Batch { personnes: vec![], errors: vec![] })
        }
    }

    export!(Component);
}
