//! The typed filters of an offer query, in the API's form and units (GPU RAM in GB becomes
//! MB), and the offer types.

use serde_json::{Value, json};

use super::OfferQuery;

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

impl OfferQuery {
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
    /// API assumes 8 GB without it. Give
    /// [`LaunchSpec::disk_gb`](crate::jobs::LaunchSpec::disk_gb) the same size.
    ///
    /// ```
    /// let query = vast_api::jobs::OfferQuery::new().storage_gb(50.0);
    /// assert_eq!(query.raw()["allocated_storage"], 50.0);
    /// ```
    pub fn storage_gb(mut self, gb: f64) -> Self {
        self.body.insert("allocated_storage".into(), json!(gb));
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
        let name = match offer_type {
            // As the official client sends it (the spec's `ondemand` is corrected in
            // openapi/corrections.yaml).
            OfferType::OnDemand => "on-demand",
            OfferType::Bid => "bid",
            OfferType::Reserved => "reserved",
        };
        self.body.insert("type".into(), json!(name));
        self
    }
}
