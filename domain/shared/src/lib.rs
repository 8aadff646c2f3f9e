//! Value types shared by every priority area: typed ids, codes (country, state, CEFR, KldB, DQR),
//! the closed vocabularies of the network's structure and reference data, the domain error, and the
//! public holidays per state with the § 193 BGB / § 31(3) VwVfG end of a period.
//!
//! Everything here is plain data with constructors that refuse invalid values, so the rest of the
//! system can hold a `KldbCode` or a `StateCode` and know it is valid.

#[macro_use]
mod vocabulary;
pub mod authority;
pub mod codes;
pub mod error;
pub mod holidays;
pub mod ids;
pub mod records;
pub mod reference;
#[cfg(feature = "diesel")]
pub mod sql;
pub mod structure;
pub mod time;

pub use error::{DomainError, FieldError};
pub use vocabulary::UnknownVariant;
