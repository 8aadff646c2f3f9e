//! The advice-centre directory: public, searchable, edited only by the centre's organisation.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, id};

trials! {
    backends:
        the_directory_is_public_and_searchable,
        unknown_filter_values_are_400,
        nul_characters_and_foreign_cursors_are_400,
        another_organisations_counsellor_may_not_edit_a_centre;
}

/// Leipzig and Dresden (Saxony, one organisation) and Berlin (mobile, entered by the admin for
/// Dresden's organisation).
async fn three_centres(app: &TestApp) -> [Value; 3] {
    let (_, token) = app.counsellor("DE-SN").await;
    let leipzig = app
        .centre(&token)
        .name("IQ Leipzig")
        .state("DE-SN")
        .postcode("04109")
        .city("Leipzig")
        .languages(["de", "ar"])
        .formats(["in_person", "video"])
        .opening_hours("Mon-Thu 9-16")
        .create()
        .await;
    let dresden = app
        .centre(&token)
        .name("IQ Dresden")
        .state("DE-SN")
        .postcode("01067")
        .city("Dresden")
        .languages(["de", "uk"])
        .formats(["phone"])
        .opening_hours("Mon-Thu 9-16")
        .create()
        .await;
    let berlin = app
        .centre(app.admin())
        .organisation(dresden["organisation_id"].clone())
        .name("IQ Berlin")
        .kind("mobile")
        .state("DE-BE")
        .postcode("10115")
        .city("Berlin")
        .languages(["de", "ar", "fa"])
        .formats(["in_person"])
        .create()
        .await;
    [leipzig, dresden, berlin]
}

async fn the_directory_is_public_and_searchable(app: TestApp) {
    let [leipzig, _, berlin] = three_centres(&app).await;

    assert_eq!(
        app.find_centres("").await,
        ["IQ Leipzig", "IQ Dresden", "IQ Berlin"]
    );
    assert_eq!(
        app.find_centres("state=DE-SN").await,
        ["IQ Leipzig", "IQ Dresden"]
    );
    assert_eq!(
        app.find_centres("city=leip").await,
        ["IQ Leipzig"],
        "city prefix, any case"
    );
    assert_eq!(
        app.find_centres("postcode=0").await,
        ["IQ Leipzig", "IQ Dresden"]
    );
    assert_eq!(app.find_centres("postcode=041").await, ["IQ Leipzig"]);
    assert_eq!(
        app.find_centres("language=ar").await,
        ["IQ Leipzig", "IQ Berlin"]
    );
    assert_eq!(
        app.find_centres("language=fa&format=in_person").await,
        ["IQ Berlin"]
    );
    assert_eq!(app.find_centres("format=video").await, ["IQ Leipzig"]);
    assert_eq!(
        app.find_centres("language=uk&state=DE-BE").await,
        Vec::<String>::new()
    );
    assert_eq!(
        app.find_centres("city=%25").await,
        Vec::<String>::new(),
        "a wildcard is a literal character"
    );
    let one = app
        .public(&format!("/v1/advice-centres/{}", id(&leipzig)))
        .ok()
        .await;
    assert_eq!(one["languages"], json!(["de", "ar"]));
    assert_eq!(berlin["kind"], "mobile");
}

async fn unknown_filter_values_are_400(app: TestApp) {
    three_centres(&app).await;
    for bad in [
        "language=arabic",
        "postcode=abc",
        "format=pigeon",
        "state=DE-XX",
        "near=me",
    ] {
        app.public(&format!("/v1/advice-centres?{bad}"))
            .problem(StatusCode::BAD_REQUEST)
            .await;
    }
}

/// NUL characters (PostgreSQL cannot store them) and foreign cursors are a 400 on both
/// backends, never a 500.
async fn nul_characters_and_foreign_cursors_are_400(app: TestApp) {
    app.counsellor("DE-MV").await;
    for query in ["city=%00", "cursor=azoA"] {
        app.public(&format!("/v1/advice-centres?{query}"))
            .problem(StatusCode::BAD_REQUEST)
            .await;
    }
}

async fn another_organisations_counsellor_may_not_edit_a_centre(app: TestApp) {
    let [leipzig, ..] = three_centres(&app).await;
    let (_, other) = app.counsellor("DE-HH").await;

    app.patch(
        &other,
        &format!("/v1/advice-centres/{}", id(&leipzig)),
        &json!({"name": "Mine"}),
    )
    .problem(StatusCode::FORBIDDEN)
    .await;
}
