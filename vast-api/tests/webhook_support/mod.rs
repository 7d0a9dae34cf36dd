//! What the webhook API tests share: a secret, a fixed clock, a notification body, a verifier
//! holding that secret at that time, and headers signing a body with them.

#![allow(dead_code)] // Each test file uses part of it.

use vast_api::webhook::{SignedHeaders, WebhookVerifier, sign};

pub const SECRET: &str = "whsec_test_only_0123456789";
pub const NOW: u64 = 1_772_490_000;
pub const EVENT: &[u8] = br#"{"event_id":"ev-1","user_id":7,"notif_type":"low_credit","subject":"s","message":"m","timestamp":1772489999.25,"severity":"warn"}"#;

pub fn verifier() -> WebhookVerifier {
    WebhookVerifier::new([SECRET]).with_clock(|| NOW)
}

pub fn signed(body: &[u8]) -> SignedHeaders {
    sign(SECRET, NOW, body)
}
