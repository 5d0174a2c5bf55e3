//! Repository of organisations, conventions, agents and API clients.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

use super::entity::{agent, api_client, convention, organisation};
use super::{Store, StoreError};
use dude_modele::dossier::codes::Coded;
use dude_modele::habilitation::agent::AgentHabilite;
use dude_modele::habilitation::client::ApiClient;
use dude_modele::habilitation::convention::Convention;
use dude_modele::habilitation::organisation::Organisation;
use dude_modele::habilitation::registre::Registre;

fn corrupt(what: &str, id: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt { dossier: format!("{what} {id}"), what: e.to_string() }
}

impl Store {
    /// Everything the authentication and authorization read, in one snapshot.
    pub async fn charger_registre(&self) -> Result<Registre, StoreError> {
        let db = self.connection();
        let mut organisations = Vec::new();
        for o in organisation::Entity::find().all(db).await? {
            organisations.push(Organisation {
                type_organisation: Coded::from_code(&o.type_organisation)
                    .map_err(|e| corrupt("organisation", &o.id, e))?,
                departements: serde_json::from_str(&o.departements).map_err(|e| corrupt("organisation", &o.id, e))?,
                id: o.id,
                nom: o.nom,
                parent: o.parent,
            });
        }
        let mut conventions = Vec::new();
        for c in convention::Entity::find().all(db).await? {
            conventions.push(serde_json::from_str(&c.donnees).map_err(|e| corrupt("convention", &c.id, e))?);
        }
        let mut agents = Vec::new();
        for a in agent::Entity::find().all(db).await? {
            agents.push(AgentHabilite {
                role: Coded::from_code(&a.role).map_err(|e| corrupt("agent", &a.id, e))?,
                id: a.id,
                organisation_id: a.organisation_id,
                identifiant: a.identifiant,
                nom: a.nom,
                prenom: a.prenom,
                courriel: a.courriel,
                habilitation_debut: a.habilitation_debut,
                habilitation_fin: a.habilitation_fin,
                certification: a.certification,
                revoque_le: a.revoque_le,
            });
        }
        let mut clients = Vec::new();
        for c in api_client::Entity::find().all(db).await? {
            clients.push(ApiClient {
                scopes: serde_json::from_str(&c.scopes).map_err(|e| corrupt("client", &c.client_id, e))?,
                client_id: c.client_id,
                nom: c.nom,
                secret_hash: c.secret_hash,
                organisation_id: c.organisation_id,
                convention_id: c.convention_id,
                revoque_le: c.revoque_le,
            });
        }
        Ok(Registre::new(organisations, conventions, agents, clients))
    }

