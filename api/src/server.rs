//! Assembling the server: state from settings, the app with its middleware, and the OpenAPI
//! document (which needs no server: `api_doc()`).

use std::net::{SocketAddr, TcpListener};

use actix_cors::Cors;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{Condition, Logger, Next, from_fn};
use actix_web::{App, HttpResponse, HttpServer, get, http::header, web};
use actix_web_prom::PrometheusMetricsBuilder;
use iqnet_persistence::{Database, structure};
use iqnet_shared::codes::Email;
use iqnet_shared::ids::UserId;
use iqnet_shared::records::{Stamp, User};
use iqnet_shared::structure::Role;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::contract::ApiDoc;
use crate::health;
use iqnet_conventions::auth::TokenKeys;
use iqnet_conventions::config::Settings;
use iqnet_conventions::error::ApiError;
use iqnet_conventions::extract;
use iqnet_conventions::middleware::fallback::{self, RouteTable};
use iqnet_conventions::middleware::{
    access_log, audit_reads, authentication, cache_control, head, idempotency, problem, request_id,
};
use iqnet_conventions::openapi::Conventions;
use iqnet_conventions::state::AppState;

/// The routes with their contract; `split_for_parts` yields both.
fn routed_app() -> utoipa_actix_web::UtoipaApp<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(
            scope("/v1")
                .wrap(from_fn(audit_reads::middleware))
                .wrap(from_fn(idempotency::middleware))
                .wrap(from_fn(authentication::middleware))
                .configure(crate::v1),
        )
        .service(health::healthz)
        .service(health::readyz)
}

/// The OpenAPI document, exactly as the server serves it.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut doc = routed_app().split_for_parts().1;
    Conventions.modify(&mut doc);
    doc
}

/// The document as YAML that reads the same under YAML 1.1 and 1.2 (see `iqnet_conventions::yaml`).
pub fn api_doc_yaml() -> Result<String, String> {
    doc_yaml(&api_doc())
}

fn doc_yaml(doc: &utoipa::openapi::OpenApi) -> Result<String, String> {
    let value = serde_json::to_value(doc).map_err(|e| e.to_string())?;
    Ok(iqnet_conventions::yaml::to_string(&value))
}

/// Opens the database, applies migrations and creates the bootstrap admin if configured.
pub fn prepare(settings: Settings) -> Result<AppState, String> {
    let db =
        Database::connect(&settings.database_url, &settings.pool).map_err(|e| e.to_string())?;
    let applied = db.migrate().map_err(|e| e.to_string())?;
    if applied > 0 {
        log::info!("applied {applied} migration(s)");
    }
    // Due dates follow the holiday calendar, which no SQL migration computes: procedures stored
    // under older deadline rules are recomputed from their history here, once.
    let carried = db
        .write(|conn| {
            iqnet_persistence::counselling::procedure_history::carry_forward(
                conn,
                iqnet_shared::time::now(),
            )
        })
        .map_err(|e| e.to_string())?;
    if carried > 0 {
        log::info!("recomputed the deadlines of {carried} procedure(s)");
    }
    if let (Some(email), Some(password)) = (&settings.admin_email, &settings.admin_password) {
        bootstrap_admin(&db, email, password)?;
    }
    let keys = TokenKeys::from_settings(&settings)?;
    Ok(AppState::new(db, keys, settings))
}

/// Creates the first national admin when no user exists yet.
fn bootstrap_admin(db: &Database, email: &str, password: &str) -> Result<(), String> {
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    if structure::users::count(&mut conn).map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    create_admin(db, email, password)?;
    log::info!("created the bootstrap admin {email}");
    Ok(())
}

/// Creates a national admin (the `create-admin` command and the bootstrap).
pub fn create_admin(db: &Database, email: &str, password: &str) -> Result<User, String> {
    let email = Email::parse(email).map_err(|_| format!("`{email}` is not an e-mail address"))?;
    let hash = crate::structure::users::parse_password(password)
        .map_err(|_| "the password needs 12 to 200 characters".to_owned())?;
    let user = User {
        id: UserId::new(),
        email,
        display_name: "Administrator".into(),
        role: Role::NationalAdmin,
        organisation_id: None,
        active: true,
        stamp: Stamp::new(iqnet_shared::time::now()),
    };
    db.write(|conn| structure::users::insert(conn, &user, hash))
        .map_err(|e| e.to_string())?;
    Ok(user)
}

/// Swagger UI lives under `/docs/`; the bare path is where people type it.
#[get("/docs")]
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

