//! The corrections file: where the vendored spec contradicts itself or the API's real traffic,
//! the reviewed decision, with its evidence, applied to the document in memory (the vendored
//! file is never edited).
//!
//! ```yaml
//! trailing_slash:            # optional: every path gets the trailing slash the API's own client sends
//!   evidence: …
//! corrections:
//!   - at: /components/schemas/Offer/properties/os_version   # JSON pointer into the spec
//!     set: {type: [string, "null"]}                          # the new value (or `remove: true`,
//!     finding: …                                             #   or `keep: true`: the spec stands)
//!     evidence: …
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::Value;

use crate::decisions::{Decisions, Prune};
use crate::diagnostics::Diagnostics;
use crate::pointer;

/// The parsed corrections file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corrections {
    #[serde(default)]
    pub trailing_slash: Option<Decision>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

/// A document-wide rule and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub evidence: String,
}

/// One decision at one place of the spec.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// JSON pointer into the vendored spec.
    pub at: String,
    /// The value put at `at` (replacing what is there, or added to its parent object).
    #[serde(default)]
    pub set: Option<Value>,
    /// Remove what is at `at`.
    #[serde(default)]
    pub remove: bool,
    /// Replace the value at `at` with a one-item list of it (an example written as one item
    /// of what the schema says is a list).
    #[serde(default)]
    pub into_list: bool,
    /// The spec is right as it is; the entry records the decision and its evidence.
    #[serde(default)]
    pub keep: bool,
    /// What contradicts what.
    pub finding: String,
    /// Why this side is right: the traffic, the client code or the document that shows it.
    pub evidence: String,
}

impl Correction {
    fn action(&self) -> Result<Action<'_>> {
        match (&self.set, self.remove, self.into_list, self.keep) {
            (Some(value), false, false, false) => Ok(Action::Set(value)),
            (None, true, false, false) => Ok(Action::Remove),
            (None, false, true, false) => Ok(Action::IntoList),
            (None, false, false, true) => Ok(Action::Keep),
            _ => bail!(
                "needs exactly one of `set`, `remove: true`, `into_list: true` or `keep: true`"
            ),
        }
    }
}

enum Action<'a> {
    Set(&'a Value),
    Remove,
    IntoList,
    Keep,
}

/// The corrections file for a spec: `<stem>.corrections.yaml` beside it, else
/// `corrections.yaml` beside it when the spec is the vendored `openapi.yaml`.
pub fn default_path(spec: &Path) -> Option<PathBuf> {
    let dir = spec.parent()?;
    let stem = spec.file_stem()?.to_str()?;
    let own = dir.join(format!("{stem}.corrections.yaml"));
    if own.is_file() {
        return Some(own);
    }
    let shared = dir.join("corrections.yaml");
    (stem == "openapi" && shared.is_file()).then_some(shared)
}

pub fn load(path: &Path) -> Result<Corrections> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read corrections file {}", path.display()))?;
    serde_norway::from_str(&text)
        .with_context(|| format!("{} is not a valid corrections file", path.display()))
}

/// Applies every correction to `doc`, with a diagnostic per change. An entry whose place no
/// longer exists (the vendor changed the spec) is a decision naming it, which `--prune`
/// settles by deleting the entry; so is, without failing the run, an entry whose change the
/// spec now makes itself. A malformed entry is an error.
pub fn apply(
    doc: &mut Value,
    corrections: &Corrections,
    file: &str,
    diags: &mut Diagnostics,
    decisions: &mut Decisions,
) -> Result<()> {
    for (i, correction) in corrections.corrections.iter().enumerate() {
        let entry = format!("{file} entry {} ({})", i + 1, correction.at);
        let action = correction.action().with_context(|| entry.clone())?;
        if !correction.at.starts_with('/') {
            bail!("{entry}: not a JSON pointer (it must start with `/`)");
        }
        let stale = |decisions: &mut Decisions, why: &str| {
            decisions.blocking(
                &correction.at,
                format!("{why}: the spec changed; review {entry} (`cargo xtask codegen --prune` deletes it)"),
                Some(Prune::Correction(i)),
            );
        };
        let fixed = |decisions: &mut Decisions, what: &str| {
            decisions.prunable(
                &correction.at,
                format!("the spec already {what} {entry}: the vendor fixed it (`cargo xtask codegen --prune` deletes the entry)"),
                Prune::Correction(i),
            );
        };
        let what = match action {
            Action::Keep => {
                if doc.pointer(&correction.at).is_none() {
                    stale(decisions, "nothing at this pointer any more");
                }
                continue;
            }
            Action::Set(value) => {
                if doc.pointer(&correction.at) == Some(value) {
                    fixed(decisions, "says what it sets, as");
                    continue;
                }
                if let Err(why) = set(doc, &correction.at, value.clone()) {
                    stale(decisions, &why);
                    continue;
                }
                "set"
            }
            Action::Remove => {
                if let Err(why) = remove(doc, &correction.at) {
                    stale(decisions, &why);
                    continue;
                }
                "removed"
            }
            Action::IntoList => match doc.pointer_mut(&correction.at) {
                None => {
                    stale(decisions, "nothing at this pointer any more");
                    continue;
                }
                Some(value) if value.is_array() => {
                    fixed(decisions, "has a list here, as made by");
                    continue;
                }
                Some(value) => {
                    *value = Value::Array(vec![value.take()]);
                    "made a one-item list"
                }
            },
        };
        diags.warn(
            &correction.at,
            format!("{what} by {file}: {}", correction.finding),
        );
    }
    Ok(())
}

