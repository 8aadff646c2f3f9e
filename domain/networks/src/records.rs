//! The records of area 4 that can name an advice seeker of area 1. Only then do they hold
//! personal data, so only then is an access audited: `concerning()` gives the audit its subject.

use iqnet_shared::ids::{OrganisationId, SeekerId};
use iqnet_shared::records::PersonalData;

use crate::accelerated::AcceleratedProcedure;
use crate::consultation::Consultation;

/// A record of area 4 as far as it is about one seeker: what the audit log needs.
macro_rules! concerning {
    ($name:ident, $record:ty, $resource:literal) => {
        /// The seeker a record names, for the audit log.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            id: String,
            seeker: SeekerId,
            owner: OrganisationId,
        }

        impl PersonalData for $name {
            const RESOURCE: &'static str = $resource;
            fn resource_id(&self) -> String {
                self.id.clone()
            }
            fn seeker(&self) -> SeekerId {
                self.seeker
            }
            fn owner(&self) -> OrganisationId {
                self.owner
            }
        }

        impl $record {
            /// `Some` when the record names a seeker.
            pub fn concerning(&self) -> Option<$name> {
                self.seeker_id.map(|seeker| $name {
                    id: self.id.to_string(),
                    seeker,
                    owner: self.organisation_id,
                })
            }
        }
    };
}

concerning!(ConsultationOfSeeker, Consultation, "employer_consultation");
concerning!(
    AcceleratedOfSeeker,
    AcceleratedProcedure,
    "accelerated_procedure"
);
