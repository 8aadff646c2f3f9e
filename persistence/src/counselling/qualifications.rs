//! Foreign qualifications of a seeker.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use iqnet_counselling::records::ForeignQualification;
use iqnet_counselling::vocabulary::QualificationKind;
use iqnet_shared::codes::{CountryCode, DqrLevel, KldbCode};
use iqnet_shared::ids::{OrganisationId, QualificationId, SeekerId};
use iqnet_shared::reference::CompetentAuthorityKind;

use crate::StoreError;
use crate::convert::{of_seeker, stamp};
use crate::db::DbConnection;
use crate::error::stored;
use crate::schema::foreign_qualifications;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = foreign_qualifications)]
struct QualificationRow {
    id: QualificationId,
    seeker_id: SeekerId,
    organisation_id: OrganisationId,
    kind: QualificationKind,
    title: String,
    country: CountryCode,
    year_acquired: Option<i32>,
    dqr_level: Option<DqrLevel>,
    reference_occupation: Option<KldbCode>,
    regulated: bool,
    competent_authority_kind: Option<CompetentAuthorityKind>,
    training_months: Option<i32>,
    experience_months: Option<i32>,
    recognised_in: Option<CountryCode>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl From<&ForeignQualification> for QualificationRow {
    fn from(q: &ForeignQualification) -> Self {
        QualificationRow {
            id: q.id,
            seeker_id: q.seeker_id,
            organisation_id: q.organisation_id,
            kind: q.kind,
            title: q.title.clone(),
            country: q.country.clone(),
            year_acquired: q.year_acquired,
            dqr_level: q.dqr_level,
            reference_occupation: q.reference_occupation.clone(),
            regulated: q.regulated,
            competent_authority_kind: q.competent_authority_kind,
            training_months: q.training_months.map(i32::from),
            experience_months: q.experience_months.map(i32::from),
            recognised_in: q.recognised_in.clone(),
            created_at: q.stamp.created_at.naive_utc(),
            updated_at: q.stamp.updated_at.naive_utc(),
            version: q.stamp.version,
        }
    }
}

impl TryFrom<QualificationRow> for ForeignQualification {
    type Error = StoreError;
    fn try_from(r: QualificationRow) -> Result<Self, StoreError> {
        Ok(ForeignQualification {
            id: r.id,
            seeker_id: r.seeker_id,
            organisation_id: r.organisation_id,
            kind: r.kind,
            title: r.title,
            country: r.country,
            year_acquired: r.year_acquired,
            dqr_level: r.dqr_level,
            reference_occupation: r.reference_occupation,
            regulated: r.regulated,
            competent_authority_kind: r.competent_authority_kind,
            training_months: r
                .training_months
                .map(|m| stored("training_months", u16::try_from(m)))
                .transpose()?,
            experience_months: r
                .experience_months
                .map(|m| stored("experience_months", u16::try_from(m)))
                .transpose()?,
            recognised_in: r.recognised_in,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

pub fn insert(conn: &mut DbConnection, q: &ForeignQualification) -> Result<(), StoreError> {
    diesel::insert_into(foreign_qualifications::table)
        .values(QualificationRow::from(q))
        .execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConnection,
    id: QualificationId,
) -> Result<ForeignQualification, StoreError> {
    foreign_qualifications::table
        .find(id)
        .select(QualificationRow::as_select())
        .first(conn)?
        .try_into()
}

of_seeker!(
    of_seeker,
    foreign_qualifications,
    QualificationRow,
    ForeignQualification
);

crate::convert::insert_many!(
    foreign_qualifications,
    QualificationRow,
    ForeignQualification
);
