//! Anonymous evaluation questionnaires of a training and their figures per item: the number of
//! answers and the mean scores before and after and of the change, aggregated by the database,
//! each suppressed when fewer than 5 answers stand behind it.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use iqnet_conventions::auth::Principal;
use iqnet_conventions::error::ApiResult;
use iqnet_conventions::extract::Json;
use iqnet_conventions::http::{self, Reply};
use iqnet_conventions::state::AppState;
use iqnet_intercultural::evaluation::{EvaluationAnswer, ItemFigures, MIN_ANSWERS, parse_answers};
use iqnet_intercultural::vocabulary::EvaluationItem;
use iqnet_persistence::intercultural::evaluations;
use iqnet_shared::ids::{QuestionnaireId, TrainingId};
use iqnet_shared::records::Stamp;
use iqnet_shared::time::now;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::participation::with_figures;
use super::trainings::managed;
use crate::permissions::{TRAINING_FIGURES_READERS, TRAINING_MANAGERS};

/// Under `/trainings`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create).service(summary);
}

/// One anonymous questionnaire: self-assessments before and after, per item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": [
    {"item": "knowledge_of_migration", "before": 2, "after": 4},
    {"item": "awareness_of_discrimination", "before": 3, "after": 4}
]}))]
pub struct NewQuestionnaire {
    pub answers: Vec<EvaluationAnswer>,
}

/// A questionnaire as stored: nothing in it names a person.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e74", "training_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f",
    "answers": [{"item": "knowledge_of_migration", "before": 2, "after": 4}],
    "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:05:00Z", "version": 1
}))]
pub struct Questionnaire {
    pub id: QuestionnaireId,
    pub training_id: TrainingId,
    pub answers: Vec<EvaluationAnswer>,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// Record a questionnaire
///
/// The provider enters one anonymous questionnaire (scores 1 to 5, each item once) once the
/// training runs (409 `training-not-held` before). Questionnaires are not read back one by one:
/// `Location` names the training's evaluation figures.
#[utoipa::path(
    operation_id = "createQuestionnaire",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id")),
    request_body = NewQuestionnaire,
    security(("bearer" = [])),
    responses((status = 201, description = "Recorded", body = Questionnaire,
        headers(("Location" = String, description = "URL of the training's evaluation figures"), ("ETag" = String, description = "Its version"))))
)]
#[post("/{id}/evaluations")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<TrainingId>,
    body: Json<NewQuestionnaire>,
) -> ApiResult<Reply> {
    let caller = principal.require(TRAINING_MANAGERS)?;
    let answers = parse_answers(body.0.answers)?;
    state
        .commit(&req, move |conn| {
            let training = managed(conn, &caller, *id)?;
            training.ensure_taken_place()?;
            let questionnaire = Questionnaire {
                id: QuestionnaireId::new(),
                training_id: training.id,
                answers,
                stamp: Stamp::new(now()),
            };
            let key = (questionnaire.id, training.id);
            evaluations::insert(conn, key, &questionnaire.answers, now())?;
            let location = format!("/v1/trainings/{}/evaluation", training.id);
            Ok(http::created(location, &questionnaire, 1))
        })
        .await
}

/// A training's evaluation figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationSummary {
    pub training_id: TrainingId,
    /// Questionnaires received; `null` when fewer than `minimum_answers`.
    #[schema(example = 14)]
    pub questionnaires: Option<i64>,
    /// Figures based on fewer answers are suppressed.
    #[schema(example = 5)]
    pub minimum_answers: i64,
    /// Every item, answered or not, in a fixed order.
    pub items: Vec<ItemFigures>,
}

/// Get a training's evaluation figures
///
/// Per item: the number of answers and the mean scores before, after and of the change
/// (`after - before`), computed by the database. An item with fewer than 5 answers shows no
/// figure at all (`suppressed: true`). For the provider's staff and coordinators in their
/// scope, and analysts.
#[utoipa::path(
    operation_id = "getEvaluationSummary",
    tag = "intercultural",
    params(("id" = TrainingId, Path, description = "Training id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The figures per item", body = EvaluationSummary,
        example = json!({"training_id": "0192f0a4-7c1e-7d2a-9b1e-3f2a1c4d5e6f", "questionnaires": 6, "minimum_answers": 5,
            "items": [
                {"item": "knowledge_of_migration", "answers": 6, "mean_before": 2.17, "mean_after": 3.83, "mean_change": 1.67, "suppressed": false},
                {"item": "awareness_of_discrimination", "answers": null, "mean_before": null, "mean_after": null, "mean_change": null, "suppressed": true}
            ]})))
)]
#[get("/{id}/evaluation")]
async fn summary(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<TrainingId>,
) -> ApiResult<HttpResponse> {
    let caller = principal.require(TRAINING_FIGURES_READERS)?;
    let shown = state
        .read(move |conn| {
            let training = with_figures(conn, &caller, *id)?;
            let aggregates = evaluations::aggregates(conn, training.id)?;
            let questionnaires = evaluations::questionnaires(conn, training.id)?;
            let items = EvaluationItem::ALL
                .iter()
                .map(|item| {
                    let found = aggregates.iter().find(|a| a.item == *item).copied();
                    ItemFigures::of(*item, found)
                })
                .collect();
            Ok(EvaluationSummary {
                training_id: training.id,
                questionnaires: Some(questionnaires).filter(|n| *n >= MIN_ANSWERS),
                minimum_answers: MIN_ANSWERS,
                items,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(shown))
}
