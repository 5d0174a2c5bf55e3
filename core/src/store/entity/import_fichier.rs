use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_fichier")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub convention_id: String,
    pub sha256: String,
    pub nom_fichier: String,
    pub adaptateur: String,
    pub importe_le: DateTimeUtc,
    pub crees: i64,
    pub modifies: i64,
    pub inchanges: i64,
    pub refuses: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
