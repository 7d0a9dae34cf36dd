//! Runs progenitor on a normalised spec and formats what it produces.

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::TokenStream;
use progenitor::{CrateVers, GenerationSettings, Generator, InterfaceStyle, TagStyle};
use quote::{ToTokens, quote};

use crate::normalize::Normalized;

/// Rust path of the SDK crate as the test crate names it.
pub const SDK_CRATE: &str = "vast_api";

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The hand-written layer keeps auth and retry state here and implements
        // `ClientHooks` for `Client`, which takes precedence over the generated default.
        .with_inner_type(quote!(crate::ClientContext))
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // Lets `x-rust-type` name the SDK's own redacting `Secret` (`vast_api::Secret` resolves
        // inside the crate through `extern crate self as vast_api`).
        .with_crate("vast-api", CrateVers::Any, None);
    settings
}

/// The client and its types, for `vast-api`.
pub fn client(spec: &Normalized) -> Result<String> {
    start_client(spec)?.0.finish()
}

/// [`client`], returned while rustfmt is still formatting it (the longest step of a large
/// spec), so that the caller can generate the rest meanwhile.
pub fn start_client(
    spec: &Normalized,
) -> Result<(Formatting, Vec<crate::client_index::Operation>)> {
    let tokens = isolate_panics(spec, "the client", |spec| {
        Generator::new(&settings()).generate_tokens(spec)
    })?;
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    add_call_methods(&mut file)?;
    lighter_send_bodies(&mut file);
    if let Some(items) = builder_items(&mut file) {
        crate::payloads::without_bodies_in_errors(items);
        crate::route::to_documented_servers(
            items,
            &crate::route::servers_by_operation(&spec.json),
            operation_id_of,
        );
    }
    crate::prune::unused_helpers(&mut file);
    crate::client_new::remove_panicking_new(&mut file);
    crate::optional_derives::json_schema_behind_feature(&mut file);
    crate::docs::fill_missing(&mut file, &spec.json, &operation_id_of);
    let index = crate::client_index::operations(&file, SDK_CRATE, operation_id_of);
    // Formatted from this syntax tree: printing it to tokens and parsing those again took a
    // quarter of the generator's time on a large spec.
    Ok((start_formatting(file)?, index))
}

/// Adds `call()` beside each builder's `send()`: the response body, or a `vast_api::Error` that
/// names the operation, the status and the server's message (progenitor's error knows neither
/// the operation nor how to read a message out of a body).
fn add_call_methods(file: &mut syn::File) -> Result<()> {
    let builder = builder_items(file).context("progenitor's output has no `builder` module")?;
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(send) = send_of(imp) else {
            continue;
        };
        // `vast_api::Error` reads messages out of JSON error bodies; an operation whose errors are
        // raw bytes keeps only `send()` (its errors still carry status and body).
        if error_body_type(&send.sig.output).is_some_and(|e| is_named(&e, "ByteStream")) {
            continue;
        }
        let success = success_type(&send.sig.output).with_context(|| {
            format!(
                "unexpected return type of {}::send",
                imp.self_ty.to_token_stream()
            )
        })?;
        let operation_id = operation_id_of(&send.block).with_context(|| {
            format!("no operation id in {}::send", imp.self_ty.to_token_stream())
        })?;
        let doc = format!(
            "Sends the request and returns the response body.\n\nUnlike [`send`](Self::send), errors are a [`crate::Error`] naming the operation (`{operation_id}`), the HTTP status and the server's message."
        );
        imp.items.push(syn::parse_quote! {
            #[doc = #doc]
            pub async fn call(self) -> ::std::result::Result<#success, crate::Error> {
                match self.send().await {
                    Ok(response) => Ok(response.into_inner()),
                    Err(error) => Err(crate::Error::from_progenitor(#operation_id, error).await),
                }
            }
        });
    }
    Ok(())
}

/// `T` of `Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let response_value = first_generic(ty)?;
    first_generic(&response_value)
}

