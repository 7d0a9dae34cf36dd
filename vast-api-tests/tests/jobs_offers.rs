//! `vast_api::jobs` offer search: the bodies the typed builder makes, checked against the
//! spec's schema and against what Vast.ai's Python SDK sends, and `find_offers` against a
//! mock server.

mod jobs_support;

use httpmock::MockServer;
use serde_json::{Value, json};
use vast_api::jobs::{JobError, OfferId, OfferQuery, OfferType, Op, SortDirection};
use vast_api::types::SearchOffersBody;
use vast_api_tests::MockServerExt;

use jobs_support::{client, typed};

/// Every typed method once.
fn full_query() -> OfferQuery {
    OfferQuery::new()
        .gpu_names(["RTX_4090", "RTX 3090"])
        .num_gpus(1)
        .min_gpu_ram_gb(24.0)
        .max_dph(0.6)
        .min_reliability(0.98)
        .countries(["us", "CA"])
        .min_cuda(12.1)
        .min_disk_gb(50.0)
        .storage_gb(50.0)
        .offer_type(OfferType::OnDemand)
        .order("dph_total", SortDirection::Asc)
        .limit(10)
}

#[test]
fn built_queries_match_what_the_python_sdk_sends() {
    // What `vastai search offers 'gpu_name in [RTX_4090,RTX_3090] gpu_ram>=24 dph<=0.6
    // reliability>=0.98 geolocation in [US,CA] cuda_vers>=12.1 disk_space>=50'
    // --storage 50 -o dph_total --limit 10` sends (vastai/api/offers.py, query.py): the CLI's
    // defaults, `gpu_ram` GB × 1000, `dph` → `dph_total`, `cuda_vers` → `cuda_max_good`,
    // underscores in names → spaces, and `order` as [field, direction] pairs.
    let python = json!({
        "verified": {"eq": true},
        "external": {"eq": false},
        "rentable": {"eq": true},
        "rented": {"eq": false},
        "gpu_name": {"in": ["RTX 4090", "RTX 3090"]},
        "gpu_ram": {"gte": 24000.0},
        "dph_total": {"lte": 0.6},
        "reliability": {"gte": 0.98},
        "geolocation": {"in": ["US", "CA"]},
        "cuda_max_good": {"gte": 12.1},
        "disk_space": {"gte": 50.0},
        "allocated_storage": 50.0,
        "limit": 10,
        "order": [["dph_total", "asc"]],
        "type": "on-demand",
    });
    let mut sent = full_query().to_json().unwrap();
    let sent = sent.as_object_mut().unwrap();

    // The differences:
    // - `num_gpus=1` is `{"eq": 1}`: the CLI sends the number as text (`{"eq": "1"}`), the
    //   spec's type (corrected: openapi/corrections.yaml) an integer;
    assert_eq!(sent.remove("num_gpus"), Some(json!({"eq": 1})));
    // (`type` is the CLI's `on-demand`: the spec's `ondemand` is corrected.)

    assert_eq!(Value::Object(sent.clone()), python);
}

#[test]
fn the_defaults_are_the_clis() {
    let sent = OfferQuery::new().to_json().unwrap();
    for (field, filter) in [
        ("verified", json!({"eq": true})),
        ("external", json!({"eq": false})),
        ("rentable", json!({"eq": true})),
        ("rented", json!({"eq": false})),
    ] {
        assert_eq!(sent[field], filter, "{field}");
    }
    assert_eq!(sent["order"][0], json!(["score", "desc"]));
    // `empty` sends nothing at all.
    assert_eq!(OfferQuery::empty().to_json().unwrap(), json!({}));
}

/// The JSON schema of the generated body type, and a resolver for its `$ref`s.
struct Schema(Value);

impl Schema {
    fn of_search_offers_body() -> Self {
        Self(serde_json::to_value(schemars::schema_for!(SearchOffersBody)).unwrap())
    }

    /// The schema of `field`, with a `$ref` (possibly inside `anyOf`/`allOf`, as schemars
    /// writes `Option<T>`) resolved.
    fn property(&self, field: &str) -> Option<&Value> {
        let schema = self.0["properties"].get(field)?;
        Some(self.resolve(schema))
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/definitions/");
            return &self.0["definitions"][name];
        }
        for combinator in ["allOf", "anyOf"] {
            if let Some(parts) = schema.get(combinator).and_then(Value::as_array)
                && let Some(part) = parts.iter().find(|p| p.get("$ref").is_some())
            {
                return self.resolve(part);
            }
        }
        schema
    }
}

