//! `generated_schemas.rs`: each component schema of the normalised spec beside the schemars
//! schema of the type generated for it.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use proc_macro2::Literal;
use quote::{format_ident, quote};

use crate::outputs::Output;

pub const SCHEMAS_FILE: &str = "vast-api-tests/src/generated_schemas.rs";

/// `type_names`: the public structs and enums of the client (`client_index::type_names`).
pub fn output(
    spec_label: &str,
    spec: &serde_json::Value,
    type_names: &BTreeSet<String>,
) -> Result<Output> {
    let source = crate::generate::rustfmt(&schemas_module(spec, type_names)?)?;
    Ok(Output::rust(
        SCHEMAS_FILE,
        spec_label,
        "Each component schema of the spec beside the schema of its generated type.",
        &source,
    ))
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

/// `SPEC_COMPONENT_SCHEMAS` (the normalised spec's schemas, as JSON), the schemars schema of
/// each one's generated type, and the components that have no generated type of that name.
fn schemas_module(spec: &serde_json::Value, type_names: &BTreeSet<String>) -> Result<String> {
    let empty = serde_json::Map::new();
    let components = spec
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .unwrap_or(&empty);
    let spec_json = Literal::string(&serde_json::to_string(components)?);
    let sdk = crate::sdk::ident();
    let mut typed = Vec::new();
    let mut missing = Vec::new();
    for name in components.keys() {
        let type_name = component_type_name(name);
        if type_names.contains(&type_name) {
            let ty = format_ident!("{}", type_name);
            typed.push(quote! { (#name, schemars::schema_for!(#sdk::types::#ty)) });
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
}
