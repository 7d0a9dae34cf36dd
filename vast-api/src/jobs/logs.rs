//! An instance's logs: requested from the API, then fetched from the URL it answers with.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use super::{InstanceId, JobError, body};
use crate::types::ShowLogsBody;
use crate::{Client, ClientInfo};

const OPERATION: &str = "show_logs";

impl Client {
    /// The last `tail` lines of instance `id`'s logs (all of them with `None`), as text.
    ///
    /// `show_logs` does not return the logs: it asks the instance's machine to upload them
    /// and answers with the URL they will appear at. That URL is polled (every 500 ms unless
    /// set) until it answers 200, for at most 30 s unless set; then
    /// [`JobError::LogsTimeout`] says what the last try got.
    ///
    /// The URL is not a Vast.ai API URL (it is a storage bucket's), so it is fetched without
    /// the API key, and without the client's retries; the client's timeouts and response size
    /// limit do apply. (A `reqwest::Client` given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) with an
    /// `Authorization` default header would still send that header: this SDK never sets one.)
    ///
    /// Cancel-safe like every job: dropping the future stops the polling.
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) -> Result<(), vast_api::jobs::JobError> {
    /// let text = client.logs(id, 100).await?;
    /// print!("{text}");
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, id: InstanceId, tail: impl Into<Option<u32>>) -> LogsRequest<'_> {
        LogsRequest {
            client: self,
            id,
            tail: tail.into(),
            filter: None,
            daemon_logs: false,
            interval: Duration::from_millis(500),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A request for an instance's logs, from [`Client::logs`]; `.await` it.
///
/// ```no_run
/// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) -> Result<(), vast_api::jobs::JobError> {
/// use std::time::Duration;
///
/// let errors = client
///     .logs(id, None)
///     .filter("error")
///     .timeout(Duration::from_secs(60))
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a log request does nothing unless awaited"]
pub struct LogsRequest<'a> {
    client: &'a Client,
    id: InstanceId,
    tail: Option<u32>,
    filter: Option<String>,
    daemon_logs: bool,
    interval: Duration,
    timeout: Duration,
}

impl LogsRequest<'_> {
    /// Only the lines matching this pattern (grep-like, done by the machine).
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) {
    /// let request = client.logs(id, 500).filter("CUDA");
    /// # }
    /// ```
    pub fn filter(self, pattern: impl Into<String>) -> Self {
        Self {
            filter: Some(pattern.into()),
            ..self
        }
    }

    /// The machine daemon's logs about the instance instead of the container's.
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) {
    /// let request = client.logs(id, None).daemon_logs(true);
    /// # }
    /// ```
    pub fn daemon_logs(self, daemon_logs: bool) -> Self {
        Self {
            daemon_logs,
            ..self
        }
    }

    /// The pause between two fetches of the log URL (500 ms unless set).
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) {
    /// let request = client.logs(id, None).interval(std::time::Duration::from_secs(1));
    /// # }
    /// ```
    pub fn interval(self, interval: Duration) -> Self {
        Self { interval, ..self }
    }

    /// How long to wait for the logs in all, the request included (30 s unless set).
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client, id: vast_api::jobs::InstanceId) {
    /// let request = client.logs(id, None).timeout(std::time::Duration::from_secs(90));
    /// # }
    /// ```
    pub fn timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    async fn run(self) -> Result<String, JobError> {
        let Self {
            client,
            id,
            tail,
            filter,
            daemon_logs,
            interval,
            timeout,
        } = self;
        let mut last_try = String::from("none: the log request itself did not finish");
        let fetch = async {
            // Built as JSON, like the official client's body, and checked into the generated
            // type (`tail` and `daemon_logs` are strings there).
            let mut json = serde_json::Map::new();
            if let Some(tail) = tail {
                json.insert("tail".into(), tail.to_string().into());
            }
            if let Some(filter) = filter {
                json.insert("filter".into(), filter.into());
            }
            if daemon_logs {
                json.insert("daemon_logs".into(), "true".into());
            }
            let body: ShowLogsBody = body::typed(OPERATION, json)?;
            let call = client.show_logs().id(id).body(body);
            let answer = call.call().await?;
            let Some(url) = answer.result_url.filter(|u| !u.is_empty()) else {
                return Err(JobError::IncompleteAnswer {
                    operation: OPERATION,
                    missing: "the URL of the logs (`result_url`)",
                    message: answer.msg,
                });
            };
            let url = reqwest::Url::parse(&url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| JobError::IncompleteAnswer {
                    operation: OPERATION,
                    missing: "a valid http(s) URL in `result_url`",
                    message: Some(url.clone()),
                })?;
            let limit = client.inner().max_response_bytes();
            let per_try = client.inner().timeout();
            loop {
                // No `Authorization`: this is a plain request on the client's connection
                // pool, outside the hooks that add the key (and the timeout) to API calls.
                let mut request = client.client().get(url.clone());
                if let Some(per_try) = per_try {
                    request = request.timeout(per_try);
                }
                match request.send().await {
                    Ok(response) if response.status().is_success() => {
                        return read_text(response, limit)
                            .await
                            .map_err(|detail| JobError::Logs { id, detail });
                    }
                    Ok(response) => last_try = format!("HTTP {}", response.status()),
                    Err(error) => last_try = crate::error::causes::with_causes(&error),
                }
                tokio::time::sleep(interval).await;
            }
        };
        match tokio::time::timeout(timeout, fetch).await {
            Ok(result) => result,
            Err(_) => Err(JobError::LogsTimeout {
                id,
                waited: timeout,
                last_try,
            }),
        }
    }
}

/// The body as text, reading at most `limit` bytes.
async fn read_text(mut response: reqwest::Response, limit: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        if (bytes.len() + chunk.len()) as u64 > limit {
            return Err(format!("the logs are larger than {limit} bytes"));
        }
        bytes.extend_from_slice(&chunk);
    }
    // Logs are whatever the container printed: keep them even if not valid UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

impl<'a> IntoFuture for LogsRequest<'a> {
    type Output = Result<String, JobError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
