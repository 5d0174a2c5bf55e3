//! The application: its state ([`Services`], shared as [`AppState`]), its assembly from the
//! settings ([`demarrage`]), its use cases (once each, for every edge) and its background
//! work. **Architecture invariant:** nothing below this module (store, journal, adapters'
//! host, imports, exports, crypto, the model) imports it, nor `api` nor `cli`; the edges
//! call its use cases, never the store around them.

pub mod acces;
pub mod accompagnement;
pub mod adaptateurs;
pub mod consultation;
pub mod demarrage;
pub mod diagnostic;
pub mod error;
pub mod grappe;
pub mod habilitations;
pub mod imports;
pub mod listes;
pub mod orientation;
pub mod portail;
pub mod rapport;
pub mod recherche;
pub mod rendez_vous;
pub mod settings;
pub mod sla;
pub mod usagers;

pub use error::AppError;

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::crypto::id_national::IdNationalCodec;
use crate::crypto::secrets::SecretHasher;
use crate::habilitation::AdminTokens;
use crate::habilitation::gardien::Gardien;
use crate::habilitation::jeton::Emetteur;
use crate::journal::Journal;
use crate::store::Store;

/// Everything the handlers share.
pub struct Services {
    pub store: Store,
    pub ids: IdNationalCodec,
    /// The jetons usager of France Travail's generation-2 API.
    pub jetons: crate::crypto::jeton_usager::JetonUsagerCodec,
    pub clock: SharedClock,
    pub gardien: Arc<Gardien>,
    pub emetteur: Emetteur,
    pub secrets: SecretHasher,
    pub journal: Journal,
    pub admins: AdminTokens,
    pub oidc: Option<crate::habilitation::oidc::Oidc>,
    /// Loaded department adapters, when a plugins directory is configured.
    pub catalogue: Option<Arc<crate::adaptateur::catalogue::Catalogue>>,
    /// Per-minute measurement of partner calls (`None`: the measuring layer is off).
    pub mesureur: Option<crate::sla::agregat::Mesureur>,
    /// API versions and their sunsets (Deprecation/Sunset headers).
    pub versions: sla::gestion::Versions,
    /// How long a client may take to send a request.
    pub delais_http: settings::DelaisHttp,
    /// This instance, in the heartbeats and the leases (`DUDE_INSTANCE`, or a new one
    /// at each start).
    pub instance: String,
    /// The portal's sessions: idle timeout and absolute lifetime.
    pub sessions: portail::Limites,
    /// The portal: its address, identity provider and look.
    pub portail: settings::Portail,
}

impl Services {
    /// Opens the services over an open store: the habilitations (with the known-answer
    /// check of the rules), the journal's writer, the API versions. No background task.
    pub async fn ouvrir(
        settings: &settings::Settings,
        store: Store,
        master: &crate::crypto::keys::MasterKey,
        clock: SharedClock,
        admins: AdminTokens,
        catalogue: Option<Arc<crate::adaptateur::catalogue::Catalogue>>,
    ) -> Result<Self, demarrage::StartError> {
        let gardien = Arc::new(Gardien::charger(&store, settings.authz_dir.clone()).await?);
        let (journal, _writer) = Journal::demarrer(store.clone());
        crate::sla::metriques::installer();
        let s = Self {
            versions: Default::default(),
            mesureur: settings.sla_mesure.then(|| crate::sla::agregat::Mesureur::new(clock.clone())),
            ids: IdNationalCodec::new(master),
            jetons: crate::crypto::jeton_usager::JetonUsagerCodec::new(
                master,
                chrono::Duration::seconds(settings.jeton_usager_s),
            ),
            emetteur: Emetteur::new(master, settings.token_ttl_s),
            secrets: SecretHasher::new(master),
            store,
            clock,
            gardien,
            journal,
            admins,
            oidc: settings.oidc.clone().map(crate::habilitation::oidc::Oidc::new),
            catalogue,
            delais_http: settings.delais_http,
            instance: settings.instance.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            portail: settings.portail.clone(),
            sessions: portail::Limites {
                inactivite: chrono::Duration::from_std(settings.session_inactivite).expect("bounded setting"),
                duree: chrono::Duration::from_std(settings.session_duree).expect("bounded setting"),
            },
        };
        if let Err(e) = s.versions.recharger(&s).await {
            tracing::error!(erreur = %e, "versions d'API illisibles");
        }
        Ok(s)
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
    pub fn store(&self) -> &Store {
        &self.0.store
    }
    pub fn ids(&self) -> &IdNationalCodec {
        &self.0.ids
    }
    pub fn clock(&self) -> &SharedClock {
        &self.0.clock
    }
    pub fn services(&self) -> &Services {
        &self.0
    }
    /// The shared services, for background tasks.
    pub fn partage(&self) -> Arc<Services> {
        self.0.clone()
    }
}
