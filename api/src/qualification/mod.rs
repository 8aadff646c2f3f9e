//! Priority area 2: bridge training. Measures are public (the search lists open ones without a
//! token) and managed by their providing organisation; enrolments hold an advice seeker's
//! personal data and follow area 1's rules: owned by the seeker's organisation, visible in its
//! scope only, every access audited.

pub mod enrolments;
pub mod measures;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/measures")
            .configure(measures::configure)
            .configure(enrolments::configure_of_measure),
    )
    .service(scope("/enrolments").configure(enrolments::configure));
}
