//! Reference data: seeded, public, read-only.

use reqwest::StatusCode;

use crate::support::TestApp;

trials! {
    backends:
        countries_carry_the_eu_eea_ch_flag,
        reference_occupations_carry_codes_and_regulation,
        vocabularies_list_every_member;
}

async fn countries_carry_the_eu_eea_ch_flag(app: TestApp) {
    let all = app.public("/v1/reference/countries?limit=500").ok().await;
    assert_eq!(all["items"].as_array().unwrap().len(), 249);
    let flagged = app
        .public("/v1/reference/countries?eu_eea_ch=true&limit=500")
        .ok()
        .await;
    let codes: Vec<&str> = flagged["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.len(),
        31,
        "27 EU states, Iceland, Liechtenstein, Norway, Switzerland"
    );
    for code in ["DE", "FR", "NO", "CH", "IS", "LI"] {
        assert!(codes.contains(&code), "{code}");
    }
    let syria = app.public("/v1/reference/countries/SY").ok().await;
    assert_eq!(syria["eu_eea_ch"], false);
    assert_eq!(syria["name_en"], "Syria");
    app.public("/v1/reference/countries/XX")
        .problem(StatusCode::NOT_FOUND)
        .await;
    app.public("/v1/reference/countries/syria")
        .problem(StatusCode::NOT_FOUND)
        .await;
}

async fn reference_occupations_carry_codes_and_regulation(app: TestApp) {
    let doctor = app.public("/v1/reference/occupations/81404").ok().await;
    assert_eq!(doctor["isco_code"], "2211");
    assert_eq!(doctor["regulated"], true);
    assert_eq!(doctor["legal_basis"], "federal");
    assert_eq!(doctor["competent_authority_kind"], "approbation_authority");
    let educator = app.public("/v1/reference/occupations/83112").ok().await;
    assert_eq!(educator["legal_basis"], "state");
    let technician = app.public("/v1/reference/occupations/26212").ok().await;
    assert_eq!(technician["regulated"], false);

    let nurses = app
        .public("/v1/reference/occupations?isco_code=3221")
        .ok()
        .await;
    let kldb: Vec<&str> = nurses["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kldb_code"].as_str().unwrap())
        .collect();
    assert_eq!(kldb, ["81302", "82102"]);
    let unregulated = app
        .public("/v1/reference/occupations?regulated=false")
        .ok()
        .await;
    assert!(
        unregulated["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["regulated"] == false)
    );
    // A malformed query value is the request's mistake: 400, naming the parameter and the rule.
    let problem = app
        .public("/v1/reference/occupations?isco_code=22")
        .problem(reqwest::StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(problem["errors"][0]["field"], "isco_code");
    assert!(
        problem["detail"].as_str().unwrap().contains("four digits"),
        "{problem}"
    );
}

async fn vocabularies_list_every_member(app: TestApp) {
    let expectations = [
        ("/v1/reference/language-levels", 8, "b2"),
        ("/v1/reference/qualification-levels", 8, "6"),
        ("/v1/reference/residence-titles", 19, "18g"),
        ("/v1/reference/competent-authority-kinds", 9, "zab"),
    ];
    for (path, count, member) in expectations {
        let list = app.public(path).ok().await;
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), count, "{path}");
        assert!(
            items
                .iter()
                .any(|i| i["code"] == member
                    && i["description"].as_str().is_some_and(|d| !d.is_empty())),
            "{path}"
        );
    }
}
