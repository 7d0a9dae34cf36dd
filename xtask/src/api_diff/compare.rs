//! Comparing two generations' operations and schemas, field by field, into changes.

use std::collections::{BTreeMap, BTreeSet};

use super::direction::{Direction, directions};
use super::{Change, added, changed, removed};
use crate::api::{Api, Body, Field, Operation};

/// The entries of `before` whose key `after` lacks, in key order.
fn gone<'a, V, W>(
    before: &'a BTreeMap<String, V>,
    after: &'a BTreeMap<String, W>,
) -> impl Iterator<Item = (&'a String, &'a V)> {
    before.iter().filter(|(key, _)| !after.contains_key(*key))
}

/// Operations removed and added, and each kept one's parameters, bodies and error type.
pub(super) fn operations(
    old: &Api,
    new: &Api,
    type_renames: &BTreeMap<String, String>,
    changes: &mut Vec<Change>,
) {
    let counterparts = super::counterparts(old, new);
    let earlier: BTreeMap<&str, &Operation> = counterparts
        .iter()
        .map(|(old_key, (new_key, _))| (*new_key, &old.operations[*old_key]))
        .collect();
    for (key, before) in &old.operations {
        if !counterparts.contains_key(key.as_str()) {
            changes.push(removed(format!(
                "operation `{key}` (`Client::{}`) removed",
                before.method
            )));
        }
    }
    for (key, after) in &new.operations {
        let Some(before) = earlier.get(key.as_str()).copied() else {
            changes.push(added(
                format!("operation `{key}` (`Client::{}`)", after.method),
                false,
            ));
            continue;
        };
        let name = &after.method;
        for (param, p) in gone(&before.parameters, &after.parameters) {
            changes.push(removed(format!(
                "`{name}`: {} parameter `{param}` removed",
                p.location
            )));
        }
        for (param, p) in &after.parameters {
            let Some(q) = before.parameters.get(param) else {
                let what = if p.required { "required" } else { "optional" };
                changes.push(added(
                    format!(
                        "`{name}`: {what} {} parameter `{param}` (`{}`)",
                        p.location, p.ty
                    ),
                    p.required,
                ));
                continue;
            };
            if q.ty != p.ty {
                changes.push(changed(
                    format!(
                        "`{name}`: parameter `{param}` changed type from `{}` to `{}`",
                        q.ty, p.ty
                    ),
                    true,
                ));
            }
            if q.required != p.required {
                let (what, breaking) = if p.required {
                    ("made required", true)
                } else {
                    ("made optional", false)
                };
                changes.push(changed(
                    format!("`{name}`: parameter `{param}` {what}"),
                    breaking,
                ));
            }
            if q.location != p.location {
                changes.push(changed(
                    format!(
                        "`{name}`: parameter `{param}` moved from the {} to the {}",
                        q.location, p.location
                    ),
                    false,
                ));
            }
        }
        let bodies = [
            (
                "request body",
                &before.request,
                &after.request,
                Direction::REQUEST,
            ),
            (
                "response",
                &before.response,
                &after.response,
                Direction::RESPONSE,
            ),
        ];
        for (what, before, after, direction) in bodies {
            let what = format!("`{name}` {what}");
            let (before, after) = (before.as_ref(), after.as_ref());
            body(&what, before, after, direction, type_renames, changes);
        }
        let error_renamed = type_renames.get(&before.error) == Some(&after.error);
        if (before.error != after.error && !error_renamed)
            || before.error_schemas != after.error_schemas
        {
            changes.push(changed(
                format!(
                    "`{name}`: error type changed from `{}` ({}) to `{}` ({})",
                    before.error,
                    list(&before.error_schemas),
                    after.error,
                    list(&after.error_schemas)
                ),
                true,
            ));
        }
    }
}

