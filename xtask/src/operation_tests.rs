//! Renders the per-operation checks of `vast-api-tests`: `generated_calls.rs` (every operation
//! called with the parameters and body of the spec's examples) and `tests/operations.rs` (one
//! test per operation, answering each documented JSON response with its typed mock).

use anyhow::{Context, Result, bail};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::client_index::Operation;
use crate::fixtures::{self, Fixture};
use crate::mock_index::TypedResponse;
use crate::normalize::{SpecOperation, operations};
use crate::outputs::Output;

pub const CALLS_FILE: &str = "vast-api-tests/src/generated_calls.rs";
pub const OPERATION_TESTS_FILE: &str = "vast-api-tests/tests/operations.rs";

pub fn calls_output(spec_label: &str, spec: &Value, client: &[Operation]) -> Result<Output> {
    let source = crate::generate::rustfmt(
        &calls_module(spec, client).with_context(|| spec_label.to_owned())?,
    )?;
    Ok(Output::rust(
        CALLS_FILE,
        spec_label,
        "Every operation called with the parameters and body of the spec's examples.",
        &source,
    ))
}

pub fn tests_output(
    spec_label: &str,
    spec: &Value,
    all_fixtures: &[Fixture],
    typed: &[TypedResponse],
) -> Result<Output> {
    let source = crate::generate::rustfmt(
        &tests_file(spec, all_fixtures, typed).with_context(|| spec_label.to_owned())?,
    )?;
    Ok(Output::rust(
        OPERATION_TESTS_FILE,
        spec_label,
        "One test per operation: each documented JSON response served by its typed mock.",
        &source,
    ))
}

/// `generated_calls.rs`: `OPERATIONS` and `call(client, operation)`.
fn calls_module(spec: &Value, client: &[Operation]) -> Result<String> {
    let mut names = Vec::new();
    let mut arms = Vec::new();
    for op in operations(spec) {
        let generated = client
            .iter()
            .find(|c| c.id == op.id())
            .with_context(|| format!("operation {} has no generated builder", op.id()))?;
        let id = op.id();
        let method = format_ident!("{}", id);
        let setters = setters(spec, &op, generated)?;
        let finish = if generated.raw_success {
            quote!(crate::calls::finish_bytes)
        } else {
            quote!(crate::calls::finish)
        };
        arms.push(quote! {
            #id => #finish(#id, client.#method() #(#setters)* .send().await).await,
        });
        names.push(id);
    }
    let sdk = crate::sdk::ident();
    let tokens = quote! {
        /// Every operation of the spec, by method name, in spec order.
        pub const OPERATIONS: &[&str] = &[#(#names),*];

        /// Calls `operation` with the parameters and body of the spec's examples (required
        /// parameters without one get a neutral value of their type); `None` for an unknown name.
        pub async fn call(
            client: &#sdk::Client,
            operation: &str,
        ) -> Option<Result<crate::calls::Outcome, #sdk::Error>> {
            Some(match operation {
                #(#arms)*
                _ => return None,
            })
        }
    };
    let file: syn::File = syn::parse2(tokens).context("the calls module does not parse")?;
    Ok(prettyplease::unparse(&file))
}

/// `.name(example::<T>(…))` for each parameter with an example (or required) and the body.
fn setters(spec: &Value, op: &SpecOperation, generated: &Operation) -> Result<Vec<TokenStream>> {
    let id = op.id();
    let mut out = Vec::new();
    for parameter in op.parameters() {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(value) = fixtures::parameter_value(spec, parameter) else {
            continue;
        };
        let Some(setter) = generated
            .params
            .iter()
            .find(|p| setter_matches(&p.name, name))
        else {
            bail!("operation {id}: parameter `{name}` has no builder setter");
        };
        out.push(setter_call(id, &setter.name, &setter.rust_type, &value)?);
    }
    if let Some(body) = generated.params.iter().find(|p| p.name == "body") {
        if body.rust_type.replace(' ', "").ends_with("reqwest::Body") {
            // Raw bytes (octet-stream, multipart): the spec's examples do not describe them.
            out.push(quote! { .body(::std::vec::Vec::<u8>::new()) });
        } else {
            let value = fixtures::request_body(spec, op.operation).with_context(|| {
                format!("operation {id}: a typed body but no request body example or schema")
            })?;
            out.push(setter_call(id, "body", &body.rust_type, &value)?);
        }
    }
    Ok(out)
}

