//! The filter language the offer and instance searches share: comparison operators, sort
//! directions, and setting one `{field: {op: value}}`.

use serde_json::{Map, Value};

/// A comparison operator of the offer search language.
///
/// ```
/// use vast_api::jobs::{Op, OfferQuery};
///
/// // Filters the typed methods do not cover go through `filter`.
/// let query = OfferQuery::new().filter("inet_down", Op::Gte, 500);
/// assert_eq!(query.raw()["inet_down"], serde_json::json!({"gte": 500}));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Op {
    /// `eq`: equal.
    Eq,
    /// `neq`: not equal.
    Neq,
    /// `gt`: greater than.
    Gt,
    /// `gte`: greater than or equal.
    Gte,
    /// `lt`: less than.
    Lt,
    /// `lte`: less than or equal.
    Lte,
    /// `in`: in a list.
    In,
    /// `notin`: not in a list.
    NotIn,
}

impl Op {
    /// The operator as the API spells it.
    ///
    /// ```
    /// assert_eq!(vast_api::jobs::Op::NotIn.as_str(), "notin");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Neq => "neq",
            Self::Gt => "gt",
            Self::Gte => "gte",
            Self::Lt => "lt",
            Self::Lte => "lte",
            Self::In => "in",
            Self::NotIn => "notin",
        }
    }
}

/// Ascending or descending, for [`OfferQuery::order`](super::OfferQuery::order) and
/// [`InstanceQuery::order_by`](super::InstanceQuery::order_by).
///
/// ```
/// assert_eq!(vast_api::jobs::SortDirection::Desc.as_str(), "desc");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

impl SortDirection {
    /// `"asc"` or `"desc"`.
    ///
    /// ```
    /// assert_eq!(vast_api::jobs::SortDirection::Asc.as_str(), "asc");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }
}

/// Sets `filters[field][op] = value`, keeping the other operators already set on `field`
/// (`gte` and `lte` make a range); a `field` set to a non-object before is replaced.
pub(super) fn set_operator(filters: &mut Map<String, Value>, field: &str, op: &str, value: Value) {
    let entry = filters
        .entry(field)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    if let Value::Object(ops) = entry {
        ops.insert(op.to_owned(), value);
    }
}
