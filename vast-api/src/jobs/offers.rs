//! Offer search: [`Client::find_offers`] sends an [`OfferQuery`] as the body of
//! `search_offers` and returns the [`Offer`]s in the order the API gives them.

mod offer;
mod query;
mod request_body;
mod typed_filters;

pub use offer::Offer;
pub use query::OfferQuery;
pub use typed_filters::OfferType;

use super::JobError;
use crate::Client;

const OPERATION: &str = "search_offers";

impl Client {
    /// Searches offers (`search_offers`) with the filters of `query`, in its order.
    ///
    /// Fails with [`JobError::InvalidRequest`], before sending anything, when the spec's
    /// body cannot carry a filter of the query; with [`JobError::Api`] when the call fails.
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client) -> Result<(), vast_api::jobs::JobError> {
    /// use vast_api::jobs::{OfferQuery, SortDirection};
    ///
    /// let query = OfferQuery::new()
    ///     .gpu_name("RTX 4090")
    ///     .order("dph_total", SortDirection::Asc)
    ///     .limit(5);
    /// for offer in client.find_offers(&query).await? {
    ///     println!("{:?} {:?} ${:?}/h", offer.id(), offer.gpu_name(), offer.dph_total());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn find_offers(&self, query: &OfferQuery) -> Result<Vec<Offer>, JobError> {
        let body = query.to_body()?;
        let found = self.search_offers().body(body).call().await?;
        Ok(found
            .offers
            .into_iter()
            .flatten()
            .map(Offer::from_raw)
            .collect())
    }
}
