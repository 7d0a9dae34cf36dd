//! Status codes as progenitor needs them: standard codes or upper-case ranges, `default` split
//! off the success codes, no raw error bodies, and no code a range already covers.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Body, Class, body_of};
use crate::diagnostics::Diagnostics;
use crate::pointer::push;

/// progenitor's mock generator needs a reason phrase for every code and range names in upper case.
pub fn fix_status_codes(
    responses: &mut Map<String, Value>,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    let codes: Vec<String> = responses.keys().cloned().collect();
    for code in codes {
        let upper = code.to_ascii_uppercase();
        let replacement = if code == "default" {
            None
        } else if is_range(&upper) {
            (upper != code).then_some(upper)
        } else {
            match code
                .parse::<u16>()
                .ok()
                .and_then(|c| http::StatusCode::from_u16(c).ok())
            {
                Some(status) if status.canonical_reason().is_some() => None,
                Some(status) => Some(format!("{}XX", status.as_u16() / 100)),
                None => {
                    diags.warn(push(pointer, &code), "dropped: not an HTTP status code");
                    responses.shift_remove(&code);
                    continue;
                }
            }
        };
        let Some(replacement) = replacement else {
            continue;
        };
        let Some(response) = responses.shift_remove(&code) else {
            continue;
        };
        if responses.contains_key(&replacement) {
            diags.warn(
                push(pointer, &code),
                format!("dropped: non-standard status, and `{replacement}` is already documented"),
            );
        } else {
            diags.warn(
                push(pointer, &code),
                format!("non-standard status documented as `{replacement}`"),
            );
            responses.insert(replacement, response);
        }
    }
}

pub fn is_range(code: &str) -> bool {
    code.len() == 3 && code.ends_with("XX") && code.starts_with(['1', '2', '3', '4', '5'])
}

/// `default` counts as both success and error for progenitor. Beside explicit success codes it is
/// meant as "any error", so it becomes `4XX` and `5XX` when its body differs from theirs.
pub fn split_default(responses: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let Some(default) = responses.get("default") else {
        return;
    };
    let success_bodies: BTreeSet<String> = responses
        .iter()
        .filter(|(code, _)| *code != "default" && Class::Success.contains(code))
        .map(|(_, r)| format!("{:?}", body_of(r)))
        .collect();
    if success_bodies.is_empty()
        || success_bodies.contains(&format!("{:?}", body_of(default))) && success_bodies.len() == 1
    {
        return;
    }
    let Some(default) = responses.shift_remove("default") else {
        return;
    };
    for range in ["4XX", "5XX"] {
        responses.entry(range).or_insert_with(|| default.clone());
    }
    diags.warn(
        push(pointer, "default"),
        "documented as `4XX` and `5XX`: its body differs from the success body",
    );
}

/// A documented non-JSON error body makes progenitor's error type `ByteStream`, which the SDK's
/// `call()` cannot turn into a `vast_api::Error`. Undocumented, the response still reaches the
/// caller with its status and body (an unexpected response, whose text the SDK reports).
/// `default` stays: without explicit success codes it is also the success response.
pub fn drop_raw_errors(responses: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let raw: Vec<String> = responses
        .iter()
        .filter(|(code, r)| {
            *code != "default" && Class::Error.contains(code) && body_of(r) == Body::Raw
        })
        .map(|(code, _)| code.clone())
        .collect();
    for code in raw {
        // `shift_remove` keeps the spec's order (fixtures follow it); `remove` swaps.
        responses.shift_remove(&code);
        diags.warn(
            push(pointer, &code),
            "dropped: a non-JSON error body; returned as an unexpected response (status and body kept)",
        );
    }
}

/// progenitor matches responses in the order of their codes, with `4XX` counting as 400: the
/// range's arm comes first and the arms of `401`, `404`... are unreachable (a compiler warning
/// in the generated client). Once a class has one body type the range covers them anyway.
pub fn fold_into_ranges(
    responses: &mut Map<String, Value>,
    pointer: &str,
    diags: &mut Diagnostics,
) {
    let ranges: Vec<String> = responses
        .keys()
        .filter(|code| is_range(code))
        .cloned()
        .collect();
    for range in ranges {
        let covered: Vec<String> = responses
            .keys()
            .filter(|code| code.len() == 3 && !is_range(code) && code[..1] == range[..1])
            .cloned()
            .collect();
        for code in covered {
            responses.shift_remove(&code);
            diags.warn(
                push(pointer, &code),
                format!("folded into `{range}`: progenitor would match the range first"),
            );
        }
    }
}
