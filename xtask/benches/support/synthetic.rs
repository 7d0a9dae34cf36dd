//! A synthetic spec of the size a backend-generated Vast.ai spec may reach: 100 resources with
//! five operations each (500 in all: list with query parameters, create, show, update, delete),
//! a component schema per resource with a dozen properties (strings, integers, floats, enums,
//! nested lists of another resource, a map, a nullable union), its create request and list
//! page, one shared error body. Written as JSON, the form a generated spec usually takes.

use serde_json::{Value, json};

pub const RESOURCES: usize = 100;

/// The spec, as a JSON value.
pub fn spec() -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string", "example": "not_found"},
            "msg": {"type": "string", "example": "No such thing."}}}),
    );
    let error = json!({"description": "An error.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    for i in 0..RESOURCES {
        let name = format!("Resource{i}");
        let other = format!("Resource{}", (i + 1) % RESOURCES);
        schemas.insert(
            name.clone(),
            json!({"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer", "format": "int64", "example": 42},
                "name": {"type": "string", "example": "gpu-box"},
                "label": {"type": ["string", "null"], "description": "A label."},
                "price": {"type": "number", "format": "float", "example": 0.25},
                "created_at": {"type": "string", "format": "date-time"},
                "state": {"type": "string", "enum": ["running", "stopped", "exited"]},
                "count": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 1},
                "tags": {"type": "array", "items": {"type": "string"}},
                "env": {"type": "object", "additionalProperties": {"type": "string"}},
                "related": {"type": "array", "items": {"$ref": format!("#/components/schemas/{other}")}},
                "limit": {"anyOf": [{"type": "integer"}, {"type": "string"}], "nullable": true},
                "enabled": {"type": "boolean", "default": true}
            }}),
        );
        schemas.insert(
            format!("Create{name}"),
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "price": {"type": "number"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "state": {"type": "string", "enum": ["running", "stopped"]}}}),
        );
        schemas.insert(
            format!("{name}Page"),
            json!({"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}},
                "next_page": {"type": ["string", "null"]}}}),
        );
        let one = json!({"description": "The resource.", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
        let id =
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
        paths.insert(
            format!("/api/v0/resource{i}/"),
            json!({
                "get": {"operationId": format!("list_resource{i}"), "summary": format!("List resource {i}."),
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {"name": "page_token", "in": "query", "schema": {"type": "string"}},
                        {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["running", "stopped"]}}],
                    "responses": {"200": {"description": "A page.", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}Page")}}}},
                        "400": error.clone(), "401": error.clone()}},
                "post": {"operationId": format!("create_resource{i}"), "summary": format!("Create resource {i}."),
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Create{name}")}}}},
                    "responses": {"201": one.clone(), "400": error.clone()}}
            }),
        );
        paths.insert(
            format!("/api/v0/resource{i}/{{id}}/"),
            json!({
                "get": {"operationId": format!("show_resource{i}"), "parameters": [id.clone()],
                    "responses": {"200": one.clone(), "404": error.clone()}},
                "put": {"operationId": format!("update_resource{i}"), "parameters": [id.clone()],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Create{name}")}}}},
                    "responses": {"200": one.clone(), "400": error.clone(), "404": error.clone()}},
                "delete": {"operationId": format!("delete_resource{i}"), "parameters": [id],
                    "responses": {"204": {"description": "Deleted."}, "404": error.clone()}}
            }),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "servers": [{"url": "https://console.vast.ai"}],
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// Writes the spec into `dir` and returns its path.
pub fn write(dir: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
    let path = dir.join("synthetic-500.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&spec()).map_err(std::io::Error::other)?,
    )?;
    Ok(path)
}