    pub async fn enregistrer_organisation(&self, o: &Organisation) -> Result<(), StoreError> {
        let deps = serde_json::to_string(&o.departements).map_err(|e| corrupt("organisation", &o.id, e))?;
        organisation::Entity::insert(organisation::ActiveModel {
            id: Set(o.id.clone()),
            nom: Set(o.nom.clone()),
            type_organisation: Set(o.type_organisation.code().to_string()),
            departements: Set(deps),
            parent: Set(o.parent.clone()),
            maj_le: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(organisation::Column::Id)
                .update_columns([
                    organisation::Column::Nom,
                    organisation::Column::TypeOrganisation,
                    organisation::Column::Departements,
                    organisation::Column::Parent,
                    organisation::Column::MajLe,
                ])
                .to_owned(),
        )
        .exec_without_returning(self.connection())
        .await?;
        Ok(())
    }

    pub async fn enregistrer_convention(&self, c: &Convention) -> Result<(), StoreError> {
        let json = serde_json::to_string(c).map_err(|e| corrupt("convention", &c.id, e))?;
        convention::Entity::insert(convention::ActiveModel {
            id: Set(c.id.clone()),
            donnees: Set(json),
            maj_le: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(convention::Column::Id)
                .update_columns([convention::Column::Donnees, convention::Column::MajLe])
                .to_owned(),
        )
        .exec_without_returning(self.connection())
        .await?;
        Ok(())
    }

    pub async fn enregistrer_agent(&self, a: &AgentHabilite) -> Result<(), StoreError> {
        agent::Entity::insert(agent::ActiveModel {
            id: Set(a.id.clone()),
            organisation_id: Set(a.organisation_id.clone()),
            identifiant: Set(a.identifiant.clone()),
            nom: Set(a.nom.clone()),
            prenom: Set(a.prenom.clone()),
            courriel: Set(a.courriel.clone()),
            role: Set(a.role.code().to_string()),
            habilitation_debut: Set(a.habilitation_debut),
            habilitation_fin: Set(a.habilitation_fin),
            certification: Set(a.certification),
            revoque_le: Set(a.revoque_le),
            maj_le: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(agent::Column::Id)
                .update_columns([
                    agent::Column::OrganisationId,
                    agent::Column::Nom,
                    agent::Column::Prenom,
                    agent::Column::Courriel,
                    agent::Column::Role,
                    agent::Column::HabilitationDebut,
                    agent::Column::HabilitationFin,
                    agent::Column::Certification,
                    agent::Column::RevoqueLe,
                    agent::Column::MajLe,
                ])
                .to_owned(),
        )
        .exec_without_returning(self.connection())
        .await?;
        Ok(())
    }

    pub async fn enregistrer_client(&self, c: &ApiClient) -> Result<(), StoreError> {
        let scopes = serde_json::to_string(&c.scopes).map_err(|e| corrupt("client", &c.client_id, e))?;
        api_client::Entity::insert(api_client::ActiveModel {
            client_id: Set(c.client_id.clone()),
            nom: Set(c.nom.clone()),
            secret_hash: Set(c.secret_hash.clone()),
            organisation_id: Set(c.organisation_id.clone()),
            convention_id: Set(c.convention_id.clone()),
            scopes: Set(scopes),
            revoque_le: Set(c.revoque_le),
            maj_le: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(api_client::Column::ClientId)
                .update_columns([
                    api_client::Column::Nom,
                    api_client::Column::SecretHash,
                    api_client::Column::OrganisationId,
                    api_client::Column::ConventionId,
                    api_client::Column::Scopes,
                    api_client::Column::RevoqueLe,
                    api_client::Column::MajLe,
                ])
                .to_owned(),
        )
        .exec_without_returning(self.connection())
        .await?;
        Ok(())
    }
}

/// A set of authorization rules (casbin `policy.csv`) set through the admin API.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct ReglesDeposees {
    pub version: i64,
    pub texte: String,
    pub sha256: String,
    pub deposees_par: String,
    pub deposees_le: chrono::DateTime<Utc>,
}

impl Store {
    /// Keeps a new set of rules where every instance reads it, as the next version;
    /// returns that version. Two sets at once: one of them fails on the version's key.
    pub async fn regles_deposer(
        &self,
        texte: &str,
        sha256: &str,
        par: &str,
        le: chrono::DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        use sea_orm::{ConnectionTrait, Statement};
        let sql = "INSERT INTO regles_habilitation (version, texte, sha256, deposees_par, deposees_le) \
                   SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4 FROM regles_habilitation RETURNING version";
        let valeurs = vec![texte.into(), sha256.into(), par.into(), self.horodatage(le).valeur()];
        let ligne =
            self.connection().query_one_raw(Statement::from_sql_and_values(self.backend(), sql, valeurs)).await?;
        Ok(ligne.map(|l| l.try_get::<i64>("", "version")).transpose()?.unwrap_or_default())
    }

    /// The newest set of rules set through the admin API, if any.
    pub async fn regles_deposees(&self) -> Result<Option<ReglesDeposees>, StoreError> {
        use sea_orm::{FromQueryResult, Statement};
        let sql = "SELECT version, texte, sha256, deposees_par, deposees_le FROM regles_habilitation \
                   ORDER BY version DESC LIMIT 1";
        Ok(ReglesDeposees::find_by_statement(Statement::from_string(self.backend(), sql))
            .one(self.connection())
            .await?)
    }
}
