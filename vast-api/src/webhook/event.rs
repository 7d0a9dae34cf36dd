//! The notification event carried by a verified delivery.

use serde::{Deserialize, Serialize};

/// A verified delivery whose body parsed as a Vast.ai notification.
///
/// Only [`WebhookVerifier::verify_event`](super::WebhookVerifier::verify_event)
/// and [`VerifiedDelivery::into_event`](super::VerifiedDelivery::into_event)
/// make one, so holding one means the signature and timestamp checked out.
/// It serialises to JSON as `{"timestamp", "delivery_attempt", "notification"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookEvent {
    timestamp: u64,
    delivery_attempt: Option<u32>,
    notification: Notification,
}

impl WebhookEvent {
    pub(super) fn new(
        timestamp: u64,
        delivery_attempt: Option<u32>,
        notification: Notification,
    ) -> Self {
        Self {
            timestamp,
            delivery_attempt,
            notification,
        }
    }

    /// The event id from the signed body: the key to de-duplicate on, since
    /// a delivery may arrive more than once.
    pub fn event_id(&self) -> &str {
        &self.notification.event_id
    }

    /// When this delivery attempt was signed (`X-Vast-Timestamp`), in Unix
    /// seconds. The event's own creation time is
    /// [`Notification::timestamp`].
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// Which delivery attempt this is (1 for the first), from
    /// `X-Vast-Delivery-Attempt`; `None` when that header is absent or not a
    /// positive integer. The header is not signed: use it for logging only.
    pub fn delivery_attempt(&self) -> Option<u32> {
        self.delivery_attempt
    }

    /// The notification in the body.
    pub fn notification(&self) -> &Notification {
        &self.notification
    }

    /// Gives up the delivery details and keeps the notification.
    pub fn into_notification(self) -> Notification {
        self.notification
    }
}

/// The JSON body of a Vast.ai notification delivery.
///
/// Fields Vast.ai adds later are kept in [`extra`](Self::extra) rather than
/// rejected, and serialising gives them back in place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Notification {
    /// Unique id of the event, the same for every delivery attempt.
    pub event_id: String,
    /// The Vast.ai user the notification is for.
    pub user_id: u64,
    /// Short slug of the notification type, such as `low_credit`. Kept as a
    /// string so that types added by Vast.ai still parse.
    pub notif_type: String,
    /// Human-readable subject line.
    pub subject: String,
    /// Human-readable message.
    pub message: String,
    /// When the event was created, in Unix seconds with a fraction.
    pub timestamp: f64,
    /// Any other fields of the body, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
