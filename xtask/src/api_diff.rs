//! What changed for a user of the crate between the API last generated (`openapi/api.json`) and
//! a new one: operations added, removed and renamed, parameters, request and response fields,
//! error types; each breaking or additive, with the version bump it implies. Renamed methods and
//! types get deprecated aliases (carried from one generation to the next until dropped on
//! purpose), so code written against the previous spec still compiles.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::api::{Alias, Aliases, Api, Body, Field, Operation};

/// Keep a Changelog's sections, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Added,
    Changed,
    Deprecated,
    Removed,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Added,
        Section::Changed,
        Section::Deprecated,
        Section::Removed,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Added => "Added",
            Section::Changed => "Changed",
            Section::Deprecated => "Deprecated",
            Section::Removed => "Removed",
        }
    }
}

/// One change a user of the crate sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub section: Section,
    /// Code that compiled against the previous API may not compile (or may misread a value).
    pub breaking: bool,
    pub text: String,
}

impl Change {
    /// The changelog line, without its `- `.
    pub fn entry(&self) -> String {
        if self.breaking {
            format!("**Breaking:** {}", self.text)
        } else {
            self.text.clone()
        }
    }
}

/// The version bump a set of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    /// 0.x (Cargo's semver): breaking -> minor, anything else -> patch; from 1.0, breaking ->
    /// major, additive -> minor.
    pub fn implied(breaking: bool, any: bool, version: &str) -> Bump {
        let pre_1 = version.starts_with("0.");
        match (any, breaking, pre_1) {
            (false, _, _) => Bump::None,
            (true, true, true) => Bump::Minor,
            (true, true, false) => Bump::Major,
            (true, false, true) => Bump::Patch,
            (true, false, false) => Bump::Minor,
        }
    }

    /// `version` bumped (`0.1.0` -> `0.2.0`); `None` if it is not `x.y.z`.
    pub fn apply(self, version: &str) -> Option<String> {
        let core = version.split(['-', '+']).next()?;
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        Some(match self {
            Bump::None => format!("{major}.{minor}.{patch}"),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        })
    }

    pub fn word(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The outcome of comparing two generations.
#[derive(Debug, Default)]
pub struct Evolution {
    /// The new API with the aliases to keep: the record to write, and what the aliases are
    /// generated from.
    pub record: Api,
    pub changes: Vec<Change>,
}

impl Evolution {
    pub fn breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }
}

/// A report for the terminal.
pub struct Report<'a> {
    pub evolution: &'a Evolution,
    /// The crate's current version (`[workspace.package] version`).
    pub version: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let changes = &self.evolution.changes;
        if changes.is_empty() {
            return writeln!(f, "API changes from {} to {}: none", self.from, self.to);
        }
        let breaking = changes.iter().filter(|c| c.breaking).count();
        writeln!(
            f,
            "API changes from {} to {}: {} ({breaking} breaking)",
            self.from,
            self.to,
            changes.len()
        )?;
        for section in Section::ALL {
            for change in changes.iter().filter(|c| c.section == section) {
                let mark = if change.breaking {
                    "breaking"
                } else {
                    "additive"
                };
                writeln!(f, "  {mark:<8}  {:<10}  {}", section.title(), change.text)?;
            }
        }
        let bump = Bump::implied(self.evolution.breaking(), true, self.version);
        let next = bump.apply(self.version).unwrap_or_else(|| "?".to_owned());
        let why = if breaking > 0 {
            "breaking changes"
        } else {
            "additive changes only"
        };
        writeln!(
            f,
            "implied version bump: {} ({} -> {next}: {why}; 0.x rules: breaking -> minor, additive -> patch)",
            bump.word(),
            self.version
        )
    }
}

