//! `generated_fixtures.rs`: each response body the spec documents as a constant, and each
//! typed one's round trip through its generated type.

use anyhow::{Context, Result};
use proc_macro2::Literal;
use quote::{format_ident, quote};

use crate::fixtures::Fixture;
use crate::mock_index::TypedResponse;
use crate::outputs::Output;

pub const FIXTURES_FILE: &str = "vast-api-tests/src/generated_fixtures.rs";

pub fn output(spec_label: &str, fixtures: &[Fixture], typed: &[TypedResponse]) -> Result<Output> {
    let source = crate::generate::rustfmt(&fixtures_module(fixtures, typed)?)?;
    Ok(Output::rust(
        FIXTURES_FILE,
        spec_label,
        "Response bodies built from the spec's examples.",
        &source,
    ))
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
