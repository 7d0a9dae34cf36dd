//! The kitchen-sink spec (`tests/data/kitchen-sink.yaml`) through the whole generator, in memory.
//!
//! `.ci/kitchen-sink` compiles what this generates; these tests check the promises the
//! normalisation makes about it (names, number types, merged types, warnings, determinism)
//! without a compiler run.

use std::path::Path;
use std::sync::OnceLock;

use xtask::codegen::{self, CLIENT_FILE, FIXTURES_FILE, MOCKS_FILE};
use xtask::diagnostics::{Diagnostics, Warning};
use xtask::outputs::Output;

// The rules table has a file of its own; it shares the one generation below.
#[path = "kitchen_sink/warnings.rs"]
mod warnings;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kitchen-sink.yaml");

struct Generated {
    outputs: Vec<Output>,
    warnings: Vec<Warning>,
}

fn generate() -> Generated {
    let mut diags = Diagnostics::default();
    let outputs = codegen::generate_all(Path::new(SPEC), "kitchen-sink.yaml", &mut diags)
        .unwrap_or_else(|e| panic!("the kitchen-sink spec does not generate: {e:#}"));
    Generated {
        outputs,
        warnings: diags.warnings().to_vec(),
    }
}

/// Generated once and shared: progenitor takes seconds on 100+ operations.
fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(generate)
}

fn file(path: &str) -> &'static str {
    generated()
        .outputs
        .iter()
        .find(|o| o.path == Path::new(path))
        .map(|o| o.contents.as_str())
        .unwrap_or_else(|| panic!("{path} was not generated"))
}

/// Names of the `Client`'s operation methods (`pub fn name(&self) -> builder::Name<'_>`).
fn client_methods() -> Vec<&'static str> {
    let client = file(CLIENT_FILE);
    client
        .match_indices("pub fn ")
        .filter_map(|(at, _)| {
            let rest = &client[at + "pub fn ".len()..];
            let (name, signature) = rest.split_once('(')?;
            let signature = &signature[..signature.find('{')?];
            let is_operation =
                signature.trim_start().starts_with("&self") && signature.contains("-> builder::");
            is_operation.then_some(name)
        })
        .collect()
}

/// `text` from the first `pattern` on.
fn from<'t>(text: &'t str, pattern: &str) -> &'t str {
    let at = text
        .find(pattern)
        .unwrap_or_else(|| panic!("no {pattern:?} in the client"));
    &text[at..]
}

/// `text` up to the first `pattern`.
fn up_to<'t>(text: &'t str, pattern: &str) -> &'t str {
    let at = text
        .find(pattern)
        .unwrap_or_else(|| panic!("no {pattern:?} in the client"));
    &text[..at]
}

/// The builder's `send()` signature of one operation, up to its body.
fn send_signature(builder: &str) -> &'static str {
    let builder_impl = from(file(CLIENT_FILE), &format!("impl<'a> {builder}<'a> {{"));
    up_to(from(builder_impl, "pub async fn send("), "{")
}

/// The generated struct `name` (in `types`), up to its closing brace.
fn type_definition(name: &str) -> &'static str {
    up_to(
        from(file(CLIENT_FILE), &format!("pub struct {name} {{")),
        "\n    }",
    )
}

/// The generated struct `name` has each of `lines`.
#[track_caller]
fn assert_type_contains(name: &str, lines: &[&str]) {
    let definition = type_definition(name);
    for line in lines {
        assert!(
            definition.contains(line),
            "{line} missing from {definition}"
        );
    }
}

/// The `send()` signature of `builder` has each of `parts`.
#[track_caller]
fn assert_send_contains(builder: &str, parts: &[&str]) {
    let send = send_signature(builder);
    for part in parts {
        assert!(send.contains(part), "{part} missing from {send}");
    }
}

#[test]
fn every_operation_becomes_a_client_method() {
    let methods = client_methods();
    assert!(methods.len() >= 100, "{} operations", methods.len());
    let mut unique = methods.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), methods.len(), "duplicate method names");
}

#[test]
fn operation_ids_are_kept_synthesised_and_deduplicated() {
    let methods = client_methods();
    let expected = [
        // Explicit operationIds, camelCase ones in snake_case.
        "show_instances",
        "show_user",
        "label_instance",
        "show_offer",
        "list_role_members",
        "get_version",
        // From summaries.
        "rotate_notification_webhook_secret",
        "search_offers",
        "create_instance",
        "op_2fa_status",
        "enable_2fa",
        // From method and path.
        "get_api_v0_instances_id",
        "get_api_v0_instances_id_logs",
        "get_api_v0_asks_id",
        "delete_api_v0_users_current_2fa",
        "delete_api_v0_network_volumes_id",
        "get_api_v0_healthz",
        "head_api_v0_ping",
        // Collisions, resolved with the HTTP method.
        "search_offers_post",
        "get_api_v0_asks_id_get",
        "show_user_get",
    ];
    for name in expected {
        assert!(methods.contains(&name), "no method `{name}`");
    }
    // reqwest cannot send OPTIONS: the operation is dropped rather than left uncompilable.
    assert!(!methods.iter().any(|m| m.starts_with("options_")));
}

#[test]
fn float_timestamps_are_f64_everywhere() {
    for output in &generated().outputs {
        assert!(
            !output.contents.contains("f32"),
            "{} has an f32",
            output.path.display()
        );
    }
    assert_type_contains(
        "Resource",
        &[
            "pub created_at: ::std::option::Option<f64>",
            "pub updated_at: ::std::option::Option<f64>",
        ],
    );
    // Query parameters too.
    assert!(
        file(CLIENT_FILE).contains("start_date: Result<Option<f64>, String>"),
        "float query parameter is not an f64"
    );
}

