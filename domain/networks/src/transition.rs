//! The one shape of a refused transition: the action, the state it was tried from, and what
//! that state allows, so that a 409 tells the client what it can do instead.

use std::fmt::Display;

use iqnet_shared::DomainError;

/// `Ok` when `action` is among `allowed`, else an `InvalidTransition` naming them.
pub(crate) fn ensure_allowed<K: Display + PartialEq>(
    allowed: &[K],
    action: &K,
    from: &dyn Display,
) -> Result<(), DomainError> {
    if allowed.contains(action) {
        return Ok(());
    }
    Err(DomainError::InvalidTransition {
        action: action.to_string(),
        from: from.to_string(),
        allowed: allowed.iter().map(ToString::to_string).collect(),
    })
}
