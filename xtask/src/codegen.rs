//! `cargo xtask codegen`: spec -> normalised spec -> client, mocks and fixtures -> files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::additions;
use crate::aliases;
use crate::api::{self, API_FILE, Api, SpecInfo};
use crate::api_diff::{self, Evolution, Report};
use crate::changelog::{self, CHANGELOG_FILE};
use crate::contradictions;
use crate::corrected_spec;
use crate::corrections;
use crate::decisions::{Decisions, Prune};
use crate::diagnostics::Diagnostics;
use crate::fixtures;
use crate::fixtures_module;
use crate::generate;
use crate::normalize::{self, Normalized};
use crate::operation_tests;
use crate::operations_doc::{self, README_FILE};
use crate::outputs::{self, Output};
use crate::schemas_module;
use crate::spec;

// Where the tests look for generated files; each path belongs to the module that renders it.
pub use crate::fixtures_module::FIXTURES_FILE;
pub use crate::generate::{CLIENT_FILE, MOCKS_FILE};
pub use crate::operation_tests::{CALLS_FILE, OPERATION_TESTS_FILE};

pub const DEFAULT_SPEC: &str = "openapi/openapi.yaml";

#[derive(clap::Args)]
pub struct Args {
    /// Generate in memory and fail with a diff if any committed generated file is stale.
    #[arg(long)]
    check: bool,
    /// The spec to generate from (YAML or JSON, OpenAPI 3.0 or 3.1).
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// Write generated files under this directory instead of the workspace (same layout).
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Also write the normalised OpenAPI 3.0 document given to progenitor (JSON) to this path.
    #[arg(long)]
    emit_normalized: Option<PathBuf>,
    /// The corrections file (default: `<spec stem>.corrections.yaml` beside the spec, or
    /// `corrections.yaml` beside a spec named `openapi.yaml`).
    #[arg(long)]
    corrections: Option<PathBuf>,
    /// The additions file (default: `<spec stem>.additions.yaml` beside the spec, or
    /// `additions.yaml` beside a spec named `openapi.yaml`).
    #[arg(long)]
    additions: Option<PathBuf>,
    /// Delete what the spec has overtaken before generating: corrections whose place is gone
    /// or whose change the spec now makes itself, additions the spec now documents, addition
    /// schemas nothing uses. Each deletion is printed with its finding.
    #[arg(long, conflicts_with = "check")]
    prune: bool,
    /// Print what changed in the API since the last generation (openapi/api.json) and write
    /// nothing.
    #[arg(long, conflicts_with = "check")]
    report_only: bool,
    /// The day the vendor published the spec (YYYY-MM-DD), recorded in openapi/api.json and the
    /// crate docs. Default: the date recorded for the same spec, else today.
    #[arg(long, value_parser = parse_date)]
    spec_date: Option<String>,
    /// Drop every deprecated alias kept for renamed methods and types (a breaking change,
    /// reported as one).
    #[arg(long)]
    drop_aliases: bool,
}

fn parse_date(text: &str) -> std::result::Result<String, String> {
    let ok = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    if ok {
        Ok(text.to_owned())
    } else {
        Err(format!("`{text}` is not a date of the form YYYY-MM-DD"))
    }
}

