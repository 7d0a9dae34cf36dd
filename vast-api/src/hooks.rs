//! The hooks the generated operations call around each request: credentials go on in `pre`,
//! and `exec` retries transient failures as the client's [`RetryPolicy`](crate::RetryPolicy)
//! says.
//!
//! Implemented for `Client` itself, which takes precedence over the generated no-op
//! implementation for `&Client` (progenitor's auto-ref specialisation).

use std::time::{Duration, SystemTime};

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::RETRY_AFTER;

use crate::retry::{self, RetryReason};
use crate::{Client, ClientContext};

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner.apply(request);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = self.inner.retry_policy();
        let operation = info.operation_id;
        let mut request = request;
        let mut attempt = 1;
        loop {
            // A streaming body cannot be cloned, so such a request is sent only once.
            let next = (attempt < policy.max_attempts())
                .then(|| request.try_clone())
                .flatten();
            let outcome = self.client.execute(request).await;
            let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
            let error = outcome.as_ref().err().map(tracing::field::display);
            let reason = retry::classify(&outcome);
            let Some((reason, next)) = reason.zip(next) else {
                if reason.is_some() {
                    tracing::warn!(
                        operation,
                        attempt,
                        status,
                        error,
                        "vast-api request failed transiently; giving up"
                    );
                } else {
                    tracing::debug!(operation, attempt, status, error, "vast-api request done");
                }
                return outcome;
            };
            let retry_after = outcome.as_ref().ok().and_then(|response| {
                let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
                retry::parse_retry_after(value, SystemTime::now())
            });
            let wait = policy.wait(attempt, retry_after, fastrand::f64());
            tracing::info!(
                operation,
                attempt,
                status,
                error,
                reason = describe(reason),
                wait_ms = millis(wait),
                "vast-api request failed transiently; retrying"
            );
            // Dropping the response frees its connection before the wait.
            drop(outcome);
            tokio::time::sleep(wait).await;
            request = next;
            attempt += 1;
        }
    }
}

fn describe(reason: RetryReason) -> &'static str {
    match reason {
        RetryReason::Status(_) => "status",
        RetryReason::Timeout => "timeout",
        RetryReason::Connect => "connection",
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
