//! Foreign qualifications of a seeker.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use iqnet_shared::ids::*;

use crate::StoreError;
use crate::convert::*;
use crate::db::DbConnection;
use crate::error::stored;
use crate::schema::*;
use iqnet_counselling::records::*;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = foreign_qualifications)]
struct QualificationRow {
    id: String,
    seeker_id: String,
    organisation_id: String,
    kind: String,
    title: String,
    country: String,
    year_acquired: Option<i32>,
    dqr_level: Option<i32>,
    reference_occupation: Option<String>,
    regulated: bool,
    competent_authority_kind: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i64,
}

impl TryFrom<QualificationRow> for ForeignQualification {
    type Error = StoreError;
    fn try_from(r: QualificationRow) -> Result<Self, StoreError> {
        let dqr_level = r
            .dqr_level
            .map(|l| {
                stored(
                    "dqr_level",
                    u8::try_from(l).map_err(|e| e.to_string()).and_then(|l| {
                        iqnet_shared::codes::DqrLevel::parse(l).map_err(|e| e.to_string())
                    }),
                )
            })
            .transpose()?;
        Ok(ForeignQualification {
            id: parse("id", &r.id)?,
            seeker_id: parse("seeker_id", &r.seeker_id)?,
            organisation_id: parse("organisation_id", &r.organisation_id)?,
            kind: parse("kind", &r.kind)?,
            title: r.title,
            country: stored(
                "country",
                iqnet_shared::codes::CountryCode::parse(&r.country),
            )?,
            year_acquired: r.year_acquired,
            dqr_level,
            reference_occupation: r
                .reference_occupation
                .map(|k| {
                    stored(
                        "reference_occupation",
                        iqnet_shared::codes::KldbCode::parse(&k),
                    )
                })
                .transpose()?,
            regulated: r.regulated,
            competent_authority_kind: parse_opt(
                "competent_authority_kind",
                r.competent_authority_kind.as_deref(),
            )?,
            stamp: stamp(r.created_at, r.updated_at, r.version),
        })
    }
}

pub fn insert(conn: &mut DbConnection, q: &ForeignQualification) -> Result<(), StoreError> {
    let row = QualificationRow {
        id: q.id.to_string(),
        seeker_id: q.seeker_id.to_string(),
        organisation_id: q.organisation_id.to_string(),
        kind: q.kind.as_str().to_owned(),
        title: q.title.clone(),
        country: q.country.as_str().to_owned(),
        year_acquired: q.year_acquired,
        dqr_level: q.dqr_level.map(|l| i32::from(l.value())),
        reference_occupation: q
            .reference_occupation
            .as_ref()
            .map(|k| k.as_str().to_owned()),
        regulated: q.regulated,
        competent_authority_kind: q.competent_authority_kind.map(|k| k.as_str().to_owned()),
        created_at: q.stamp.created_at.naive_utc(),
        updated_at: q.stamp.updated_at.naive_utc(),
        version: q.stamp.version,
    };
    diesel::insert_into(foreign_qualifications::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConnection,
    id: QualificationId,
) -> Result<ForeignQualification, StoreError> {
    foreign_qualifications::table
        .find(id.to_string())
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
