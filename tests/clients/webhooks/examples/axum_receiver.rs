//! A server that receives this API's webhooks with axum: it checks each
//! request's signature with the API's public key, reads the event, and
//! answers `200 OK`, or `400 Bad Request` with what was wrong.
//!
//! ```text
//! WEBHOOKS_PUBLIC_KEY=<base64 Ed25519 public key> \
//!     cargo run -p fixture-client-webhooks --example axum_receiver --features webhooks
//! ```
//!
//! Then point the API's webhook URL at `http://<host>:3000/webhooks`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use fixture_client_webhooks::webhooks::{self, Event, Key};
use std::sync::Arc;

/// Checks and reads one delivery.
async fn receive(
    State(key): State<Arc<Key>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match webhooks::unwrap(&body, &headers, &key) {
        Ok(event) => {
            handle(event);
            (StatusCode::OK, String::new())
        }
        // The error says what failed (a missing header, a wrong signature,
        // an old timestamp, a body that is not an event), never the key.
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()),
    }
}

/// What this receiver does with each event.
fn handle(event: Event) {
    match event {
        Event::CallAnswered(event) => {
            println!("call {} answered", event.data.payload.call_id);
        }
        Event::CallHangup(event) => println!(
            "call {} ended: {}",
            event.data.payload.call_id, event.data.payload.hangup_cause
        ),
        Event::Unknown { event_type, .. } => {
            println!("an event this crate does not know: {event_type:?}");
        }
        other => println!("{:?}", other.name()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let public_key = std::env::var("WEBHOOKS_PUBLIC_KEY")
        .map_err(|_| "set WEBHOOKS_PUBLIC_KEY to the API's base64 Ed25519 public key")?;
    let key = Arc::new(Key::ed25519(&public_key)?);
    let app = Router::new()
        .route("/webhooks", post(receive))
        .with_state(key);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
    println!("listening on http://{}/webhooks", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
