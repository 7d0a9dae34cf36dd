//! `cargo xtask codegen`: spec -> normalised spec -> client, mocks and fixtures -> files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use proc_macro2::Literal;
use quote::{format_ident, quote};

use crate::aliases;
use crate::api::{self, API_FILE, Api, SpecInfo};
use crate::api_diff::{self, Evolution, Report};
use crate::changelog::{self, CHANGELOG_FILE};
use crate::contradictions;
use crate::corrections;
use crate::diagnostics::Diagnostics;
use crate::fixtures::{self, Fixture};
use crate::generate::{self, SDK_CRATE};
use crate::mock_index::{self, TypedResponse};
use crate::normalize::{self, Normalized};
use crate::operation_tests;
use crate::operations_doc;
use crate::outputs::{self, Output};
use crate::spec;

pub const DEFAULT_SPEC: &str = "openapi/openapi.yaml";
pub const CLIENT_FILE: &str = "vast-api/src/generated.rs";
pub const MOCKS_FILE: &str = "vast-api-tests/src/generated_mocks.rs";
pub const FIXTURES_FILE: &str = "vast-api-tests/src/generated_fixtures.rs";
pub const SCHEMAS_FILE: &str = "vast-api-tests/src/generated_schemas.rs";
pub const OPERATIONS_DOC_FILE: &str = "vast-api/src/operations.md";
pub const README_FILE: &str = "README.md";
pub const CORRECTED_SPEC_FILE: &str = "vast-api-tests/spec/openapi.corrected.json";
pub const CALLS_FILE: &str = "vast-api-tests/src/generated_calls.rs";
pub const OPERATION_TESTS_FILE: &str = "vast-api-tests/tests/operations.rs";

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
    let spec_path = resolve(&args.spec);
    let input = Input {
        spec_label: args.spec.display().to_string(),
        corrections: match &args.corrections {
            Some(path) => Some(resolve(path)),
            None => corrections::default_path(&spec_path),
        },
        spec_path,
    };
    let mut diags = Diagnostics::default();
    let prepared = prepare(&input, &mut diags);
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
        let history = history(args, &root, workspace, &input.spec_path)?;
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
            eprintln!("generated files are up to date with {spec_label}");
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

fn history(args: &Args, root: &Path, workspace: &Path, spec_path: &Path) -> Result<History> {
    let previous = api::load(&root.join(API_FILE))?;
    let bytes =
        std::fs::read(spec_path).with_context(|| format!("cannot read {}", spec_path.display()))?;
    let sha256 = api::sha256_prefix(&bytes);
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
        sha256,
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
}

/// The spec with its corrections applied, checked for contradictions, and normalised for
/// progenitor; the trailing-slash rule, if any, comes last so that every diagnostic before it
/// points into the vendored document as published.
pub fn prepare(input: &Input, diags: &mut Diagnostics) -> Result<Prepared> {
    let mut doc = spec::load(&input.spec_path)?;
    let label = &input.spec_label;
    let rules = match &input.corrections {
        Some(path) => corrections::load(path)?,
        None => corrections::Corrections::default(),
    };
    let rules_label = input.corrections.as_ref().map_or_else(
        || "a corrections file".to_owned(),
        |p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        },
    );
    corrections::apply(&mut doc, &rules, &rules_label, diags)?;
    let found = contradictions::find(&doc);
    if let Some(first) = found.first() {
        for contradiction in &found {
            diags.warn(&contradiction.example, contradiction.detail());
        }
        bail!(
            "{label}#{}: {} example(s) contradict their schema (listed above); decide each with an entry in {rules_label} (`at`: the pointer of the wrong side, `set` or `remove`, the finding and the evidence: see README, \"When the spec is wrong\")",
            first.example,
            found.len()
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
    })
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
}