fn set(doc: &mut Value, at: &str, value: Value) -> Result<(), String> {
    let (parent, key) = parent_of(doc, at)?;
    match parent {
        Value::Object(map) => {
            map.insert(key, value);
        }
        Value::Array(items) => {
            let slot = key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get_mut(i))
                .ok_or_else(|| format!("no list item {key:?} to replace"))?;
            *slot = value;
        }
        _ => return Err("the parent is neither an object nor a list".to_owned()),
    }
    Ok(())
}

fn remove(doc: &mut Value, at: &str) -> Result<(), String> {
    let (parent, key) = parent_of(doc, at)?;
    let removed = match parent {
        Value::Object(map) => map.shift_remove(&key).is_some(),
        Value::Array(items) => match key.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        _ => false,
    };
    if removed {
        Ok(())
    } else {
        Err("nothing to remove".to_owned())
    }
}

fn parent_of<'a>(doc: &'a mut Value, at: &str) -> Result<(&'a mut Value, String), String> {
    let (parent, last) = at
        .rsplit_once('/')
        .ok_or_else(|| "not a JSON pointer".to_owned())?;
    let parent = doc
        .pointer_mut(parent)
        .ok_or_else(|| format!("nothing at {parent}"))?;
    Ok((parent, pointer::unescape(last)))
}

/// `/api/v0/bundles` becomes `/api/v0/bundles/`, each path once, with one diagnostic: the
/// `trailing_slash` rule, applied by the pipeline after every other rule.
pub fn add_trailing_slashes(doc: &mut Value, file: &str, diags: &mut Diagnostics) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let mut changed = 0;
    let old = std::mem::take(paths);
    for (path, item) in old {
        let slashed = if path.ends_with('/') {
            path
        } else {
            changed += 1;
            format!("{path}/")
        };
        // A spec listing both forms keeps the first: they are one operation to the API.
        paths.entry(slashed).or_insert(item);
    }
    if changed > 0 {
        diags.warn(
            "/paths",
            format!(
                "{changed} path(s) given the trailing slash the API's own client sends (trailing_slash in {file})"
            ),
        );
    }
}

