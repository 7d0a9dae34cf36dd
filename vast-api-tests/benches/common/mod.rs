//! What both per-call benches share: the loopback server and the two clients under test.
//!
//! Both clients send `POST /api/v0/webhooks/42/rotate-secret/` through one `reqwest::Client`
//! (configured like the one `ClientBuilder::build` makes) to a minimal hyper server on
//! 127.0.0.1 that answers with the spec's 200 example, and both parse the body into
//! `RotateNotificationWebhookSecretResponse`. What differs is the SDK's own work: the
//! generated builder, the auth hook, the retry layer with its logging, the response-size
//! guard and progenitor's response handling.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use reqwest::header::{ACCEPT, HeaderValue};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;
use vast_api::Client;
use vast_api::types::RotateNotificationWebhookSecretResponse;
use vast_api_tests::generated_fixtures::ROTATE_NOTIFICATION_WEBHOOK_SECRET_200;

const WEBHOOK_ID: i64 = 42;
const API_KEY: &str = "bench-api-key";
/// Requests in flight at once in the concurrent case.
pub const CONCURRENCY: usize = 64;

/// Starts the server on its own thread and runtime, so that it does not share the client's
/// scheduler, and returns its address. It runs until the process exits.
fn spawn_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let address = listener.local_addr().expect("listener address");
    std::thread::Builder::new()
        .name("per-call-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .expect("server runtime");
            runtime.block_on(serve(listener));
        })
        .expect("server thread");
    address
}

async fn serve(listener: std::net::TcpListener) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    let expected = HeaderValue::from_str(&format!("Bearer {API_KEY}")).expect("header value");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        // Both clients set TCP_NODELAY (reqwest's default); so does the server, or Nagle's
        // algorithm would add its delay to every response.
        let _ = stream.set_nodelay(true);
        let expected = expected.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                std::future::ready(Ok::<_, Infallible>(respond(&request, &expected)))
            });
            // A client closing a pooled connection is how each connection ends.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The 200 example to a request with the right key, 401 otherwise: a benchmark whose client
/// lost its credentials fails instead of measuring something else.
fn respond(request: &Request<Incoming>, expected: &HeaderValue) -> Response<Full<Bytes>> {
    if request.headers().get(AUTHORIZATION) != Some(expected) {
        let mut response = Response::new(Full::default());
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return response;
    }
    let body = Bytes::from_static(ROTATE_NOTIFICATION_WEBHOOK_SECRET_200.body.as_bytes());
    let mut response = Response::new(Full::new(body));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The two clients under test, sharing one `reqwest::Client`.
pub struct Clients {
    base_url: String,
    http: reqwest::Client,
    /// `Bearer <key>`, marked sensitive as the SDK marks it.
    authorization: HeaderValue,
    sdk: Client,
}

impl Clients {
    fn new(base_url: String) -> Self {
        // What `ClientBuilder::build` configures when it makes the client itself; given to the
        // SDK through `http_client`, so the comparison cannot drift from a copied config.
        let http = vast_api::ClientBuilder::reqwest_builder()
            .expect("TLS setup")
            .user_agent(vast_api::DEFAULT_USER_AGENT)
            .timeout(vast_api::DEFAULT_TIMEOUT)
            .connect_timeout(vast_api::DEFAULT_CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client");
        // Default retry policy and response limit: the SDK as users get it. `without_timeout`:
        // the shared client already has `DEFAULT_TIMEOUT`, as the one `ClientBuilder::build`
        // makes does; by default a caller's client gets it again on each request (a reqwest
        // request extension: an allocation per call that the SDK's own client does not pay).
        let sdk = Client::builder()
            .api_key(API_KEY)
            .base_url(&base_url)
            .http_client(http.clone())
            .without_timeout()
            .build()
            .expect("SDK client");
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {API_KEY}")).expect("header value");
        authorization.set_sensitive(true);
        Self {
            base_url,
            http,
            authorization,
            sdk,
        }
    }

    pub async fn sdk(&self) -> RotateNotificationWebhookSecretResponse {
        self.sdk
            .rotate_notification_webhook_secret()
            .id(WEBHOOK_ID)
            .call()
            .await
            .expect("SDK call")
    }

    /// The request a user would write without the SDK: the same headers as the generated
    /// code (`Accept`, `Authorization`; the user agent is the client's), status checked, body
    /// parsed.
    pub async fn by_hand(&self) -> RotateNotificationWebhookSecretResponse {
        let url = format!(
            "{}/api/v0/webhooks/{WEBHOOK_ID}/rotate-secret/",
            self.base_url
        );
        self.http
            .post(url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("hand-written request")
            .json()
            .await
            .expect("hand-written parse")
    }
}

/// Runs `CONCURRENCY` calls at once and waits for all of them.
pub async fn concurrently<F, Fut>(clients: &Arc<Clients>, call: F)
where
    F: Fn(Arc<Clients>) -> Fut,
    Fut: Future<Output = RotateNotificationWebhookSecretResponse> + Send + 'static,
{
    let mut calls = JoinSet::new();
    for _ in 0..CONCURRENCY {
        calls.spawn(call(Arc::clone(clients)));
    }
    while let Some(done) = calls.join_next().await {
        done.expect("call task");
    }
}

/// The server, the clients, and the runtime to call them on: one client thread, on which
/// every client task runs (so that its CPU time is all of the client's work), leaving the
/// other core to the server.
pub fn setup() -> (Runtime, Arc<Clients>) {
    let address = spawn_server();
    let clients = Arc::new(Clients::new(format!("http://{address}")));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    check_same_answer(&runtime, &clients);
    (runtime, clients)
}

/// Both sides must get the same value from the server, or they are not doing the same work.
fn check_same_answer(runtime: &Runtime, clients: &Clients) {
    let (sdk, by_hand) = runtime.block_on(async { (clients.sdk().await, clients.by_hand().await) });
    let sdk = serde_json::to_value(sdk).expect("serialise SDK answer");
    let by_hand = serde_json::to_value(by_hand).expect("serialise hand-written answer");
    assert_eq!(sdk, by_hand, "the SDK and the hand-written call disagree");
}
