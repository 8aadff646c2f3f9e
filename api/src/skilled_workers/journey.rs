//! Where company and worker advice meet: the employer consultations that name an advice seeker
//! and the seeker's accelerated procedures, as steps of the seeker's journey (area 1).

use iqnet_conventions::error::ApiResult;
use iqnet_persistence::DbConnection;
use iqnet_persistence::skilled_workers::{accelerated, consultations};
use iqnet_shared::ids::SeekerId;
use iqnet_shared::records::PersonalData;
use serde_json::json;

use crate::counselling::journey::JourneyEvent;

fn step<R: PersonalData>(
    record: &R,
    (date, recorded_at): (chrono::NaiveDate, chrono::DateTime<chrono::Utc>),
    event: String,
    details: serde_json::Value,
) -> JourneyEvent {
    JourneyEvent {
        date,
        event,
        resource: R::RESOURCE.to_owned(),
        resource_id: record.resource_id(),
        details,
        recorded_at,
    }
}

/// `employer_consultation_received` (with the company and what it asks) and each referral
/// (`employer_consultation_referred`); `accelerated_procedure_started` and each milestone
/// (`accelerated_<milestone>`).
pub fn steps(conn: &mut DbConnection, seeker: SeekerId) -> ApiResult<Vec<JourneyEvent>> {
    let mut steps = Vec::new();
    for c in consultations::of_seeker(conn, seeker)? {
        let Some(subject) = c.concerning() else {
            continue;
        };
        let details = json!({"network_id": c.network_id, "company_id": c.company_id,
            "topics": c.inquiry.topics, "posts": c.inquiry.posts, "state": c.state});
        let received = (c.inquiry.received_on, c.stamp.created_at);
        steps.push(step(
            &subject,
            received,
            "employer_consultation_received".into(),
            details,
        ));
        for r in &c.referrals {
            let details = json!({"to_organisation_id": r.to_organisation_id, "service": r.service,
                "answered_on": r.answered_on});
            let at = (r.sent_on, c.stamp.updated_at);
            steps.push(step(
                &subject,
                at,
                "employer_consultation_referred".into(),
                details,
            ));
        }
    }
    for p in accelerated::of_seeker(conn, seeker)? {
        let Some(subject) = p.concerning() else {
            continue;
        };
        let details = json!({"company_id": p.company_id, "target_title": p.target_title,
            "procedure_id": p.procedure_id});
        let started = (p.stamp.created_at.date_naive(), p.stamp.created_at);
        steps.push(step(
            &subject,
            started,
            "accelerated_procedure_started".into(),
            details,
        ));
        for r in &p.milestones {
            let event = format!("accelerated_{}", r.milestone);
            steps.push(step(&subject, (r.on, p.stamp.updated_at), event, json!({})));
        }
    }
    Ok(steps)
}
