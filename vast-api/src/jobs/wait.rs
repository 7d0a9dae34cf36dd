//! Waiting for a launched instance to run: [`Client::wait_until_running`] polls
//! `show_instance` until the instance runs, reaches a status it never leaves (`exited`,
//! `unknown`, `offline`), or the timeout passes.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use super::{InstanceId, JobError};
use crate::Client;
use crate::types::Instance;

impl Client {
    /// Waits until instance `id` is `running`, polling `show_instance`, and returns it then.
    ///
    /// Ends at once with [`JobError::InstanceFailed`] when the instance's `actual_status`
    /// becomes `exited`, `unknown` or `offline`, from which it never reaches `running`; with
    /// [`JobError::WaitTimeout`] after the timeout (15 minutes unless set: large images take
    /// long to pull); with [`JobError::Api`] when `show_instance` fails after the client's
    /// retries. In none of these cases is the instance destroyed: that is the caller's
    /// decision, and the errors say how.
    ///
    /// An answer without the instance (`instances: null`) or without a status counts as "not
    /// running yet": right after a create the instance may not be listed yet, and the timeout
    /// bounds the wait if it never is.
    ///
    /// Each change of status is logged as an `INFO` `tracing` event (fields `instance`,
    /// `status`, `previous`, `status_msg`).
    ///
    /// **Cancel-safe**: the wait is a plain future that spawns nothing, so dropping it (a
    /// `select!` on Ctrl-C, an outer timeout) stops the polling at once.
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) -> Result<(), vast_api::jobs::JobError> {
    /// use std::time::Duration;
    ///
    /// let instance = client
    ///     .wait_until_running(id)
    ///     .interval(Duration::from_secs(10))
    ///     .timeout(Duration::from_secs(600))
    ///     .await?;
    /// println!("ssh -p {} root@{}", instance.ssh_port.unwrap_or(22), instance.ssh_host.unwrap_or_default());
    /// # Ok(()) }
    /// ```
    pub fn wait_until_running(&self, id: InstanceId) -> WaitUntilRunning<'_> {
        WaitUntilRunning {
            client: self,
            id,
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(15 * 60),
        }
    }
}

/// The statuses from which an instance never becomes `running`.
const TERMINAL: [&str; 3] = ["exited", "unknown", "offline"];

/// A wait for an instance to run, from [`Client::wait_until_running`]; `.await` it.
///
/// ```no_run
/// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) -> Result<(), vast_api::jobs::JobError> {
/// let instance = client.wait_until_running(id).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a wait does nothing unless awaited"]
pub struct WaitUntilRunning<'a> {
    client: &'a Client,
    id: InstanceId,
    interval: Duration,
    timeout: Duration,
}

impl WaitUntilRunning<'_> {
    /// The pause between two polls (5 s unless set).
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) {
    /// let wait = client.wait_until_running(id).interval(std::time::Duration::from_secs(2));
    /// # }
    /// ```
    pub fn interval(self, interval: Duration) -> Self {
        Self { interval, ..self }
    }

    /// How long to wait in all, polls included (15 minutes unless set).
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) {
    /// let wait = client.wait_until_running(id).timeout(std::time::Duration::from_secs(300));
    /// # }
    /// ```
    pub fn timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    async fn run(self) -> Result<Instance, JobError> {
        let Self {
            client,
            id,
            interval,
            timeout,
        } = self;
        let mut last_status: Option<String> = None;
        let poll = async {
            loop {
                let shown = client.show_instance().id(id).call().await?;
                // `instances: null` right after a create: not visible yet, like a status not
                // reported yet; the timeout bounds the wait.
                let instance = shown.instances;
                let status = instance.as_ref().and_then(|i| i.actual_status.clone());
                if status != last_status {
                    tracing::info!(
                        instance = id.0,
                        status = status.as_deref(),
                        previous = last_status.as_deref(),
                        status_msg = instance.as_ref().and_then(|i| i.status_msg.as_deref()),
                        "vast-api: instance status changed"
                    );
                    last_status.clone_from(&status);
                }
                if let (Some(instance), Some(status)) = (instance, status.as_deref()) {
                    let status = status.trim().to_ascii_lowercase();
                    if status == "running" {
                        return Ok(instance);
                    }
                    if TERMINAL.contains(&status.as_str()) {
                        return Err(JobError::InstanceFailed {
                            id,
                            status,
                            status_msg: instance.status_msg,
                        });
                    }
                }
                tokio::time::sleep(interval).await;
            }
        };
        // The deadline covers the polls too, so a slow `show_instance` cannot stretch it.
        let outcome = tokio::time::timeout(timeout, poll).await;
        match outcome {
            Ok(result) => result,
            Err(_) => Err(JobError::WaitTimeout {
                id,
                waited: timeout,
                last_status,
            }),
        }
    }
}

impl<'a> IntoFuture for WaitUntilRunning<'a> {
    type Output = Result<Instance, JobError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
