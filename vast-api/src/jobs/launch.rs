//! Renting an offer: [`Client::launch`] sends a [`LaunchSpec`] as the body of
//! `create_instance` and returns the new instance's id.

mod spec;

pub use spec::{LaunchSpec, ONSTART_LIMIT};

use super::{InstanceId, JobError, OfferId};
use crate::Client;

const CREATE: &str = "create_instance";

impl Client {
    /// Rents `offer` to run `spec` (`create_instance`) and returns the new instance's id,
    /// which the API calls `new_contract`.
    ///
    /// From the moment this returns `Ok`, the instance costs money until it is destroyed: see
    /// [`guard`](Client::guard) and [`destroy`](Client::destroy).
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client) -> Result<(), vast_api::jobs::JobError> {
    /// use vast_api::jobs::{LaunchSpec, OfferId};
    ///
    /// let id = client.launch(OfferId(1234), &LaunchSpec::new("vastai/base-image")).await?;
    /// println!("instance {id}");
    /// # Ok(()) }
    /// ```
    pub async fn launch(&self, offer: OfferId, spec: &LaunchSpec) -> Result<InstanceId, JobError> {
        let body = spec.to_body()?;
        let created = self.create_instance().id(offer).body(body).call().await?;
        match created {
            crate::types::CreateInstanceResponse {
                success: Some(false),
                ..
            } => Err(JobError::IncompleteAnswer {
                operation: CREATE,
                missing: "success (it said `success: false`)",
                message: None,
            }),
            crate::types::CreateInstanceResponse {
                new_contract: Some(id),
                ..
            } => {
                tracing::info!(offer = offer.0, instance = id, "vast-api: instance created");
                Ok(InstanceId(id))
            }
            _ => Err(JobError::IncompleteAnswer {
                operation: CREATE,
                missing: "the new instance's id (`new_contract`)",
                message: None,
            }),
        }
    }
}