/// Whether progenitor's setter `setter` is the one of the spec's parameter `name`.
pub(crate) fn setter_matches(setter: &str, name: &str) -> bool {
    use heck::ToSnakeCase;
    let setter = setter.trim_start_matches("r#");
    setter == name
        || setter == name.to_snake_case()
        || setter.trim_end_matches('_') == name.to_snake_case()
}

fn setter_call(id: &str, setter: &str, rust_type: &str, value: &Value) -> Result<TokenStream> {
    let setter_ident: syn::Ident = syn::parse_str(setter)
        .or_else(|_| syn::parse_str(&format!("r#{setter}")))
        .with_context(|| format!("operation {id}: setter `{setter}`"))?;
    let ty: syn::Type = syn::parse_str(rust_type)
        .with_context(|| format!("operation {id}: type `{rust_type}` of `{setter}`"))?;
    let json = Literal::string(&serde_json::to_string(value)?);
    Ok(quote! { .#setter_ident(crate::calls::example::<#ty>(#id, #setter, #json)) })
}

/// `tests/operations.rs`: one test per operation, each documented JSON response answered by
/// its typed mock and checked by `vast_api_tests::checks`.
fn tests_file(spec: &Value, all_fixtures: &[Fixture], typed: &[TypedResponse]) -> Result<String> {
    let mut tests = Vec::new();
    for op in operations(spec) {
        let id = op.id();
        let test = format_ident!("{}", id);
        let mock = format_ident!("{}", id);
        let mut steps = Vec::new();
        for fixture in all_fixtures.iter().filter(|f| f.operation_id == *id) {
            let Some(response) = typed
                .iter()
                .find(|t| t.operation_id == *id && t.status == fixture.status)
            else {
                continue;
            };
            let constant = crate::fixtures_module::fixture_ident(fixture);
            let ty: syn::Type = syn::parse_str(&response.rust_type)?;
            let then = format_ident!("{}", response.method);
            let status_key = &fixture.status;
            let answer = if response.takes_status {
                quote!(then.#then(checks::status_of(#status_key), &value);)
            } else {
                quote!(then.#then(&value);)
            };
            let check = if fixture.status.starts_with('2') {
                quote!(checks::expect_success(&client, #id, &fixtures::#constant).await;)
            } else {
                quote!(checks::expect_error(&client, #id, &fixtures::#constant, checks::status_of(#status_key)).await;)
            };
            steps.push(quote! {
                {
                    let value: #ty = fixtures::#constant.typed();
                    let mock = server.#mock(|_, then| { #answer });
                    #check
                    mock.assert_async().await;
                    mock.delete_async().await;
                }
            });
        }
        if steps.is_empty() {
            // Nothing typed to answer with (text, bytes or no body): the request must still
            // reach the operation's documented method and path, and get its status back.
            let status = success_status(op.operation)
                .with_context(|| format!("operation {id} documents no success response"))?;
            steps.push(quote! {
                {
                    let mock = server.#mock(|_, then| { then.into_inner().status(#status); });
                    checks::expect_reached(&client, #id, #status).await;
                    mock.assert_async().await;
                    mock.delete_async().await;
                }
            });
        }
        let doc = format!("`{id}`: each documented JSON response, served by its typed mock.");
        tests.push(quote! {
            #[doc = #doc]
            #[tokio::test]
            async fn #test() {
                let server = httpmock::MockServer::start_async().await;
                let client = checks::client_for(&server);
                #(#steps)*
            }
        });
    }
    let tokens = quote! {
        use vast_api_tests::MockServerExt as _;
        use vast_api_tests::checks;
        use vast_api_tests::generated_fixtures as fixtures;

        #(#tests)*
    };
    let file: syn::File = syn::parse2(tokens).context("the operation tests do not parse")?;
    Ok(prettyplease::unparse(&file))
}

/// The first documented success status (a range counts as its first code).
fn success_status(operation: &Value) -> Option<u16> {
    let responses = operation.get("responses")?.as_object()?;
    let documented = responses.keys().find_map(|code| match code.as_str() {
        "2XX" => Some(200),
        code if code.starts_with('2') => code.parse().ok(),
        _ => None,
    });
    // progenitor counts `default` as a success when nothing else is one.
    documented.or_else(|| responses.contains_key("default").then_some(200))
}
