//! Destroying an instance from an error path.

use super::{InstanceId, JobError};
use crate::Client;

impl Client {
    /// Destroys instance `id` (`destroy_instance`), logging the outcome: an `INFO` event on
    /// success, an `ERROR` event with the command to destroy it by hand on failure, and the
    /// error returned as well. Made for error paths, where the error that led there matters
    /// more than this one:
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) -> Result<(), vast_api::jobs::JobError> {
    /// if let Err(error) = client.wait_until_running(id).await {
    ///     // Logged if it fails; the wait's error is the one to report.
    ///     let _ = client.destroy(id).await;
    ///     return Err(error);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn destroy(&self, id: InstanceId) -> Result<(), JobError> {
        match self.destroy_instance().id(id).call().await {
            Ok(_) => {
                tracing::info!(instance = id.0, "vast-api: instance destroyed");
                Ok(())
            }
            Err(error) => {
                tracing::error!(
                    instance = id.0,
                    error = %error,
                    "vast-api: could NOT destroy instance {id}; it may still cost money: \
                     destroy it with `vastai destroy instance {id}` or in the console"
                );
                Err(error.into())
            }
        }
    }

    /// A guard that destroys instance `id` unless [disarmed](InstanceGuard::disarm); see
    /// [`InstanceGuard`].
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) -> Result<(), vast_api::jobs::JobError> {
    /// let guard = client.guard(id);
    /// client.wait_until_running(id).await?; // on error, the guard's drop cleans up
    /// guard.disarm(); // keep the running instance
    /// # Ok(()) }
    /// ```
    pub fn guard(&self, id: InstanceId) -> InstanceGuard {
        InstanceGuard {
            client: Some(self.clone()),
            id,
        }
    }
}

/// Destroys an instance unless disarmed: the instance you just launched, while the code that
/// should make it useful can still fail.
///
/// Rust has no async drop, so the reliable way out is explicit:
/// [`destroy`](Self::destroy)`().await` destroys the instance and says whether it worked;
/// [`disarm`](Self::disarm) keeps it. A guard dropped while still armed (an early `?`, a
/// panic) logs an `ERROR` event naming the instance and, if it is dropped inside a Tokio
/// runtime, spawns a task that destroys it. That task is **best effort**: a runtime that
/// shuts down right after (returning from `#[tokio::main]`, a panicking `main`) cancels it
/// before the request is sent, and then the instance keeps running. Outside a runtime nothing
/// is spawned. So destroy explicitly on the paths you know about, as the `launch_instance`
/// example does, and let the drop catch the ones you did not think of.
///
/// ```no_run
/// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) -> Result<(), vast_api::jobs::JobError> {
/// let guard = client.guard(id);
/// match client.wait_until_running(id).await {
///     Ok(instance) => {
///         println!("running: {:?}", instance.ssh_host);
///         guard.disarm();
///     }
///     Err(error) => {
///         guard.destroy().await?;
///         return Err(error);
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a guard dropped at once destroys its instance at once"]
pub struct InstanceGuard {
    /// `None` once disarmed or destroyed.
    client: Option<Client>,
    id: InstanceId,
}

impl InstanceGuard {
    /// The guarded instance.
    ///
    /// ```no_run
    /// # fn f(guard: vast_api::jobs::InstanceGuard) {
    /// println!("guarding instance {}", guard.id());
    /// # }
    /// ```
    pub fn id(&self) -> InstanceId {
        self.id
    }

    /// Keeps the instance: the guard will not destroy it. Returns its id.
    ///
    /// ```no_run
    /// # fn f(guard: vast_api::jobs::InstanceGuard) {
    /// let id = guard.disarm();
    /// # }
    /// ```
    pub fn disarm(mut self) -> InstanceId {
        self.client = None;
        self.id
    }

    /// Destroys the instance now, as [`Client::destroy`] does.
    ///
    /// ```no_run
    /// # async fn f(guard: vast_api::jobs::InstanceGuard) -> Result<(), vast_api::jobs::JobError> {
    /// guard.destroy().await?;
    /// # Ok(()) }
    /// ```
    pub async fn destroy(mut self) -> Result<(), JobError> {
        match self.client.take() {
            Some(client) => client.destroy(self.id).await,
            None => Ok(()),
        }
    }
}

impl Drop for InstanceGuard {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let id = self.id;
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                tracing::error!(
                    instance = id.0,
                    "vast-api: InstanceGuard dropped while armed; destroying instance {id} in \
                     the background (best effort: check with `vastai show instances`)"
                );
                runtime.spawn(async move {
                    let _ = client.destroy(id).await;
                });
            }
            Err(_) => tracing::error!(
                instance = id.0,
                "vast-api: InstanceGuard dropped while armed outside a Tokio runtime; instance \
                 {id} was NOT destroyed: destroy it with `vastai destroy instance {id}`"
            ),
        }
    }
}
