//! Priority area 3: intercultural competence. Trainings are public (the calendar lists open ones
//! without a token, as JSON and as iCalendar) and managed by their providing organisation;
//! organisations register places (never overbooked), participation is counted per session and
//! evaluated anonymously (figures below 5 answers suppressed); opening processes are seen by
//! their two organisations and the coordinators of their networks. No personal data anywhere.

pub mod calendar;
pub mod evaluations;
pub mod opening_processes;
pub mod participation;
pub mod registrations;
pub mod trainings;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/trainings")
            .configure(trainings::configure)
            .configure(registrations::configure_of_training)
            .configure(participation::configure)
            .configure(evaluations::configure),
    )
    .service(scope("/registrations").configure(registrations::configure))
    .service(scope("/opening-processes").configure(opening_processes::configure));
}
