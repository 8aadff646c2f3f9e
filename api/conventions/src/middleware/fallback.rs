//! The served routes as the OpenAPI document declares them, and what follows from them:
//! - when no route matched: 405 with `Allow` if the path exists under other methods, else 404;
//! - a query parameter the operation does not declare is a 400, on every endpoint.
//!
//! The table comes from the document, so it cannot drift from the routes actually served.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, web};
use iqnet_shared::FieldError;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{OpenApi, RefOr};

use crate::error::ApiError;

/// One operation: its method, the query parameters it declares and its `operationId`.
#[derive(Debug)]
struct Op {
    method: Method,
    query: Vec<String>,
    operation_id: Option<String>,
}

/// Every documented path as segments (`None` for a `{parameter}`), with its operations.
#[derive(Debug, Default)]
pub struct RouteTable(Vec<(Vec<Option<String>>, Vec<Op>)>);

fn query_parameters(op: &Operation) -> Vec<String> {
    op.parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) if p.parameter_in == ParameterIn::Query => Some(p.name.clone()),
            _ => None,
        })
        .collect()
}

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> RouteTable {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = split(path)
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            None
                        } else {
                            Some(s.to_owned())
                        }
                    })
                    .collect();
                let ops = [
                    (Method::GET, &item.get),
                    (Method::POST, &item.post),
                    (Method::PUT, &item.put),
                    (Method::PATCH, &item.patch),
                    (Method::DELETE, &item.delete),
                ];
                let ops = ops
                    .into_iter()
                    .filter_map(|(method, op)| {
                        op.as_ref().map(|op| Op {
                            method,
                            query: query_parameters(op),
                            operation_id: op.operation_id.clone(),
                        })
                    })
                    .collect();
                (segments, ops)
            })
            .collect();
        RouteTable(routes)
    }

    /// The operations served at `path`, if the path is served at all.
    fn ops_at(&self, path: &str) -> Option<Vec<&Op>> {
        let wanted: Vec<&str> = split(path).collect();
        let found: Vec<&Op> =
            self.0
                .iter()
                .filter(|(segments, _)| {
                    segments.len() == wanted.len()
                        && segments.iter().zip(&wanted).all(|(pattern, actual)| {
                            pattern.as_deref().is_none_or(|p| p == *actual)
                        })
                })
                .flat_map(|(_, ops)| ops)
                .collect();
        (!found.is_empty()).then_some(found)
    }

    /// The methods served at `path`, if the path is served at all.
    pub fn methods_at(&self, path: &str) -> Option<Vec<Method>> {
        self.ops_at(path)
            .map(|ops| ops.into_iter().map(|op| op.method.clone()).collect())
    }

    /// The first query parameter the matched operation does not declare.
    pub fn undeclared_query_parameter(
        &self,
        method: &Method,
        path: &str,
        query: &str,
    ) -> Option<String> {
        let op = self.op(method, path)?;
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, _)| k.into_owned())
            .find(|k| !op.query.contains(k))
    }

    /// The `operationId` of the operation serving `method` at `path`: the audit log's default
    /// reason, so no handler has to spell its own operation id a second time.
    pub fn operation_id(&self, method: &Method, path: &str) -> Option<&str> {
        self.op(method, path)?.operation_id.as_deref()
    }

    /// `HEAD` is the `GET` it mirrors (see `middleware::head`).
    fn op(&self, method: &Method, path: &str) -> Option<&Op> {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.ops_at(path)?
            .into_iter()
            .find(|op| op.method == method)
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// The app's default service: always an error (the `Ok` type only satisfies `Responder`).
pub async fn not_matched(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<actix_web::HttpResponse, ApiError> {
    Err(match table.methods_at(req.path()) {
        Some(mut methods) if !methods.contains(req.method()) => {
            if methods.contains(&Method::GET) {
                methods.push(Method::HEAD);
            }
            let allow = methods
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                format!("{} is not supported here; use {allow}", req.method()),
            )
            .with_header(header::ALLOW, allow)
        }
        _ => ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no route for {}", req.path()),
        ),
    })
}

/// Refuses query parameters an operation does not declare, before the handler runs.
pub async fn reject_unknown_query(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let unknown = req.app_data::<web::Data<RouteTable>>().and_then(|table| {
        table.undeclared_query_parameter(req.method(), req.path(), req.query_string())
    });
    if let Some(name) = unknown {
        let message = format!("`{name}` is not a parameter of this operation");
        let err = ApiError::bad_request(
            "invalid-query",
            message.clone(),
            vec![FieldError::new(name, "unknown_parameter", message)],
        );
        return Ok(req.error_response(err));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