/// The corrections as a Markdown table, for the README.
pub fn table(corrections: &Corrections, file: &str) -> String {
    let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = "| where (in the spec) | change | finding |\n| --- | --- | --- |\n".to_owned();
    if corrections.trailing_slash.is_some() {
        out.push_str("| every path | trailing slash added | the spec has none; Vast.ai's own client sends one |\n");
    }
    for c in &corrections.corrections {
        let change = match c.action() {
            Ok(Action::Set(_)) => "set",
            Ok(Action::Remove) => "removed",
            Ok(Action::IntoList) => "made a one-item list",
            Ok(Action::Keep) => "kept as published",
            Err(_) => "invalid entry",
        };
        out.push_str(&format!(
            "| `{}` | {change} | {} |\n",
            c.at,
            one_line(&c.finding).replace('|', "\\|")
        ));
    }
    out.push_str(&format!("\nThe evidence for each is in `{file}`.\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn corrections(yaml: &str) -> Corrections {
        serde_norway::from_str(yaml).unwrap()
    }

    fn doc() -> Value {
        json!({"paths": {"/a": {"get": {}}, "/b/": {}},
               "components": {"schemas": {"S": {"type": "string", "enum": ["x", "y"]}}}})
    }

    #[test]
    fn set_remove_and_keep_each_report_or_check_their_place() {
        let mut d = doc();
        let mut diags = Diagnostics::default();
        let c = corrections(
            "corrections:\n\
             - {at: /components/schemas/S/enum/1, set: z, finding: f1, evidence: e}\n\
             - {at: /components/schemas/S/nullable, set: true, finding: f2, evidence: e}\n\
             - {at: /components/schemas/S/type, remove: true, finding: f3, evidence: e}\n\
             - {at: /paths/~1a/get, keep: true, finding: f4, evidence: e}\n\
             - {at: /components/schemas/S/enum/0, into_list: true, finding: f5, evidence: e}\n",
        );
        let mut decisions = Decisions::default();
        apply(&mut d, &c, "c.yaml", &mut diags, &mut decisions).unwrap();
        assert!(decisions.is_empty(), "{decisions:?}");
        assert_eq!(
            d["components"]["schemas"]["S"],
            json!({"enum": [["x"], "z"], "nullable": true})
        );
        let warnings = diags.warnings();
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(
            warnings[0]
                .to_string()
                .starts_with("/components/schemas/S/enum/1: set by c.yaml: f1")
        );
    }

    #[test]
    fn stale_entries_are_all_decisions_naming_them_and_malformed_ones_errors() {
        let c = corrections(
            "corrections:\n\
             - {at: /components/schemas/Gone/type, set: x, finding: f, evidence: e}\n\
             - {at: /components/schemas/S/nope, remove: true, finding: f, evidence: e}\n\
             - {at: /paths/~1gone, keep: true, finding: f, evidence: e}\n\
             - {at: /paths/~1gone/get, into_list: true, finding: f, evidence: e}\n\
             - {at: /components/schemas/S/enum/0, set: w, finding: f, evidence: e}\n",
        );
        let mut d = doc();
        let mut decisions = Decisions::default();
        apply(
            &mut d,
            &c,
            "c.yaml",
            &mut Diagnostics::default(),
            &mut decisions,
        )
        .unwrap();
        let found: Vec<_> = decisions
            .all()
            .iter()
            .map(|d| (d.pointer.as_str(), d.blocking, d.prune.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/components/schemas/Gone/type",
                    true,
                    Some(Prune::Correction(0))
                ),
                (
                    "/components/schemas/S/nope",
                    true,
                    Some(Prune::Correction(1))
                ),
                ("/paths/~1gone", true, Some(Prune::Correction(2))),
                ("/paths/~1gone/get", true, Some(Prune::Correction(3))),
            ]
        );
        assert!(
            decisions.all()[0]
                .message
                .contains("review c.yaml entry 1 (")
        );
        // The entries that still apply did.
        assert_eq!(d["components"]["schemas"]["S"]["enum"][0], "w");

        for yaml in [
            "corrections: [{at: /paths/~1a, keep: true, remove: true, finding: f, evidence: e}]",
            "corrections: [{at: nope, set: 1, finding: f, evidence: e}]",
        ] {
            let err = apply(
                &mut doc(),
                &corrections(yaml),
                "c.yaml",
                &mut Diagnostics::default(),
                &mut Decisions::default(),
            )
            .unwrap_err();
            assert!(
                format!("{err:#}").starts_with("c.yaml entry 1 ("),
                "{yaml}: {err:#}"
            );
        }
    }

    #[test]
    fn an_entry_the_vendor_already_fixed_is_a_prunable_decision_that_does_not_block() {
        let c = corrections(
            "corrections: [{at: /components/schemas/S/type, set: string, finding: f, evidence: e}]",
        );
        let mut decisions = Decisions::default();
        apply(
            &mut doc(),
            &c,
            "c.yaml",
            &mut Diagnostics::default(),
            &mut decisions,
        )
        .unwrap();
        assert_eq!(decisions.blocking_ones().count(), 0);
        let (decision, prune) = decisions.prunable_ones().next().unwrap();
        assert_eq!(prune, &Prune::Correction(0));
        assert!(
            decision.message.contains("the vendor fixed it"),
            "{}",
            decision.message
        );
    }

    #[test]
    fn trailing_slash_rule_slashes_each_path_once() {
        let mut d = doc();
        add_trailing_slashes(&mut d, "c.yaml", &mut Diagnostics::default());
        let paths: Vec<_> = d["paths"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(paths, ["/a/", "/b/"]);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(serde_norway::from_str::<Corrections>("corection: []").is_err());
    }
}
