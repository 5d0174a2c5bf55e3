//! Cost of one authorization decision at the real rule count (issue 3, item 11), with the
//! plain evaluation of the same attributes in Rust as the in-run baseline.
//!
//! cargo bench -p dude-core --bench authz

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dude_core::dossier::Categorie;
use dude_core::habilitation::agent::Role;
use dude_core::habilitation::authorizer::{Authorizer, Demande, motif_refus};
use dude_core::habilitation::casbin_authorizer::{CasbinAuthorizer, attributs_valides};
use dude_core::habilitation::convention::Action;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let a = rt.block_on(CasbinAuthorizer::load(None)).unwrap();
    eprintln!("règles chargées : {}", a.regles());
    let allowed = Demande {
        role: Role::Conseiller,
        categorie: Categorie::Rsa,
        action: Action::Lire,
        attributs: attributs_valides(),
    };
    // the last rule of the table: the worst case for a linear scan
    let last = Demande {
        role: Role::Batch,
        categorie: Categorie::Orientation,
        action: Action::Lire,
        attributs: attributs_valides(),
    };
    let mut out_of_territory = allowed;
    out_of_territory.attributs.dans_territoire = 0;
    let mut g = c.benchmark_group("autorisation");
    g.bench_function("casbin autorisé (première règle)", |b| b.iter(|| a.decide(black_box(&allowed)).unwrap()));
    g.bench_function("casbin autorisé (dernière règle)", |b| b.iter(|| a.decide(black_box(&last)).unwrap()));
    g.bench_function("casbin refusé (hors territoire)", |b| {
        b.iter(|| a.decide(black_box(&out_of_territory)).unwrap())
    });
    g.bench_function("référence : attributs évalués en Rust", |b| {
        b.iter(|| motif_refus(black_box(&out_of_territory.attributs)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
