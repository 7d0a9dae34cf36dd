//! Regenerating from a newer spec: the report of what changed, the aliases that keep old names
//! compiling, the changelog. Real history (the seed spec of 2026-07-01 to the published one of
//! 2026-08-07) and synthetic transitions (`tests/data/evolution/`), each generated into a
//! scratch directory with the `cargo xtask codegen` binary. `.ci/evolution` compiles code
//! written against the old specs against the new ones.

mod common;

use std::path::{Path, PathBuf};

use common::{CLIENT_FILE, Run, VENDORED_SPEC as PUBLISHED, assert_contains, path_str, read};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
const API_FILE: &str = "openapi/api.json";
const ADDITIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/additions.yaml");

fn codegen(out: &Path, spec: &str, date: &str, extra: &[&str]) -> Run {
    let args = [
        "--spec",
        spec,
        "--spec-date",
        date,
        "--out-dir",
        path_str(out),
    ];
    common::codegen(&[&args[..], extra].concat())
}

fn generate(out: &Path, spec: &str, date: &str) -> Run {
    let run = codegen(out, spec, date, &[]);
    assert!(run.ok, "generating from {spec} failed: {}", run.stderr);
    run
}

/// The report says the API did not change.
#[track_caller]
fn assert_no_changes(run: &Run) {
    assert!(run.stdout.ends_with(": none\n"), "{}", run.stdout);
}

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

fn record(out: &Path) -> serde_json::Value {
    serde_json::from_str(&read(out, API_FILE)).expect("openapi/api.json is JSON")
}

/// The report's change lines (`  breaking  Changed     text`), as (breaking, text).
fn changes(report: &str) -> Vec<(bool, String)> {
    report
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("  ")?;
            let (mark, rest) = rest.split_once("  ")?;
            let breaking = match mark.trim() {
                "breaking" => true,
                "additive" => false,
                _ => return None,
            };
            let text = rest.trim_start().split_once("  ")?.1.trim_start();
            Some((breaking, text.to_owned()))
        })
        .collect()
}

/// The seed spec (no operationIds, trailing slashes) to the published one (operationIds, no
/// trailing slashes, `NotificationWebhook.name` nullable): the seed's one operation is the
/// same operation under the same name, the nullability is a breaking type change, the other 99
/// operations are additions, and a second run reports nothing.
#[test]
fn seed_to_published_spec() {
    let out = tempfile::tempdir().unwrap();
    let first = generate(out.path(), &data("seed.yaml"), "2026-07-01");
    assert_contains(&first.stderr, "first record");
    let seed = record(out.path());
    let key = "POST /api/v0/webhooks/{id}/rotate-secret";
    assert_eq!(
        seed["operations"][key]["method"],
        "rotate_notification_webhook_secret"
    );
    assert_eq!(seed["spec"]["date"], "2026-07-01");

    let second = generate(out.path(), PUBLISHED, "2026-08-07");
    let found = changes(&second.stdout);
    let about = |needle: &str| -> Vec<&(bool, String)> {
        found.iter().filter(|(_, t)| t.contains(needle)).collect()
    };
    assert_eq!(
        about("`NotificationWebhook.name`"),
        [&(
            true,
            "`NotificationWebhook.name`: type changed from `string` to `string | null` (made nullable: it may now be null)".to_owned()
        )],
        "{}",
        second.stdout
    );
    // The trailing-slash path is the same operation: not removed, added or renamed.
    assert!(
        about("rotate_notification_webhook_secret").is_empty(),
        "{}",
        second.stdout
    );
    let added = found
        .iter()
        .filter(|(b, t)| !b && t.starts_with("operation `"))
        .count();
    // The published spec's 100 operations but the rotation, which the seed had, and the
    // additions generated beside it.
    let additions = xtask::additions::load(Path::new(ADDITIONS)).expect("the additions file");
    assert_eq!(added, 99 + additions.additions.len(), "{}", second.stdout);
    assert!(
        found
            .iter()
            .all(|(b, t)| !b || t.contains(".name`: type changed")),
        "only the nullable names break: {}",
        second.stdout
    );
    assert_contains(
        &second.stdout,
        "implied version bump: minor (0.1.0 -> 0.2.0",
    );
    let published = record(out.path());
    assert_eq!(
        published["operations"][key]["method"],
        "rotate_notification_webhook_secret"
    );
    assert!(published["aliases"]["methods"].is_null());
    assert!(!read(out.path(), CLIENT_FILE).contains("#[deprecated"));

    let third = generate(out.path(), PUBLISHED, "2026-08-07");
    assert_no_changes(&third);
    assert_contains(&third.stderr, "already up to date");
}

