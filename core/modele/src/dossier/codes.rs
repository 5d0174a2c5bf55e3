//! Coded enumerations of the dossier (the seeds' "cases à cocher").
//!
//! Every enumeration is a Rust enum carrying its wire code and its French label.
//! On the wire (JSON, CSV, database) a value is its code; an unknown code is a
//! [`UnknownCode`] error that names the enumeration and its admitted values, never the
//! value received (it may be personal data sent in the wrong field).

/// A code that is not one of an enumeration's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("valeur inconnue pour {enumeration} (valeurs admises : {allowed})")]
pub struct UnknownCode {
    pub enumeration: &'static str,
    pub allowed: String,
}

/// Common behaviour of the coded enumerations.
pub trait Coded: Sized + Copy + 'static {
    const NAME: &'static str;
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn libelle(self) -> &'static str;
    /// A value's former code, still read (stored data, partners' older clients) and
    /// never written.
    fn ancien(_code: &str) -> Option<Self> {
        None
    }
    fn from_code(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL.iter().copied().find(|v| v.code() == code).or_else(|| Self::ancien(code)).ok_or_else(|| UnknownCode {
            enumeration: Self::NAME,
            allowed: Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", "),
        })
    }
}

/// Declares a coded enumeration: `Variant => ("CODE", "Libellé")`, optionally followed by
/// `anciens { "FORMER_CODE" => Variant, … }`: former codes still read, never written.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $label:literal { $($(#[$vmeta:meta])* $variant:ident => ($code:literal, $lib:literal)),+ $(,)? }
        anciens { $($ancien:literal => $cible:ident),+ $(,)? }) => {
        $crate::dossier::codes::coded_enum!(@enum $(#[$meta])* $name, $label { $($(#[$vmeta])* $variant => ($code, $lib)),+ }
            fn ancien(code: &str) -> Option<Self> {
                match code { $($ancien => Some(Self::$cible),)+ _ => None }
            }
        );
    };
    ($(#[$meta:meta])* $name:ident, $label:literal { $($(#[$vmeta:meta])* $variant:ident => ($code:literal, $lib:literal)),+ $(,)? }) => {
        $crate::dossier::codes::coded_enum!(@enum $(#[$meta])* $name, $label { $($(#[$vmeta])* $variant => ($code, $lib)),+ });
    };
    (@enum $(#[$meta:meta])* $name:ident, $label:literal { $($(#[$vmeta:meta])* $variant:ident => ($code:literal, $lib:literal)),+ } $($extra:item)*) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::dossier::codes::Coded for $name {
            const NAME: &'static str = $label;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),+ } }
            fn libelle(self) -> &'static str { match self { $(Self::$variant => $lib),+ } }
            $($extra)*
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::dossier::codes::Coded::code(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <Self as $crate::dossier::codes::Coded>::from_code(&s).map_err(serde::de::Error::custom)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::dossier::codes::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::dossier::codes::Coded>::from_code(s)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::SchemaType::new(utoipa::openapi::schema::Type::String))
                    .enum_values(Some([$($code),+]))
                    .description(Some(concat!($label, " : ", $($code, " = ", $lib, " ; "),+)))
                    .into()
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use coded_enum;
