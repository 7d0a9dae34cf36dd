//! Recognising repeated events, in bounded time and memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use super::{WebhookError, WebhookVerifier};

/// The longest event id a [`ReplayGuard`] accepts, in bytes. Vast.ai's ids
/// are short; the cap keeps a remembered id from costing more than this.
pub const MAX_EVENT_ID_LEN: usize = 256;

/// How many event ids a [`ReplayGuard`] built by
/// [`ReplayGuard::for_verifier`] remembers at most.
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Whether an event id was seen before, as [`ReplayGuard::check`] tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Not seen within the guard's window: process the event.
    New,
    /// Already seen: acknowledge it without processing it again.
    Repeat,
}

/// Remembers the event ids of accepted deliveries, for a bounded time and up
/// to a bounded number, so that repeats are recognised while memory stays
/// flat.
///
/// An id is remembered for the guard's window from when it is first
/// [checked](Self::check), and the oldest ids are dropped first once the
/// capacity is reached. Ids longer than [`MAX_EVENT_ID_LEN`] bytes are
/// rejected with [`WebhookError::EventIdTooLong`]. The clock is passed in, in
/// Unix seconds, so the guard is deterministic to test; a clock that goes
/// back only delays forgetting.
///
/// Memory is bounded by the capacity times the longest id (about 30 MB for
/// 100,000 ids of 256 bytes; a few MB for typical short ids).
///
/// The guard lives in memory: a receiver that restarts forgets what it has
/// seen, and delivery being at-least-once, it should make processing an
/// event twice harmless anyway (or keep the ids where it keeps the events).
///
/// ```
/// use std::time::Duration;
/// use vast_api::webhook::{ReplayGuard, Seen};
///
/// let mut guard = ReplayGuard::new(Duration::from_secs(600), 2);
/// assert_eq!(guard.check("ev-1", 1_000)?, Seen::New);
/// assert_eq!(guard.check("ev-1", 1_001)?, Seen::Repeat);
///
/// // Past the window, the id is forgotten.
/// assert_eq!(guard.check("ev-1", 1_601)?, Seen::New);
///
/// // Past the capacity, the oldest id is forgotten.
/// guard.check("ev-2", 1_602)?;
/// guard.check("ev-3", 1_603)?;
/// assert_eq!(guard.check("ev-1", 1_604)?, Seen::New);
/// # Ok::<(), vast_api::webhook::WebhookError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReplayGuard {
    window_secs: u64,
    capacity: usize,
    /// Each remembered id and the sequence number of its entry in `order`.
    ids: HashMap<Arc<str>, u64>,
    /// Entries oldest first. An entry whose sequence number is no longer the
    /// one in `ids` was forgotten and is skipped when it reaches the front.
    order: VecDeque<Entry>,
    next_seq: u64,
}

#[derive(Debug, Clone)]
struct Entry {
    seq: u64,
    seen_at: u64,
    id: Arc<str>,
}

impl ReplayGuard {
    /// A guard remembering each id for `window` (in whole seconds) and at
    /// most `capacity` ids. With a capacity of 0 it remembers nothing.
    pub fn new(window: Duration, capacity: usize) -> Self {
        Self {
            window_secs: window.as_secs(),
            capacity,
            ids: HashMap::new(),
            order: VecDeque::new(),
            next_seq: 0,
        }
    }

    /// A guard for deliveries checked by `verifier`, remembering up to
    /// [`DEFAULT_REPLAY_CAPACITY`] ids for twice the verifier's tolerance.
    ///
    /// Twice, because the verifier accepts a delivery while its timestamp is
    /// within the tolerance either side of the clock: a delivery first seen
    /// when its timestamp was a whole tolerance ahead of the clock still
    /// verifies two tolerances later, so a replay of it is caught until
    /// then. Vast.ai's documentation gives no retry schedule that we found;
    /// a retry arriving after the window counts as new.
    pub fn for_verifier(verifier: &WebhookVerifier) -> Self {
        Self::new(verifier.tolerance() * 2, DEFAULT_REPLAY_CAPACITY)
    }

    /// Records `event_id` as seen at `now` (Unix seconds) and tells whether
    /// it had been seen before within the window.
    ///
    /// A repeat does not extend how long the id is remembered. An id longer
    /// than [`MAX_EVENT_ID_LEN`] bytes is [`WebhookError::EventIdTooLong`]
    /// and is not recorded.
    pub fn check(&mut self, event_id: &str, now: u64) -> Result<Seen, WebhookError> {
        if event_id.len() > MAX_EVENT_ID_LEN {
            return Err(WebhookError::EventIdTooLong {
                len: event_id.len(),
                max: MAX_EVENT_ID_LEN,
            });
        }
        self.expire(now);
        if self.ids.contains_key(event_id) {
            return Ok(Seen::Repeat);
        }
        if self.capacity == 0 {
            return Ok(Seen::New);
        }
        // Counts forgotten entries too, so `order` itself stays bounded.
        while self.order.len() >= self.capacity {
            self.pop_oldest();
        }
        let id: Arc<str> = Arc::from(event_id);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.ids.insert(Arc::clone(&id), seq);
        self.order.push_back(Entry {
            seq,
            seen_at: now,
            id,
        });
        Ok(Seen::New)
    }

