//! The SDK crate the generator writes for, named once: its package name and its Rust path.

/// The SDK's Rust path as a string literal, for `concat!` in constants.
macro_rules! rust_path {
    () => {
        "vast_api"
    };
}
pub(crate) use rust_path;

/// The package name in `Cargo.toml`.
pub const PACKAGE: &str = "vast-api";

/// The Rust path other crates (and generated code) name the SDK by.
pub const RUST_PATH: &str = rust_path!();

/// [`RUST_PATH`] as an identifier, for `quote!`.
pub fn ident() -> proc_macro2::Ident {
    quote::format_ident!("{}", RUST_PATH)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rust_path_is_the_package_name_as_cargo_spells_it_in_code() {
        assert_eq!(super::PACKAGE.replace('-', "_"), super::RUST_PATH);
    }
}
