//! `cargo xtask codegen` as a user runs it: bad input fails cleanly and `--check` sees drift.

mod common;

use std::path::{Path, PathBuf};

use common::{VENDORED_SPEC, assert_one_error, codegen, path_str, read};

const VENDORED_CORRECTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/corrections.yaml");
const VENDORED_ADDITIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/additions.yaml");
const SEED_SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed.yaml");
const GENERATED: [&str; 4] = [
    "vast-api/src/generated.rs",
    "vast-api-tests/src/generated_mocks.rs",
    "vast-api-tests/src/generated_fixtures.rs",
    "vast-api-tests/src/generated_schemas.rs",
];

/// An output directory holding "committed" generated files, to check they survive a failure.
fn out_dir_with_existing_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in GENERATED {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("// committed {file}\n")).unwrap();
    }
    dir
}

/// Generates from `spec` into committed files and checks it fails with one error naming
/// `expected`, no panic, the files untouched and no temporary file left; returns the run.
fn assert_fails_cleanly(spec: &Path, expected: &[&str]) -> common::Run {
    let out = out_dir_with_existing_files();
    let result = generate(spec, out.path(), &[]);
    assert!(
        !result.stderr.contains("panicked"),
        "panic reached the user: {}",
        result.stderr
    );
    assert_one_error(&result, expected);
    for file in GENERATED {
        assert_eq!(
            read(out.path(), file),
            format!("// committed {file}\n"),
            "{file} was touched"
        );
    }
    let leftovers = walk(out.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"));
    assert_eq!(leftovers.count(), 0, "temporary files left behind");
    result
}

/// `codegen --spec <spec> --out-dir <out>` and `extra` flags.
fn generate(spec: &Path, out: &Path, extra: &[&str]) -> common::Run {
    let args = ["--spec", path_str(spec), "--out-dir", path_str(out)];
    codegen(&[extra, &args[..]].concat())
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn spec_file(contents: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::io::Write::write_all(&mut file, contents.as_bytes()).unwrap();
    file
}

/// A copy of the vendored spec, changed, beside a copy of its corrections file.
struct VendoredCopy(tempfile::TempDir);

impl VendoredCopy {
    fn path(&self) -> PathBuf {
        self.0.path().join("openapi.yaml")
    }
}

fn vendored_with(from: &str, to: &str) -> VendoredCopy {
    let spec = std::fs::read_to_string(VENDORED_SPEC).unwrap();
    assert!(
        spec.contains(from),
        "vendored spec no longer contains {from:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openapi.yaml"), spec.replacen(from, to, 1)).unwrap();
    std::fs::copy(VENDORED_CORRECTIONS, dir.path().join("corrections.yaml")).unwrap();
    if Path::new(VENDORED_ADDITIONS).exists() {
        std::fs::copy(VENDORED_ADDITIONS, dir.path().join("additions.yaml")).unwrap();
    }
    VendoredCopy(dir)
}

#[test]
fn a_spec_that_is_not_yaml_is_a_clear_error() {
    let spec = spec_file("openapi: 3.1.0\npaths: [unclosed\n");
    assert_fails_cleanly(spec.path(), &[path_str(spec.path()), "YAML"]);
}

#[test]
fn a_missing_spec_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.yaml");
    assert_fails_cleanly(&missing, &["cannot read spec", path_str(&missing)]);
}

#[test]
fn a_duplicate_operation_id_is_a_clear_error() {
    let spec = spec_file(
        r#"openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a:
    get: {operationId: listThings, responses: {"200": {description: ok}}}
  /b:
    get: {operationId: list_things, responses: {"200": {description: ok}}}
"#,
    );
    assert_fails_cleanly(
        spec.path(),
        &["duplicate operationId", "/paths/~1b/get/operationId"],
    );
}

#[test]
fn an_unresolvable_ref_is_a_clear_error() {
    let spec = vendored_with(
        "$ref: '#/components/schemas/NotificationWebhook'",
        "$ref: '#/components/schemas/NoSuchSchema'",
    );
    assert_fails_cleanly(
        &spec.path(),
        &[
            "unresolvable reference",
            "NoSuchSchema",
            "/paths/~1api~1v0~1webhooks/get/responses/200/content/application~1json/schema/properties/webhooks/items/$ref",
        ],
    );
}