/// Everything derived from the spec, in memory. Nothing is written if any step fails.
pub fn generate_all(
    spec_path: &Path,
    spec_label: &str,
    diags: &mut Diagnostics,
) -> Result<Vec<Output>> {
    let input = Input {
        spec_path: spec_path.to_path_buf(),
        spec_label: spec_label.to_owned(),
        corrections: corrections::default_path(spec_path),
    };
    let prepared = prepare(&input, diags)?;
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
    } = prepared;
    // rustfmt formats the client, the longest step on a large spec, in its own process while
    // the mocks and fixtures are generated on another core (BENCHMARKS.md).
    let (client, operations) =
        generate::start_client(&normalized).with_context(|| spec_label.to_owned())?;
    let mocks = generate::mocks(&normalized).with_context(|| spec_label.to_owned())?;
    let typed = mock_index::typed_responses(&mocks, SDK_CRATE)?;
    let fixtures = fixtures::build(&normalized.json);
    let fixtures_source = generate::rustfmt(&fixtures_module(&fixtures, &typed)?)?;
    let calls_source = generate::rustfmt(
        &operation_tests::calls_module(&normalized.json, &operations)
            .with_context(|| spec_label.to_owned())?,
    )?;
    let tests_source = generate::rustfmt(
        &operation_tests::tests_file(&normalized.json, &fixtures, &typed)
            .with_context(|| spec_label.to_owned())?,
    )?;
    let client = client.finish().with_context(|| spec_label.to_owned())?;
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
    let schemas_source = generate::rustfmt(&schemas_module(&normalized.json, &client)?)?;
    let operations_doc = format!(
        "<!-- @generated by `cargo xtask codegen` from {spec_label}. Do not edit. -->\n\n{}",
        operations_doc::crate_docs(&normalized.json)
    );
    let operations_doc = with_spec_line(&operations_doc, &evolution.record.spec);
    let readme = match readme {
        Some(text) => {
            let text = operations_doc::replace_region(
                text,
                "operations",
                &operations_doc::readme_list(&normalized.json),
            )?;
            Some(operations_doc::replace_region(
                &text,
                "corrections",
                &corrections::table(&rules, "openapi/corrections.yaml"),
            )?)
        }
        None => None,
    };
    let mut outputs = vec![
        Output {
            path: OPERATIONS_DOC_FILE.into(),
            contents: operations_doc,
        },
        Output {
            path: CLIENT_FILE.into(),
            contents: header(spec_label, "The Vast.ai client and its types.") + &client,
        },
        Output {
            path: MOCKS_FILE.into(),
            contents: header(spec_label, "Typed httpmock helpers, one per operation.") + &mocks,
        },
        Output {
            path: SCHEMAS_FILE.into(),
            contents: header(
                spec_label,
                "Each component schema of the spec beside the schema of its generated type.",
            ) + &schemas_source,
        },
        Output {
            path: FIXTURES_FILE.into(),
            contents: header(
                spec_label,
                "Response bodies built from the spec's examples.",
            ) + &fixtures_source,
        },
        Output {
            path: CORRECTED_SPEC_FILE.into(),
            // JSON has no comments: the header is the file's own description.
            contents: serde_json::to_string_pretty(&with_generated_note(corrected, spec_label))?
                + "\n",
        },
        Output {
            path: CALLS_FILE.into(),
            contents: header(
                spec_label,
                "Every operation called with the parameters and body of the spec's examples.",
            ) + &calls_source,
        },
        Output {
            path: OPERATION_TESTS_FILE.into(),
            contents: header(
                spec_label,
                "One test per operation: each documented JSON response served by its typed mock.",
            ) + &tests_source,
        },
    ];
    if let Some(readme) = readme {
        outputs.push(Output {
            path: README_FILE.into(),
            contents: readme,
        });
    }
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

/// The crate docs' operations list with, after its title, which spec it was generated from.
fn with_spec_line(doc: &str, spec: &SpecInfo) -> String {
    if spec.date.is_empty() {
        return doc.to_owned();
    }
    let line = format!(
        "Generated from Vast.ai's OpenAPI spec version {} published {} (SHA-256 `{}…`).\n\n",
        spec.version, spec.date, spec.sha256
    );
    match doc.find("# Operations\n\n") {
        Some(at) => {
            let at = at + "# Operations\n\n".len();
            format!("{}{line}{}", &doc[..at], &doc[at..])
        }
        None => format!("{doc}\n{line}"),
    }
}

/// The corrected spec with an `x-generated` note saying where it comes from.
fn with_generated_note(mut doc: serde_json::Value, spec_label: &str) -> serde_json::Value {
    if let Some(map) = doc.as_object_mut() {
        map.insert(
            "x-generated".to_owned(),
            serde_json::Value::String(format!(
                "by `cargo xtask codegen` from {spec_label} and its corrections file; do not edit"
            )),
        );
    }
    doc
}

fn header(spec_label: &str, what: &str) -> String {
    format!(
        "// @generated by `cargo xtask codegen` from {spec_label}. Do not edit: change the spec or the\n\
         // generator and run `cargo xtask codegen` again (CI runs `cargo xtask codegen --check`).\n\
         // {what}\n\n"
    )
}

pub fn fixture_ident(f: &Fixture) -> proc_macro2::Ident {
    let name = format!("{}_{}", f.operation_id, f.status)
        .to_uppercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    format_ident!("{}", name)
}

