//! The offer query builder: its state, the generic filter, the order, the limit, and raw
//! access to the body.

use serde_json::{Map, Value, json};

use crate::jobs::filter::{self, Op, SortDirection};

/// The filters, order and limit of an offer search: what
/// [`Client::find_offers`](crate::Client::find_offers) sends as the body of the generated
/// `search_offers` operation.
///
/// [`new`](Self::new) starts from the official CLI's defaults (verified, rentable, not
/// already rented by you, not external; best `score` first); [`empty`](Self::empty) from
/// nothing. Each typed method sets one filter in the API's form, with the unit conversions
/// the CLI makes (GPU RAM in GB becomes MB). [`filter`](Self::filter) and
/// [`raw_mut`](Self::raw_mut) reach every other field.
///
/// The body is checked against the generated `SearchOffersBody` before it is sent: a field
/// the spec does not have, or an operator its type cannot carry, fails with
/// [`JobError::InvalidRequest`](crate::jobs::JobError::InvalidRequest) instead of being
/// dropped from the request (the operators each filter takes are the spec's, with the
/// corrections of `openapi/corrections.yaml`).
///
/// ```
/// use serde_json::json;
/// use vast_api::jobs::{OfferQuery, OfferType, SortDirection};
///
/// let query = OfferQuery::new()
///     .gpu_names(["RTX 4090", "RTX 3090"])
///     .num_gpus(1)
///     .min_gpu_ram_gb(24.0)
///     .max_dph(0.6)
///     .min_reliability(0.98)
///     .countries(["US", "CA"])
///     .min_cuda(12.1)
///     .min_disk_gb(50.0)
///     .offer_type(OfferType::OnDemand)
///     .order("dph_total", SortDirection::Asc)
///     .limit(10);
/// let sent = query.to_json()?;
/// assert_eq!(sent["gpu_ram"], json!({"gte": 24000.0}));
/// assert_eq!(sent["gpu_name"], json!({"in": ["RTX 4090", "RTX 3090"]}));
/// # Ok::<(), vast_api::jobs::JobError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OfferQuery {
    pub(super) body: Map<String, Value>,
    pub(super) order: Vec<(String, SortDirection)>,
    /// Whether to sort by `score` when no order is given, as the CLI does.
    pub(super) default_order: bool,
}

impl Default for OfferQuery {
    fn default() -> Self {
        Self::new()
    }
}

impl OfferQuery {
    /// A query with the official CLI's defaults: `verified`, `rentable`, not `rented` (by
    /// you), not `external`, ordered by `score` descending.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new();
    /// assert_eq!(query.raw()["verified"], serde_json::json!({"eq": true}));
    /// ```
    pub fn new() -> Self {
        Self {
            default_order: true,
            ..Self::empty()
        }
        .verified(true)
        .external(false)
        .rentable(true)
        .set("rented", "eq", json!(false))
    }

    /// A query without any filter, order or limit: the API's own defaults apply.
    ///
    /// ```
    /// assert!(vast_api::jobs::OfferQuery::empty().raw().is_empty());
    /// ```
    pub fn empty() -> Self {
        Self {
            body: Map::new(),
            order: Vec::new(),
            default_order: false,
        }
    }

    pub(super) fn set(mut self, field: &str, op: &str, value: Value) -> Self {
        filter::set_operator(&mut self.body, field, op, value);
        self
    }

    /// Sets `{field: {op: value}}`, for any filter the typed methods do not cover. Other
    /// operators already set on `field` stay (`gte` and `lte` make a range).
    ///
    /// ```
    /// use vast_api::jobs::{Op, OfferQuery};
    ///
    /// let query = OfferQuery::new()
    ///     .filter("cpu_cores", Op::Gte, 16)
    ///     .filter("cpu_cores", Op::Lte, 64);
    /// assert_eq!(query.raw()["cpu_cores"], serde_json::json!({"gte": 16, "lte": 64}));
    /// ```
    pub fn filter(self, field: &str, op: Op, value: impl Into<Value>) -> Self {
        self.set(field, op.as_str(), value.into())
    }

    /// Adds a sort key; the first one added sorts first. Without any, [`new`](Self::new)
    /// sorts by `score`, best first.
    ///
    /// ```
    /// use vast_api::jobs::{OfferQuery, SortDirection};
    ///
    /// let query = OfferQuery::new().order("dph_total", SortDirection::Asc);
    /// assert_eq!(query.to_json()?["order"][0], serde_json::json!(["dph_total", "asc"]));
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn order(mut self, field: impl Into<String>, direction: SortDirection) -> Self {
        self.order.push((field.into(), direction));
        self
    }

    /// At most this many offers.
    ///
    /// ```
    /// assert_eq!(vast_api::jobs::OfferQuery::new().limit(5).raw()["limit"], 5);
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.body.insert("limit".into(), json!(limit));
        self
    }

    /// The filters and settings as set so far, without the order (see
    /// [`to_json`](Self::to_json) for the whole body).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new();
    /// assert!(query.raw().contains_key("rentable"));
    /// ```
    pub fn raw(&self) -> &Map<String, Value> {
        &self.body
    }

    /// The filters and settings, to change or remove any of them.
    ///
    /// ```
    /// let mut query = vast_api::jobs::OfferQuery::new();
    /// query.raw_mut().remove("verified");
    /// query.raw_mut().insert("inet_up".into(), serde_json::json!({"gte": 100}));
    /// assert!(!query.raw().contains_key("verified"));
    /// ```
    pub fn raw_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.body
    }
}
