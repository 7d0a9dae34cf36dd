//! All of your instances as a stream, page after page.

use std::collections::VecDeque;

use futures_core::Stream;
use serde_json::{Map, Value, json};

use super::JobError;
use super::filter::{self, Op, SortDirection};
use crate::Client;

/// One instance as `show_instances` lists it (the generated type, under a shorter name).
///
/// ```
/// let listed = vast_api::jobs::InstanceSummary::default();
/// assert_eq!(listed.id, None);
/// ```
pub type InstanceSummary = crate::types::ShowInstancesResponseInstancesItem;

/// The most instances the API returns in one page.
///
/// ```
/// use vast_api::jobs::{InstanceQuery, MAX_PAGE_SIZE};
///
/// assert_eq!(InstanceQuery::new().effective_page_size(), MAX_PAGE_SIZE);
/// ```
pub const MAX_PAGE_SIZE: u32 = 25;

/// Which instances [`Client::instances`] lists, in which order, with which columns.
///
/// The filters, order and columns are passed through to `show_instances` as the JSON its
/// `select_filters`, `order_by` and `select_cols` parameters take. Without an order, the
/// instances come by `id`, ascending, as the official client asks for them.
///
/// ```
/// use vast_api::jobs::{InstanceQuery, Op, SortDirection};
///
/// let query = InstanceQuery::new()
///     .filter("actual_status", Op::Eq, "running")
///     .order_by("start_date", SortDirection::Desc)
///     .select_cols(["id", "actual_status", "label"]);
/// assert_eq!(query.select_filters_json(), r#"{"actual_status":{"eq":"running"}}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstanceQuery {
    filters: Map<String, Value>,
    order: Vec<(String, SortDirection)>,
    columns: Vec<String>,
    page_size: Option<u32>,
}

impl InstanceQuery {
    /// All instances, by id.
    ///
    /// ```
    /// let query = vast_api::jobs::InstanceQuery::new();
    /// assert_eq!(query.order_by_json(), r#"[{"col":"id","dir":"asc"}]"#);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Only instances whose `field` compares with `value` as `op` says; several filters
    /// must all hold.
    ///
    /// ```
    /// use vast_api::jobs::{InstanceQuery, Op};
    ///
    /// let query = InstanceQuery::new().filter("label", Op::Eq, "batch-7");
    /// assert_eq!(query.select_filters_json(), r#"{"label":{"eq":"batch-7"}}"#);
    /// ```
    pub fn filter(mut self, field: &str, op: Op, value: impl Into<Value>) -> Self {
        filter::set_operator(&mut self.filters, field, op.as_str(), value.into());
        self
    }

    /// Adds a sort key; the first one added sorts first.
    ///
    /// ```
    /// use vast_api::jobs::{InstanceQuery, SortDirection};
    ///
    /// let query = InstanceQuery::new().order_by("dph_total", SortDirection::Desc);
    /// assert_eq!(query.order_by_json(), r#"[{"col":"dph_total","dir":"desc"}]"#);
    /// ```
    pub fn order_by(mut self, column: impl Into<String>, direction: SortDirection) -> Self {
        self.order.push((column.into(), direction));
        self
    }

    /// Only these columns of each instance; the others are `None` or empty in the
    /// [`InstanceSummary`]. All columns without it.
    ///
    /// ```
    /// let query = vast_api::jobs::InstanceQuery::new().select_cols(["id", "label"]);
    /// assert_eq!(query.select_cols_json().as_deref(), Some(r#"["id","label"]"#));
    /// ```
    pub fn select_cols<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// Instances per page, from 1 to [`MAX_PAGE_SIZE`] (the API's maximum, and the default);
    /// other values are brought into that range.
    ///
    /// ```
    /// let query = vast_api::jobs::InstanceQuery::new().page_size(100);
    /// assert_eq!(query.effective_page_size(), 25);
    /// ```
    pub fn page_size(self, size: u32) -> Self {
        Self {
            page_size: Some(size),
            ..self
        }
    }

