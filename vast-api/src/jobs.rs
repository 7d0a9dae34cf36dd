//! The jobs people script on Vast.ai, each over several generated operations, with the traps
//! the spec only mentions in prose handled for you.
//!
//! | job | how | trap handled |
//! | --- | --- | --- |
//! | find offers | [`Client::find_offers`](crate::Client::find_offers) with an [`OfferQuery`] | GPU RAM is GB here, MB in the API; a filter the spec's body cannot carry is an error, not silently dropped |
//! | rent one | [`Client::launch`](crate::Client::launch) with a [`LaunchSpec`] | the new instance's id is `new_contract`, not `id`; `onstart` is limited to 4048 characters |
//! | wait for it | [`Client::wait_until_running`](crate::Client::wait_until_running) | `exited`, `unknown` and `offline` never become `running`: a distinct error at once instead of a loop until the timeout |
//! | list yours | [`Client::instances`](crate::Client::instances) with an [`InstanceQuery`] | pages of at most 25 chained by `next_token`, fetched as you consume them |
//! | read its logs | [`Client::logs`](crate::Client::logs) | the API answers with a URL to poll, fetched without your API key |
//! | clean up | [`Client::destroy`](crate::Client::destroy), [`InstanceGuard`] | a failed wait leaves a billed instance behind unless someone destroys it |
//!
//! Every job calls the generated operations through their builders, so the client's retry
//! policy, timeouts and credentials apply as for any other call.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use vast_api::Client;
//! use vast_api::jobs::{LaunchSpec, OfferQuery};
//!
//! let client = Client::from_env()?;
//! let offers = client
//!     .find_offers(&OfferQuery::new().gpu_name("RTX 4090").num_gpus(1).max_dph(0.6).limit(5))
//!     .await?;
//! let offer = offers.first().and_then(|o| o.id()).ok_or("no offer")?;
//! let id = client.launch(offer, &LaunchSpec::new("pytorch/pytorch").disk_gb(20.0)).await?;
//! // From here on the instance costs money: destroy it on any failure.
//! let guard = client.guard(id);
//! let instance = client.wait_until_running(id).await?;
//! println!("ssh -p {:?} root@{:?}", instance.ssh_port, instance.ssh_host);
//! guard.destroy().await?;
//! # Ok(()) }
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

mod body;
mod cleanup;
mod error;
mod filter;
mod instances;
mod launch;
mod logs;
mod offers;
mod wait;

pub use cleanup::InstanceGuard;
pub use error::JobError;
pub use filter::{Op, SortDirection};
pub use instances::{InstanceQuery, InstanceSummary, MAX_PAGE_SIZE};
pub use launch::{LaunchSpec, ONSTART_LIMIT};
pub use logs::LogsRequest;
pub use offers::{Offer, OfferQuery, OfferType};
pub use wait::WaitUntilRunning;

/// The id of a rented instance: what [`Client::launch`](crate::Client::launch) returns (the
/// API's `new_contract`) and what the instance operations take.
///
/// A newtype, so an offer id cannot be passed where an instance id is meant; the number itself
/// is the public field, for the generated operations:
///
/// ```
/// use vast_api::jobs::InstanceId;
///
/// let id = InstanceId(1234);
/// assert_eq!(id.to_string(), "1234");
/// assert_eq!(i64::from(id), 1234);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InstanceId(pub i64);

/// The id of an offer (an "ask"), as [`Offer::id`] gives it and
/// [`Client::launch`](crate::Client::launch) takes it.
///
/// ```
/// use vast_api::jobs::OfferId;
///
/// assert_eq!(OfferId(42).to_string(), "42");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OfferId(pub i64);

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for OfferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<InstanceId> for i64 {
    fn from(id: InstanceId) -> Self {
        id.0
    }
}

impl From<OfferId> for i64 {
    fn from(id: OfferId) -> Self {
        id.0
    }
}
