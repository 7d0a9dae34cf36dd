//! Warnings collected while normalising a spec, reported once generation finishes.

use std::fmt;

/// One thing the normaliser changed or dropped that the user should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer (into the input spec) of the affected value.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", display_pointer(&self.pointer), self.message)
    }
}

/// `text` on one line (runs of whitespace become one space), cut after `limit` characters
/// with `…`.
pub(crate) fn one_line(text: &str, limit: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// Ordered list of warnings; order follows the spec, so output is deterministic.
#[derive(Debug, Default)]
pub struct Diagnostics {
    warnings: Vec<Warning>,
}

impl Diagnostics {
    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    #[cfg(test)]
    pub fn contains(&self, pointer: &str, needle: &str) -> bool {
        self.warnings
            .iter()
            .any(|w| w.pointer == pointer && w.message.contains(needle))
    }
}
