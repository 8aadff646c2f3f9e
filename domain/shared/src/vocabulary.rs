//! `closed_enum!` builds the closed vocabularies of the domain: serialised snake_case, parsed from
//! the same strings (the database stores them as text: with the `diesel` feature of the calling
//! crate, they are TEXT columns themselves), and listed in declaration order.

use std::fmt;

/// A string that is not a member of a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariant {
    pub vocabulary: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a known {}", self.value, self.vocabulary)
    }
}

impl std::error::Error for UnknownVariant {}

/// `ToSql`/`FromSql` of a TEXT column for a type declared by one of this crate's macros.
///
/// `borrowed`: the text lives in the value (`as_str`), so it is bound as a borrowed `str` on any
/// backend. `from_text`: only the reading side, for types that write themselves per backend.
#[doc(hidden)]
#[macro_export]
macro_rules! __text_sql {
    (borrowed $name:ident) => {
        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        $crate::__text_sql!(from_text $name);
    };
    (from_text $name:ident) => {
        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(
                bytes: <DB as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let text =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(
                        bytes,
                    )?;
                $crate::sql::parse_stored(stringify!($name), &text)
            }
        }
    };
}

/// Declares a closed enum with its wire names. Each variant is written `Variant = "wire_name"`.
#[macro_export]
macro_rules! closed_enum {
    ($(#[doc = $doc:expr])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every member, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire (and storage) name.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }
        }

        // Written out rather than derived: the derive would document the Rust variant names,
        // not the wire names, when the names come from this macro.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let description: &str = concat!($($doc, "\n",)* "");
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($wire),+]))
                    .description(Some(description.trim()).filter(|d| !d.is_empty()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err($crate::UnknownVariant { vocabulary: stringify!($name), value: s.to_owned() }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::__text_sql!(borrowed $name);
    };
}

#[cfg(test)]
mod tests {
    closed_enum! {
        enum Colour { Red = "red", DarkBlue = "dark_blue" }
    }

    #[test]
    fn wire_names_round_trip_through_from_str() {
        assert_eq!(Colour::ALL, &[Colour::Red, Colour::DarkBlue]);
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>(), Ok(*c));
        }
        assert_eq!(Colour::DarkBlue.to_string(), "dark_blue");
        let err = "blue".parse::<Colour>().unwrap_err();
        assert_eq!(err.to_string(), "`blue` is not a known Colour");
    }

    #[test]
    fn the_schema_lists_the_wire_names() {
        let schema = serde_json::to_value(<Colour as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema["enum"], serde_json::json!(["red", "dark_blue"]));
        assert_eq!(schema["type"], "string");
    }
}