/// `E` of `Result<ResponseValue<T>, Error<E>>`.
fn error_body_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    let error = args.args.iter().filter_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    first_generic(error.clone().nth(1)?)
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

fn first_generic(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// The `operation_id: "..."` progenitor passes to its hooks.
fn operation_id_of(block: &syn::Block) -> Option<String> {
    let text = block.to_token_stream().to_string();
    let start = text.find("operation_id :")? + "operation_id :".len();
    let literal = text[start..].trim_start().strip_prefix('"')?;
    Some(literal.split('"').next()?.to_owned())
}

/// Typed httpmock helpers, for `vast-api-tests`.
pub fn mocks(spec: &Normalized) -> Result<String> {
    let spec = &crate::normalize::for_mocks(spec)?;
    let tokens = isolate_panics(spec, "the httpmock helpers", |spec| {
        Generator::new(&settings()).httpmock(spec, SDK_CRATE)
    })?;
    format_rust(tokens)
}

type Generate = fn(&openapiv3::OpenAPI) -> Result<TokenStream, progenitor::Error>;

/// Runs `generate`; a progenitor error or panic becomes an error of one line naming the
/// component schema or the operation that caused it (progenitor's own messages name neither),
/// found by generating each alone.
fn isolate_panics(spec: &Normalized, what: &str, generate: Generate) -> Result<TokenStream> {
    let (verb, message) = match catch(|| generate(&spec.openapi)) {
        Ok(Ok(tokens)) => return Ok(tokens),
        Ok(Err(e)) => ("rejected the spec", e.to_string()),
        Err(message) => ("panicked", message),
    };
    let message = one_line(&message);
    let found =
        find_failing_component(spec, generate).or_else(|| find_failing_operation(spec, generate));
    match found {
        Some(place) => bail!("progenitor {verb} on {place} while generating {what}: {message}"),
        None => bail!("progenitor {verb} while generating {what}: {message}"),
    }
}

/// typify's `todo!()`s print the schema as indented JSON or as its `Debug` form: on one
/// line, and cut short (the pointer in the error says where the schema is).
fn one_line(message: &str) -> String {
    const LIMIT: usize = 300;
    let flat = message.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

fn catch<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    // The default hook would print a backtrace banner; the error we return says it all.
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned())
    })
}

type Schemas = serde_json::Map<String, serde_json::Value>;

/// Whether `generate` succeeds on the spec with `paths` as its only paths and `schemas` as its
/// component schemas (the rest of `components` kept).
fn generates(
    spec: &serde_json::Value,
    paths: serde_json::Value,
    schemas: Schemas,
    generate: Generate,
) -> bool {
    // Built without copying the spec's own paths and schemas, which a large spec is mostly.
    let mut part = serde_json::Map::new();
    if let Some(top) = spec.as_object() {
        for (key, value) in top {
            match key.as_str() {
                "paths" => {}
                "components" => {
                    let mut components = serde_json::Map::new();
                    if let Some(map) = value.as_object() {
                        for (k, v) in map.iter().filter(|(k, _)| *k != "schemas") {
                            components.insert(k.clone(), v.clone());
                        }
                    }
                    part.insert(key.clone(), components.into());
                }
                _ => {
                    part.insert(key.clone(), value.clone());
                }
            }
        }
    }
    part.insert("paths".into(), paths);
    let components = part
        .entry("components")
        .or_insert_with(|| serde_json::json!({}));
    components["schemas"] = serde_json::Value::Object(schemas);
    let Ok(openapi) = serde_json::from_value::<openapiv3::OpenAPI>(part.into()) else {
        return true;
    };
    matches!(catch(|| generate(&openapi)), Ok(Ok(_)))
}

