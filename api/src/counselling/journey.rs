//! A seeker's whole journey in time order: registration, qualifications, cases and sessions,
//! recognition procedures with each step, referrals, and enrolments in bridge-training measures
//! (with their exit, or the cancellation of the measure).

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::state::AppState;
use iqnet_persistence::DbConnection;
use iqnet_persistence::counselling::{
    cases, procedure_history, procedures, qualifications, referrals, seekers, sessions,
};
use iqnet_persistence::qualification::{enrolments, measures};
use iqnet_qualification::vocabulary::MeasureState;
use iqnet_shared::ids::SeekerId;
use iqnet_shared::records::PersonalData;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::visible;
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get);
}

/// One step of a seeker's journey.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JourneyEvent {
    /// The date it happened (for records: when they were made).
    pub date: NaiveDate,
    /// E.g. `qualification_recorded`, `case_opened`, `session_held`, `procedure_submitted`,
    /// `procedure_decide`, `referral_sent`, `case_closed`, `enrolment_applied`,
    /// `enrolment_completed_success`, `enrolment_dropped_out`, `enrolment_employment_recorded`,
    /// `measure_cancelled`, `employer_consultation_received`, `employer_consultation_referred`,
    /// `accelerated_procedure_started`, `accelerated_<milestone>`.
    #[schema(example = "procedure_decide")]
    pub event: String,
    /// `advice_seeker`, `foreign_qualification`, `counselling_case`, `counselling_session`,
    /// `recognition_procedure`, `referral`, `enrolment`, `employer_consultation` or
    /// `accelerated_procedure`.
    pub resource: String,
    pub resource_id: String,
    /// Further facts of the step, e.g. the decision or the outcome.
    #[schema(value_type = Object)]
    pub details: Value,
    /// When the step was recorded; orders steps of the same day.
    pub recorded_at: DateTime<Utc>,
}

/// A seeker's journey: every step in time order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Journey {
    pub seeker_id: SeekerId,
    pub events: Vec<JourneyEvent>,
}

/// Collects the steps, each with the resource it belongs to.
struct Steps(Vec<JourneyEvent>);

impl Steps {
    fn push(
        &mut self,
        (date, recorded_at): (NaiveDate, DateTime<Utc>),
        event: impl Into<String>,
        (resource, resource_id): (&str, String),
        details: Value,
    ) {
        self.0.push(JourneyEvent {
            date,
            event: event.into(),
            resource: resource.to_owned(),
            resource_id,
            details,
            recorded_at,
        });
    }

    fn in_time_order(mut self) -> Vec<JourneyEvent> {
        self.0.sort_by_key(|e| (e.date, e.recorded_at));
        self.0
    }
}

/// `(resource kind, id)` of a record.
fn of<R: PersonalData>(record: &R) -> (&'static str, String) {
    (R::RESOURCE, record.resource_id())
}

