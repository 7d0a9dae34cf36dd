//! Which operations are writes (anything but `GET` and `HEAD`), as the hooks saw them, so that
//! [`Error`](crate::Error) can say when a write failed with its outcome unknown.
//!
//! The generated `call()` hands [`Error::from_progenitor`](crate::Error::from_progenitor) the
//! operation's name and progenitor's error, which has no method in it (a `reqwest::Error`
//! cannot carry one). An operation's method is fixed by the spec, so a process-wide note per
//! operation name is exact. It is written only when an attempt fails in a way that may have
//! reached the API, before that failure is returned, so the success path never touches it.

use std::sync::Mutex;

static WRITES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Notes that `operation` is a write.
pub(crate) fn note_write(operation: &'static str) {
    // A poisoned lock still holds a valid list: pushing a name cannot leave it half-done.
    let mut writes = WRITES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !writes.contains(&operation) {
        writes.push(operation);
    }
}

/// Whether `operation` was noted as a write.
pub(crate) fn is_write(operation: &str) -> bool {
    let writes = WRITES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    writes.contains(&operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noted_operations_are_writes_once() {
        assert!(!is_write("outcome_test_op"));
        note_write("outcome_test_op");
        note_write("outcome_test_op");
        assert!(is_write("outcome_test_op"));
        let count = WRITES
            .lock()
            .unwrap()
            .iter()
            .filter(|op| **op == "outcome_test_op")
            .count();
        assert_eq!(count, 1);
    }
}
