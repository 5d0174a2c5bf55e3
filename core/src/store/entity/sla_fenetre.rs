use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sla_fenetre")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `maintenance` (announced) or `partenaire` (partner-side unavailability).
    pub nature: String,
    pub debut: DateTimeUtc,
    pub fin: DateTimeUtc,
    pub api: Option<String>,
    pub convention_id: Option<String>,
    pub motif: String,
    pub annonce_le: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
