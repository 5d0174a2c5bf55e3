use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "export_sortant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub convention_id: String,
    pub dossier_id: String,
    pub genre: String,
    pub adaptateur: String,
    pub format: String,
    pub cree_le: DateTimeUtc,
    /// Sealed (`crypto::blob_vault`), bound to the row id.
    pub contenu: Option<Vec<u8>>,
    pub taille: i64,
    pub sha256: Option<String>,
    pub erreur: Option<String>,
    pub recupere_le: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
