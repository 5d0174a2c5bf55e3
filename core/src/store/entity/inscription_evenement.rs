use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inscription_evenement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: String,
    pub seq: i32,
    pub date: Date,
    pub evenement: String,
    pub categorie: Option<String>,
    pub motif_inscription: Option<String>,
    pub situation: Option<String>,
    pub motif_cloture: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
