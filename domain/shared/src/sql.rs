//! Storage with diesel (feature `diesel`): ids, closed vocabularies and codes are TEXT columns
//! holding their wire string, for SQLite and PostgreSQL alike. A stored string that no longer
//! parses is a deserialisation error naming the value, never a panic.
//!
//! The macros that declare these types (and `__text_sql!`, which they call) expand
//! `#[cfg(feature = "diesel")]` in the crate that calls them, so a crate declaring vocabularies
//! with `closed_enum!` needs a `diesel` feature of its own that enables this one.

/// Parses a stored string; the error names the value and the type it should have been.
#[doc(hidden)]
pub fn parse_stored<T>(name: &str, text: &str) -> diesel::deserialize::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e| format!("`{text}` is not a valid {name}: {e}").into())
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::{Integer, Nullable, Text};
    use diesel::sqlite::SqliteConnection;

    use crate::codes::{DqrLevel, Email, StateCode};
    use crate::ids::CaseId;

    fn conn() -> SqliteConnection {
        SqliteConnection::establish(":memory:").unwrap()
    }

    #[test]
    fn values_round_trip_through_text() {
        let conn = &mut conn();
        let id = CaseId::new();
        let back: CaseId = diesel::select(id.into_sql::<Text>())
            .get_result(conn)
            .unwrap();
        assert_eq!(back, id);
        let stored: String = diesel::select(id.into_sql::<Text>())
            .get_result(conn)
            .unwrap();
        assert_eq!(stored, id.to_string());
        let state: StateCode = diesel::select(StateCode::Berlin.into_sql::<Text>())
            .get_result(conn)
            .unwrap();
        assert_eq!(state, StateCode::Berlin);
        let email = Email::parse("ana@example.org").unwrap();
        let back: Option<Email> = diesel::select(Some(email.clone()).into_sql::<Nullable<Text>>())
            .get_result(conn)
            .unwrap();
        assert_eq!(back, Some(email));
        let level = DqrLevel::parse(6).unwrap();
        let back: DqrLevel = diesel::select(level.into_sql::<Integer>())
            .get_result(conn)
            .unwrap();
        assert_eq!(back, level);
    }

    #[test]
    fn a_corrupt_value_is_an_error_naming_it() {
        let conn = &mut conn();
        let err = diesel::select("DE-XX".into_sql::<Text>())
            .get_result::<StateCode>(conn)
            .unwrap_err();
        assert!(format!("{err:?}").contains("`DE-XX`"), "{err}");
        let err = diesel::select("not-a-uuid".into_sql::<Text>())
            .get_result::<CaseId>(conn)
            .unwrap_err();
        assert!(
            format!("{err:?}").contains("`not-a-uuid` is not a valid CaseId"),
            "{err}"
        );
        let err = diesel::select(9.into_sql::<Integer>())
            .get_result::<DqrLevel>(conn)
            .unwrap_err();
        assert!(format!("{err:?}").contains("`9`"), "{err}");
    }
}
