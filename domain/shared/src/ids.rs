//! Typed ids: a measure id can never be passed where an organisation id belongs. All are UUIDv7,
//! so they sort by creation time and serve as the stable key of keyset pagination. With the
//! `diesel` feature they are TEXT columns holding the hyphenated lower-case form.

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid, example = "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f")]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }

        // The text is not in the value: SQLite binds an owned string, PostgreSQL the bytes.
        #[cfg(feature = "diesel")]
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
            ) -> diesel::serialize::Result {
                out.set_value(self.to_string());
                Ok(diesel::serialize::IsNull::No)
            }
        }

        #[cfg(feature = "diesel")]
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                let mut buffer = uuid::Uuid::encode_buffer();
                let text = self.0.hyphenated().encode_lower(&mut buffer);
                ::std::io::Write::write_all(out, text.as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        __text_sql!(from_text $name);
    )+};
}

/// Hands every typed id, with its doc comment, to the macro `$callback`: this crate declares
/// them with it, and a crate that must implement a trait for each id (the storage's
/// multi-backend) lists them with it, so the list is written once.
#[macro_export]
macro_rules! for_each_id {
    ($callback:ident) => {
        $callback! {
            /// Id of a regional network.
            RegionalNetworkId,
            /// Id of an organisation.
            OrganisationId,
            /// Id of a sub-project.
            SubProjectId,
            /// Id of a staff user.
            UserId,
            /// Id of a machine (API) client; also its OAuth2 `client_id`.
            ApiClientId,
            /// Id of an advice centre (a fixed or mobile counselling point).
            AdviceCentreId,
            /// Id of an advice seeker.
            SeekerId,
            /// Id of a foreign qualification.
            QualificationId,
            /// Id of a counselling case.
            CaseId,
            /// Id of a counselling session.
            SessionId,
            /// Id of a recognition procedure.
            ProcedureId,
            /// Id of a referral.
            ReferralId,
            /// Id of a short contact (counted without a seeker record).
            ShortContactId,
            /// Id of a bridge-training measure.
            MeasureId,
            /// Id of an enrolment in a measure.
            EnrolmentId,
            /// Id of a regional skilled-worker network (area 4).
            SkilledWorkerNetworkId,
            /// Id of a skilled-worker network's event.
            NetworkEventId,
            /// Id of an employer consultation.
            ConsultationId,
            /// Id of a consultation's referral to a network member.
            ConsultationReferralId,
            /// Id of an accelerated skilled-worker procedure (§ 81a AufenthG).
            AcceleratedProcedureId,
            /// Id of an intercultural training (area 3).
            TrainingId,
            /// Id of an organisation's registration for places in a training.
            RegistrationId,
            /// Id of an anonymous evaluation questionnaire of a training.
            QuestionnaireId,
            /// Id of an organisation's intercultural opening process.
            OpeningProcessId,
        }
    };
}

for_each_id!(typed_id);