pub fn run(args: &Args, workspace: &Path) -> Result<ExitCode> {
    let resolve = |path: &Path| {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            workspace.join(path)
        }
    };
    let mut input = Input::beside(&resolve(&args.spec), &args.spec.display().to_string());
    if let Some(path) = &args.corrections {
        input.corrections = Some(resolve(path));
    }
    if let Some(path) = &args.additions {
        input.additions = Some(resolve(path));
    }
    let mut diags = Diagnostics::default();
    let mut decisions = Decisions::default();
    let mut prepared = prepare(&input, &mut diags, &mut decisions);
    if args.prune && decisions.prunable_ones().next().is_some() {
        prune(&input, &decisions)?;
        // Again, from the pruned files: what is left is what only a maintainer can decide.
        diags = Diagnostics::default();
        decisions = Decisions::default();
        prepared = prepare(&input, &mut diags, &mut decisions);
    }
    report_decisions(&input.spec_label, &decisions);
    // Written even when generation fails below: it is the document to debug with.
    if let (Some(path), Ok(prepared)) = (&args.emit_normalized, &prepared) {
        let json = serde_json::to_string_pretty(&prepared.normalized.json)? + "\n";
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let root = args
        .out_dir
        .clone()
        .unwrap_or_else(|| workspace.to_path_buf());
    // The README's operations list is regenerated where a README with its markers exists.
    let readme = std::fs::read_to_string(root.join(README_FILE)).ok();
    // After the spec loaded: an unreadable spec is reported by `prepare`.
    let generated = prepared.and_then(|prepared| {
        let history = history(args, &root, workspace, &prepared.spec_sha256)?;
        generate_with(&input.spec_label, prepared, readme.as_deref(), &history)
            .map(|g| (g, history))
    });
    // Printed whether or not generation succeeded: they are what there is to debug with.
    for warning in diags.warnings() {
        eprintln!("warning: {}#{warning}", input.spec_label);
    }
    let (Generated { outputs, evolution }, history) = generated?;
    let spec_label = &input.spec_label;
    match &history.previous {
        Some(previous) => print!(
            "{}",
            Report {
                evolution: &evolution,
                version: &history.version,
                from: &format!("{API_FILE} (spec {})", previous.spec.label()),
                to: &format!("{spec_label} (spec {})", evolution.record.spec.label()),
            }
        ),
        None => eprintln!("no {API_FILE} to compare with: this generation is the first record"),
    }
    if args.report_only {
        return Ok(ExitCode::SUCCESS);
    }
    if args.check {
        let diffs = outputs::stale(&root, &outputs);
        if diffs.is_empty() {
            eprintln!(
                "{} generated files are up to date with {spec_label}",
                outputs.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for diff in &diffs {
            print!("{diff}");
        }
        eprintln!(
            "error: {} generated file(s) are stale with respect to {spec_label}; run `cargo xtask codegen` and commit the result",
            diffs.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let written = outputs::write_all(&root, &outputs)?;
    for path in &written {
        eprintln!("wrote {}", path.display());
    }
    if written.is_empty() {
        eprintln!("generated files were already up to date");
    }
    Ok(ExitCode::SUCCESS)
}

/// What the previous generation left: the API it published, the changelog, the crate's version.
#[derive(Default)]
pub struct History {
    pub previous: Option<Api>,
    /// Of the spec file (`SpecInfo::sha256`).
    pub sha256: String,
    /// `SpecInfo::date` for this spec.
    pub date: String,
    pub drop_aliases: bool,
    /// `CHANGELOG.md`'s text, where one exists.
    pub changelog: Option<String>,
    /// The crate's version, for the bump a report implies.
    pub version: String,
}

fn history(args: &Args, root: &Path, workspace: &Path, sha256: &str) -> Result<History> {
    let previous = api::load(&root.join(API_FILE))?;
    let date = match (&args.spec_date, &previous) {
        (Some(date), _) => date.clone(),
        (None, Some(previous)) if previous.spec.sha256 == sha256 => previous.spec.date.clone(),
        (None, _) => api::today(),
    };
    let version = [root, workspace]
        .iter()
        .find_map(|dir| std::fs::read_to_string(dir.join("Cargo.toml")).ok())
        .and_then(|toml| changelog::workspace_version(&toml))
        .unwrap_or_else(|| "0.1.0".to_owned());
    Ok(History {
        previous,
        sha256: sha256.to_owned(),
        date,
        drop_aliases: args.drop_aliases,
        changelog: std::fs::read_to_string(root.join(CHANGELOG_FILE)).ok(),
        version,
    })
}

/// What a run generates from.
pub struct Input {
    pub spec_path: PathBuf,
    /// The spec as the user named it, for messages and file headers.
    pub spec_label: String,
    pub corrections: Option<PathBuf>,
    pub additions: Option<PathBuf>,
}

impl Input {
    /// The spec at `spec_path` with the corrections and additions files beside it, if any.
    pub fn beside(spec_path: &Path, spec_label: &str) -> Input {
        Input {
            spec_path: spec_path.to_path_buf(),
            spec_label: spec_label.to_owned(),
            corrections: corrections::default_path(spec_path),
            additions: additions::default_path(spec_path),
        }
    }
}

/// The spec with its additions merged and its corrections applied, checked for
/// contradictions, and normalised for progenitor; the trailing-slash rule, if any, comes last
/// so that every diagnostic before it points into the vendored document as published.
///
/// Everything a maintainer must decide (stale corrections, additions the spec now documents,
/// contradicting examples) is collected in `decisions`, all of it, before the run stops.
pub fn prepare(
    input: &Input,
    diags: &mut Diagnostics,
    decisions: &mut Decisions,
) -> Result<Prepared> {
    let (mut doc, spec_sha256) = spec::load(&input.spec_path)?;
    let label = &input.spec_label;
    let rules = match &input.corrections {
        Some(path) => corrections::load(path)?,
        None => corrections::Corrections::default(),
    };
    let rules_label = file_label(input.corrections.as_deref(), "a corrections file");
    if let Some(path) = &input.additions {
        let added = additions::load(path)?;
        additions::merge(&mut doc, &added, &docs_label(path), decisions)?;
    }
    corrections::apply(&mut doc, &rules, &rules_label, diags, decisions)?;
    let found = contradictions::find(&doc);
    for contradiction in &found {
        decisions.blocking(&contradiction.example, contradiction.detail(), None);
    }
    let blocking = decisions.blocking_ones().count();
    if blocking > 0 {
        let prunable = decisions
            .blocking_ones()
            .filter(|d| d.prune.is_some())
            .count();
        bail!(
            "{label}: {blocking} decision(s) to make (listed above, each with its pointer): {prunable} of them `cargo xtask codegen --prune` settles (stale corrections, additions the spec now documents); decide each other one with an entry in {rules_label} (`at`: the pointer of the wrong side, `set` or `remove`, the finding and the evidence: see ARCHITECTURE.md, \"Where each kind of change goes\")"
        );
    }
    let mut corrected = doc.clone();
    let slash = |json: &mut serde_json::Value, diags: &mut Diagnostics| {
        if rules.trailing_slash.is_some() {
            corrections::add_trailing_slashes(json, &rules_label, diags);
        }
    };
    // Reported once, for the normalised document.
    slash(&mut corrected, &mut Diagnostics::default());
    let normalized =
        normalize::normalize_then(doc, diags, slash).with_context(|| label.to_owned())?;
    Ok(Prepared {
        corrected,
        normalized,
        rules,
        spec_sha256,
    })
}

/// A reviewed file as messages name it: its file name.
fn file_label(path: Option<&Path>, none: &str) -> String {
    match path {
        Some(p) => p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        None => none.to_owned(),
    }
}

/// A reviewed file as the generated docs name it: its folder and name (`openapi/additions.yaml`),
/// the same wherever the workspace is.
fn docs_label(path: &Path) -> String {
    let mut parts: Vec<String> = path
        .iter()
        .rev()
        .take(2)
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    parts.reverse();
    parts.join("/")
}

/// Prints every decision, one line each with its pointer: `decision:` for those that stop the
/// run, `warning:` for the others.
fn report_decisions(spec_label: &str, decisions: &Decisions) {
    for decision in decisions.all() {
        let kind = if decision.blocking {
            "decision"
        } else {
            "warning"
        };
        eprintln!("{kind}: {spec_label}#{decision}");
    }
}

/// Deletes from the corrections and additions files what `decisions` says `--prune` may, and
/// prints each deletion with its finding.
fn prune(input: &Input, decisions: &Decisions) -> Result<()> {
    let mut corrections = std::collections::BTreeSet::new();
    let mut additions = std::collections::BTreeSet::new();
    let mut schemas = std::collections::BTreeSet::new();
    for (decision, what) in decisions.prunable_ones() {
        eprintln!("pruned: {}#{decision}", input.spec_label);
        match what {
            Prune::Correction(i) => corrections.insert(*i),
            Prune::Addition(i) => additions.insert(*i),
            Prune::AdditionSchema(name) => schemas.insert(name.clone()),
        };
    }
    let edit = |path: Option<&PathBuf>, change: &dyn Fn(&str) -> Result<String>| -> Result<()> {
        let Some(path) = path else { return Ok(()) };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let edited = change(&text).with_context(|| format!("cannot prune {}", path.display()))?;
        outputs::replace_file(path, &edited)
    };
    if !corrections.is_empty() {
        edit(input.corrections.as_ref(), &|text| {
            crate::yaml_edit::remove_list_items(text, "corrections", &corrections)
        })?;
    }
    if !additions.is_empty() || !schemas.is_empty() {
        edit(input.additions.as_ref(), &|text| {
            let text = if additions.is_empty() {
                text.to_owned()
            } else {
                crate::yaml_edit::remove_list_items(text, "additions", &additions)?
            };
            if schemas.is_empty() {
                Ok(text)
            } else {
                crate::yaml_edit::remove_map_entries(&text, "schemas", &schemas)
            }
        })?;
    }
    Ok(())
}

/// A spec ready to generate from.
pub struct Prepared {
    /// The spec as published with its corrections applied (the document the SDK's requests
    /// follow, and what the Prism test serves).
    pub corrected: serde_json::Value,
    /// What progenitor is given.
    pub normalized: Normalized,
    /// The corrections applied.
    pub rules: corrections::Corrections,
    /// Of the spec file as read (`SpecInfo::sha256`).
    pub spec_sha256: String,
}

/// Everything derived from the spec, in memory. Nothing is written if any step fails.
pub fn generate_all(
    spec_path: &Path,
    spec_label: &str,
    diags: &mut Diagnostics,
) -> Result<Vec<Output>> {
    let input = Input::beside(spec_path, spec_label);
    let prepared = prepare(&input, diags, &mut Decisions::default())?;
    generate_from(spec_label, prepared, None)
}

/// The generated files, from a prepared spec; with the README's current text, the README with
/// its operations list regenerated too. No previous API: nothing to compare with.
pub fn generate_from(
    spec_label: &str,
    prepared: Prepared,
    readme: Option<&str>,
) -> Result<Vec<Output>> {
    generate_with(spec_label, prepared, readme, &History::default()).map(|g| g.outputs)
}

/// The files of a generation and how its API compares with the previous one.
pub struct Generated {
    pub outputs: Vec<Output>,
    pub evolution: Evolution,
}

/// `generate_from`, with the previous generation: its aliases kept, the change report made, the
/// changelog (if any) updated.
pub fn generate_with(
    spec_label: &str,
    prepared: Prepared,
    readme: Option<&str>,
    history: &History,
) -> Result<Generated> {
    let Prepared {
        corrected,
        normalized,
        rules,
        spec_sha256: _,
    } = prepared;
    // rustfmt formats the client, the longest step on a large spec, in its own process while
    // the mocks and fixtures are generated on another core (BENCHMARKS.md).
    let client = generate::start_client(&normalized).with_context(|| spec_label.to_owned())?;
    // The mocks are generated from a spec of their own (see `normalize::for_mocks`).
    let (mocks, typed) = normalize::for_mocks(&normalized)
        .and_then(|for_mocks| generate::mocks(&for_mocks))
        .with_context(|| spec_label.to_owned())?;
    let fixtures = fixtures::build(&normalized.json);
    let fixtures_file = fixtures_module::output(spec_label, &fixtures, &typed)?;
    let calls_file =
        operation_tests::calls_output(spec_label, &normalized.json, &client.operations)?;
    let tests_file =
        operation_tests::tests_output(spec_label, &normalized.json, &fixtures, &typed)?;
    let type_names = client.type_names;
    let client = client
        .source
        .finish()
        .with_context(|| spec_label.to_owned())?;
    let spec_info = SpecInfo {
        version: corrected
            .pointer("/info/version")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("?")
            .to_owned(),
        date: history.date.clone(),
        sha256: history.sha256.clone(),
    };
    let api = api::build(&corrected, &normalized.json, &client, spec_info)
        .with_context(|| spec_label.to_owned())?;
    let evolution = api_diff::evolve(history.previous.as_ref(), api, history.drop_aliases);
    let client = if evolution.record.aliases.is_empty() {
        client
    } else {
        generate::rustfmt(
            &aliases::insert(&client, &evolution.record).with_context(|| spec_label.to_owned())?,
        )?
    };
    let schemas_file = schemas_module::output(spec_label, &normalized.json, &type_names)?;
    let operations_doc =
        operations_doc::output(spec_label, &normalized.json, &evolution.record.spec);
    let readme = match readme {
        Some(text) => Some(operations_doc::readme(text, &normalized.json, &rules)?),
        None => None,
    };
    let mut outputs = vec![
        operations_doc,
        generate::client_output(spec_label, &client),
        generate::mocks_output(spec_label, &mocks),
        schemas_file,
        fixtures_file,
        corrected_spec::output(corrected, spec_label)?,
        calls_file,
        tests_file,
    ];
    outputs.extend(readme);
    if let Some(text) = &history.changelog {
        outputs.push(Output {
            path: CHANGELOG_FILE.into(),
            contents: changelog::update(text, &evolution.changes, &history.version)?,
        });
    }
    outputs.push(Output {
        path: API_FILE.into(),
        contents: api::to_json(&evolution.record)?,
    });
    Ok(Generated { outputs, evolution })
}
