//! An offer query as the request body: the default order added, checked against the
//! generated `SearchOffersBody`.

use serde_json::{Value, json};

use super::{OPERATION, OfferQuery};
use crate::jobs::filter::SortDirection;
use crate::jobs::{JobError, body};
use crate::types::SearchOffersBody;

impl OfferQuery {
    /// The JSON body [`Client::find_offers`](crate::Client::find_offers) sends, after checking
    /// it against the spec's body type.
    ///
    /// ```
    /// let sent = vast_api::jobs::OfferQuery::new().to_json()?;
    /// assert_eq!(sent["rented"], serde_json::json!({"eq": false}));
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn to_json(&self) -> Result<Value, JobError> {
        let body = self.to_body()?;
        serde_json::to_value(body).map_err(|e| JobError::InvalidRequest {
            operation: OPERATION,
            detail: e.to_string(),
        })
    }

    /// The body as the generated `SearchOffersBody`, or [`JobError::InvalidRequest`] naming
    /// every field or operator it would not carry.
    ///
    /// ```
    /// use vast_api::jobs::{Op, OfferQuery};
    ///
    /// assert!(OfferQuery::new().to_body().is_ok());
    /// // Misspelt: `gpu_rma` is no field of the spec's body.
    /// assert!(OfferQuery::new().filter("gpu_rma", Op::Gte, 1).to_body().is_err());
    /// ```
    pub fn to_body(&self) -> Result<SearchOffersBody, JobError> {
        let mut json = self.body.clone();
        let mut order = self.order.clone();
        if order.is_empty() && self.default_order && !json.contains_key("order") {
            // `new()` without an explicit order: the CLI's default.
            order.push(("score".into(), SortDirection::Desc));
        }
        if !order.is_empty() {
            let pairs: Vec<Value> = order
                .iter()
                .map(|(field, dir)| json!([field, dir.as_str()]))
                .collect();
            json.insert("order".into(), Value::Array(pairs));
        }
        body::typed(OPERATION, json)
    }
}
