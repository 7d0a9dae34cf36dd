//! `evolve` on small records: renames and their aliases, parameters, nullability.

use std::collections::BTreeMap;

use super::*;
use crate::api::{Alias, Body, Field, Operation, Parameter, Schema, SpecInfo};

fn op(method: &str, builder: &str) -> Operation {
    Operation {
        method: method.to_owned(),
        builder: builder.to_owned(),
        error: "()".to_owned(),
        ..Operation::default()
    }
}

fn api(ops: &[(&str, Operation)]) -> Api {
    Api {
        spec: SpecInfo {
            version: "1".into(),
            date: "2026-01-02".into(),
            sha256: String::new(),
        },
        operations: ops
            .iter()
            .map(|(k, o)| ((*k).to_owned(), o.clone()))
            .collect(),
        ..Api::default()
    }
}

#[test]
fn a_renamed_operation_gets_an_alias_that_later_runs_keep() {
    let mut old = api(&[("POST /a", op("rotate", "Rotate"))]);
    old.types
        .insert("RotateResponse".into(), "{ok:bool}".into());
    let mut new = api(&[("POST /a", op("rotate_secret", "RotateSecret"))]);
    new.types
        .insert("RotateSecretResponse".into(), "{ok:bool}".into());
    let first = evolve(Some(&old), new.clone(), false);
    assert_eq!(first.record.aliases.methods["rotate"].to, "rotate_secret");
    assert_eq!(
        first.record.aliases.methods["rotate"].builder.as_deref(),
        Some("Rotate")
    );
    assert_eq!(
        first.record.aliases.types["RotateResponse"].to,
        "RotateSecretResponse"
    );
    assert!(!first.breaking(), "{:?}", first.changes);
    let second = evolve(Some(&first.record), new.clone(), false);
    assert!(second.changes.is_empty(), "{:?}", second.changes);
    assert_eq!(second.record.aliases, first.record.aliases);
    let dropped = evolve(Some(&first.record), new, true);
    assert!(dropped.record.aliases.is_empty());
    assert!(dropped.breaking());
}

#[test]
fn the_same_request_with_its_path_parameter_renamed_is_a_rename_not_a_removal() {
    // An addition (`take_snapshot`, `{id}`) that the spec now documents as `create_snapshot`
    // with `{instance_id}`.
    let old = api(&[("POST /snap/{id}", op("take_snapshot", "TakeSnapshot"))]);
    let new = api(&[(
        "POST /snap/{instance_id}",
        op("create_snapshot", "CreateSnapshot"),
    )]);
    let evolution = evolve(Some(&old), new, false);
    assert_eq!(
        evolution.record.aliases.methods["take_snapshot"].to,
        "create_snapshot"
    );
    let texts: Vec<&str> = evolution.changes.iter().map(|c| c.text.as_str()).collect();
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("removed") || t.starts_with("operation")),
        "{texts:?}"
    );
    assert!(!evolution.breaking(), "{texts:?}");
}

#[test]
fn an_alias_whose_target_is_gone_is_removed() {
    let mut old = api(&[("POST /a", op("rotate_secret", "RotateSecret"))]);
    let alias = |to: &str| Alias {
        to: to.to_owned(),
        since: "1 of 2026-01-01".to_owned(),
        builder: None,
    };
    old.aliases
        .methods
        .insert("rotate".into(), alias("rotate_secret"));
    old.aliases
        .types
        .insert("RotateResponse".into(), alias("RotateSecretResponse"));
    let evolution = evolve(Some(&old), api(&[]), false);
    assert!(evolution.record.aliases.is_empty());
    let texts: Vec<&str> = evolution.changes.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts[..2],
        [
            "deprecated method `Client::rotate`: its operation `rotate_secret` was removed",
            "deprecated type `types::RotateResponse`: its type `RotateSecretResponse` was removed",
        ]
    );
}

#[test]
fn a_new_required_parameter_is_breaking_an_optional_one_is_not() {
    let old = api(&[("GET /a", op("show", "Show"))]);
    let mut with = op("show", "Show");
    for (name, required) in [("id", true), ("q", false)] {
        with.parameters.insert(
            name.into(),
            Parameter {
                location: "query".into(),
                required,
                ty: "integer".into(),
            },
        );
    }
    let evolution = evolve(Some(&old), api(&[("GET /a", with)]), false);
    let found: Vec<(bool, &str)> = evolution
        .changes
        .iter()
        .map(|c| (c.breaking, c.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (true, "`show`: required query parameter `id` (`integer`)"),
            (false, "`show`: optional query parameter `q` (`integer`)"),
        ]
    );
}

#[test]
fn nullability_breaks_responses_not_requests() {
    let schema = |ty: &str| Schema {
        rust: "Hook".into(),
        shape: format!("{{name?: {ty}}}"),
        fields: [(
            "name".to_owned(),
            Field {
                ty: ty.to_owned(),
                required: false,
            },
        )]
        .into(),
    };
    let mut read = op("show", "Show");
    read.response = Some(Body {
        rust: "Hook".into(),
        schema: "Hook".into(),
        fields: BTreeMap::new(),
    });
    let mut old = api(&[("GET /a", read.clone())]);
    old.schemas.insert("Hook".into(), schema("string"));
    let mut new = api(&[("GET /a", read)]);
    new.schemas.insert("Hook".into(), schema("string | null"));
    let evolution = evolve(Some(&old), new.clone(), false);
    assert_eq!(evolution.changes.len(), 1, "{:?}", evolution.changes);
    assert!(evolution.changes[0].breaking);
    assert!(
        evolution.changes[0]
            .text
            .starts_with("`Hook.name`: type changed")
    );
    // Sent only: a value that may be null now is no break.
    for api in [&mut old, &mut new] {
        let op = api.operations.get_mut("GET /a").unwrap();
        op.request = op.response.take();
    }
    let evolution = evolve(Some(&old), new, false);
    assert!(!evolution.breaking(), "{:?}", evolution.changes);
}

#[test]
fn a_renamed_schema_of_the_same_shape_gets_an_alias() {
    let schema = |rust: &str| Schema {
        rust: rust.to_owned(),
        shape: "{id?: integer}".to_owned(),
        fields: BTreeMap::new(),
    };
    let mut old = api(&[]);
    old.schemas.insert("Thing".into(), schema("Thing"));
    old.types.insert("Thing".into(), "{id:Option<i64>}".into());
    let mut new = api(&[]);
    new.schemas.insert("Item".into(), schema("Item"));
    new.types.insert("Item".into(), "{id:Option<i64>}".into());
    let evolution = evolve(Some(&old), new.clone(), false);
    assert_eq!(evolution.record.aliases.types["Thing"].to, "Item");
    assert!(!evolution.breaking(), "{:?}", evolution.changes);
    // Another shape is no rename: the old type is gone.
    new.types.insert("Item".into(), "{id:i64}".into());
    let evolution = evolve(Some(&old), new, false);
    assert!(evolution.record.aliases.is_empty());
    assert!(evolution.breaking(), "{:?}", evolution.changes);
}