/// The same operation under a new operationId (and its path without the trailing slash): the new
/// name is generated, the old method, builder and response type stay as deprecated aliases, in
/// every later generation too, until `--drop-aliases`.
#[test]
fn renamed_operation_keeps_its_old_name_as_a_deprecated_alias() {
    let out = tempfile::tempdir().unwrap();
    generate(out.path(), &data("evolution/v1.yaml"), "2026-09-01");
    let run = generate(out.path(), &data("evolution/v2-renamed.yaml"), "2026-10-01");
    assert_eq!(
        changes(&run.stdout),
        [
            (false, "`Client::rotate_webhook_secret` renamed to `Client::rotate_notification_webhook_secret` (`POST /api/v0/webhooks/{id}/rotate-secret`); the old name is kept as a deprecated alias".to_owned()),
            (false, "type `types::RotateWebhookSecretResponse` renamed to `types::RotateNotificationWebhookSecretResponse` (same shape); the old name is kept as a deprecated alias".to_owned()),
        ],
        "{}",
        run.stdout
    );
    assert_contains(&run.stdout, "implied version bump: patch");
    let client = read(out.path(), CLIENT_FILE);
    for expected in [
        "pub fn rotate_webhook_secret(&self) -> builder::RotateNotificationWebhookSecret<'_> {\n        self.rotate_notification_webhook_secret()\n    }",
        "pub type RotateWebhookSecret<'a> = RotateNotificationWebhookSecret<'a>;",
        "pub type RotateWebhookSecretResponse = RotateNotificationWebhookSecretResponse;",
        "note = \"renamed to `rotate_notification_webhook_secret` in spec 1.0.0 of 2026-10-01\"",
    ] {
        assert!(
            client.contains(expected),
            "{expected} missing from the client"
        );
    }
    assert_eq!(
        record(out.path())["aliases"]["methods"]["rotate_webhook_secret"]["to"],
        "rotate_notification_webhook_secret"
    );

    // Regenerating keeps the aliases and reports nothing.
    let again = generate(out.path(), &data("evolution/v2-renamed.yaml"), "2026-10-01");
    assert_no_changes(&again);
    assert_eq!(read(out.path(), CLIENT_FILE), client);

    // Dropping them is deliberate, and reported as breaking.
    let dropped = codegen(
        out.path(),
        &data("evolution/v2-renamed.yaml"),
        "2026-10-01",
        &["--drop-aliases"],
    );
    assert!(dropped.ok, "{}", dropped.stderr);
    let found = changes(&dropped.stdout);
    assert_eq!(found.len(), 2, "{}", dropped.stdout);
    assert!(found.iter().all(|(breaking, _)| *breaking));
    assert!(!read(out.path(), CLIENT_FILE).contains("#[deprecated"));
}

/// One breaking change, the only one reported; breaking in 0.x is a minor bump.
#[test]
fn removed_operation_and_new_required_parameter_are_breaking() {
    for (spec, change) in [
        (
            "evolution/v2-removed.yaml",
            "operation `DELETE /api/v0/things/{id}` (`Client::delete_thing`) removed",
        ),
        (
            "evolution/v2-required-param.yaml",
            "`list_things`: required query parameter `owner` (`string`)",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        generate(out.path(), &data("evolution/v1.yaml"), "2026-09-01");
        let run = generate(out.path(), &data(spec), "2026-10-01");
        assert_eq!(
            changes(&run.stdout),
            [(true, change.to_owned())],
            "{}",
            run.stdout
        );
        assert_contains(&run.stdout, "implied version bump: minor (0.1.0 -> 0.2.0");
    }
}

/// Summaries, descriptions and examples are docs: changing them changes no API.
#[test]
fn docs_only_changes_report_nothing() {
    let out = tempfile::tempdir().unwrap();
    generate(out.path(), &data("evolution/v1.yaml"), "2026-09-01");
    let v1 = std::fs::read_to_string(data("evolution/v1.yaml")).unwrap();
    let edited = v1
        .replace("summary: list things", "summary: list every thing")
        .replace(
            "        name:\n          type: string\n",
            "        name:\n          type: string\n          description: What the thing is called.\n          example: lamp\n",
        );
    assert_ne!(edited, v1);
    let spec = common::write(out.path(), "docs-only.yaml", &edited);
    let run = generate(out.path(), path_str(&spec), "2026-10-01");
    assert_no_changes(&run);
}

/// `--report-only` prints the report and writes nothing; the changelog gains each entry once and
/// `--check` passes right after a run.
#[test]
fn report_only_writes_nothing_and_the_changelog_is_idempotent() {
    let out = tempfile::tempdir().unwrap();
    common::write(
        out.path(),
        "CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n<!-- api-changes:begin (generated by `cargo xtask codegen`; entries accumulate until a release moves them) -->\n<!-- api-changes:end -->\n",
    );
    generate(out.path(), &data("evolution/v1.yaml"), "2026-09-01");
    let snapshot = |out: &Path| -> Vec<(PathBuf, String)> {
        [API_FILE, CLIENT_FILE, "CHANGELOG.md"]
            .iter()
            .map(|f| (PathBuf::from(f), read(out, f)))
            .collect()
    };
    let before = snapshot(out.path());
    assert!(
        before[2]
            .1
            .contains("No API changes since the last release.")
    );
    let removed = data("evolution/v2-removed.yaml");
    let report = codegen(out.path(), &removed, "2026-10-01", &["--report-only"]);
    assert!(report.ok, "{}", report.stderr);
    assert_eq!(changes(&report.stdout).len(), 1, "{}", report.stdout);
    assert!(!report.stderr.contains("wrote"), "{}", report.stderr);
    assert_eq!(snapshot(out.path()), before);

    generate(out.path(), &removed, "2026-10-01");
    let entry =
        "- **Breaking:** operation `DELETE /api/v0/things/{id}` (`Client::delete_thing`) removed\n";
    let text = read(out.path(), "CHANGELOG.md");
    assert_eq!(text.matches(entry).count(), 1, "{text}");
    assert_contains(&text, "### Removed\n\n");
    assert_contains(&text, "**minor** (0.1.0 → 0.2.0");
    generate(out.path(), &removed, "2026-10-01");
    assert_eq!(read(out.path(), "CHANGELOG.md"), text);
    let check = codegen(out.path(), &removed, "2026-10-01", &["--check"]);
    assert!(check.ok, "{}{}", check.stdout, check.stderr);
}
