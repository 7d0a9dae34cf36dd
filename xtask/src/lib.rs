//! The vast-api code generator: spec normalisation, progenitor, fixtures and output files.
//!
//! `main.rs` is the `cargo xtask` command line; everything it does lives here so the rules can
//! be tested directly.

pub mod additions;
pub mod aliases;
pub mod api;
pub mod api_diff;
pub mod changelog;
pub mod client_index;
pub mod client_new;
pub mod codegen;
pub mod contradictions;
pub mod corrected_spec;
pub mod corrections;
pub mod decisions;
pub mod diagnostics;
pub mod docs;
pub mod fixtures;
pub mod fixtures_module;
pub mod generate;
pub mod input_limits;
pub mod mock_index;
pub mod normalize;
pub mod operation_tests;
pub mod operations_doc;
pub mod optional_derives;
pub mod outputs;
pub mod payloads;
pub mod pointer;
pub mod prune;
pub mod refs;
pub mod route;
pub mod schemas_module;
pub mod sdk;
pub mod spec;
pub mod yaml_edit;