/// `FIXTURES` (every body) and `typed_round_trips()` (each body through its generated type).
fn fixtures_module(fixtures: &[Fixture], typed: &[TypedResponse]) -> Result<String> {
    let mut consts = Vec::new();
    let mut idents = Vec::new();
    let mut round_trips = Vec::new();
    for fixture in fixtures {
        let ident = fixture_ident(fixture);
        let operation_id = &fixture.operation_id;
        let status = &fixture.status;
        let body = Literal::string(&serde_json::to_string(&fixture.body)?);
        let composed = fixture.composed;
        let doc = if composed {
            format!(
                "`{operation_id}` responding `{status}`: composed from the schema's property examples (the spec gives no example of this body)."
            )
        } else {
            format!("`{operation_id}` responding `{status}`: the spec's example.")
        };
        consts.push(quote! {
            #[doc = #doc]
            pub const #ident: Fixture = Fixture { operation_id: #operation_id, status: #status, body: #body, composed: #composed };
        });
        idents.push(ident.clone());
        let rust_type = typed
            .iter()
            .find(|t| t.operation_id == *operation_id && t.status == *status)
            .map(|t| t.rust_type.as_str());
        if let Some(rust_type) = rust_type {
            let ty: syn::Type = syn::parse_str(rust_type)
                .with_context(|| format!("type {rust_type} of {operation_id} {status}"))?;
            round_trips.push(quote! { (&#ident, crate::round_trip::<#ty>(#ident.body)) });
        }
    }
    let tokens = quote! {
        use crate::Fixture;

        #(#consts)*

        /// Every fixture, in spec order.
        pub const FIXTURES: &[Fixture] = &[#(#idents),*];

        /// Each fixture with a generated type, parsed into that type and serialised back.
        pub fn typed_round_trips() -> Vec<(&'static Fixture, Result<serde_json::Value, serde_json::Error>)> {
            vec![#(#round_trips),*]
        }
    };
    let file: syn::File = syn::parse2(tokens).context("fixture module does not parse")?;
    Ok(prettyplease::unparse(&file))
}

/// The Rust name typify gives a component schema (its `sanitize(name, Pascal)`).
pub(crate) fn component_type_name(component: &str) -> String {
    use heck::ToPascalCase;
    let cleaned = component
        .replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-");
    let mut name = cleaned.to_pascal_case();
    if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        name = format!("X{name}");
    }
    if syn::parse_str::<syn::Ident>(&name).is_err() {
        name.push('_');
    }
    name
}

fn defines_type(client_source: &str, name: &str) -> bool {
    ["pub struct ", "pub enum "].iter().any(|kind| {
        let needle = format!("{kind}{name}");
        client_source.match_indices(&needle).any(|(i, _)| {
            let next = client_source[i + needle.len()..].chars().next();
            !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// `SPEC_COMPONENT_SCHEMAS` (the normalised spec's schemas, as JSON), the schemars schema of
/// each one's generated type, and the components that have no generated type of that name.
fn schemas_module(spec: &serde_json::Value, client_source: &str) -> Result<String> {
    let empty = serde_json::Map::new();
    let components = spec
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .unwrap_or(&empty);
    let spec_json = Literal::string(&serde_json::to_string(components)?);
    let mut typed = Vec::new();
    let mut missing = Vec::new();
    for name in components.keys() {
        let type_name = component_type_name(name);
        if defines_type(client_source, &type_name) {
            let ty = format_ident!("{}", type_name);
            typed.push(quote! { (#name, schemars::schema_for!(vast_api::types::#ty)) });
        } else {
            missing.push(name.clone());
        }
    }
    let tokens = quote! {
        /// `components.schemas` of the normalised spec, as JSON.
        pub const SPEC_COMPONENT_SCHEMAS: &str = #spec_json;

        /// Components for which no generated type of the expected name exists.
        pub const COMPONENTS_WITHOUT_TYPE: &[&str] = &[#(#missing),*];

        /// Each component's name with the schemars schema of its generated type.
        pub fn generated_component_schemas() -> Vec<(&'static str, schemars::schema::RootSchema)> {
            vec![#(#typed),*]
        }
    };
    let file: syn::File = syn::parse2(tokens).context("schema module does not parse")?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_type_names_follow_typify() {
        assert_eq!(
            component_type_name("NotificationWebhook"),
            "NotificationWebhook"
        );
        assert_eq!(component_type_name("ssh-key.v2"), "SshKeyV2");
        assert_eq!(component_type_name("2fa_status"), "X2faStatus");
    }

    #[test]
    fn defines_type_matches_whole_names() {
        let src = "pub struct ErrorBody {}\npub enum Kind {}";
        assert!(defines_type(src, "ErrorBody") && defines_type(src, "Kind"));
        assert!(!defines_type(src, "Error"));
    }
}
