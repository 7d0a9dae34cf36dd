//! Generated `send()`s read JSON bodies with the SDK's `crate::payload::json_response` instead
//! of progenitor's `ResponseValue::from_response`, whose error prints the whole body (and serde's
//! message, a value from it): a secret in a response of an unexpected shape would show there.

use syn::visit_mut::VisitMut;

/// Rewrites every `ResponseValue::from_response(response)` call in `items`.
pub fn without_bodies_in_errors(items: &mut [syn::Item]) {
    for item in items {
        JsonResponse.visit_item_mut(item);
    }
}

struct JsonResponse;

impl VisitMut for JsonResponse {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        if let syn::Expr::Path(path) = call.func.as_ref() {
            let segments: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segments.ends_with(&["ResponseValue".to_owned(), "from_response".to_owned()]) {
                *call.func = syn::parse_quote!(crate::payload::json_response);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn from_response_becomes_json_response_and_the_rest_stays() {
        let mut file: syn::File = syn::parse_quote! {
            async fn send() {
                match status {
                    200u16 => ResponseValue::from_response(response).await,
                    204u16 => ResponseValue::empty(response).await,
                    _ => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                }
            }
        };
        without_bodies_in_errors(&mut file.items);
        let text = file.to_token_stream().to_string();
        assert_eq!(
            text.matches("crate :: payload :: json_response (response)")
                .count(),
            2,
            "{text}"
        );
        assert!(text.contains("ResponseValue :: empty (response)"), "{text}");
        assert!(!text.contains("from_response"), "{text}");
    }
}
