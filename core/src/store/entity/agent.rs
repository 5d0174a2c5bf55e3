use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: String,
    #[sea_orm(unique)]
    pub identifiant: String,
    pub nom: String,
    pub prenom: String,
    pub courriel: Option<String>,
    pub role: String,
    pub habilitation_debut: Date,
    pub habilitation_fin: Date,
    pub certification: Option<Date>,
    pub revoque_le: Option<DateTimeUtc>,
    pub maj_le: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
