//! The domain's one error type: a rule was broken (with the fields that broke it) or a state
//! machine refused a transition (with the states it would have allowed).

/// One broken rule on one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON path of the offending field, e.g. `address.postcode`.
    #[schema(example = "postcode")]
    pub field: String,
    /// Stable machine-readable code, e.g. `invalid_format`, `required`, `out_of_range`.
    #[schema(example = "invalid_format")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "a German postcode has five digits")]
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{}", describe(.0))]
    Validation(Vec<FieldError>),
    #[error("cannot {action} from state `{from}`")]
    InvalidTransition {
        action: String,
        from: String,
        allowed: Vec<String>,
    },
    /// The record's current state rules the change out for a reason other than a transition
    /// (e.g. a session on a closed case). `code` is a stable kebab-case name of the conflict.
    #[error("{detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        current_state: Option<String>,
    },
}

/// One broken rule says itself (where only the text survives, e.g. a query parameter that
/// failed to parse); several are counted.
fn describe(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        _ => format!("the input breaks {} rules", errors.len()),
    }
}

impl DomainError {
    /// The same error with its field paths re-rooted under `field` (e.g. `postcode` under `address`).
    pub fn at(self, field: &str) -> DomainError {
        match self {
            DomainError::Validation(errs) => DomainError::Validation(
                errs.into_iter()
                    .map(|e| FieldError {
                        field: rooted(field, &e.field),
                        ..e
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
            current_state: None,
        }
    }

    /// `Ok` when the state `from` allows `action`, else the 409 that names what it allows, so
    /// a client can offer those instead.
    pub fn unless_allowed<A: PartialEq + std::fmt::Display>(
        action: A,
        from: impl std::fmt::Display,
        allowed: &[A],
    ) -> Result<(), Self> {
        if allowed.contains(&action) {
            return Ok(());
        }
        Err(Self::InvalidTransition {
            action: action.to_string(),
            from: from.to_string(),
            allowed: allowed.iter().map(ToString::to_string).collect(),
        })
    }

    pub fn invalid(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }
}

/// Collects field errors while an aggregate is parsed, so a client learns every broken rule at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value of a successful parse; records the error of a failed one (re-rooted at `field`).
    pub fn check<T>(&mut self, field: &str, result: Result<T, DomainError>) -> Option<T> {
        match result.map_err(|e| e.at(field)) {
            Ok(v) => Some(v),
            Err(DomainError::Validation(errs)) => {
                self.0.extend(errs);
                None
            }
            Err(other) => {
                self.0
                    .push(FieldError::new(field, "invalid", other.to_string()));
                None
            }
        }
    }

    pub fn push(
        &mut self,
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, DomainError> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(DomainError::Validation(self.0))
        }
    }
}

fn rooted(root: &str, inner: &str) -> String {
    match (root.is_empty(), inner.is_empty()) {
        (_, true) => root.to_owned(),
        (true, false) => inner.to_owned(),
        (false, false) => format!("{root}.{inner}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_collect_every_error_and_root_them_at_the_field() {
        let mut v = Violations::new();
        let ok: Option<u8> = v.check("a", Ok(1));
        assert_eq!(ok, Some(1));
        let _: Option<u8> = v.check(
            "address",
            Err(DomainError::invalid("postcode", "invalid_format", "x")),
        );
        let _: Option<u8> = v.check(
            "email",
            Err(DomainError::invalid("", "invalid_format", "y")),
        );
        let Err(DomainError::Validation(errs)) = v.finish(|| ()) else {
            panic!("expected errors")
        };
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["address.postcode", "email"]);
    }
}