/// The spec's component schemas named in `names`.
fn pick(all: &Schemas, names: &std::collections::BTreeSet<String>) -> Schemas {
    all.iter()
        .filter(|(name, _)| names.contains(*name))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// The component schema that fails on its own. First with what it references stubbed out
/// (any JSON value): that names the broken schema even in a cycle of references. Then, for
/// failures that need the referenced schemas (typify merging an `allOf`), with everything it
/// references: the first that fails and none of whose references fails too.
fn find_failing_component(spec: &Normalized, generate: Generate) -> Option<String> {
    let schemas = spec.json.pointer("/components/schemas")?.as_object()?;
    if generates(&spec.json, serde_json::json!({}), schemas.clone(), generate) {
        return None;
    }
    let closures: Vec<(&String, std::collections::BTreeSet<String>)> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut closure = crate::refs::closure(&spec.json, schema);
            closure.insert(name.clone());
            (name, closure)
        })
        .collect();
    let named = |name: &str| {
        format!(
            "component schema {}",
            crate::pointer::push("/components/schemas", name)
        )
    };
    for (name, closure) in &closures {
        let mut alone: Schemas = closure
            .iter()
            .map(|other| (other.clone(), serde_json::json!({})))
            .collect();
        alone.insert((*name).clone(), schemas[name.as_str()].clone());
        if !generates(&spec.json, serde_json::json!({}), alone, generate) {
            return Some(named(name));
        }
    }
    let failing: Vec<&(&String, std::collections::BTreeSet<String>)> = closures
        .iter()
        .filter(|(_, closure)| {
            !generates(
                &spec.json,
                serde_json::json!({}),
                pick(schemas, closure),
                generate,
            )
        })
        .collect();
    let is_failing = |name: &String| failing.iter().any(|(n, _)| *n == name);
    let culprit = failing
        .iter()
        .find(|(name, closure)| {
            !closure
                .iter()
                .any(|other| other != *name && is_failing(other))
        })
        .or_else(|| failing.first())?;
    Some(named(culprit.0))
}

/// The operation that fails alone, with the component schemas it references.
fn find_failing_operation(spec: &Normalized, generate: Generate) -> Option<String> {
    let paths = spec.json.get("paths")?.as_object()?;
    // What an operation may reach through `#/components/parameters/…` and the like.
    let mut other_components = spec.json.get("components").cloned().unwrap_or_default();
    if let Some(map) = other_components.as_object_mut() {
        map.remove("schemas");
    }
    let all = spec
        .json
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in item.keys().filter(|m| crate::normalize::is_http_method(m)) {
            let mut single = item.clone();
            single.retain(|m, _| m == method || !crate::normalize::is_http_method(m));
            let single = serde_json::Value::Object(single);
            let schemas =
                crate::refs::closure(&spec.json, &serde_json::json!([&single, &other_components]));
            if !generates(
                &spec.json,
                serde_json::json!({ path.clone(): single }),
                pick(&all, &schemas),
                generate,
            ) {
                let pointer = crate::pointer::push(&crate::pointer::push("/paths", path), method);
                return Some(format!(
                    "operation {} {path} ({pointer})",
                    method.to_uppercase()
                ));
            }
        }
    }
    None
}

fn format_rust(tokens: TokenStream) -> Result<String> {
    let file: syn::File =
        syn::parse2(tokens).context("progenitor produced code that does not parse")?;
    start_formatting(file)?.finish()
}

/// prettyplease turns `#[doc]` attributes into comments; rustfmt then gives the layout
/// `cargo fmt --check` expects, so generated files pass it like hand-written ones.
fn start_formatting(mut file: syn::File) -> Result<Formatting> {
    syn::visit_mut::VisitMut::visit_file_mut(&mut OneDocLinePerAttribute, &mut file);
    syn::visit_mut::VisitMut::visit_file_mut(&mut RawReservedIdents, &mut file);
    let source = prettyplease::unparse(&file);
    // Freed before rustfmt starts: the syntax tree of a large client is most of the peak memory.
    drop(file);
    start_rustfmt(source)
}

