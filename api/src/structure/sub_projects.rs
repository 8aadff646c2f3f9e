//! Sub-projects: what an organisation runs inside a regional network for one priority area.
//! Readable by any signed-in caller; national admins manage all, coordinators their network's.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use iqnet_persistence::structure::{self, sub_projects::SubProjectFilter};
use iqnet_shared::codes::StateCode;
use iqnet_shared::error::Violations;
use iqnet_shared::ids::{OrganisationId, SubProjectId};
use iqnet_shared::records::{Stamp, SubProject};
use iqnet_shared::structure::{Period, PriorityArea, Role, parse_text};
use iqnet_shared::time::now;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use iqnet_conventions::auth::{Caller, Principal};
use iqnet_conventions::error::{ApiError, ApiResult};
use iqnet_conventions::extract::{Json, Query};
use iqnet_conventions::http::{self, IfMatch, List, Patch, Reply};
use iqnet_conventions::list_query;
use iqnet_conventions::state::AppState;

use crate::permissions::STRUCTURE_MANAGERS as MANAGERS;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/sub-projects")
            .service(list)
            .service(create)
            .service(get)
            .service(update),
    );
}

list_query! {
    pub struct SubProjectQuery => SubProjectFilter {
        /// Only sub-projects of this organisation.
        pub organisation_id: Option<OrganisationId>,
        /// Only sub-projects in this regional network.
        pub regional_network: Option<StateCode>,
        /// Only sub-projects of this priority area.
        pub priority_area: Option<PriorityArea>,
        /// Only sub-projects changed at or after this instant (RFC 3339).
        pub updated_since: Option<DateTime<Utc>>,
    }
}

/// List sub-projects
///
/// The network's sub-projects, filtered by the query parameters. Any signed-in caller may read
/// them.
#[utoipa::path(
    operation_id = "listSubProjects",
    tag = "network",
    params(SubProjectQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "One page of sub-projects, oldest first", body = List<SubProject>))
)]
#[get("")]
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<SubProjectQuery>,
) -> ApiResult<HttpResponse> {
    principal.authenticated()?;
    let (filter, page) = query.0.into_parts()?;
    let found = state
        .read(move |conn| Ok(structure::sub_projects::list(conn, &filter, &page)?))
        .await?;
    Ok(http::list(&req, found))
}

/// Get a sub-project
///
/// One sub-project by id; any signed-in caller may read it. Send its `ETag` as `If-None-Match` to
/// get a 304 while it is unchanged.
#[utoipa::path(
    operation_id = "getSubProject",
    tag = "network",
    params(("id" = SubProjectId, Path, description = "Sub-project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The sub-project", body = SubProject, headers(("ETag" = String, description = "Strong ETag: the version"))),
        (status = 304, description = "`If-None-Match` names the current version")
    )
)]
#[get("/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<SubProjectId>,
) -> ApiResult<HttpResponse> {
    principal.authenticated()?;
    let id = id.into_inner();
    let found = state
        .read(move |conn| Ok(structure::sub_projects::get(conn, id)?))
        .await?;
    Ok(http::single(&req, &found, found.stamp.version))
}

/// A new sub-project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubProject {
    pub organisation_id: OrganisationId,
    pub regional_network: StateCode,
    pub priority_area: PriorityArea,
    #[schema(
        example = "Anerkennungsberatung Berlin",
        min_length = 1,
        max_length = 200
    )]
    pub title: String,
    #[schema(example = "2023-01-01")]
    pub starts_on: NaiveDate,
    #[schema(example = "2028-12-31")]
    pub ends_on: Option<NaiveDate>,
}

fn ensure_manages(caller: &Caller, network: StateCode) -> ApiResult<()> {
    match caller.role {
        Role::NationalAdmin => Ok(()),
        _ if caller.network == Some(network) => Ok(()),
        _ => Err(ApiError::forbidden(
            "coordinators manage sub-projects of their own regional network only",
        )),
    }
}

