//! Every fixture generated from the spec's examples parses into its generated type and
//! serialises back to the same JSON.

use serde_json::Value;
use vast_api_tests::checks::same_json;
use vast_api_tests::{FIXTURES, typed_round_trips};

#[test]
fn every_fixture_round_trips_through_its_generated_type() {
    let round_trips = typed_round_trips();
    let untyped: Vec<_> = FIXTURES
        .iter()
        .filter(|f| !round_trips.iter().any(|(t, _)| t == f))
        .map(|f| format!("{} {}", f.operation_id, f.status))
        .collect();
    assert!(
        untyped.is_empty(),
        "fixtures without a generated type: {untyped:?}"
    );
    assert!(!round_trips.is_empty(), "no fixtures were generated");
    for (fixture, result) in round_trips {
        let context = format!("{} {}", fixture.operation_id, fixture.status);
        let original: Value = serde_json::from_str(fixture.body).expect("fixture is JSON");
        let back =
            result.unwrap_or_else(|e| panic!("{context}: does not parse into its type: {e}"));
        assert!(
            same_json(&original, &back),
            "{context}: changed by the round trip\n  spec:  {original}\n  typed: {back}"
        );
    }
}

#[test]
fn json_comparison_is_strict_where_it_matters() {
    use serde_json::json;
    assert!(same_json(
        &json!({"t": 1772490000}),
        &json!({"t": 1772490000.0})
    ));
    assert!(same_json(&json!({"a": null}), &json!({})));
    assert!(!same_json(
        &json!({"t": 1772490000}),
        &json!({"t": 1772489984.0})
    ));
    assert!(!same_json(&json!({"a": 1}), &json!({})));
    assert!(!same_json(&json!([1, 2]), &json!([1])));
    assert!(!same_json(&json!("x"), &json!("y")));
}
