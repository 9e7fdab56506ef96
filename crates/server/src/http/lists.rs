//! The household's lists: `/v1/lists`.
//!
//! Lists are addressed by name (`/v1/lists/shopping`, `/v1/lists/to%20do`;
//! "To-Do" and "todo" name the to-do list too), items by id. The shopping
//! and to-do lists always exist and cannot be deleted; other lists are
//! created with `POST /v1/lists`, or by voice when something is added to
//! them. Adding merges what is already on the list ("eggs" where "egg" is),
//! and says per item what it did. Any token of the household may read and
//! change its lists; deleting a whole list needs an admin token.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use hark_store::{AddedItem, List, ListItem, ListItemId};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{ApiJson, Caller};
use crate::error::ApiError;
use crate::Server;

/// The routes under `/v1/lists`.
pub(super) fn routes() -> Router<Arc<Server>> {
    Router::new()
        .route("/v1/lists", get(lists).post(create))
        .route("/v1/lists/{name}", get(list).delete(delete))
        .route(
            "/v1/lists/{name}/items",
            axum::routing::post(add).delete(clear),
        )
        .route("/v1/lists/{name}/items/{id}", patch(update).delete(remove))
}

fn no_list(name: &str) -> ApiError {
    ApiError::new(
        "list_not_found",
        format!("this household has no list called '{name}'"),
    )
}

fn no_item() -> ApiError {
    ApiError::new("list_item_not_found", "the list has no item with that id")
}

/// The list called `name`, or `list_not_found`.
async fn existing(server: &Server, caller: &Caller, name: &str) -> Result<List, ApiError> {
    server
        .store
        .list(&caller.household.id, name)
        .await?
        .ok_or_else(|| no_list(name))
}

/// `GET /v1/lists`: every list with its items: the shopping list, the to-do
/// list, then the named ones.
async fn lists(
    State(server): State<Arc<Server>>,
    caller: Caller,
) -> Result<Json<Vec<List>>, ApiError> {
    Ok(Json(server.store.lists(&caller.household.id).await?))
}

/// `GET /v1/lists/{name}`.
async fn list(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<List>, ApiError> {
    Ok(Json(existing(&server, &caller, &name).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    name: String,
}

/// `POST /v1/lists`: `{"name": "christmas"}` creates an empty list.
async fn create(
    State(server): State<Arc<Server>>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateRequest>,
) -> Result<(StatusCode, Json<List>), ApiError> {
    let list = server
        .store
        .create_list(&caller.household.id, &request.name, server.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(list)))
}

/// `DELETE /v1/lists/{name}`: a named list and its items (admin only).
async fn delete(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_admin()?;
    if !server
        .store
        .delete_list(&caller.household.id, &name)
        .await?
    {
        return Err(no_list(&name));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddRequest {
    items: Vec<String>,
}

/// `POST /v1/lists/{name}/items`: `{"items": ["milk", "eggs"]}`. Each item
/// as written is one item (no splitting at "and"); the answer says for each
/// whether it was `added`, `already_there` or `reopened` (it was checked
/// off).
async fn add(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(name): Path<String>,
    ApiJson(request): ApiJson<AddRequest>,
) -> Result<Json<Vec<AddedItem>>, ApiError> {
    let added = server
        .store
        .add_list_items(
            &caller.household.id,
            &name,
            &request.items,
            false,
            server.clock.now(),
        )
        .await
        .map_err(|e| match e {
            hark_store::StoreError::NotFound => no_list(&name),
            e => e.into(),
        })?;
    Ok(Json(added))
}

/// `DELETE /v1/lists/{name}/items`: removes every item, done or not.
async fn clear(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    existing(&server, &caller, &name).await?;
    let removed = server.store.clear_list(&caller.household.id, &name).await?;
    Ok(Json(json!({ "removed": removed })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateRequest {
    #[serde(default)]
    done: Option<bool>,
    #[serde(default)]
    text: Option<String>,
}

/// `PATCH /v1/lists/{name}/items/{id}`: `{"done": true}`, and or
/// `{"text": "oat milk"}`.
async fn update(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path((name, id)): Path<(String, String)>,
    ApiJson(request): ApiJson<UpdateRequest>,
) -> Result<Json<ListItem>, ApiError> {
    if request.done.is_none() && request.text.is_none() {
        return Err(ApiError::new(
            "invalid_request",
            "give \"done\", \"text\" or both",
        ));
    }
    existing(&server, &caller, &name).await?;
    server
        .store
        .update_list_item(
            &caller.household.id,
            &name,
            &ListItemId::new(id),
            request.done,
            request.text.as_deref(),
            server.clock.now(),
        )
        .await?
        .map(Json)
        .ok_or_else(no_item)
}

/// `DELETE /v1/lists/{name}/items/{id}`.
async fn remove(
    State(server): State<Arc<Server>>,
    caller: Caller,
    Path((name, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    existing(&server, &caller, &name).await?;
    let removed = server
        .store
        .remove_list_items(&caller.household.id, &name, &[ListItemId::new(id)])
        .await?;
    if removed == 0 {
        return Err(no_item());
    }
    Ok(StatusCode::NO_CONTENT)
}