/// The organisation must exist (a 422 naming the field, not a bare constraint failure), the
/// caller must manage its state (a coordinator's writes stay in their network: 403, whatever
/// the body's `regional_network` says), and a sub-project runs in its organisation's network
/// (422): that state is what puts the organisation's records in a coordinator's scope.
fn ensure_organisation(
    conn: &mut iqnet_persistence::DbConnection,
    caller: &Caller,
    id: OrganisationId,
    network: StateCode,
) -> ApiResult<()> {
    let owner = structure::organisations::get(conn, id).map_err(|_| {
        ApiError::invalid_field("organisation_id", "not_found", "no such organisation")
    })?;
    ensure_manages(caller, owner.state)?;
    if owner.state != network {
        return Err(ApiError::invalid_field(
            "regional_network",
            "mismatch",
            format!(
                "a sub-project runs in its organisation's regional network, {}",
                owner.state
            ),
        ));
    }
    Ok(())
}

/// Create a sub-project
///
/// For national admins and network coordinators (a coordinator within the own regional network): a
/// sub-project of an organisation of that network, with a title and a period (`starts_on` not after
/// `ends_on`).
#[utoipa::path(
    operation_id = "createSubProject",
    tag = "network",
    request_body = NewSubProject,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = SubProject,
        headers(("Location" = String, description = "URL of the new sub-project"), ("ETag" = String, description = "Its version"))))
)]
#[post("")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewSubProject>,
) -> ApiResult<Reply> {
    let caller = principal.require(MANAGERS)?;
    let input = body.0;
    let mut v = Violations::new();
    let title = v.check("title", parse_text(&input.title, 200));
    let period = v.check("", Period::new(input.starts_on, input.ends_on));
    let (title, period) = v.finish(|| (title.unwrap_or_default(), period))?;
    let period = period.ok_or_else(|| ApiError::internal("period parsed without a value"))?;
    ensure_manages(&caller, input.regional_network)?;
    let sub_project = SubProject {
        id: SubProjectId::new(),
        organisation_id: input.organisation_id,
        regional_network: input.regional_network,
        priority_area: input.priority_area,
        title,
        starts_on: period.starts_on,
        ends_on: period.ends_on,
        stamp: Stamp::new(now()),
    };
    state
        .commit(&req, move |conn| {
            let (org, network) = (sub_project.organisation_id, sub_project.regional_network);
            ensure_organisation(conn, &caller, org, network)?;
            structure::sub_projects::insert(conn, &sub_project)?;
            let location = format!("/v1/sub-projects/{}", sub_project.id);
            Ok(http::created(
                location,
                &sub_project,
                sub_project.stamp.version,
            ))
        })
        .await
}

/// Changes to a sub-project (JSON merge patch).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubProjectPatch {
    #[serde(default)]
    #[schema(value_type = String)]
    pub title: Patch<String>,
    #[serde(default)]
    #[schema(value_type = NaiveDate)]
    pub starts_on: Patch<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Patch<NaiveDate>,
}

/// Update a sub-project
///
/// Its title and dates; the organisation, network and priority area are fixed at creation.
#[utoipa::path(
    operation_id = "updateSubProject",
    tag = "network",
    params(
        ("id" = SubProjectId, Path, description = "Sub-project id")
    ),
    request_body(content = SubProjectPatch, content_type = "application/merge-patch+json"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated sub-project", body = SubProject, headers(("ETag" = String, description = "The new version")))
    )
)]
#[patch("/{id}")]
async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<SubProjectId>,
    body: Json<SubProjectPatch>,
) -> ApiResult<Reply> {
    let caller = principal.require(MANAGERS)?;
    let id = id.into_inner();
    let patch = body.0;
    let if_match = IfMatch::of(&req);
    state
        .commit(&req, move |conn| {
            let current = structure::sub_projects::get(conn, id)?;
            ensure_manages(&caller, current.regional_network)?;
            let owner = structure::organisations::get(conn, current.organisation_id)?;
            ensure_manages(&caller, owner.state)?;
            if_match.check(current.stamp.version)?;
            let mut v = Violations::new();
            let title = patch
                .title
                .parse_required(&mut v, "title", current.title.clone(), |t| {
                    parse_text(&t, 200)
                });
            v.finish(|| ())?;
            let starts_on = patch
                .starts_on
                .apply_required("starts_on", current.starts_on)?;
            let period = Period::new(starts_on, patch.ends_on.apply_to(current.ends_on))?;
            let next = SubProject {
                title: title.unwrap_or_default(),
                starts_on: period.starts_on,
                ends_on: period.ends_on,
                stamp: current.stamp.next(now()),
                ..current.clone()
            };
            structure::sub_projects::update(conn, &next, current.stamp.version)?;
            Ok(http::ok_with_etag(&next, next.stamp.version))
        })
        .await
}
