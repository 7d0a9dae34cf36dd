//! Adds `call()` to each operation builder.

use anyhow::{Context, Result};
use quote::ToTokens;

use super::builder::{builder_items, first_generic, is_named, operation_id_of, send_of};

/// Adds `call()` beside each builder's `send()`: the response body, or a `vast_api::Error` that
/// names the operation, the status and the server's message (progenitor's error knows neither
/// the operation nor how to read a message out of a body).
pub(super) fn add_call_methods(file: &mut syn::File) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::super::client_for;

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
}
