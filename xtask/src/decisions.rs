//! What only a maintainer can settle after the spec changed: stale corrections, additions the
//! vendor now publishes, examples that contradict their schemas. A run collects every one of
//! them before it stops, so one run shows everything to decide; the mechanical ones (an entry
//! whose pointer is gone, an addition now published) `cargo xtask codegen --prune` deletes.

use std::fmt;

/// One finding, at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Where, as a JSON pointer into the merged document (the vendored spec with the additions).
    pub pointer: String,
    pub message: String,
    /// Whether the run fails until it is settled (otherwise it is reported and generation goes
    /// on: a correction the vendor already made, say).
    pub blocking: bool,
    /// What `--prune` deletes to settle it, if deleting settles it.
    pub prune: Option<Prune>,
}

/// An entry of a reviewed file that `--prune` may delete.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Prune {
    /// The correction at this index of the corrections file's `corrections` list.
    Correction(usize),
    /// The addition at this index of the additions file's `additions` list.
    Addition(usize),
    /// The additions file's component schema of this name.
    AdditionSchema(String),
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// The decisions of a run, in the order they were found.
#[derive(Debug, Default)]
pub struct Decisions {
    found: Vec<Decision>,
}

impl Decisions {
    /// Records a decision that fails the run.
    pub fn blocking(
        &mut self,
        pointer: impl Into<String>,
        message: impl Into<String>,
        prune: Option<Prune>,
    ) {
        self.push(pointer.into(), message.into(), true, prune);
    }

    /// Records a finding that `--prune` settles but that does not stop generation.
    pub fn prunable(
        &mut self,
        pointer: impl Into<String>,
        message: impl Into<String>,
        prune: Prune,
    ) {
        self.push(pointer.into(), message.into(), false, Some(prune));
    }

    fn push(&mut self, pointer: String, message: String, blocking: bool, prune: Option<Prune>) {
        self.found.push(Decision {
            pointer,
            message,
            blocking,
            prune,
        });
    }

    pub fn all(&self) -> &[Decision] {
        &self.found
    }

    /// The decisions that fail the run.
    pub fn blocking_ones(&self) -> impl Iterator<Item = &Decision> {
        self.found.iter().filter(|d| d.blocking)
    }

    /// The decisions `--prune` settles, each with what it deletes.
    pub fn prunable_ones(&self) -> impl Iterator<Item = (&Decision, &Prune)> {
        self.found
            .iter()
            .filter_map(|d| d.prune.as_ref().map(|p| (d, p)))
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}
