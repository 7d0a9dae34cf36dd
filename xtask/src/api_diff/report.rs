//! The terminal report of an evolution: each change with its mark and section, and the
//! version bump they imply.

use std::fmt;

use super::{Bump, Evolution, Section};

/// A report for the terminal.
pub struct Report<'a> {
    pub evolution: &'a Evolution,
    /// The crate's current version (`[workspace.package] version`).
    pub version: &'a str,
    pub from: &'a str,
    pub to: &'a str,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let changes = &self.evolution.changes;
        if changes.is_empty() {
            return writeln!(f, "API changes from {} to {}: none", self.from, self.to);
        }
        let breaking = changes.iter().filter(|c| c.breaking).count();
        writeln!(
            f,
            "API changes from {} to {}: {} ({breaking} breaking)",
            self.from,
            self.to,
            changes.len()
        )?;
        for section in Section::ALL {
            for change in changes.iter().filter(|c| c.section == section) {
                let mark = if change.breaking {
                    "breaking"
                } else {
                    "additive"
                };
                writeln!(f, "  {mark:<8}  {:<10}  {}", section.title(), change.text)?;
            }
        }
        let bump = Bump::implied(self.evolution.breaking(), true, self.version);
        let next = bump.apply(self.version).unwrap_or_else(|| "?".to_owned());
        let why = if breaking > 0 {
            "breaking changes"
        } else {
            "additive changes only"
        };
        writeln!(
            f,
            "implied version bump: {} ({} -> {next}: {why}; 0.x rules: breaking -> minor, additive -> patch)",
            bump.word(),
            self.version
        )
    }
}