    /// The page size sent.
    ///
    /// ```
    /// assert_eq!(vast_api::jobs::InstanceQuery::new().page_size(0).effective_page_size(), 1);
    /// ```
    pub fn effective_page_size(&self) -> u32 {
        self.page_size
            .unwrap_or(MAX_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    }

    /// The `select_filters` parameter sent.
    ///
    /// ```
    /// assert_eq!(vast_api::jobs::InstanceQuery::new().select_filters_json(), "{}");
    /// ```
    pub fn select_filters_json(&self) -> String {
        Value::Object(self.filters.clone()).to_string()
    }

    /// The `order_by` parameter sent.
    ///
    /// ```
    /// assert!(vast_api::jobs::InstanceQuery::new().order_by_json().contains("\"id\""));
    /// ```
    pub fn order_by_json(&self) -> String {
        let keys: Vec<Value> = if self.order.is_empty() {
            vec![json!({"col": "id", "dir": "asc"})]
        } else {
            self.order
                .iter()
                .map(|(col, dir)| json!({"col": col, "dir": dir.as_str()}))
                .collect()
        };
        Value::Array(keys).to_string()
    }

    /// The `select_cols` parameter sent, if any.
    ///
    /// ```
    /// assert_eq!(vast_api::jobs::InstanceQuery::new().select_cols_json(), None);
    /// ```
    pub fn select_cols_json(&self) -> Option<String> {
        (!self.columns.is_empty()).then(|| json!(self.columns).to_string())
    }
}

/// Where the stream stands between two pages.
struct Pages<'a> {
    client: &'a Client,
    query: InstanceQuery,
    /// Fetched but not yet handed out.
    buffered: VecDeque<InstanceSummary>,
    /// `None` before the first page; then the token of the next page.
    next: Option<String>,
    /// An error to hand out once the buffered instances are.
    failed: Option<JobError>,
    done: bool,
}

impl Pages<'_> {
    async fn fetch(&mut self) -> Result<(), JobError> {
        let query = &self.query;
        let mut call = self
            .client
            .show_instances()
            .limit(i64::from(query.effective_page_size()))
            .select_filters(query.select_filters_json())
            .order_by(query.order_by_json());
        if let Some(columns) = query.select_cols_json() {
            call = call.select_cols(columns);
        }
        if let Some(token) = &self.next {
            call = call.after_token(token.clone());
        }
        let page = call.call().await?;
        self.buffered.extend(page.instances.into_iter().flatten());
        let next = page.next_token.filter(|token| !token.is_empty());
        if next.is_some() && next == self.next {
            // A server handing out the token it was given would make the stream endless. The
            // page's instances are handed out before this error, as before any failed fetch's.
            return Err(JobError::IncompleteAnswer {
                operation: "show_instances",
                missing: "a new page token (it returned the one it was given)",
                message: None,
            });
        }
        self.done = next.is_none();
        self.next = next;
        Ok(())
    }

    async fn next_item(mut self) -> Option<(Result<InstanceSummary, JobError>, Self)> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some((Ok(item), self));
            }
            // An error (a rejected token, a failed call) is the last item.
            if let Some(error) = self.failed.take() {
                self.done = true;
                return Some((Err(error), self));
            }
            if self.done {
                return None;
            }
            if let Err(error) = self.fetch().await {
                self.failed = Some(error);
            }
        }
    }
}

impl Client {
    /// All of your instances that `query` selects, as a stream that follows `show_instances`'
    /// `next_token` page by page.
    ///
    /// A page is fetched only when the consumer wants an instance the previous pages did not
    /// hold, so taking the first few costs one call. The stream ends after the page whose
    /// `next_token` is null, absent or empty. A failed call (such as a 400 for a page token
    /// the server rejects) is an `Err` item, after which the stream ends.
    ///
    /// ```no_run
    /// # async fn run(client: vast_api::Client) -> Result<(), vast_api::jobs::JobError> {
    /// use futures_util::StreamExt;
    /// use vast_api::jobs::{InstanceQuery, Op};
    ///
    /// let running = client.instances(InstanceQuery::new().filter("actual_status", Op::Eq, "running"));
    /// let mut running = std::pin::pin!(running);
    /// while let Some(instance) = running.next().await {
    ///     let instance = instance?;
    ///     println!("{:?} {:?} {:?}", instance.id, instance.label, instance.actual_status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn instances(
        &self,
        query: InstanceQuery,
    ) -> impl Stream<Item = Result<InstanceSummary, JobError>> + Send + '_ {
        let pages = Pages {
            client: self,
            query,
            buffered: VecDeque::new(),
            next: None,
            failed: None,
            done: false,
        };
        futures_util::stream::unfold(pages, Pages::next_item)
    }
}
