//! `closed_enum!` builds the closed vocabularies of the domain: serialised snake_case, parsed from
//! the same strings (the database stores them as text), and listed in declaration order.

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

/// Declares a closed enum with its wire names. Each variant is written `Variant = "wire_name"`.
#[macro_export]
macro_rules! closed_enum {
    ($(#[doc = $doc:expr])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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