fn journey(
    conn: &mut DbConnection,
    id: SeekerId,
    at: DateTime<Utc>,
) -> ApiResult<Vec<JourneyEvent>> {
    let mut steps = Steps(Vec::new());
    let seeker = ("advice_seeker", id.to_string());
    steps.push(
        (at.date_naive(), at),
        "seeker_registered",
        seeker,
        json!({}),
    );
    for q in qualifications::of_seeker(conn, id)? {
        let when = (q.stamp.created_at.date_naive(), q.stamp.created_at);
        let details = json!({"title": q.title, "country": q.country, "regulated": q.regulated});
        let resource = ("foreign_qualification", q.id.to_string());
        steps.push(when, "qualification_recorded", resource, details);
    }
    // One query per kind of record, however many cases and procedures: no N+1.
    let sessions = sessions::of_seeker(conn, id)?;
    for case in cases::of_seeker(conn, id)? {
        let opened = (case.opened_on, case.stamp.created_at);
        steps.push(opened, "case_opened", of(&case), json!({"kind": case.kind}));
        for s in sessions.iter().filter(|s| s.case_id == case.id) {
            let details = json!({"kind": s.kind, "format": s.format, "case_id": case.id});
            let resource = ("counselling_session", s.id.to_string());
            steps.push(
                (s.held_on, s.stamp.created_at),
                "session_held",
                resource,
                details,
            );
        }
        if let Some(closed_on) = case.closed_on {
            let details = json!({"state": case.state, "outcome": case.outcome});
            let event = format!("case_{}", case.state);
            steps.push(
                (closed_on, case.stamp.updated_at),
                event,
                of(&case),
                details,
            );
        }
    }
    let mut histories = procedure_history::histories_of_seeker(conn, id)?;
    for p in procedures::of_seeker(conn, id)? {
        let facts = &p.procedure.facts;
        let details = json!({"qualification_id": p.qualification_id, "kind": facts.kind,
            "accelerated": facts.accelerated, "authority_id": p.authority_id,
            "follows_procedure_id": p.follows_procedure_id});
        let submitted = (p.procedure.submitted_on, p.stamp.created_at);
        steps.push(submitted, "procedure_submitted", of(&p), details);
        // Each decision with its own outcome: after an appeal, the first decision stays what it
        // was, it does not show the latest one.
        for step in histories.remove(&p.id).unwrap_or_default() {
            let details = match &step.decision {
                Some(decision) => json!({"decision": decision}),
                None => json!({}),
            };
            let event = format!("procedure_{}", step.action);
            steps.push((step.happened_on, step.recorded_at), event, of(&p), details);
        }
    }
    for r in referrals::of_seeker(conn, id)? {
        let details = json!({"to_organisation_id": r.to_organisation_id, "status": r.status, "reason": r.reason});
        steps.push(
            (r.sent_on, r.stamp.created_at),
            "referral_sent",
            of(&r),
            details,
        );
    }
    enrolment_steps(conn, id, &mut steps)?;
    // Area 4: employer consultations naming the seeker, accelerated procedures.
    steps
        .0
        .extend(crate::skilled_workers::journey::steps(conn, id)?);
    Ok(steps.in_time_order())
}

/// The seeker's enrolments: the application, and the exit or, while still enrolled, the
/// cancellation of the measure (how the counsellor learns of it).
fn enrolment_steps(conn: &mut DbConnection, id: SeekerId, steps: &mut Steps) -> ApiResult<()> {
    for e in enrolments::of_seeker(conn, id)? {
        let measure = measures::get(conn, e.measure_id)?;
        let details = json!({"measure_id": e.measure_id, "title": measure.facts.title,
            "state": e.state, "funding": e.funding, "referral_id": e.referral_id,
            "procedure_id": e.procedure_id});
        let applied = (e.stamp.created_at.date_naive(), e.stamp.created_at);
        steps.push(applied, "enrolment_applied", of(&e), details);
        if let Some(ended_on) = e.ended_on {
            let event = format!("enrolment_{}", e.state);
            let details = json!({"measure_id": e.measure_id, "result": e.result});
            let recorded = e.exit_recorded_at.unwrap_or(e.stamp.updated_at);
            steps.push((ended_on, recorded), event, of(&e), details);
            if let Some((employment, on)) = e.employment_after {
                let details = json!({"measure_id": e.measure_id, "employment": employment});
                let event = "enrolment_employment_recorded";
                steps.push((on, e.stamp.updated_at), event, of(&e), details);
            }
        } else if measure.state == MeasureState::Cancelled {
            let at = measure.stamp.updated_at;
            let details = json!({"measure_id": e.measure_id, "title": measure.facts.title});
            steps.push((at.date_naive(), at), "measure_cancelled", of(&e), details);
        }
    }
    Ok(())
}

/// A seeker's journey
///
/// Registration, qualifications, cases and sessions, recognition procedures with each step and
/// decision, referrals, and enrolments in measures with their exit (or the measure's
/// cancellation), in time order (steps of one day in the order they were recorded).
#[utoipa::path(
    operation_id = "getSeekerJourney",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The journey", body = Journey))
)]
#[get("/{id}/journey")]
async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let journey = state
        .write(move |conn| {
            let seeker = visible(conn, &caller, |c| seekers::get(c, *id))?;
            let events = journey(conn, seeker.id, seeker.stamp.created_at)?;
            ctx.by(&caller).record(conn, Action::Read, &seeker)?;
            Ok(Journey {
                seeker_id: seeker.id,
                events,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(journey))
}
