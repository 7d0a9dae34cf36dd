//! Offer search: a typed filter builder over `search_offers`.

use serde_json::{Map, Value, json};

use super::filter::{self, Op, SortDirection};
use super::{JobError, OfferId, body};
use crate::Client;
use crate::types::SearchOffersBody;

const OPERATION: &str = "search_offers";

/// MB per GB in the API's RAM filters: the official CLI multiplies by 1000, not 1024, so a
/// "24 GB" filter (24000 MB) also matches cards reporting 24564 or 24576 MB.
const MB_PER_GB: f64 = 1000.0;

/// How an offer is rented, which decides its price.
///
/// ```
/// use vast_api::jobs::{OfferQuery, OfferType};
///
/// let query = OfferQuery::new().offer_type(OfferType::Bid);
/// assert_eq!(query.raw()["type"], "bid");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferType {
    /// Fixed listed price (the API's default).
    OnDemand,
    /// Interruptible: priced at the minimum bid, may be stopped when outbid.
    Bid,
    /// Reserved pricing.
    Reserved,
}

/// The filters, order and limit of an offer search: what [`Client::find_offers`] sends as the
/// body of the generated `search_offers` operation.
///
/// [`new`](Self::new) starts from the official CLI's defaults (verified, rentable, not
/// already rented by you, not external; best `score` first); [`empty`](Self::empty) from
/// nothing. Each typed method sets one filter in the API's form, with the unit conversions
/// the CLI makes (GPU RAM in GB becomes MB). [`filter`](Self::filter) and
/// [`raw_mut`](Self::raw_mut) reach every other field.
///
/// The body is checked against the generated `SearchOffersBody` before it is sent: a field
/// the spec does not have, or an operator its type cannot carry, fails with
/// [`JobError::InvalidRequest`] instead of being dropped from the request (the operators each
/// filter takes are the spec's, with the corrections of `openapi/corrections.yaml`).
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
    body: Map<String, Value>,
    order: Vec<(String, SortDirection)>,
    /// Whether to sort by `score` when no order is given, as the CLI does.
    default_order: bool,
    offer_type: Option<OfferType>,
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
            offer_type: None,
        }
    }

    fn set(mut self, field: &str, op: &str, value: Value) -> Self {
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

    /// Only this GPU model, named as the API names it (`"RTX 4090"`). Underscores become
    /// spaces, as in the CLI, so `"RTX_4090"` works too.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().gpu_name("RTX_4090");
    /// assert_eq!(query.raw()["gpu_name"], serde_json::json!({"in": ["RTX 4090"]}));
    /// ```
    pub fn gpu_name(self, name: impl AsRef<str>) -> Self {
        self.gpu_names([name])
    }

    /// Any of these GPU models (see [`gpu_name`](Self::gpu_name)).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().gpu_names(["H100 SXM", "H200"]);
    /// assert_eq!(query.raw()["gpu_name"], serde_json::json!({"in": ["H100 SXM", "H200"]}));
    /// ```
    pub fn gpu_names<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        let names: Vec<Value> = names
            .into_iter()
            .map(|name| Value::from(name.as_ref().replace('_', " ")))
            .collect();
        self.body.insert("gpu_name".into(), json!({ "in": names }));
        self
    }

    /// Exactly this many GPUs.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().num_gpus(2);
    /// assert_eq!(query.raw()["num_gpus"], serde_json::json!({"eq": 2}));
    /// ```
    pub fn num_gpus(mut self, count: u32) -> Self {
        self.body.insert("num_gpus".into(), json!({ "eq": count }));
        self
    }

    /// At least this many GPUs.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().min_gpus(4);
    /// assert_eq!(query.raw()["num_gpus"], serde_json::json!({"gte": 4}));
    /// ```
    pub fn min_gpus(mut self, count: u32) -> Self {
        self.body.insert("num_gpus".into(), json!({ "gte": count }));
        self
    }

    /// Any of these GPU counts.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().num_gpus_in([4, 8]);
    /// assert_eq!(query.raw()["num_gpus"], serde_json::json!({"in": [4, 8]}));
    /// ```
    pub fn num_gpus_in(mut self, counts: impl IntoIterator<Item = u32>) -> Self {
        let counts: Vec<u32> = counts.into_iter().collect();
        self.body.insert("num_gpus".into(), json!({ "in": counts }));
        self
    }

    /// At least this much RAM per GPU, in GB (sent in MB, the API's unit, as GB × 1000 like
    /// the CLI).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().min_gpu_ram_gb(24.0);
    /// assert_eq!(query.raw()["gpu_ram"], serde_json::json!({"gte": 24000.0}));
    /// ```
    pub fn min_gpu_ram_gb(self, gb: f64) -> Self {
        self.set("gpu_ram", "gte", json!(gb * MB_PER_GB))
    }

    /// At most this price per hour in dollars, everything included (`dph_total`).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().max_dph(0.5);
    /// assert_eq!(query.raw()["dph_total"], serde_json::json!({"lte": 0.5}));
    /// ```
    pub fn max_dph(self, dollars_per_hour: f64) -> Self {
        self.set("dph_total", "lte", json!(dollars_per_hour))
    }

    /// At least this machine reliability, from 0 to 1.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().min_reliability(0.99);
    /// assert_eq!(query.raw()["reliability"], serde_json::json!({"gte": 0.99}));
    /// ```
    pub fn min_reliability(self, reliability: f64) -> Self {
        self.set("reliability", "gte", json!(reliability))
    }

    /// Only verified machines (`true`), only unverified ones (`false`).
    /// [`raw_mut`](Self::raw_mut)`().remove("verified")` lifts the filter.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().verified(false);
    /// assert_eq!(query.raw()["verified"], serde_json::json!({"eq": false}));
    /// ```
    pub fn verified(self, verified: bool) -> Self {
        self.set("verified", "eq", json!(verified))
    }

    /// Only offers that can be rented now (`true`, the default of [`new`](Self::new)).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::empty().rentable(true);
    /// assert_eq!(query.raw()["rentable"], serde_json::json!({"eq": true}));
    /// ```
    pub fn rentable(self, rentable: bool) -> Self {
        self.set("rentable", "eq", json!(rentable))
    }

    /// Include (`true`) or leave out (`false`, the default of [`new`](Self::new)) offers
    /// from outside Vast.ai's own datacenter partners.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().external(true);
    /// assert_eq!(query.raw()["external"], serde_json::json!({"eq": true}));
    /// ```
    pub fn external(self, external: bool) -> Self {
        self.set("external", "eq", json!(external))
    }

    /// Only machines in these countries (two-letter codes).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().countries(["US", "CA"]);
    /// assert_eq!(query.raw()["geolocation"], serde_json::json!({"in": ["US", "CA"]}));
    /// ```
    pub fn countries<S: AsRef<str>>(mut self, codes: impl IntoIterator<Item = S>) -> Self {
        let codes: Vec<Value> = codes
            .into_iter()
            .map(|code| Value::from(code.as_ref().to_ascii_uppercase()))
            .collect();
        self.body
            .insert("geolocation".into(), json!({ "in": codes }));
        self
    }

    /// Machines whose driver supports at least this CUDA version (`cuda_max_good`).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().min_cuda(12.1);
    /// assert_eq!(query.raw()["cuda_max_good"], serde_json::json!({"gte": 12.1}));
    /// ```
    pub fn min_cuda(self, version: f64) -> Self {
        self.set("cuda_max_good", "gte", json!(version))
    }

    /// At least this much free disk, in GB (`disk_space`).
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().min_disk_gb(100.0);
    /// assert_eq!(query.raw()["disk_space"], serde_json::json!({"gte": 100.0}));
    /// ```
    pub fn min_disk_gb(self, gb: f64) -> Self {
        self.set("disk_space", "gte", json!(gb))
    }

    /// The disk you will rent, in GB (`allocated_storage`), which the prices include; the
    /// API assumes 8 GB without it. Give [`LaunchSpec::disk_gb`](super::LaunchSpec::disk_gb)
    /// the same size.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().storage_gb(50.0);
    /// assert_eq!(query.raw()["allocated_storage"], 50.0);
    /// ```
    pub fn storage_gb(mut self, gb: f64) -> Self {
        self.body.insert("allocated_storage".into(), json!(gb));
        self
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

    /// On-demand, interruptible (bid) or reserved pricing.
    ///
    /// ```
    /// use vast_api::jobs::{OfferQuery, OfferType};
    ///
    /// let query = OfferQuery::new().offer_type(OfferType::Reserved);
    /// assert_eq!(query.raw()["type"], "reserved");
    /// ```
    pub fn offer_type(mut self, offer_type: OfferType) -> Self {
        self.offer_type = Some(offer_type);
        let name = match offer_type {
            OfferType::OnDemand => ON_DEMAND[0],
            OfferType::Bid => "bid",
            OfferType::Reserved => "reserved",
        };
        self.body.insert("type".into(), json!(name));
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

    /// The JSON body [`Client::find_offers`] sends, after checking it against the spec's
    /// body type.
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
        if self.offer_type == Some(OfferType::OnDemand) {
            // The official client sends `on-demand`, the spec's enum says `ondemand`: send the
            // first one the generated type accepts.
            let mut last = None;
            for name in ON_DEMAND {
                json.insert("type".into(), json!(name));
                match body::typed(OPERATION, json.clone()) {
                    Ok(body) => return Ok(body),
                    Err(error) => last = Some(error),
                }
            }
            if let Some(error) = last {
                return Err(error);
            }
        }
        body::typed(OPERATION, json)
    }
}