fn list(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "no error body".to_owned()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn body(
    what: &str,
    before: Option<&Body>,
    after: Option<&Body>,
    direction: Direction,
    type_renames: &BTreeMap<String, String>,
    changes: &mut Vec<Change>,
) {
    match (before, after) {
        (None, None) => {}
        (None, Some(b)) => {
            changes.push(added(format!("{what}: `{}`", b.schema), direction.request))
        }
        (Some(a), None) => changes.push(removed(format!("{what} (`{}`) removed", a.schema))),
        (Some(a), Some(b)) => {
            let renamed = type_renames.get(&a.rust) == Some(&b.rust);
            if a.rust != b.rust && !renamed {
                changes.push(changed(
                    format!("{what}: type changed from `{}` to `{}`", a.rust, b.rust),
                    true,
                ));
            } else if (a.fields.is_empty() || b.fields.is_empty())
                && a.schema != b.schema
                && !renamed
            {
                changes.push(changed(
                    format!(
                        "{what}: schema changed from `{}` to `{}`",
                        a.schema, b.schema
                    ),
                    true,
                ));
            }
            if !a.fields.is_empty() && !b.fields.is_empty() {
                fields(what, &a.fields, &b.fields, direction, changes);
            }
        }
    }
}

/// Component schemas removed, added and changed, judged by where their values travel.
pub(super) fn schemas(
    old: &Api,
    new: &Api,
    type_renames: &BTreeMap<String, String>,
    changes: &mut Vec<Change>,
) {
    let mut direction = BTreeMap::new();
    directions(old, &mut direction);
    directions(new, &mut direction);
    let new_types: BTreeSet<&str> = new.schemas.values().map(|s| s.rust.as_str()).collect();
    for (name, schema) in &old.schemas {
        if !new.schemas.contains_key(name)
            && !type_renames.contains_key(&schema.rust)
            && !new_types.contains(schema.rust.as_str())
        {
            changes.push(removed(format!(
                "type `types::{}` (schema `{name}`) removed",
                schema.rust
            )));
        }
    }
    for (name, after) in &new.schemas {
        let Some(before) = old.schemas.get(name) else {
            if !type_renames.values().any(|t| *t == after.rust) {
                changes.push(added(
                    format!("type `types::{}` (schema `{name}`)", after.rust),
                    false,
                ));
            }
            continue;
        };
        let dir = direction.get(name).copied().unwrap_or(Direction::BOTH);
        let what = format!("`{}`", after.rust);
        if before.fields.is_empty() && after.fields.is_empty() {
            if before.shape != after.shape {
                changes.push(changed(
                    format!(
                        "{what}: changed from `{}` to `{}`",
                        before.shape, after.shape
                    ),
                    true,
                ));
            }
        } else {
            fields(&what, &before.fields, &after.fields, dir, changes);
        }
    }
}

/// Field by field; `what` names the holder (`` `NotificationWebhook` ``).
fn fields(
    what: &str,
    before: &BTreeMap<String, Field>,
    after: &BTreeMap<String, Field>,
    direction: Direction,
    changes: &mut Vec<Change>,
) {
    let holder = what.trim_matches('`');
    let field_name = |name: &str| {
        if what.starts_with('`') && what.ends_with('`') {
            format!("`{holder}.{name}`")
        } else {
            format!("{what} field `{name}`")
        }
    };
    for (name, field) in gone(before, after) {
        changes.push(removed(format!(
            "{} (`{}`) removed",
            field_name(name),
            field.ty
        )));
    }
    for (name, b) in after {
        let Some(a) = before.get(name) else {
            let required = if b.required { "required " } else { "" };
            changes.push(added(
                format!("{required}{} (`{}`)", field_name(name), b.ty),
                b.required && direction.request,
            ));
            continue;
        };
        let (a_base, a_null) = split_null(&a.ty);
        let (b_base, b_null) = split_null(&b.ty);
        if a_base != b_base {
            changes.push(changed(
                format!(
                    "{}: type changed from `{}` to `{}`",
                    field_name(name),
                    a.ty,
                    b.ty
                ),
                true,
            ));
        } else if a_null != b_null {
            let (what, breaking) = if b_null {
                ("made nullable: it may now be null", direction.response)
            } else {
                ("no longer nullable", direction.request)
            };
            changes.push(changed(
                format!(
                    "{}: type changed from `{}` to `{}` ({what})",
                    field_name(name),
                    a.ty,
                    b.ty
                ),
                breaking,
            ));
        }
        if a.required != b.required {
            let (what, breaking) = if b.required {
                ("made required", direction.request)
            } else {
                ("made optional: it may now be absent", direction.response)
            };
            changes.push(changed(format!("{}: {what}", field_name(name)), breaking));
        }
    }
}

fn split_null(ty: &str) -> (&str, bool) {
    match ty.strip_suffix(" | null") {
        Some(base) => (base, true),
        None => (ty, false),
    }
}