#[test]
fn differing_bodies_are_merged_into_named_types() {
    assert_type_contains(
        "ManageInstanceError",
        &["pub error:", "pub msg:", "pub success:", "pub fields:"],
    );
    for name in [
        "ChangeBidError",
        "CreateInstanceError",
        "AddCreditError",
        "ExecuteCommandResponse",
    ] {
        assert!(
            file(CLIENT_FILE).contains(&format!("pub struct {name}")),
            "no merged type {name}"
        );
    }
    assert_send_contains("ManageInstance", &["Error<types::ManageInstanceError>"]);
    // One JSON error beside a text/plain one keeps its own type.
    assert_send_contains("ShowInstances", &["Error<types::Error>"]);
    assert!(!file(CLIENT_FILE).contains("struct ShowInstancesError"));
}

#[test]
fn the_vendored_operation_is_generated_as_from_the_vendored_spec() {
    assert_send_contains(
        "RotateNotificationWebhookSecret",
        &[
            "ResponseValue<types::RotateNotificationWebhookSecretResponse>",
            "Error<types::Error>",
        ],
    );
    assert_type_contains(
        "NotificationWebhookWithSecret",
        &[
            "pub webhook_secret: ::std::option::Option<::vast_api::Secret>",
            "pub created_at: ::std::option::Option<f64>",
        ],
    );
}

#[test]
fn object_query_parameters_are_optional_json_maps() {
    let client = file(CLIENT_FILE);
    let setter = client.find("pub fn q<V>").expect("a `q` setter");
    assert!(
        client[setter..].starts_with(
            "pub fn q<V>(mut self, value: V) -> Self\n        where\n            V: std::convert::TryInto<::serde_json::Map<"
        ),
        "{}",
        &client[setter..setter + 200]
    );
    assert!(client.contains("q: Result<Option<::serde_json::Map<"));
}

#[test]
fn generated_code_needs_no_crate_the_sdk_lacks() {
    let client = file(CLIENT_FILE);
    for foreign in ["::chrono::", "::uuid::", "::regress::"] {
        assert!(!client.contains(foreign), "{foreign} in the client");
    }
    // typify's JsonSchema impls for integer and boolean enums, in edition 2024.
    assert!(client.contains("r#gen: &mut ::schemars::r#gen::SchemaGenerator"));
    assert!(!client.contains(" gen:"));
}

#[test]
fn every_fixture_round_trips_through_a_generated_type() {
    let fixtures = file(FIXTURES_FILE);
    let consts = fixtures.matches(": Fixture = Fixture {").count();
    let typed = fixtures.matches("crate::round_trip::<").count();
    assert!(consts > 100, "{consts} fixtures");
    assert_eq!(typed, consts, "fixtures without a generated type");
}

#[test]
fn every_generated_rust_file_parses() {
    for output in &generated().outputs {
        if output.path.extension().is_some_and(|e| e == "rs") {
            syn::parse_file(&output.contents)
                .unwrap_or_else(|e| panic!("{}: {e}", output.path.display()));
        }
    }
    assert!(file(MOCKS_FILE).contains("fn search_offers_post<F>"));
}

#[test]
fn generation_is_deterministic() {
    let again = generate();
    let first = generated();
    assert_eq!(again.outputs.len(), first.outputs.len());
    for (a, b) in first.outputs.iter().zip(&again.outputs) {
        assert_eq!(a.path, b.path);
        assert!(
            a.contents == b.contents,
            "{} differs between two runs",
            a.path.display()
        );
    }
    assert_eq!(again.warnings, first.warnings);
}

#[test]
fn every_generated_default_helper_is_called() {
    // The spec has a non-zero number default, for which typify registers a `default_i64` it
    // never calls; left in, it fails `-D warnings` as dead code.
    let client = file(CLIENT_FILE);
    let defaults = client
        .split("pub mod defaults {")
        .nth(1)
        .expect("the spec has defaults, so the client has a defaults module");
    let helpers: Vec<&str> = defaults
        .match_indices("pub(super) fn ")
        .filter_map(|(at, _)| {
            defaults[at + "pub(super) fn ".len()..]
                .split(['<', '('])
                .next()
        })
        .collect();
    assert!(!helpers.is_empty());
    for helper in helpers {
        assert!(
            client.matches(helper).count() > 1,
            "defaults::{helper} is never called"
        );
    }
    assert!(
        !client.contains("fn default_i64"),
        "the uncalled default_i64 is left in"
    );
}

#[test]
fn constructs_of_generated_vendor_specs_generate_what_they_promise() {
    let client = file(CLIENT_FILE);
    // Hoisted `$ref` targets are types of their own, used where they were referenced.
    assert_type_contains(
        "Label",
        &[
            "pub base: ::std::option::Option<TaggedLabelAllOf0>",
            "pub limit: ::std::option::Option<PageLimitParameter>",
        ],
    );
    assert_send_contains("SearchLabels", &["ResponseValue<types::LabelPageResponse>"]);
    // The deepObject filter is a map; the paginated operation a plain call; no WebSocket.
    let compact: String = client.split_whitespace().collect();
    assert!(compact.contains("filter:Result<Option<::serde_json::Map<"));
    assert!(client_methods().contains(&"list_labels"));
    assert!(!client_methods().contains(&"watch_labels"));
    for foreign in ["futures::Stream", "::base64::", "::rand::"] {
        assert!(!client.contains(foreign), "{foreign} in the client");
    }
}
