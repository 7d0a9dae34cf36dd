//! Takes progenitor's `Client::new` out of the generated client: it builds its `reqwest::Client`
//! with `.build().unwrap()`, so it panics where reqwest cannot build one (no TLS provider, a
//! broken system configuration). `ClientBuilder::build` is the fallible way to make a client,
//! and `Client::new_with_client` (which cannot fail) stays for a caller's own `reqwest::Client`.

/// Removes `pub fn new(…)` from the inherent `impl Client`.
pub fn remove_panicking_new(file: &mut syn::File) {
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let is_client = imp.trait_.is_none()
            && matches!(imp.self_ty.as_ref(), syn::Type::Path(p) if p.path.is_ident("Client"));
        if is_client {
            imp.items
                .retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_client_loses_new() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                pub fn new_with_client(baseurl: &str) -> Self { todo!() }
            }
            impl Other { pub fn new() -> Self { todo!() } }
        };
        remove_panicking_new(&mut file);
        let out = prettyplease::unparse(&file);
        assert!(!out.contains("pub fn new(baseurl"), "{out}");
        assert!(out.contains("pub fn new_with_client"), "{out}");
        assert!(out.contains("impl Other {\n    pub fn new()"), "{out}");
    }
}
