use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "journal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub horodatage: DateTimeUtc,
    pub request_id: String,
    pub agent: Option<String>,
    pub organisation: Option<String>,
    pub client: Option<String>,
    pub convention: Option<String>,
    pub dossier: Option<String>,
    pub action: String,
    pub categories: String,
    pub finalite: Option<String>,
    pub decision: String,
    pub raison: String,
    pub hash_precedent: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
