//! Renamed methods and types between two generations, and the deprecated aliases that keep the
//! old names compiling: the previous ones carried forward (or dropped), the new ones added.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Section, removed};
use crate::api::{Alias, Aliases, Api, Operation};

/// What was renamed from one generation to the next.
pub(super) struct Renames<'a> {
    /// Old method name -> (operation key, the operation before, after): the same operation
    /// (method and path) under another name.
    pub(super) methods: BTreeMap<String, (String, &'a Operation, &'a Operation)>,
    /// Old type name -> new.
    pub(super) types: BTreeMap<String, String>,
}

impl<'a> Renames<'a> {
    pub(super) fn between(old: &'a Api, new: &'a Api) -> Self {
        let counterparts = super::counterparts(old, new);
        let mut methods = BTreeMap::new();
        for (key, before) in &old.operations {
            if let Some((_, after)) = counterparts.get(key.as_str())
                && before.method != after.method
            {
                methods.insert(before.method.clone(), (key.clone(), before, *after));
            }
        }
        let types = type_renames(old, new, &methods);
        Renames { methods, types }
    }
}

/// The aliases the new record keeps: the previous ones, following their target if renamed
/// again, then one for each rename. Each alias dropped, and each new one, is a change.
pub(super) fn aliases(
    old: &Api,
    new: &Api,
    renames: &Renames<'_>,
    drop_aliases: bool,
    changes: &mut Vec<Change>,
) -> Aliases {
    let since = new.spec.label();
    let method_renames = &renames.methods;
    let type_renames = &renames.types;
    let methods_now: BTreeSet<&str> = new
        .operations
        .values()
        .map(|op| op.method.as_str())
        .collect();
    let builders_now: BTreeSet<&str> = new
        .operations
        .values()
        .map(|o| o.builder.as_str())
        .collect();
    let renamed_method = |to: &str| {
        method_renames
            .get(to)
            .map(|(_, _, after)| after.method.clone())
    };
    let is_method = |name: &str| methods_now.contains(name);
    let renamed_type = |to: &str| type_renames.get(to).cloned();
    let is_type = |name: &str| new.types.contains_key(name);
    let mut carry = Carry {
        drop_aliases,
        changes,
    };
    let methods = carry.kept(&old.aliases.methods, &METHODS, renamed_method, is_method);
    let types = carry.kept(&old.aliases.types, &TYPES, renamed_type, is_type);
    let mut aliases = Aliases { methods, types };
    for (old_name, (key, before, after)) in method_renames {
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
    for (old_name, new_name) in type_renames {
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
    aliases
}

/// How the aliases of one kind are named in changes.
struct Kind {
    /// `method`, `type`.
    noun: &'static str,
    /// Where the names are: `Client::`, `types::`.
    path: &'static str,
    /// What an alias stands for: `operation`, `type`.
    target: &'static str,
}

const METHODS: Kind = Kind {
    noun: "method",
    path: "Client::",
    target: "operation",
};

const TYPES: Kind = Kind {
    noun: "type",
    path: "types::",
    target: "type",
};

/// Carrying the previous aliases forward: whether every one is dropped, and where removals go.
struct Carry<'c> {
    drop_aliases: bool,
    changes: &'c mut Vec<Change>,
}

impl Carry<'_> {
    /// The previous aliases of one kind still to keep, each following its target's rename
    /// (`renamed`). One whose name is generated again (`exists`) is no longer needed; one whose
    /// target is gone, or every one when dropping them, is a removal.
    fn kept(
        &mut self,
        previous: &BTreeMap<String, Alias>,
        kind: &Kind,
        renamed: impl Fn(&str) -> Option<String>,
        exists: impl Fn(&str) -> bool,
    ) -> BTreeMap<String, Alias> {
        let Kind {
            noun,
            path,
            target: stands_for,
        } = kind;
        let mut kept = BTreeMap::new();
        for (name, alias) in previous {
            let target = renamed(&alias.to).unwrap_or_else(|| alias.to.clone());
            if self.drop_aliases {
                self.changes.push(removed(format!(
                    "deprecated {noun} `{path}{name}` (use `{path}{target}`): alias dropped"
                )));
            } else if exists(name) {
                // The name is generated again: nothing to keep.
            } else if exists(&target) {
                let mut alias = alias.clone();
                alias.to = target;
                kept.insert(name.clone(), alias);
            } else {
                self.changes.push(removed(format!(
                    "deprecated {noun} `{path}{name}`: its {stands_for} `{target}` was removed"
                )));
            }
        }
        kept
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
