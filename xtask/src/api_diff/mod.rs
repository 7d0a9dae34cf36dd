//! What changed for a user of the crate between the API last generated (`openapi/api.json`) and
//! a new one: operations added, removed and renamed, parameters, request and response fields,
//! error types; each breaking or additive, with the version bump it implies. Renamed methods and
//! types get deprecated aliases (carried from one generation to the next until dropped on
//! purpose), so code written against the previous spec still compiles.
//!
//! This module holds the changes and the comparison's entry point, [`evolve`].

mod bump;
mod compare;
mod direction;
mod renames;
mod report;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::api::{Api, Operation, request_key};

pub use bump::Bump;
pub use report::Report;

/// How a changelog entry of a breaking change starts.
pub const BREAKING_MARK: &str = "**Breaking:**";

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
            format!("{BREAKING_MARK} {}", self.text)
        } else {
            self.text.clone()
        }
    }
}

/// For each operation of `old`, its counterpart in `new`: the one under the same key, else the
/// only one that is the same request with its path parameters renamed (an addition the spec
/// now documents in its own words, say).
fn counterparts<'a>(old: &'a Api, new: &'a Api) -> BTreeMap<&'a str, (&'a str, &'a Operation)> {
    let mut by_request: BTreeMap<String, Vec<(&str, &Operation)>> = BTreeMap::new();
    for (key, op) in &new.operations {
        by_request
            .entry(request_key(key))
            .or_default()
            .push((key.as_str(), op));
    }
    old.operations
        .keys()
        .filter_map(|key| {
            let found = match new.operations.get_key_value(key) {
                Some((key, op)) => Some((key.as_str(), op)),
                None => match by_request.get(&request_key(key))?.as_slice() {
                    [only] => Some(*only),
                    _ => None,
                },
            };
            found.map(|found| (key.as_str(), found))
        })
        .collect()
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
    let renames = renames::Renames::between(old, &new);
    let aliases = renames::aliases(old, &new, &renames, drop_aliases, &mut changes);
    compare::operations(old, &new, &renames.types, &mut changes);
    compare::schemas(old, &new, &renames.types, &mut changes);
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