#[test]
fn an_example_contradicting_its_schema_fails_with_its_pointer_and_the_way_out() {
    // The vendored spec without its corrections file: its known contradictions are reported.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    std::fs::copy(VENDORED_SPEC, &spec).unwrap();
    let stderr = assert_fails_cleanly(
        &spec,
        &[
            "4 decision(s) to make",
            "0 of them `cargo xtask codegen --prune` settles",
            "decide each other one with an entry in",
        ],
    )
    .stderr;
    for pointer in [
        "#/paths/~1api~1v0~1workergroups/get/responses/200/content/application~1json/schema/properties/results/items/properties/search_query/example: the example contradicts its schema",
        "#/paths/~1api~1v0~1bundles/post/requestBody/content/application~1json/example: the example contradicts its schema at /type",
        "#/paths/~1api~1v0~1bundles/post/responses/200/content/application~1json/example: the example contradicts its schema at /offers",
        "#/components/schemas/Instance/properties/os_version/example: the example contradicts its schema",
    ] {
        let line = format!("decision: {}{pointer}", spec.display());
        assert!(stderr.contains(&line), "{line} missing from {stderr}");
    }
}

/// The vendored spec and its corrections, with one correction's pointer moved where nothing
/// is: `from` (in the corrections file) becomes `to`.
fn vendored_with_stale_correction(from: &str, to: &str) -> VendoredCopy {
    let copy = vendored_with("Webhook ID.", "Webhook ID.");
    let corrections = copy.0.path().join("corrections.yaml");
    let text = std::fs::read_to_string(&corrections).unwrap();
    assert!(
        text.contains(from),
        "corrections.yaml no longer contains {from:?}"
    );
    std::fs::write(&corrections, text.replacen(from, to, 1)).unwrap();
    copy
}

#[test]
fn every_stale_correction_and_what_it_leaves_is_named_in_one_run() {
    let copy = vendored_with_stale_correction(
        "/components/schemas/Instance/",
        "/components/schemas/Gone/",
    );
    let corrections = std::fs::read_to_string(copy.0.path().join("corrections.yaml")).unwrap();
    let copy = {
        // A second stale entry: both are named by the same run.
        std::fs::write(
            copy.0.path().join("corrections.yaml"),
            corrections.replacen(
                "/paths/~1api~1v0~1instances~1{id}/delete",
                "/paths/~1gone/delete",
                1,
            ),
        )
        .unwrap();
        copy
    };
    let stderr = assert_fails_cleanly(
        &copy.path(),
        &[
            "3 decision(s) to make",
            "2 of them `cargo xtask codegen --prune` settles",
        ],
    )
    .stderr;
    for needle in [
        "#/components/schemas/Gone/properties/os_version: nothing at",
        "review corrections.yaml entry 4 (/components/schemas/Gone/properties/os_version)",
        "#/paths/~1gone/delete: nothing at this pointer any more",
        // The example the stale correction no longer fixes.
        "#/components/schemas/Instance/properties/os_version/example: the example contradicts its schema",
    ] {
        assert!(stderr.contains(needle), "{needle:?} missing from {stderr}");
    }
}

