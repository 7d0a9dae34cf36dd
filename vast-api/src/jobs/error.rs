//! The error of a job.

use std::time::Duration;

use reqwest::StatusCode;

use super::InstanceId;

/// Why a job failed.
///
/// An API call that failed keeps its [`Error`](crate::Error) (operation, status, server
/// message); the other variants are what the jobs themselves detect. None of them ever
/// destroys an instance: the messages of those that leave one behind say how to destroy it.
///
/// ```
/// use vast_api::jobs::JobError;
///
/// fn advice(error: &JobError) -> String {
///     match error {
///         JobError::InstanceFailed { id, .. } | JobError::WaitTimeout { id, .. } => {
///             format!("destroy instance {id}, then try another offer")
///         }
///         other => match other.status() {
///             Some(status) if status.as_u16() == 401 => "check your API key".into(),
///             _ => other.to_string(),
///         },
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JobError {
    /// An API call failed: see the [`Error`](crate::Error) for the operation, status and the
    /// server's message.
    #[error(transparent)]
    Api(#[from] crate::Error),
    /// The request was refused before anything was sent, because the spec's request body
    /// cannot carry it (a misspelt filter, an operator the field does not take) or because
    /// the API documents a limit it exceeds.
    #[error("{operation}: invalid request: {detail}")]
    InvalidRequest {
        /// The generated operation the request was for.
        operation: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// The server answered with success but without what the job needs from the answer (the
    /// instance id of a create, the log URL of a log request).
    #[error("{operation} answered without {missing}{}", server_message(message))]
    IncompleteAnswer {
        /// The generated operation that answered.
        operation: &'static str,
        /// What the answer lacked.
        missing: &'static str,
        /// The server's `msg`, if any.
        message: Option<String>,
    },
    /// The instance reached a status from which it never becomes `running` (`exited`,
    /// `unknown` or `offline`). It has not been destroyed.
    #[error(
        "instance {id} is `{status}`{} and will never reach `running`; it has NOT been \
         destroyed and may still cost money: destroy it with \
         `client.destroy_instance().id({id}).call()` or `vastai destroy instance {id}`",
        status_message(status_msg)
    )]
    InstanceFailed {
        /// The instance.
        id: InstanceId,
        /// Its `actual_status`.
        status: String,
        /// Its `status_msg`, which often says why (an image that failed to pull, …).
        status_msg: Option<String>,
    },
    /// The instance was not `running` when the wait's timeout passed. It has not been
    /// destroyed.
    #[error(
        "instance {id} was not running after {waited:?} (last status: {}); it has NOT been \
         destroyed and may still cost money: destroy it with \
         `client.destroy_instance().id({id}).call()` or `vastai destroy instance {id}`",
        last_status.as_deref().unwrap_or("none reported")
    )]
    WaitTimeout {
        /// The instance.
        id: InstanceId,
        /// How long the wait lasted.
        waited: Duration,
        /// The last `actual_status` seen, if the API reported one.
        last_status: Option<String>,
    },
    /// The logs were not at their URL when the timeout passed.
    #[error("the logs of instance {id} were not ready after {waited:?} (last try: {last_try})")]
    LogsTimeout {
        /// The instance.
        id: InstanceId,
        /// How long the wait lasted.
        waited: Duration,
        /// What the last fetch of the log URL gave: an HTTP status or a connection error.
        last_try: String,
    },
    /// The logs were there but could not be read (too large, not text, the connection broke).
    #[error("the logs of instance {id} could not be read: {detail}")]
    Logs {
        /// The instance.
        id: InstanceId,
        /// What went wrong.
        detail: String,
    },
}

impl JobError {
    /// The failed API call's error, if this is one.
    ///
    /// ```
    /// # fn f(error: vast_api::jobs::JobError) {
    /// if let Some(api) = error.api_error() {
    ///     eprintln!("{} failed: {:?}", api.operation(), api.message());
    /// }
    /// # }
    /// ```
    pub fn api_error(&self) -> Option<&crate::Error> {
        match self {
            Self::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status of the failed API call, if the server answered one.
    ///
    /// ```
    /// # fn f(error: vast_api::jobs::JobError) {
    /// if error.status().is_some_and(|s| s.as_u16() == 401) {
    ///     eprintln!("check your API key");
    /// }
    /// # }
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.api_error().and_then(crate::Error::status)
    }

    /// The server's message: that of the failed API call, or the `msg` of an incomplete
    /// answer.
    ///
    /// ```
    /// # fn f(error: vast_api::jobs::JobError) {
    /// eprintln!("{}", error.message().unwrap_or("no message from the server"));
    /// # }
    /// ```
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Api(error) => error.message(),
            Self::IncompleteAnswer { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// The instance this error leaves behind undestroyed, if any: that of
    /// [`InstanceFailed`](Self::InstanceFailed) or [`WaitTimeout`](Self::WaitTimeout).
    ///
    /// ```
    /// # async fn f(client: vast_api::Client, error: vast_api::jobs::JobError) {
    /// if let Some(id) = error.instance_left_behind() {
    ///     let _ = client.destroy(id).await;
    /// }
    /// # }
    /// ```
    pub fn instance_left_behind(&self) -> Option<InstanceId> {
        match self {
            Self::InstanceFailed { id, .. } | Self::WaitTimeout { id, .. } => Some(*id),
            _ => None,
        }
    }
}

fn server_message(message: &Option<String>) -> String {
    message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

fn status_message(message: &Option<String>) -> String {
    message
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(|m| format!(" ({})", m.trim()))
        .unwrap_or_default()
}
