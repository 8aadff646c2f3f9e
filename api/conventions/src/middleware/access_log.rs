//! The access log's request line, with the values of personal query parameters redacted
//! (`GET /v1/advice-seekers?client_code=<redacted>&limit=5 HTTP/1.1`): a log is kept longer and
//! read by more people than the data it would otherwise copy.

use actix_web::dev::ServiceRequest;

/// Query parameters whose values name or identify a person, compared case-insensitively.
pub const PERSONAL_PARAMETERS: [&str; 4] = ["client_code", "email", "name", "phone"];

/// `actix_web::middleware::Logger`'s `%r`, with `redact_query` applied.
pub fn request_line(req: &ServiceRequest) -> String {
    let query = redact_query(req.query_string());
    let separator = if query.is_empty() { "" } else { "?" };
    format!(
        "{} {}{separator}{query} {:?}",
        req.method(),
        req.path(),
        req.version()
    )
}

/// The query as sent, with each personal parameter's value replaced by `<redacted>`.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let raw_name = pair.split('=').next().unwrap_or("");
            let personal = form_urlencoded::parse(raw_name.as_bytes())
                .next()
                .is_some_and(|(name, _)| {
                    PERSONAL_PARAMETERS
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(&name))
                });
            if personal {
                format!("{raw_name}=<redacted>")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_values_are_redacted_and_the_rest_kept() {
        assert_eq!(
            redact_query("client_code=AB-12&limit=5&Email=a%40b.de&client%5Fcode=x"),
            "client_code=<redacted>&limit=5&Email=<redacted>&client%5Fcode=<redacted>"
        );
        assert_eq!(redact_query("state=DE-BE"), "state=DE-BE");
        assert_eq!(redact_query(""), "");
    }

    #[test]
    fn the_request_line_is_logged_with_the_query_redacted() {
        let req = actix_web::test::TestRequest::get()
            .uri("/v1/advice-seekers?client_code=AB-12&limit=5")
            .to_srv_request();
        assert_eq!(
            request_line(&req),
            "GET /v1/advice-seekers?client_code=<redacted>&limit=5 HTTP/1.1"
        );
        let req = actix_web::test::TestRequest::get()
            .uri("/healthz")
            .to_srv_request();
        assert_eq!(request_line(&req), "GET /healthz HTTP/1.1");
    }
}
