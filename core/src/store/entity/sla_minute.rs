use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_minute")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub minute: DateTimeUtc,
    pub api: String,
    pub ressource: String,
    pub convention_id: String,
    pub client_id: String,
    pub nombre: i64,
    pub c2xx: i64,
    pub c4xx: i64,
    pub c5xx: i64,
    pub sous_1s: i64,
    /// HdrHistogram V2 serialization, microseconds.
    pub latences: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