/// progenitor sends `api-version: <info.version>` with every request, a convention of Oxide's
/// APIs that Vast.ai's does not have. Building that header map was a quarter of what an SDK
/// call cost over the same call written by hand with reqwest (BENCHMARKS.md), so the header
/// goes, and so does the map where it then carries nothing (no header parameters).
struct NoApiVersionHeader;

const HEADER_MAP: &str = "header_map";

impl syn::visit_mut::VisitMut for NoApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !is_api_version_append(stmt));
        if block.stmts.len() == before {
            return;
        }
        // Left with only `let mut header_map = …;` and `.headers(header_map)`: drop both.
        let uses: usize = block
            .stmts
            .iter()
            .map(|s| ident_count(s.to_token_stream()))
            .sum();
        let declared = |stmt: &syn::Stmt| {
            matches!(stmt, syn::Stmt::Local(local)
                if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == HEADER_MAP))
        };
        if uses == 2 && block.stmts.iter().any(declared) {
            block.stmts.retain(|stmt| !declared(stmt));
            for stmt in &mut block.stmts {
                syn::visit_mut::VisitMut::visit_stmt_mut(&mut NoHeadersCall, stmt);
            }
        }
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), …);`
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    call.method == "append"
        && matches!(call.receiver.as_ref(), syn::Expr::Path(p) if p.path.is_ident(HEADER_MAP))
        && call.args.first().is_some_and(|name| {
            matches!(name, syn::Expr::Call(c) if c.args.first().is_some_and(|a| {
                matches!(a, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })
                    if s.value() == "api-version")
            }))
        })
}

/// Takes out of each operation's `send()` work progenitor does on every call that Vast.ai's API
/// does not need (see [`NoApiVersionHeader`] and [`UnencodedIntegers`]).
fn lighter_send_bodies(file: &mut syn::File) {
    let Some(items) = builder_items(file) else {
        return;
    };
    // Builder struct name -> its integer fields (`id: Result<i64, String>`).
    let mut integers = std::collections::HashMap::new();
    for item in items.iter() {
        let syn::Item::Struct(builder) = item else {
            continue;
        };
        let fields = builder.fields.iter().filter(|field| {
            let ty = first_generic(&field.ty);
            ty.is_some_and(|ty| {
                [
                    "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
                ]
                .iter()
                .any(|int| is_named(&ty, int))
            })
        });
        let names: Vec<syn::Ident> = fields.filter_map(|f| f.ident.clone()).collect();
        integers.insert(builder.ident.clone(), names);
    }
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = imp.self_ty.as_ref() else {
            continue;
        };
        let names = self_ty
            .path
            .segments
            .last()
            .and_then(|s| integers.get(&s.ident))
            .map_or(&[][..], Vec::as_slice);
        for inner in &mut imp.items {
            if let syn::ImplItem::Fn(f) = inner
                && f.sig.ident == "send"
            {
                syn::visit_mut::VisitMut::visit_block_mut(&mut NoApiVersionHeader, &mut f.block);
                syn::visit_mut::VisitMut::visit_block_mut(
                    &mut UnencodedIntegers(names),
                    &mut f.block,
                );
            }
        }
    }
}

/// An operation builder's `send()`, the method progenitor writes the request into.
pub(crate) fn send_of(imp: &syn::ItemImpl) -> Option<&syn::ImplItemFn> {
    imp.items.iter().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })
}

/// The items of progenitor's `builder` module, where each operation's `send()` is.
fn builder_items(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// progenitor writes each path parameter into the URL as `encode_path(&id.to_string())`: two
/// strings per parameter per call. An integer's digits need no percent-encoding, so
/// `encode_path(&id.to_string())` becomes `id` for the integer parameters named.
struct UnencodedIntegers<'a>(&'a [syn::Ident]);

impl syn::visit_mut::VisitMut for UnencodedIntegers<'_> {
    /// The URL is built by `format!`, whose arguments syn keeps as plain tokens.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        edit_format_args(mac, |arg| self.visit_expr_mut(arg));
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::Call(call) = expr else { return };
        let is_encode_path = matches!(call.func.as_ref(), syn::Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "encode_path"));
        let Some(syn::Expr::Reference(reference)) = call.args.first() else {
            return;
        };
        let syn::Expr::MethodCall(to_string) = reference.expr.as_ref() else {
            return;
        };
        let syn::Expr::Path(param) = to_string.receiver.as_ref() else {
            return;
        };
        if is_encode_path
            && call.args.len() == 1
            && to_string.method == "to_string"
            && self.0.iter().any(|name| param.path.is_ident(name))
        {
            *expr = syn::Expr::Path(param.clone());
        }
    }
}

/// How often the identifier `header_map` occurs in `tokens`.
fn ident_count(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Ident(ident) => usize::from(ident == HEADER_MAP),
            proc_macro2::TokenTree::Group(group) => ident_count(group.stream()),
            _ => 0,
        })
        .sum()
}

/// Calls `edit` on each argument of a `format!` (the generated URLs are built by one), which
/// syn keeps as plain tokens; other macros are left alone.
pub(crate) fn edit_format_args(mac: &mut syn::Macro, mut edit: impl FnMut(&mut syn::Expr)) {
    if !mac.path.is_ident("format") {
        return;
    }
    let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
    let Ok(mut args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) else {
        return;
    };
    args.iter_mut().for_each(&mut edit);
    mac.tokens = args.to_token_stream();
}

/// `….headers(header_map)` becomes `…`.
struct NoHeadersCall;

impl syn::visit_mut::VisitMut for NoHeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident(HEADER_MAP))
        {
            *expr = (*call.receiver).clone();
        }
    }
}

/// typify 0.8 writes `fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator)` for enums of
/// non-string values (`enum: [0, 1]`, `const: true`); `gen` is reserved in edition 2024, so that
/// code does not parse in the SDK. Raw identifiers (`r#gen`) mean the same in every edition.
struct RawReservedIdents;