/// How on-demand is spelt, in order of preference: as the official client sends it, then as
/// the spec's enum spells it.
const ON_DEMAND: [&str; 2] = ["on-demand", "ondemand"];

/// One offer from [`Client::find_offers`]: the API's offer object, with accessors for the
/// fields most scripts use.
///
/// ```
/// use vast_api::jobs::{Offer, OfferId};
///
/// let offer = Offer::from_raw(serde_json::json!({"id": 7, "gpu_name": "RTX 4090", "dph_total": 0.4})
///     .as_object().cloned().unwrap_or_default());
/// assert_eq!(offer.id(), Some(OfferId(7)));
/// assert_eq!(offer.gpu_name(), Some("RTX 4090"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Offer {
    raw: Map<String, Value>,
}

impl Offer {
    /// Wraps an offer object as the API returns it.
    ///
    /// ```
    /// let offer = vast_api::jobs::Offer::from_raw(serde_json::Map::new());
    /// assert_eq!(offer.id(), None);
    /// ```
    pub fn from_raw(raw: Map<String, Value>) -> Self {
        Self { raw }
    }

    /// The offer's id, to pass to [`Client::launch`](crate::Client::launch).
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// if let Some(id) = offer.id() { println!("offer {id}"); }
    /// ```
    pub fn id(&self) -> Option<OfferId> {
        self.raw.get("id").and_then(Value::as_i64).map(OfferId)
    }

