//! The deprecated aliases of renamed methods and types, written into the generated client: an
//! `impl Client` of old method names that call the new ones (and old builder names as type
//! aliases), and `pub type Old = New;` in `types`. Code written against the previous spec
//! compiles, with a deprecation warning naming the new name; the crate itself defines them
//! without using them, which warns about nothing.

use anyhow::{Result, bail};

use crate::api::Api;

/// `client` with the aliases of `api.aliases` added (unchanged when there are none).
pub fn insert(client: &str, api: &Api) -> Result<String> {
    let aliases = &api.aliases;
    if aliases.is_empty() {
        return Ok(client.to_owned());
    }
    let builders: std::collections::BTreeMap<&str, &str> = api
        .operations
        .values()
        .map(|op| (op.method.as_str(), op.builder.as_str()))
        .collect();
    let mut text = client.to_owned();

    if !aliases.types.is_empty() {
        let mut items = String::new();
        for (old, alias) in &aliases.types {
            items.push_str(&format!(
                "    ///Deprecated: renamed [`{to}`] in spec {since}.\n    #[deprecated(note = \"renamed to `{to}` in spec {since}\")]\n    pub type {old} = {to};\n",
                to = alias.to,
                since = alias.since,
            ));
        }
        text = insert_after(&text, "pub mod types {\n", &items)?;
    }

    let mut builder_items = String::new();
    let mut methods = String::new();
    for (old, alias) in &aliases.methods {
        let Some(builder) = builders.get(alias.to.as_str()) else {
            bail!(
                "the alias `{old}` stands for `{}`, which the client does not have",
                alias.to
            );
        };
        methods.push_str(&format!(
            "    ///Deprecated: renamed [`Client::{to}`] in spec {since}.\n    #[deprecated(note = \"renamed to `{to}` in spec {since}\")]\n    pub fn {old}(&self) -> builder::{builder}<'_> {{\n        self.{to}()\n    }}\n",
            to = alias.to,
            since = alias.since,
        ));
        if let Some(old_builder) = &alias.builder {
            builder_items.push_str(&format!(
                "    ///Deprecated: renamed [`{builder}`] in spec {since}.\n    #[deprecated(note = \"renamed to `{builder}` in spec {since}\")]\n    pub type {old_builder}<'a> = {builder}<'a>;\n",
                since = alias.since,
            ));
        }
    }
    if !builder_items.is_empty() {
        text = insert_after(&text, "pub mod builder {\n", &builder_items)?;
    }
    if !methods.is_empty() {
        text.push_str(&format!(
            "/// The previous names of renamed operations, kept so code written against an older spec\n/// still compiles; each is deprecated and calls the operation under its new name.\nimpl Client {{\n{methods}}}\n"
        ));
    }
    Ok(text)
}

/// `items` after the line `marker` (a whole line of its own, at the top level).
fn insert_after(text: &str, marker: &str, items: &str) -> Result<String> {
    let found = if text.starts_with(marker) {
        Some(0)
    } else {
        text.find(&format!("\n{marker}")).map(|at| at + 1)
    };
    let Some(at) = found else {
        bail!(
            "the generated client has no `{}` to put deprecated aliases in",
            marker.trim()
        );
    };
    let at = at + marker.len();
    Ok(format!("{}{items}{}", &text[..at], &text[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Alias, Operation};

    #[test]
    fn method_builder_and_type_aliases_are_added() {
        let mut api = Api::default();
        api.operations.insert(
            "POST /a".into(),
            Operation {
                method: "rotate_secret".into(),
                builder: "RotateSecret".into(),
                ..Operation::default()
            },
        );
        api.aliases.methods.insert(
            "rotate".into(),
            Alias {
                to: "rotate_secret".into(),
                since: "1.1 of 2026-09-01".into(),
                builder: Some("Rotate".into()),
            },
        );
        api.aliases.types.insert(
            "RotateResponse".into(),
            Alias {
                to: "RotateSecretResponse".into(),
                since: "1.1 of 2026-09-01".into(),
                builder: None,
            },
        );
        let client = "pub mod types {\n    pub struct RotateSecretResponse;\n}\npub mod builder {\n    pub struct RotateSecret<'a>(&'a ());\n}\npub struct Client;\n";
        let out = insert(client, &api).unwrap();
        let file: syn::File = syn::parse_str(&out).expect("parses");
        assert_eq!(file.items.len(), 4, "{out}");
        assert!(
            out.contains("    pub type RotateResponse = RotateSecretResponse;"),
            "{out}"
        );
        assert!(
            out.contains("    pub type Rotate<'a> = RotateSecret<'a>;"),
            "{out}"
        );
        assert!(
            out.contains("#[deprecated(note = \"renamed to `rotate_secret` in spec 1.1 of 2026-09-01\")]\n    pub fn rotate(&self) -> builder::RotateSecret<'_> {\n        self.rotate_secret()\n    }"),
            "{out}"
        );
        assert_eq!(insert(client, &Api::default()).unwrap(), client);
    }
}