#[test]
fn every_field_and_operator_built_is_in_the_generated_body_schema() {
    let schema = Schema::of_search_offers_body();
    let queries = [
        full_query(),
        OfferQuery::new()
            .offer_type(OfferType::Bid)
            .num_gpus_in([2, 4]),
        OfferQuery::new()
            .offer_type(OfferType::Reserved)
            .verified(false),
        OfferQuery::new()
            .filter("inet_down", Op::Gte, 100)
            .filter("cpu_ram", Op::Gte, 64000),
    ];
    let mut checked = 0;
    let mut operators_checked = 0;
    for query in queries {
        let sent = query.to_json().unwrap();
        for (field, value) in sent.as_object().unwrap() {
            let Some(property) = schema.property(field) else {
                panic!("`{field}` is not a property of the spec's SearchOffersBody");
            };
            // A filter object whose schema names its operators may use only those.
            if let (Some(ops), Some(allowed)) = (
                value.as_object(),
                property.get("properties").and_then(Value::as_object),
            ) {
                for op in ops.keys() {
                    operators_checked += 1;
                    assert!(
                        allowed.contains_key(op),
                        "`{field}.{op}` is not in the schema's {:?}",
                        allowed.keys().collect::<Vec<_>>()
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} fields checked");
    // `gpu_name`, `num_gpus`, `geolocation`, `verified`, `rentable`, … name their operators.
    assert!(
        operators_checked > 10,
        "only {operators_checked} operators checked"
    );
}

#[test]
fn a_misspelt_field_or_an_operator_the_spec_cannot_carry_is_refused() {
    let misspelt = OfferQuery::new().filter("gpu_rma", Op::Gte, 24000);
    let error = misspelt.to_body().unwrap_err();
    assert!(
        matches!(
            &error,
            JobError::InvalidRequest {
                operation: "search_offers",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("`gpu_rma`"), "{error}");
    // The same with a typed filter beside it: the error still names the misspelt field.
    let error = misspelt
        .offer_type(OfferType::OnDemand)
        .to_body()
        .unwrap_err();
    assert!(error.to_string().contains("`gpu_rma`"), "{error}");

    // An operator the field's type has no place for (a GPU name is not "at least"): the
    // generated `gpu_name` would drop the `gte` without a word.
    let at_least = OfferQuery::new().filter("gpu_name", Op::Gte, "RTX 4090");
    let error = at_least.to_body().unwrap_err();
    assert!(error.to_string().contains("`gpu_name.gte`"), "{error}");

    // The CLI's `num_gpus>=4` and three sort keys are carried whole.
    let three = OfferQuery::new()
        .min_gpus(4)
        .order("dph_total", SortDirection::Asc)
        .order("reliability", SortDirection::Desc)
        .order("score", SortDirection::Desc);
    let sent = serde_json::to_value(three.to_body().expect("a valid body")).unwrap();
    assert_eq!(sent["num_gpus"], json!({"gte": 4}));
    assert_eq!(
        sent["order"],
        json!([
            ["dph_total", "asc"],
            ["reliability", "desc"],
            ["score", "desc"]
        ])
    );
}

#[tokio::test]
async fn find_offers_sends_the_built_body_and_returns_the_offers() {
    let server = MockServer::start_async().await;
    let query = OfferQuery::new()
        .gpu_name("RTX 4090")
        .num_gpus(1)
        .max_dph(0.5)
        .limit(2);
    let answer = typed(json!({"offers": [
        {"id": 101, "gpu_name": "RTX 4090", "num_gpus": 1, "gpu_ram": 24564, "dph_total": 0.41,
         "reliability": 0.995, "geolocation": "Oregon, US"},
        {"id": 102, "gpu_name": "RTX 4090", "num_gpus": 1, "gpu_ram": 24564, "dph_total": 0.47},
    ]}));
    let search = server.search_offers(|when, then| {
        when.body(&query.to_body().unwrap());
        then.ok(&answer);
    });

    let offers = client(&server).find_offers(&query).await.unwrap();

    search.assert_calls(1);
    let ids: Vec<_> = offers.iter().map(|o| o.id()).collect();
    assert_eq!(ids, [Some(OfferId(101)), Some(OfferId(102))]);
    let first = &offers[0];
    assert_eq!(first.gpu_name(), Some("RTX 4090"));
    assert_eq!(first.num_gpus(), Some(1));
    assert_eq!(first.gpu_ram_mb(), Some(24564.0));
    assert_eq!(first.dph_total(), Some(0.41));
    assert_eq!(first.reliability(), Some(0.995));
    assert_eq!(first.geolocation(), Some("Oregon, US"));
    assert_eq!(offers[1].reliability(), None);
}

#[tokio::test]
async fn a_refused_query_sends_nothing_and_a_400_is_an_api_error() {
    let server = MockServer::start_async().await;
    let search = server.search_offers(|_, then| {
        then.bad_request(&typed(json!({
            "error": "invalid_request", "msg": "Invalid json body"
        })));
    });
    let client = client(&server);

    let refused = client
        .find_offers(&OfferQuery::new().filter("gpu_rma", Op::Gte, 1))
        .await
        .unwrap_err();
    assert!(matches!(refused, JobError::InvalidRequest { .. }));
    search.assert_calls(0);

    let error = client.find_offers(&OfferQuery::new()).await.unwrap_err();
    search.assert_calls(1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.message(), Some("Invalid json body"));
    assert_eq!(error.api_error().unwrap().operation(), "search_offers");
}
