//! `Client::instances`: the stream follows `next_token` page by page, only as far as it is
//! consumed, passes the query through, and ends after an error item.

mod jobs_support;

use futures_util::StreamExt;
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};
use vast_api::jobs::{InstanceQuery, JobError, Op, SortDirection};
use vast_api_tests::MockServerExt;

use jobs_support::{client, typed};

/// A page of instances `ids`, answered to `after_token` (`None`: the first page), pointing
/// to `next` (`Value::Null` or absent ends the listing).
fn page<'a>(
    server: &'a MockServer,
    after_token: Option<&str>,
    ids: &[i64],
    next: Option<Value>,
) -> Mock<'a> {
    let instances: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "actual_status": "running", "label": format!("job-{id}")}))
        .collect();
    let mut body = json!({"success": true, "instances": instances, "total_instances": 4});
    if let Some(next) = next {
        body["next_token"] = next;
    }
    let body = typed(body);
    server.show_instances(|when, then| {
        when.after_token(after_token);
        then.ok(&body);
    })
}

fn ids(items: &[Result<vast_api::jobs::InstanceSummary, JobError>]) -> Vec<Option<i64>> {
    items
        .iter()
        .map(|item| item.as_ref().ok().and_then(|i| i.id))
        .collect()
}

#[tokio::test]
async fn the_stream_follows_next_token_and_fetches_a_page_only_when_needed() {
    let server = MockServer::start_async().await;
    let first = page(&server, None, &[1, 2], Some(json!("t2")));
    let second = page(&server, Some("t2"), &[3], Some(json!("t3")));
    let third = page(&server, Some("t3"), &[4], Some(Value::Null));
    let client = client(&server);

    let stream = client.instances(InstanceQuery::new());
    let mut stream = std::pin::pin!(stream);

    // Nothing is fetched before the first item is asked for.
    first.assert_calls(0);
    let one = stream.next().await.unwrap().unwrap();
    assert_eq!(one.id, Some(1));
    assert_eq!(one.label.as_deref(), Some("job-1"));
    let two = stream.next().await.unwrap().unwrap();
    assert_eq!(two.id, Some(2));
    // The first page held both: the second has not been fetched.
    first.assert_calls(1);
    second.assert_calls(0);

    let rest: Vec<_> = stream.collect().await;
    assert_eq!(ids(&rest), [Some(3), Some(4)]);
    first.assert_calls(1);
    second.assert_calls(1);
    third.assert_calls(1);
}

#[tokio::test]
async fn an_absent_or_empty_next_token_ends_the_stream() {
    for next in [None, Some(json!(""))] {
        let server = MockServer::start_async().await;
        let only = page(&server, None, &[1], next.clone());
        let client = client(&server);

        let all: Vec<_> = client.instances(InstanceQuery::new()).collect().await;

        assert_eq!(ids(&all), [Some(1)], "next_token {next:?}");
        only.assert_calls(1);
    }
}

#[tokio::test]
async fn filters_order_columns_and_page_size_are_passed_through() {
    let server = MockServer::start_async().await;
    let query = InstanceQuery::new()
        .filter("actual_status", Op::Eq, "running")
        .filter("dph_total", Op::Lte, 1.5)
        .order_by("start_date", SortDirection::Desc)
        .select_cols(["id", "actual_status"])
        .page_size(10);
    let filtered = server.show_instances(|when, then| {
        when.after_token(None)
            .limit(10)
            .select_filters(r#"{"actual_status":{"eq":"running"},"dph_total":{"lte":1.5}}"#)
            .order_by(r#"[{"col":"start_date","dir":"desc"}]"#)
            .select_cols(r#"["id","actual_status"]"#);
        then.ok(&typed(
            json!({"instances": [{"id": 5}], "next_token": null}),
        ));
    });
    // Without a query, the official client's defaults: by id, 25 a page, all columns.
    let unfiltered = server.show_instances(|when, then| {
        when.after_token(None)
            .limit(25)
            .select_filters("{}")
            .order_by(r#"[{"col":"id","dir":"asc"}]"#)
            .select_cols(None);
        then.ok(&typed(json!({"instances": [{"id": 6}]})));
    });
    let client = client(&server);

    let some: Vec<_> = client.instances(query).collect().await;
    let all: Vec<_> = client.instances(InstanceQuery::new()).collect().await;

    assert_eq!(ids(&some), [Some(5)]);
    assert_eq!(ids(&all), [Some(6)]);
    filtered.assert_calls(1);
    unfiltered.assert_calls(1);
}

#[tokio::test]
async fn a_rejected_page_token_is_an_error_item_and_then_the_end() {
    let server = MockServer::start_async().await;
    let first = page(&server, None, &[1], Some(json!("expired")));
    let rejected = server.show_instances(|when, then| {
        when.after_token("expired");
        then.bad_request(&typed(json!({
            "success": false, "error": "invalid_args", "msg": "Invalid after_token"
        })));
    });
    let client = client(&server);

    let items: Vec<_> = client.instances(InstanceQuery::new()).collect().await;

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, Some(1));
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.message(), Some("Invalid after_token"));
    first.assert_calls(1);
    rejected.assert_calls(1);
}

#[tokio::test]
async fn a_server_repeating_the_token_it_was_given_ends_the_stream_with_an_error() {
    let server = MockServer::start_async().await;
    page(&server, None, &[1], Some(json!("same")));
    let repeating = page(&server, Some("same"), &[2], Some(json!("same")));
    let client = client(&server);

    let items: Vec<_> = client.instances(InstanceQuery::new()).collect().await;

    assert_eq!(ids(&items), [Some(1), Some(2), None]);
    assert!(matches!(
        items[2],
        Err(JobError::IncompleteAnswer {
            operation: "show_instances",
            ..
        })
    ));
    repeating.assert_calls(1);
}