#[test]
fn prune_deletes_a_stale_correction_says_so_and_generates() {
    let copy = vendored_with_stale_correction(
        "/paths/~1api~1v0~1instances~1{id}/delete",
        "/paths/~1gone/delete",
    );
    let corrections = copy.0.path().join("corrections.yaml");
    let before = std::fs::read_to_string(&corrections).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = generate(&copy.path(), out.path(), &["--prune"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("pruned: ")
            && run
                .stderr
                .contains("#/paths/~1gone/delete: nothing at this pointer any more"),
        "{}",
        run.stderr
    );
    let after = std::fs::read_to_string(&corrections).unwrap();
    assert!(!after.contains("~1gone"), "{after}");
    // Only that entry went: every other line is as it was.
    let gone: Vec<&str> = before
        .lines()
        .filter(|l| !after.lines().any(|a| a == *l))
        .collect();
    assert!(gone.iter().all(|l| !l.trim().is_empty()), "{gone:?}");
    assert!(gone[0].contains("~1gone"), "{gone:?}");
    assert!(gone.len() < 10, "{gone:?}");
}

const SUPERSEDED_ADDITION: &str = r##"additions:
  - method: post
    path: /api/v0/bundles/
    evidence:
      sent_by: vastai/api/offers.py search_offers()
      sends: a query body
      reads: offers
    operation:
      operationId: search_offers_added
      responses:
        "200": {description: ok}
  - method: put
    path: /api/v0/instances/take_snapshot/{id}
    evidence:
      sent_by: vastai/api/instances.py take_snapshot()
      sends: an empty body
      reads: success
    operation:
      operationId: take_snapshot
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Snapshot"}}}}
schemas:
  Snapshot: {type: object, properties: {success: {type: boolean}}}
"##;

#[test]
fn an_addition_the_spec_documents_is_named_then_pruned_and_the_other_one_generated() {
    let copy = vendored_with("Webhook ID.", "Webhook ID.");
    let additions = copy.0.path().join("additions.yaml");
    std::fs::write(&additions, SUPERSEDED_ADDITION).unwrap();
    let stderr = assert_fails_cleanly(
        &copy.path(),
        &[
            "1 decision(s) to make",
            "1 of them `cargo xtask codegen --prune` settles",
        ],
    )
    .stderr;
    assert!(
        stderr.contains(
            "#/paths/~1api~1v0~1bundles/post: the spec now documents `POST /api/v0/bundles`, which "
        ) && stderr
            .contains("additions.yaml addition 1 (post /api/v0/bundles/) (`search_offers_added`)"),
        "{stderr}"
    );
    let out = tempfile::tempdir().unwrap();
    let run = generate(&copy.path(), out.path(), &["--prune"]);
    run.assert_ok();
    let left = std::fs::read_to_string(&additions).unwrap();
    assert!(
        !left.contains("search_offers_added") && left.contains("take_snapshot"),
        "{left}"
    );
    let client = read(out.path(), GENERATED[0]);
    assert!(
        client.contains("pub fn take_snapshot("),
        "the other addition was not generated"
    );
    assert!(
        client.contains("Not in Vast.ai's published spec"),
        "its docs do not say where it comes from"
    );
}

#[test]
fn the_seed_spec_still_generates_the_rotation_with_f64_timestamps() {
    // The 2026-07-01 form: no operationIds, paths with a trailing slash, float timestamps.
    let out = tempfile::tempdir().unwrap();
    generate(Path::new(SEED_SPEC), out.path(), &[]).assert_ok();
    let client = read(out.path(), GENERATED[0]);
    assert!(
        client.contains("pub fn rotate_notification_webhook_secret("),
        "no rotation method"
    );
    assert!(
        client.contains("/api/v0/webhooks/{}/rotate-secret/"),
        "path lost its slash"
    );
    let webhook = client
        .split("pub struct NotificationWebhook {")
        .nth(1)
        .and_then(|rest| rest.split("\n    }").next())
        .expect("NotificationWebhook type");
    assert!(
        webhook.contains("pub created_at: ::std::option::Option<f64>"),
        "{webhook}"
    );
    assert!(!client.contains("f32"), "an f32 in the seed's client");
}

#[test]
fn check_passes_on_fresh_output_and_fails_with_a_diff_after_a_description_change() {
    let out = tempfile::tempdir().unwrap();
    let spec = vendored_with("Webhook ID.", "Webhook ID.");
    generate(&spec.path(), out.path(), &[]).assert_ok();
    generate(&spec.path(), out.path(), &["--check"]).assert_ok();

    let changed = vendored_with("Webhook ID.", "The webhook's ID.");
    let before = read(out.path(), GENERATED[0]);
    let stale = generate(&changed.path(), out.path(), &["--check"]);
    let diff = &stale.stdout;
    assert!(!stale.ok);
    assert!(
        diff.contains("-") && diff.contains("+") && diff.contains("The webhook's ID."),
        "{diff}"
    );
    assert!(diff.contains("vast-api/src/generated.rs"), "{diff}");
    assert_eq!(read(out.path(), GENERATED[0]), before, "--check wrote");
}

#[test]
fn generation_is_deterministic_and_files_start_with_a_header_naming_the_command() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    for out in [&first, &second] {
        generate(Path::new(VENDORED_SPEC), out.path(), &[]).assert_ok();
    }
    for file in GENERATED {
        let a = std::fs::read(first.path().join(file)).unwrap();
        let b = std::fs::read(second.path().join(file)).unwrap();
        assert!(a == b, "{file} differs between two runs");
        assert!(
            read(first.path(), file).starts_with("// @generated by `cargo xtask codegen`"),
            "{file}"
        );
    }
}

#[test]
fn a_cycle_of_ref_aliases_is_a_clear_error() {
    let spec = spec_file(
        r##"openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Root: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/Root'}
"##,
    );
    assert_fails_cleanly(
        spec.path(),
        &[
            "a cycle of $ref aliases",
            "/components/schemas/Root -> /components/schemas/B -> /components/schemas/Root",
        ],
    );
}

#[test]
fn deeply_nested_or_huge_input_is_refused_before_parsing() {
    // 100,000 nested flow sequences took the YAML parser 79 s.
    let deep = spec_file(&format!("openapi: 3.1.0\npaths: {}\n", "[".repeat(100_000)));
    assert_fails_cleanly(deep.path(), &["nested deeper than 256", "line 2"]);

    // A sparse file: its size is read, not its bytes.
    let huge = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    huge.as_file().set_len(64 * 1024 * 1024 + 1).unwrap();
    assert_fails_cleanly(huge.path(), &["over the limit of 67108864"]);
}
