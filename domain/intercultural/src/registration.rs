//! An organisation's registration for places in a training: how many places, for staff of which
//! function. No participant is named.
//!
//! Whether the places are free is not decided here: only the database can tell, inside the
//! transaction, against every other registration (several API instances register at once).

use chrono::{DateTime, Utc};
use iqnet_shared::ids::{OrganisationId, RegistrationId, TrainingId};
use iqnet_shared::records::Stamp;
use iqnet_shared::structure::parse_text;
use iqnet_shared::{DomainError, closed_enum};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::training::Training;
use crate::vocabulary::{RegistrationState, StaffFunction};

/// A registration as stored, owned by the registering organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: RegistrationId,
    pub training_id: TrainingId,
    pub organisation_id: OrganisationId,
    pub places: i32,
    /// Whom the places are for.
    pub function: StaffFunction,
    pub note: Option<String>,
    pub state: RegistrationState,
    pub stamp: Stamp,
}

closed_enum! {
    /// What can be done to a registration (`POST /v1/registrations/{id}/actions`).
    pub enum RegistrationActionKind { Cancel = "cancel" }
}

/// A change of a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[schema(example = json!({"action": "cancel"}))]
pub enum RegistrationAction {
    /// The places are given back (confirmed -> cancelled), while the training has not begun.
    Cancel,
}

impl RegistrationAction {
    pub fn kind(self) -> RegistrationActionKind {
        match self {
            RegistrationAction::Cancel => RegistrationActionKind::Cancel,
        }
    }
}

impl Registration {
    /// A request of `organisation_id` for `places` in `training`, which must be open. It is
    /// `confirmed` only once the database has granted the places.
    pub fn request(
        training: &Training,
        organisation_id: OrganisationId,
        (places, function, note): (i32, StaffFunction, Option<String>),
        now: DateTime<Utc>,
    ) -> Result<Registration, DomainError> {
        if !(1..=training.facts.capacity).contains(&places) {
            return Err(DomainError::invalid(
                "places",
                "out_of_range",
                format!("1 to the training's {} places", training.facts.capacity),
            ));
        }
        let note = note
            .as_deref()
            .map(|n| parse_text(n, 500).map_err(|e| e.at("note")))
            .transpose()?;
        training.ensure_taking_registrations()?;
        Ok(Registration {
            id: RegistrationId::new(),
            training_id: training.id,
            organisation_id,
            places,
            function,
            note,
            state: RegistrationState::Confirmed,
            stamp: Stamp::new(now),
        })
    }

    pub fn allowed_actions(&self, training: &Training) -> &'static [RegistrationActionKind] {
        let before_start = matches!(
            training.state,
            crate::vocabulary::TrainingState::Planned | crate::vocabulary::TrainingState::Open
        );
        if self.state == RegistrationState::Confirmed && before_start {
            &[RegistrationActionKind::Cancel]
        } else {
            &[]
        }
    }

    /// The registration after `action`; a cancellation frees its places (the caller gives them
    /// back in the same transaction).
    pub fn apply(
        &self,
        action: RegistrationAction,
        training: &Training,
        now: DateTime<Utc>,
    ) -> Result<Registration, DomainError> {
        DomainError::unless_allowed(action.kind(), self.state, self.allowed_actions(training))?;
        Ok(Registration {
            state: RegistrationState::Cancelled,
            stamp: self.stamp.next(now),
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::tests::training;
    use crate::vocabulary::TrainingState;

    #[test]
    fn places_must_fit_the_training() {
        let t = training(TrainingState::Open);
        let ask = |n| {
            Registration::request(
                &t,
                OrganisationId::new(),
                (n, StaffFunction::Other, None),
                Utc::now(),
            )
        };
        assert!(ask(1).is_ok());
        assert!(ask(0).is_err());
        assert!(ask(11).is_err());
    }

    #[test]
    fn a_registration_is_cancelled_only_before_the_training_starts() {
        let open = training(TrainingState::Open);
        let r = Registration::request(
            &open,
            OrganisationId::new(),
            (2, StaffFunction::Management, None),
            Utc::now(),
        )
        .unwrap();
        let cancelled = r
            .apply(RegistrationAction::Cancel, &open, Utc::now())
            .unwrap();
        assert_eq!(cancelled.state, RegistrationState::Cancelled);
        assert!(
            cancelled
                .apply(RegistrationAction::Cancel, &open, Utc::now())
                .is_err()
        );
        let running = training(TrainingState::Running);
        assert!(
            r.apply(RegistrationAction::Cancel, &running, Utc::now())
                .is_err()
        );
    }
}