    /// The GPU model, such as `"RTX 4090"`.
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("{}", offer.gpu_name().unwrap_or("?"));
    /// ```
    pub fn gpu_name(&self) -> Option<&str> {
        self.raw.get("gpu_name").and_then(Value::as_str)
    }

    /// How many GPUs.
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("{:?}", offer.num_gpus());
    /// ```
    pub fn num_gpus(&self) -> Option<u64> {
        self.raw.get("num_gpus").and_then(Value::as_u64)
    }

    /// RAM per GPU in MB, the API's unit.
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("{:?} MB", offer.gpu_ram_mb());
    /// ```
    pub fn gpu_ram_mb(&self) -> Option<f64> {
        self.number("gpu_ram")
    }

    /// The total price per hour, in dollars.
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("${:.3}/h", offer.dph_total().unwrap_or(f64::NAN));
    /// ```
    pub fn dph_total(&self) -> Option<f64> {
        self.number("dph_total")
    }

    /// The machine's reliability, from 0 to 1.
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("{:?}", offer.reliability());
    /// ```
    pub fn reliability(&self) -> Option<f64> {
        self.number("reliability")
    }

    /// Where the machine is, as the API words it (`"Oregon, US"`).
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("{}", offer.geolocation().unwrap_or("somewhere"));
    /// ```
    pub fn geolocation(&self) -> Option<&str> {
        self.raw.get("geolocation").and_then(Value::as_str)
    }

    /// Any field, such as `"cuda_max_good"` or `"inet_down"`.
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("{:?}", offer.get("cuda_max_good"));
    /// ```
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.raw.get(field)
    }

    /// The whole offer object.
    ///
    /// ```
    /// # let offer = vast_api::jobs::Offer::default();
    /// println!("{} fields", offer.raw().len());
    /// ```
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }

    fn number(&self, field: &str) -> Option<f64> {
        self.raw.get(field).and_then(Value::as_f64)
    }
}

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