/// Compares `new` with the previous generation (none: a first record, nothing to report) and
/// keeps the previous aliases (all of them dropped, and reported, when `drop_aliases`).
pub fn evolve(previous: Option<&Api>, mut new: Api, drop_aliases: bool) -> Evolution {
    let Some(old) = previous else {
        return Evolution {
            record: new,
            changes: Vec::new(),
        };
    };
    let mut changes = Vec::new();
    let since = new.spec.label();

    // Method renames: the same operation (method and path) under another name.
    let mut method_renames = BTreeMap::new();
    for (key, before) in &old.operations {
        if let Some(after) = new.operations.get(key)
            && before.method != after.method
        {
            method_renames.insert(before.method.clone(), (key.clone(), before, after));
        }
    }
    let type_renames = type_renames(old, &new, &method_renames);

    // Aliases: the previous ones, following their target if renamed again, then the new ones.
    let methods_now: BTreeMap<&str, &Operation> = new
        .operations
        .values()
        .map(|op| (op.method.as_str(), op))
        .collect();
    let builders_now: BTreeSet<&str> = new
        .operations
        .values()
        .map(|o| o.builder.as_str())
        .collect();
    let mut aliases = Aliases::default();
    for (name, alias) in &old.aliases.methods {
        let target = method_renames
            .get(&alias.to)
            .map_or(alias.to.as_str(), |(_, _, after)| after.method.as_str());
        if drop_aliases {
            changes.push(removed(format!(
                "deprecated method `Client::{name}` (use `Client::{target}`): alias dropped"
            )));
        } else if methods_now.contains_key(name.as_str()) {
            // The name is an operation of its own again: nothing to keep.
        } else if methods_now.contains_key(target) {
            let mut alias = alias.clone();
            alias.to = target.to_owned();
            aliases.methods.insert(name.clone(), alias);
        } else {
            changes.push(removed(format!(
                "deprecated method `Client::{name}`: its operation `{target}` was removed"
            )));
        }
    }
    for (name, alias) in &old.aliases.types {
        let target = type_renames.get(&alias.to).unwrap_or(&alias.to);
        if drop_aliases {
            changes.push(removed(format!(
                "deprecated type `types::{name}` (use `types::{target}`): alias dropped"
            )));
        } else if new.types.contains_key(name) {
        } else if new.types.contains_key(target) {
            let mut alias = alias.clone();
            alias.to = target.clone();
            aliases.types.insert(name.clone(), alias);
        } else {
            changes.push(removed(format!(
                "deprecated type `types::{name}`: its type `{target}` was removed"
            )));
        }
    }
    for (old_name, (key, before, after)) in &method_renames {
        let builder = (!builders_now.contains(before.builder.as_str())
            && !new.types.contains_key(&before.builder))
        .then(|| before.builder.clone());
        aliases.methods.insert(
            old_name.clone(),
            Alias {
                to: after.method.clone(),
                since: since.clone(),
                builder,
            },
        );
        changes.push(Change {
            section: Section::Deprecated,
            breaking: false,
            text: format!(
                "`Client::{old_name}` renamed to `Client::{}` (`{key}`); the old name is kept as a deprecated alias",
                after.method
            ),
        });
    }
    for (old_name, new_name) in &type_renames {
        aliases.types.insert(
            old_name.clone(),
            Alias {
                to: new_name.clone(),
                since: since.clone(),
                builder: None,
            },
        );
        changes.push(Change {
            section: Section::Deprecated,
            breaking: false,
            text: format!(
                "type `types::{old_name}` renamed to `types::{new_name}` (same shape); the old name is kept as a deprecated alias"
            ),
        });
    }

    operations(old, &new, &type_renames, &mut changes);
    schemas(old, &new, &type_renames, &mut changes);
    new.aliases = aliases;
    Evolution {
        record: new,
        changes,
    }
}

fn removed(text: String) -> Change {
    Change {
        section: Section::Removed,
        breaking: true,
        text,
    }
}

fn added(text: String, breaking: bool) -> Change {
    Change {
        section: Section::Added,
        breaking,
        text,
    }
}

fn changed(text: String, breaking: bool) -> Change {
    Change {
        section: Section::Changed,
        breaking,
        text,
    }
}

/// Old type name -> new, for each type no longer generated whose shape a new type has: one
/// named after a renamed operation (`RotateSecretResponse` for `rotate_secret`'s), else the one
/// new type of exactly that shape.
fn type_renames(
    old: &Api,
    new: &Api,
    method_renames: &BTreeMap<String, (String, &Operation, &Operation)>,
) -> BTreeMap<String, String> {
    let gone: Vec<&String> = old
        .types
        .keys()
        .filter(|t| !new.types.contains_key(*t))
        .collect();
    let fresh: BTreeSet<&String> = new
        .types
        .keys()
        .filter(|t| !old.types.contains_key(*t))
        .collect();
    let mut candidates = BTreeMap::new();
    for name in &gone {
        for (_, before, after) in method_renames.values() {
            if let Some(rest) = name.strip_prefix(&before.builder) {
                let candidate = format!("{}{rest}", after.builder);
                if fresh.contains(&candidate) {
                    candidates.insert((*name).clone(), candidate);
                }
            }
        }
    }
    // By shape, among component schemas only: small inline types share shapes by chance
    // (`{success:Option<bool>}`), a renamed schema is one the spec names.
    let old_components: BTreeSet<&str> = old.schemas.values().map(|s| s.rust.as_str()).collect();
    let new_components: BTreeSet<&str> = new.schemas.values().map(|s| s.rust.as_str()).collect();
    for name in &gone {
        if candidates.contains_key(*name) || !old_components.contains(name.as_str()) {
            continue;
        }
        let shape = &old.types[*name];
        let same: Vec<&&String> = fresh
            .iter()
            .filter(|t| new_components.contains(t.as_str()))
            .filter(|t| !candidates.values().any(|c| c == **t))
            .filter(|t| substitute(shape, &candidates) == new.types[**t])
            .collect();
        if let [only] = same[..] {
            candidates.insert((*name).clone(), (*only).clone());
        }
    }
    candidates
        .iter()
        .filter(|(before, after)| substitute(&old.types[*before], &candidates) == new.types[*after])
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect()
}

