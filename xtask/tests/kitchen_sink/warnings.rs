//! Every normalisation rule the kitchen-sink spec exercises is reported with its JSON pointer.

use super::generated;

#[test]
fn every_rule_is_reported_with_its_json_pointer() {
    let expected = [
        // Rule 1: 3.1 keywords with no 3.0 form.
        ("/webhooks", "dropped"),
        ("/components/schemas/Resource/$comment", "dropped"),
        ("/components/schemas/CreateInstanceRequest/if", "dropped"),
        (
            "/components/schemas/InstanceMetrics/properties/samples/items/prefixItems",
            "dropped",
        ),
        (
            "/components/schemas/User/properties/deprecated_sid/type",
            "any JSON value",
        ),
        // Rule 2: name collisions.
        (
            "/paths/~1api~1v0~1bundles~1/post",
            "synthesised operationId `search_offers` is taken (/paths/~1api~1v0~1bundles~1/get); using `search_offers_post`",
        ),
        ("/paths/~1api~1v0~1users~1me~1/get", "using `show_user_get`"),
        // Rule 4: responses.
        (
            "/paths/~1api~1v0~1instances~1{id}~1/delete/responses/default",
            "documented as `4XX` and `5XX`",
        ),
        (
            "/paths/~1api~1v0~1instances~1{id}~1/put/responses",
            "error bodies differ: merged into `ManageInstanceError`",
        ),
        (
            "/paths/~1api~1v0~1instances~1/get/responses/429",
            "unexpected response",
        ),
        (
            "/paths/~1api~1v0~1asks~1{id}~1/put/responses/410",
            "unexpected response",
        ),
        (
            "/paths/~1api~1v0~1volumes~1{id}~1/delete/responses",
            "raw bytes",
        ),
        // Rule 5: parameters and bodies.
        (
            "/paths/~1api~1v0~1instances~1/get/parameters/3/schema",
            "object parameter `q` is sent as a JSON map",
        ),
        (
            "/paths/~1api~1v0~1bundles~1/get/parameters/0/schema",
            "object parameter `q` is sent as a JSON map",
        ),
        (
            "/paths/~1api~1v0~1charges~1/get/parameters/0/content",
            "encoded string",
        ),
        (
            "/paths/~1api~1v0~1users~1current~1settings~1/get/parameters/0",
            "cookie parameter `vast_session` dropped",
        ),
        (
            "/paths/~1api~1v0~1instances~1{id}/get/parameters/0/required",
            "made required",
        ),
        (
            "/paths/~1api~1v0~1bundles~1/post/requestBody/required",
            "optional request body",
        ),
        (
            "/paths/~1api~1v0~1instances~1bid_price~1{id}~1/put/responses/420",
            "non-standard status",
        ),
        (
            "/paths/~1api~1v0~1users~1current~1avatar~1/post/requestBody/content/multipart~1form-data",
            "progenitor cannot encode `multipart/form-data` request bodies: the method takes raw bytes",
        ),
        // What other vendors' generated specs contain (issue 14).
        (
            "/components/schemas/TaggedLabel/allOf/0",
            "referenced from inside another object (by /components/schemas/Label/properties/base), \
             which typify cannot resolve: hoisted to `#/components/schemas/TaggedLabelAllOf0`",
        ),
        (
            "/components/parameters/PageLimit/schema",
            "hoisted to `#/components/schemas/PageLimitParameter`",
        ),
        (
            "/components/responses/LabelPage/content/application~1json/schema",
            "hoisted to `#/components/schemas/LabelPageResponse`",
        ),
        (
            "/components/schemas/Label/properties/links/format",
            "format `uri-map` on an object dropped",
        ),
        (
            "/components/schemas/Label/properties/color/allOf",
            "`allOf` of enums beside an `enum` dropped",
        ),
        (
            "/components/schemas/Label/properties/weight/default",
            "default `\"20 - x\"` does not conform to its schema",
        ),
        (
            "/components/schemas/Label/properties/kind/default",
            "does not conform to its schema",
        ),
        (
            "/components/schemas/Label/properties/mode/default",
            "default `\"auto\"` on a union",
        ),
        (
            "/components/schemas/Label/properties/fallback/default",
            "on a union",
        ),
        (
            "/paths/~1api~1v0~1labels~1search~1/get/parameters/0/style",
            "deepObject parameter `filter` is sent as a map whose keys the caller writes as `filter[property]`",
        ),
        (
            "/paths/~1api~1v0~1labels~1/get/x-dropshot-pagination",
            "dropped: progenitor's page stream needs `futures`; the operation is one call per page",
        ),
        (
            "/paths/~1api~1v0~1labels~1watch~1/get/x-dropshot-websocket",
            "WebSocket operation dropped",
        ),
        // Per-operation and per-path servers.
        ("/paths/~1route~1/post/servers", "https://run.vast.ai"),
        ("/paths/~1get_workergroup_logs~1/servers", "base URL"),
    ];
    let warnings = &generated().warnings;
    for (pointer, needle) in expected {
        assert!(
            warnings
                .iter()
                .any(|w| w.pointer == pointer && w.message.contains(needle)),
            "no warning at {pointer} mentioning {needle:?}; got:\n{}",
            warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
