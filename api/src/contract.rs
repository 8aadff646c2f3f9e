//! The document's own part of the contract: its title, description and one tag per area. The
//! routes add their paths; `iqnet_conventions::openapi::Conventions` adds what every operation
//! shares.

use iqnet_conventions::error::Problem;
use utoipa::OpenApi;

const DESCRIPTION: &str = "\
The backend of the IQ network (Integration through Qualification): counselling on the recognition \
of foreign professional qualifications, bridge training under the Recognition Act, intercultural \
competence of labour-market actors, and regional skilled-worker networks.

Conventions: JSON with snake_case fields; ids are UUIDv7; timestamps RFC 3339 UTC. Errors are \
`application/problem+json` (RFC 9457) with a stable `type`, the `request_id` and, for validation, \
`errors[]` naming each field. Lists use cursor pagination (`limit`, `cursor`, `next_cursor`, `Link`). \
Single resources carry a strong `ETag`; `If-None-Match` gives 304, a stale `If-Match` 412. Every POST \
accepts an `Idempotency-Key`. Unknown query parameters are refused with 400.";

#[derive(OpenApi)]
#[openapi(
    info(title = "iqnet API", description = DESCRIPTION),
    tags(
        (name = "auth", description = "Tokens and machine clients"),
        (name = "network", description = "The network's structure: regional networks, organisations, sub-projects, users"),
        (name = "counselling", description = "Priority area 1: counselling on recognition, advice centres, seekers, cases, recognition procedures, referrals"),
        (name = "qualification", description = "Priority area 2: bridge-training measures (public search) and enrolments with capacity and waiting lists"),
        (name = "skilled_immigration", description = "Priority area 4: regional skilled-worker networks, their events and public calendar (JSON, iCalendar), employer consultations, accelerated skilled-worker procedures"),
        (name = "intercultural", description = "Priority area 3: intercultural trainings (public calendar as JSON and iCalendar), registrations of places, participation counts, anonymous evaluations, opening processes"),
        (name = "reference-data", description = "Countries, occupations and closed vocabularies (public, read-only)"),
        (name = "operations", description = "Health and readiness")
    ),
    components(schemas(Problem))
)]
pub struct ApiDoc;