/// `text` with each whole identifier renamed.
fn substitute(text: &str, renames: &BTreeMap<String, String>) -> String {
    if renames.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(
            renames
                .get(word.as_str())
                .map_or(word.as_str(), String::as_str),
        );
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Where a schema's values travel: sent (request), received (response), or both.
#[derive(Debug, Clone, Copy, Default)]
struct Direction {
    request: bool,
    response: bool,
}

impl Direction {
    const BOTH: Direction = Direction {
        request: true,
        response: true,
    };
}

/// The components each API's operations send and receive, through every reference.
fn directions(api: &Api, into: &mut BTreeMap<String, Direction>) {
    let mut seeds: Vec<(String, bool)> = Vec::new();
    for op in api.operations.values() {
        for p in op.parameters.values() {
            seeds.push((p.ty.clone(), true));
        }
        if let Some(body) = &op.request {
            seeds.push((body.schema.clone(), true));
        }
        if let Some(body) = &op.response {
            seeds.push((body.schema.clone(), false));
        }
        for schema in &op.error_schemas {
            seeds.push((schema.clone(), false));
        }
    }
    let mut seen: BTreeSet<(String, bool)> = BTreeSet::new();
    while let Some((text, request)) = seeds.pop() {
        for word in identifiers(&text) {
            if let Some(schema) = api.schemas.get(word)
                && seen.insert((word.to_owned(), request))
            {
                let entry = into.entry(word.to_owned()).or_default();
                if request {
                    entry.request = true;
                } else {
                    entry.response = true;
                }
                seeds.push((schema.shape.clone(), request));
            }
        }
    }
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .filter(|w| !w.is_empty())
}

fn operations(
    old: &Api,
    new: &Api,
    type_renames: &BTreeMap<String, String>,
    changes: &mut Vec<Change>,
) {
    for (key, before) in &old.operations {
        if !new.operations.contains_key(key) {
            changes.push(removed(format!(
                "operation `{key}` (`Client::{}`) removed",
                before.method
            )));
        }
    }
    for (key, after) in &new.operations {
        let Some(before) = old.operations.get(key) else {
            changes.push(added(
                format!("operation `{key}` (`Client::{}`)", after.method),
                false,
            ));
            continue;
        };
        let name = &after.method;
        for (param, p) in &before.parameters {
            if !after.parameters.contains_key(param) {
                changes.push(removed(format!(
                    "`{name}`: {} parameter `{param}` removed",
                    p.location
                )));
            }
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
        let request = Direction {
            request: true,
            response: false,
        };
        let response = Direction {
            request: false,
            response: true,
        };
        body(
            &format!("`{name}` request body"),
            before.request.as_ref(),
            after.request.as_ref(),
            request,
            type_renames,
            changes,
        );
        body(
            &format!("`{name}` response"),
            before.response.as_ref(),
            after.response.as_ref(),
            response,
            type_renames,
            changes,
        );
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

fn schemas(
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
    for (name, field) in before {
        if !after.contains_key(name) {
            changes.push(removed(format!(
                "{} (`{}`) removed",
                field_name(name),
                field.ty
            )));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Parameter, Schema, SpecInfo};

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

    #[test]
    fn bumps_follow_0x_rules() {
        assert_eq!(
            Bump::implied(true, true, "0.1.0").apply("0.1.0").unwrap(),
            "0.2.0"
        );
        assert_eq!(
            Bump::implied(false, true, "0.1.0").apply("0.1.0").unwrap(),
            "0.1.1"
        );
        assert_eq!(
            Bump::implied(true, true, "1.2.3").apply("1.2.3").unwrap(),
            "2.0.0"
        );
        assert_eq!(Bump::implied(false, false, "0.1.0"), Bump::None);
    }
}
