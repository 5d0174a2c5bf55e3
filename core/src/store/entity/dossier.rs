use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub nir_index: String,
    pub nir_chiffre: String,
    pub date_naissance: Date,
    pub departement: Option<String>,
    pub rsa_beneficiaire: bool,
    pub numero_ft_index: Option<String>,
    pub nom_index: Option<String>,
    pub prenom_index: Option<String>,
    pub cree_le: DateTimeUtc,
    pub maj_le: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
