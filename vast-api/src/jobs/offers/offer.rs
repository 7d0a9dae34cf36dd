//! One offer of a search result: the API's offer object with typed accessors.

use serde_json::{Map, Value};

use crate::jobs::OfferId;

/// One offer from [`Client::find_offers`](crate::Client::find_offers): the API's offer object,
/// with accessors for the fields most scripts use.
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