    /// Forgets `event_id`, so that its next delivery counts as new: for a
    /// receiver that failed to process an event it had just checked, and
    /// answers with an error so that Vast.ai delivers it again.
    pub fn forget(&mut self, event_id: &str) {
        if self.ids.remove(event_id).is_some()
            && self
                .order
                .back()
                .is_some_and(|entry| &*entry.id == event_id)
        {
            // The usual case, forgetting the id just checked, leaves no
            // forgotten entry behind.
            self.order.pop_back();
        }
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The most ids remembered at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long an id is remembered.
    pub fn window(&self) -> Duration {
        Duration::from_secs(self.window_secs)
    }

    /// Drops the ids first seen more than the window before `now`.
    fn expire(&mut self, now: u64) {
        while self
            .order
            .front()
            .is_some_and(|entry| now.saturating_sub(entry.seen_at) > self.window_secs)
        {
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some(entry) = self.order.pop_front()
            && self.ids.get(&entry.id) == Some(&entry.seq)
        {
            self.ids.remove(&entry.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(600);

    fn check(guard: &mut ReplayGuard, id: &str, now: u64) -> Seen {
        guard.check(id, now).unwrap()
    }

    #[test]
    fn repeats_within_the_window_are_recognised() {
        let mut guard = ReplayGuard::new(WINDOW, 10);
        assert_eq!(check(&mut guard, "a", 1_000), Seen::New);
        assert_eq!(check(&mut guard, "b", 1_000), Seen::New);
        assert_eq!(check(&mut guard, "a", 1_600), Seen::Repeat);
        assert_eq!(guard.len(), 2);
    }

    #[test]
    fn ids_older_than_the_window_are_forgotten() {
        let mut guard = ReplayGuard::new(WINDOW, 10);
        check(&mut guard, "old", 1_000);
        check(&mut guard, "newer", 1_300);
        // A repeat does not extend the window.
        assert_eq!(check(&mut guard, "old", 1_500), Seen::Repeat);
        assert_eq!(check(&mut guard, "old", 1_601), Seen::New);
        assert_eq!(check(&mut guard, "newer", 1_601), Seen::Repeat);
        assert_eq!(check(&mut guard, "newer", 1_901), Seen::New);
        // A clock gone back forgets nothing early.
        assert_eq!(check(&mut guard, "newer", 10), Seen::Repeat);
    }

    #[test]
    fn the_oldest_ids_go_first_once_full() {
        let mut guard = ReplayGuard::new(WINDOW, 3);
        for id in ["1", "2", "3", "4"] {
            assert_eq!(check(&mut guard, id, 1_000), Seen::New);
        }
        assert_eq!(guard.len(), 3);
        assert_eq!(check(&mut guard, "4", 1_000), Seen::Repeat);
        assert_eq!(check(&mut guard, "2", 1_000), Seen::Repeat);
        // "1" was dropped to make room for "4"; taking it back drops "2".
        assert_eq!(check(&mut guard, "1", 1_000), Seen::New);
        assert_eq!(check(&mut guard, "2", 1_000), Seen::New);
    }

    #[test]
    fn memory_stays_bounded_under_many_distinct_ids() {
        let capacity = 1_000;
        let mut guard = ReplayGuard::new(WINDOW, capacity);
        for n in 0..100_000u64 {
            let id = format!("{n:0>256}");
            assert_eq!(check(&mut guard, &id, 1_000 + n / 1_000), Seen::New);
            assert!(guard.len() <= capacity && guard.order.len() <= capacity);
        }
        // Neither container's storage grows with the number of ids seen; the
        // map's reported capacity wobbles as removals and rehashes alternate.
        assert!(
            guard.ids.capacity() <= 4 * capacity,
            "{}",
            guard.ids.capacity()
        );
        assert!(
            guard.order.capacity() <= 2 * capacity,
            "{}",
            guard.order.capacity()
        );
    }

    #[test]
    fn forgotten_ids_count_as_new_and_leave_the_bound_intact() {
        let mut guard = ReplayGuard::new(WINDOW, 2);
        check(&mut guard, "a", 1_000);
        check(&mut guard, "b", 1_000);
        guard.forget("a");
        assert_eq!(guard.len(), 1);
        assert_eq!(check(&mut guard, "a", 1_000), Seen::New);
        // "b" is now the oldest live id: a third id drops it, not "a".
        check(&mut guard, "c", 1_000);
        assert_eq!(check(&mut guard, "a", 1_000), Seen::Repeat);
        assert_eq!(guard.order.len(), 2);
        guard.forget("a");
        guard.forget("missing");
        assert_eq!(guard.len(), 1);
    }

    #[test]
    fn long_ids_are_rejected_and_not_recorded() {
        let mut guard = ReplayGuard::new(WINDOW, 2);
        let longest = "x".repeat(MAX_EVENT_ID_LEN);
        assert_eq!(check(&mut guard, &longest, 1_000), Seen::New);
        let error = guard.check(&"x".repeat(MAX_EVENT_ID_LEN + 1), 1_000);
        assert!(matches!(
            error,
            Err(WebhookError::EventIdTooLong { len: 257, max: 256 })
        ));
        assert_eq!(error.unwrap_err().http_status(), 400);
        assert_eq!(guard.len(), 1);
    }

    #[test]
    fn capacity_zero_remembers_nothing() {
        let mut guard = ReplayGuard::new(WINDOW, 0);
        assert_eq!(check(&mut guard, "a", 1_000), Seen::New);
        assert_eq!(check(&mut guard, "a", 1_000), Seen::New);
        assert!(guard.is_empty());
    }

    #[test]
    fn for_verifier_covers_both_sides_of_the_tolerance() {
        let verifier = WebhookVerifier::new(["s"]).with_tolerance(Duration::from_secs(300));
        let guard = ReplayGuard::for_verifier(&verifier);
        assert_eq!(guard.window(), Duration::from_secs(600));
        assert_eq!(guard.capacity(), DEFAULT_REPLAY_CAPACITY);
    }
}
