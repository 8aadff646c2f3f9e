//! A seeker's foreign qualifications. Recording or listing them is audited as access to the
//! seeker.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use iqnet_conventions::audit::{AccessContext, Action};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::Json;
use iqnet_conventions::http::{self, List, Reply};
use iqnet_conventions::state::AppState;
use iqnet_counselling::records::ForeignQualification;
use iqnet_counselling::seeker::NewQualification;
use iqnet_persistence::counselling::{qualifications, seekers};
use iqnet_persistence::{Page, reference};
use iqnet_shared::ids::SeekerId;
use iqnet_shared::time::now;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ensure_countries_known, visible};
use crate::permissions::COUNSELLING_STAFF;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create).service(list);
}

/// Record a foreign qualification
///
/// Records a foreign qualification of an advice seeker (the country it was gained in must be
/// known), for counselling staff who may see the seeker.
#[utoipa::path(
    operation_id = "createQualification",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    request_body = NewQualification,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = ForeignQualification,
        headers(("Location" = String, description = "URL of the seeker's qualifications"))))
)]
#[post("/{id}/qualifications")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
    body: Json<NewQualification>,
) -> ApiResult<Reply> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let parsed = body.0.parse(now())?;
    state
        .commit(&req, move |conn| {
            let seeker = visible(conn, &caller, |c| seekers::get(c, *id))?;
            ensure_countries_known(conn, &[("country", &parsed.country)])?;
            if let Some(code) = &parsed.recognised_in {
                // Only a recognition in the EU, the EEA or Switzerland counts (Directive
                // 2005/36/EC Art. 3(3)).
                let eu = reference::get_country(conn, code).is_ok_and(|c| c.eu_eea_ch);
                if !eu {
                    return Err(ApiError::invalid_field(
                        "recognised_in",
                        "not_eu_eea_ch",
                        "name the EU/EEA/CH state that recognised the qualification",
                    ));
                }
            }
            let occupation = match &parsed.reference_occupation {
                Some(code) => Some(reference::get_occupation(conn, code).map_err(|_| {
                    ApiError::invalid_field(
                        "reference_occupation",
                        "unknown_occupation",
                        "not a reference occupation",
                    )
                })?),
                None => None,
            };
            let qualification = parsed.record(&seeker, occupation, now());
            qualifications::insert(conn, &qualification)?;
            ctx.by(&caller).record(conn, Action::Update, &seeker)?;
            let location = format!("/v1/advice-seekers/{}/qualifications", seeker.id);
            Ok(http::created(
                location,
                &qualification,
                qualification.stamp.version,
            ))
        })
        .await
}

/// List a seeker's foreign qualifications
///
/// The foreign qualifications recorded for one advice seeker, for counselling staff who may see the
/// seeker.
#[utoipa::path(
    operation_id = "listQualifications",
    tag = "counselling",
    params(("id" = SeekerId, Path, description = "Advice seeker id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Every qualification of the seeker", body = List<ForeignQualification>))
)]
#[get("/{id}/qualifications")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    ctx: AccessContext,
    id: web::Path<SeekerId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(COUNSELLING_STAFF)?;
    let items = state
        .write(move |conn| {
            let seeker = visible(conn, &caller, |c| seekers::get(c, *id))?;
            ctx.by(&caller).record(conn, Action::Read, &seeker)?;
            Ok(qualifications::of_seeker(conn, seeker.id)?)
        })
        .await?;
    Ok(http::list(&req, Page::all(items)))
}
