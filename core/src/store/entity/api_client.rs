use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_client")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_id: String,
    pub nom: String,
    pub secret_hash: String,
    pub organisation_id: String,
    pub convention_id: String,
    #[sea_orm(column_type = "Text")]
    pub scopes: String,
    pub revoque_le: Option<DateTimeUtc>,
    pub maj_le: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
