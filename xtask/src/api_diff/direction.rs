//! Where a schema's values travel (sent, received or both), which decides whether a change to
//! them breaks callers.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::Api;

/// Where a schema's values travel: sent (request), received (response), or both.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Direction {
    pub(super) request: bool,
    pub(super) response: bool,
}

impl Direction {
    pub(super) const REQUEST: Direction = Direction {
        request: true,
        response: false,
    };
    pub(super) const RESPONSE: Direction = Direction {
        request: false,
        response: true,
    };
    pub(super) const BOTH: Direction = Direction {
        request: true,
        response: true,
    };
}

/// The components each API's operations send and receive, through every reference.
pub(super) fn directions(api: &Api, into: &mut BTreeMap<String, Direction>) {
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