#[get("/openapi.yaml")]
async fn openapi_yaml(doc: web::Data<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(doc.get_ref().clone())
}

/// Where `/metrics` is served: the address of the separate metrics listener, if any.
#[derive(Debug, Clone, Copy)]
struct MetricsAddress(Option<SocketAddr>);

const METRICS_PATH: &str = "/metrics";

/// The metrics listener serves `/metrics` and nothing else; the public one everything else.
/// Both are sockets of one server, so this looks at which socket took the connection.
async fn split_listeners(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let metrics = req
        .app_data::<web::Data<MetricsAddress>>()
        .and_then(|a| a.0);
    let on_metrics_listener = metrics.is_some_and(|a| a == req.app_config().local_addr());
    if on_metrics_listener != (req.path() == METRICS_PATH) {
        let err = ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no route for {}", req.path()),
        );
        return Ok(req.error_response(err));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The pool's connections shared out among the HTTP workers, at least two each.
fn blocking_threads_per_worker(settings: &Settings) -> usize {
    let workers = settings
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let connections = usize::try_from(settings.pool.max_size).unwrap_or(usize::MAX);
    (connections / workers.max(1)).max(2)
}

/// Binds the app to `listener`, and Prometheus metrics to `IQNET_METRICS_BIND` when it is set.
/// The returned server runs until it is stopped or the process gets SIGTERM/SIGINT, when it
/// stops accepting and lets in-flight requests finish.
pub fn serve(state: AppState, listener: TcpListener) -> std::io::Result<actix_web::dev::Server> {
    let doc = api_doc();
    let yaml = web::Data::new(doc_yaml(&doc).map_err(std::io::Error::other)?);
    let table = web::Data::new(RouteTable::from_openapi(&doc));
    let settings = state.settings.clone();
    let state = web::Data::new(state);
    let metrics_listener = match &settings.metrics_bind {
        Some(bind) => Some(TcpListener::bind(bind).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on {bind} for metrics: {e}"),
            )
        })?),
        None => None,
    };
    let metrics_address = metrics_listener
        .as_ref()
        .map(TcpListener::local_addr)
        .transpose()?;
    if let Some(address) = metrics_address {
        log::info!("metrics at http://{address}{METRICS_PATH}");
    }
    let metrics_address = web::Data::new(MetricsAddress(metrics_address));
    let metrics = PrometheusMetricsBuilder::new("iqnet")
        .endpoint(METRICS_PATH)
        .mask_unmatched_patterns("UNKNOWN")
        .exclude_regex("^/docs")
        .build()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let body_limit = settings.body_limit;
    let origins = settings.cors_origins.clone();
    let mut server = HttpServer::new(move || {
        let cors = origins
            .iter()
            .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
            .allow_any_method()
            .allow_any_header()
            .expose_headers([
                header::ETAG,
                header::LOCATION,
                header::LINK,
                request_id::HEADER,
                idempotency::REPLAYED,
            ])
            .max_age(3600);
        // Innermost first. Everything inside `problem` answers with problem+json, CORS refusals
        // included; `head` runs HEAD as GET before the query check and the routes see it.
        routed_app()
            .into_app()
            .app_data(state.clone())
            .app_data(table.clone())
            .app_data(yaml.clone())
            .app_data(metrics_address.clone())
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(web::PathConfig::default().error_handler(extract::path_error))
            .service(openapi_yaml)
            .service(docs_redirect)
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", doc.clone()))
            .default_service(web::to(fallback::not_matched))
            .wrap(from_fn(fallback::reject_unknown_query))
            .wrap(from_fn(head::middleware))
            .wrap(metrics.clone())
            .wrap(from_fn(split_listeners))
            .wrap(Condition::new(!origins.is_empty(), cors))
            .wrap(from_fn(problem::middleware))
            .wrap(from_fn(cache_control::middleware))
            .wrap(from_fn(request_id::middleware))
            .wrap(
                Logger::new("%{x-request-id}o %a \"%{request_line}xi\" %s %b %Dms")
                    .custom_request_replace("request_line", access_log::request_line),
            )
    })
    .shutdown_timeout(settings.shutdown_timeout.as_secs())
    // Database work runs on the blocking pools (one per worker), and more threads in all than
    // connections would only wait for one: each keeps its stack and allocator arena resident.
    .worker_max_blocking_threads(blocking_threads_per_worker(&settings))
    .listen(listener)?;
    if let Some(listener) = metrics_listener {
        server = server.listen(listener)?;
    }
    if let Some(workers) = settings.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}