impl syn::visit_mut::VisitMut for RawReservedIdents {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == "gen" {
            *ident = proc_macro2::Ident::new_raw("gen", ident.span());
        }
    }
}

/// prettyplease prints a multi-line `#[doc]` as a `/** */` block, whose lines rustfmt then
/// indents: rustdoc reads the indented prose as code blocks and breaks links. One attribute per
/// line prints as `///` comments instead.
struct OneDocLinePerAttribute;

impl syn::visit_mut::VisitMut for OneDocLinePerAttribute {
    fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
        let mut out = Vec::with_capacity(attrs.len());
        let mut in_code_block = false;
        for attr in attrs.drain(..) {
            let Some(text) = doc_text(&attr) else {
                out.push(attr);
                continue;
            };
            for line in text.lines() {
                if line.trim_start().starts_with("```") {
                    in_code_block = !in_code_block;
                }
                let line = if in_code_block {
                    line.to_owned()
                } else {
                    autolink(line)
                };
                let mut split = attr.clone();
                split.meta = syn::parse_quote!(doc = #line);
                out.push(split);
            }
        }
        *attrs = out;
    }
}

/// Vendor prose has bare URLs, which rustdoc warns about; `<url>` makes them links.
fn autolink(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                format!("<{word}>")
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    match &nv.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

pub fn rustfmt(source: &str) -> Result<String> {
    start_rustfmt(source.to_owned())?.finish()
}

/// A rustfmt run in progress, in its own process; [`finish`](Self::finish) waits for it.
/// Dropped unfinished (an error elsewhere), it kills and reaps the process.
pub struct Formatting {
    child: Option<Child>,
    writer: Option<JoinHandle<io::Result<()>>>,
}

fn start_rustfmt(source: String) -> Result<Formatting> {
    let mut child = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run rustfmt (install it with `rustup component add rustfmt`)")?;
    let mut stdin = child.stdin.take().context("rustfmt stdin")?;
    // Written from another thread: rustfmt's output pipe would fill up and deadlock otherwise.
    let writer = std::thread::spawn(move || stdin.write_all(source.as_bytes()));
    Ok(Formatting {
        child: Some(child),
        writer: Some(writer),
    })
}

impl Formatting {
    /// The formatted source, once rustfmt is done.
    pub fn finish(mut self) -> Result<String> {
        let child = self.child.take().context("rustfmt already waited for")?;
        let output = child.wait_with_output().context("rustfmt did not finish")?;
        self.writer
            .take()
            .context("rustfmt writer already joined")?
            .join()
            .map_err(|_| anyhow!("rustfmt writer thread panicked"))?
            .context("writing to rustfmt")?;
        if !output.status.success() {
            bail!(
                "rustfmt failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        String::from_utf8(output.stdout).context("rustfmt printed invalid UTF-8")
    }
}

impl Drop for Formatting {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Best effort: the run is abandoned because of an error already being reported.
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(writer) = self.writer.take() {
            // Its pipe closed with the child, so the thread has ended or is about to.
            let _ = writer.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_for(paths: serde_json::Value) -> String {
        let doc = serde_json::json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths});
        let normalized =
            crate::normalize::normalize(doc, &mut crate::diagnostics::Diagnostics::default())
                .unwrap();
        client(&normalized).unwrap()
    }

    #[test]
    fn no_api_version_header_and_no_empty_header_map() {
        let source = client_for(serde_json::json!({
            "/plain": {"get": {"operationId": "plain", "responses": {"204": {"description": ""}}}},
            "/traced": {"get": {"operationId": "traced",
                "parameters": [{"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": ""}}}}
        }));
        assert!(!source.contains("api-version"), "{source}");
        // The operation with a header parameter keeps its map; the other has none.
        assert_eq!(source.matches("let mut header_map").count(), 1, "{source}");
        assert_eq!(
            source.matches(".headers(header_map)").count(),
            1,
            "{source}"
        );
        assert!(source.contains("header_map.append(\"X-Trace\""), "{source}");
    }

    #[test]
    fn integer_path_parameters_are_not_percent_encoded() {
        let source = client_for(serde_json::json!({
            "/a/{id}/b/{name}/": {"get": {"operationId": "both",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": ""}}}}
        }));
        let url = source
            .split("let url = format!(")
            .nth(1)
            .and_then(|rest| rest.split(");").next())
            .expect("the URL");
        assert!(url.contains("encode_path(&name.to_string())"), "{url}");
        assert!(!url.contains("encode_path(&id"), "{url}");
        assert!(url.contains("id,"), "{url}");
    }

    #[test]
    fn call_is_added_for_json_errors_and_skipped_for_raw_ones() {
        let source = client_for(serde_json::json!({
            "/json": {"get": {"operationId": "json_op", "responses": {
                "200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
                "404": {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/raw": {"get": {"operationId": "raw_op", "responses": {
                "default": {"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
        }));
        assert_eq!(source.matches("pub async fn call(").count(), 1, "{source}");
        assert!(
            source.contains("crate::Error::from_progenitor(\"json_op\""),
            "{source}"
        );
    }

    #[test]
    fn edition_2024_reserved_gen_becomes_a_raw_identifier() {
        let tokens = quote! {
            fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> u8 { f(gen) }
        };
        assert_eq!(
            format_rust(tokens).unwrap(),
            "fn json_schema(r#gen: &mut ::schemars::r#gen::SchemaGenerator) -> u8 {\n    f(r#gen)\n}\n"
        );
    }

    #[test]
    fn multi_line_docs_become_line_comments_with_links() {
        let tokens = quote! {
            #[doc = "Title\n\n    indented prose: https://example.com/x\n```ignore\nlet u = \"https://a\";\n```"]
            pub struct S;
        };
        let formatted = format_rust(tokens).unwrap();
        assert_eq!(
            formatted,
            "///Title\n///\n///    indented prose: <https://example.com/x>\n///```ignore\n///let u = \"https://a\";\n///```\npub struct S;\n"
        );
    }
}
