//! A minimal `tracing` subscriber recording the `vast_api` events of each thread as text, for
//! the tests of what the SDK logs.
//!
//! It is the global default rather than a per-test scoped one: with scoped subscribers, a log
//! call site first reached by a test running in parallel without one can be cached as
//! uninteresting, and its events lost.

use std::fmt::Write as _;
use std::sync::{Mutex, Once};
use std::thread::ThreadId;

static EVENTS: Mutex<Vec<(ThreadId, String)>> = Mutex::new(Vec::new());

/// Installs the subscriber, once per process. Call it before any request, so that no log call
/// site is first seen without it.
pub fn install_log_capture() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = tracing::subscriber::set_global_default(Capture);
    });
}

/// The `vast_api` events logged on this thread from now on. (`#[tokio::test]` runs the test
/// on one thread, so the client's events land there.)
pub fn capture_logs() -> Log {
    install_log_capture();
    Log {
        thread: std::thread::current().id(),
        from: EVENTS.lock().unwrap().len(),
    }
}

/// Where one test's events start in the process-wide record.
pub struct Log {
    thread: ThreadId,
    from: usize,
}

impl Log {
    /// The events logged on this thread since [`capture_logs`], each as `LEVEL field=value …`.
    pub fn events(&self) -> Vec<String> {
        let events = EVENTS.lock().unwrap();
        events[self.from..]
            .iter()
            .filter(|(thread, _)| *thread == self.thread)
            .map(|(_, event)| event.clone())
            .collect()
    }
}

struct Capture;

impl tracing::Subscriber for Capture {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("vast_api")
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                let _ = write!(self.0, "{}={:?} ", field.name(), value);
            }
        }
        let mut fields = Fields(format!("{} ", event.metadata().level()));
        event.record(&mut fields);
        if let Ok(mut events) = EVENTS.lock() {
            events.push((std::thread::current().id(), fields.0));
        }
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
