//! Event streams: success bodies of `text/event-stream` (server-sent
//! events) or JSON Lines (`application/jsonl`, `application/x-ndjson`),
//! read event by event as they arrive ([`EventStream`]).
//!
//! Server-sent events are parsed by the rules of the WHATWG HTML standard
//! (§ 9.2, "Server-sent events"): lines end in CRLF, LF or CR (a chunk may
//! end anywhere, inside a character or between the CR and LF of a pair);
//! one leading byte order mark is ignored; a line starting with `:` is a
//! comment; `field: value` loses one space after the colon; `data` lines
//! are joined with `\n`; an `id` holding NUL is ignored and the last id
//! given is kept for the events after it; `retry` counts only when it is
//! all ASCII digits; a blank line dispatches the event, unless it has no
//! data; an event not ended by a blank line when the body ends is dropped.
//! An event whose data is `[DONE]` (the sentinel many APIs send) ends the
//! stream.
//!
//! JSON Lines: each line that is not blank is one item; a last line
//! without a line end counts.
//!
//! `request` hands such a body over unread, as a [`StreamBody`] (from
//! `response`); [`Events`] is the [`Operation`] whose call decodes it into
//! an [`EventStream`]. This module sits above `call` and `request`, and
//! neither of them uses it.

use super::body::DecodeFailure;
use super::call::{Call, Operation, not_a_stream};
use super::client::Client;
use super::error::{Error, bounded_text};
use super::request::{OperationError, OperationRequest};
use super::response::StreamBody;
use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// How the events of a stream are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Server-sent events (`text/event-stream`).
    Sse,
    /// One JSON value per line (`application/jsonl`, `application/x-ndjson`).
    JsonLines,
}

/// One event of an [`EventStream`]: its data, decoded as the item type, and
/// the fields a server-sent event may carry beside it (always `None` in
/// JSON Lines).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEvent<T> {
    /// The event's type (`event:`), if it gave one.
    pub event: Option<String>,
    /// The last event id the stream gave (`id:`), at this event or before
    /// it, if any (an empty `id:` clears it).
    pub id: Option<String>,
    /// The reconnection time the server asked for (`retry:`) since the
    /// event before this one, if it did.
    pub retry: Option<Duration>,
    /// The event's data (`data:` lines joined with `\n`, or one line of
    /// JSON Lines), decoded.
    pub data: T,
}

/// The decoder of one event's data.
pub type DecodeItem<T> = fn(&str) -> Result<T, DecodeFailure>;

/// The events of a streamed success body, decoded one by one as they
/// arrive.
///
/// Returned by the methods of operations whose success body is an event
/// stream. Read it with [`EventStream::next`] (or as a
/// `futures_core::Stream`). An event whose data does not decode is
/// yielded as [`Error::Event`], naming the event's number, and the stream
/// goes on; a transport failure or an event larger than the body size limit
/// is yielded once and ends it. The per-attempt timeout covers the
/// response's head only: the events may take as long as the server keeps
/// the stream open.
#[must_use = "streams do nothing unless polled"]
pub struct EventStream<T, E> {
    inner: BoxedEvents<T, E>,
}

/// The stream behind an [`EventStream`].
type BoxedEvents<T, E> = Pin<Box<dyn Stream<Item = Result<ServerEvent<T>, Error<E>>> + Send>>;

impl<T: Send + 'static, E: Send + 'static> EventStream<T, E> {
    /// The events of `body`, written as `framing` says, each decoded with
    /// `decode`.
    pub fn new(body: StreamBody, framing: Framing, decode: DecodeItem<T>) -> Self {
        struct State<T, E> {
            parser: Parser,
            body: StreamBody,
            decode: DecodeItem<T>,
            number: u64,
            eof: bool,
            ended: bool,
            error: PhantomData<fn() -> E>,
        }
        let state: State<T, E> = State {
            parser: Parser::new(framing, body.max_event_size),
            body,
            decode,
            number: 0,
            eof: false,
            ended: false,
            error: PhantomData,
        };
        let stream = futures_util::stream::unfold(state, |mut state| async move {
            loop {
                if state.ended {
                    return None;
                }
                if let Some(raw) = state.parser.events.pop_front() {
                    state.number += 1;
                    let item = match (state.decode)(&raw.data) {
                        Ok(data) => Ok(ServerEvent {
                            event: raw.event,
                            id: raw.id,
                            retry: raw.retry,
                            data,
                        }),
                        Err(failure) => {
                            let secrets: Vec<&str> =
                                state.body.secrets.iter().map(String::as_str).collect();
                            Err(Error::Event {
                                number: state.number,
                                path: failure.path,
                                data: bounded_text(raw.data.as_bytes(), &secrets),
                                source: failure.source,
                            })
                        }
                    };
                    return Some((item, state));
                }
                if state.parser.too_large {
                    state.ended = true;
                    let error = Error::BodyTooLarge {
                        limit: state.body.max_event_size,
                        meta: Box::new(state.body.meta.clone()),
                    };
                    return Some((Err(error), state));
                }
                if state.parser.done || state.eof {
                    return None;
                }
                match state.body.next_chunk().await {
                    Ok(Some(chunk)) => state.parser.feed(&chunk),
                    Ok(None) => {
                        state.parser.finish();
                        state.eof = true;
                    }
                    Err(source) => {
                        state.ended = true;
                        let error = Error::Transport {
                            source: source.without_url(),
                        };
                        return Some((Err(error), state));
                    }
                }
            }
        });
        Self {
            inner: Box::pin(stream),
        }
    }
}

impl<T, E> EventStream<T, E> {
    /// The next event, or `None` after the last: reads the stream without
    /// `futures::StreamExt` (whose `next` gives the same):
    /// `while let Some(event) = events.next().await { let event = event?; … }`.
    pub async fn next(&mut self) -> Option<Result<ServerEvent<T>, Error<E>>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<ServerEvent<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

/// What the generated request type of an operation whose success body is
/// (or may be asked to be) an event stream says about it.
pub trait StreamOperation: Send + Sized {
    /// The type of each event's data.
    type Item: Send + 'static;
    /// The operation's enum of documented error statuses (`errors::*`).
    type Error: OperationError + Send + 'static;
    /// The operation's id, as tracing spans name it.
    const ID: &'static str;
    /// The path template, as the spec writes it.
    const PATH: &'static str;
    /// The stream's media type, sent as `Accept`.
    const MEDIA_TYPE: &'static str;
    /// How the events are written.
    const FRAMING: Framing;

    /// The request, as built from the call's arguments (its `Accept` is
    /// replaced by [`StreamOperation::MEDIA_TYPE`]).
    fn stream_request<'c>(self, client: &'c Client) -> OperationRequest<'c>;

    /// One event's data as the item type.
    ///
    /// # Errors
    ///
    /// [`DecodeFailure`] when the data does not match the item type.
    fn decode_item(data: &str) -> Result<Self::Item, DecodeFailure>;
}

/// The request type of an operation, asking for its event stream: a call
/// of `Events<Op>` gives an [`EventStream`] of the operation's items.
#[derive(Debug, Clone)]
pub struct Events<Op>(pub Op);

impl<Op> std::ops::Deref for Events<Op> {
    type Target = Op;

    fn deref(&self) -> &Op {
        &self.0
    }
}

impl<Op> std::ops::DerefMut for Events<Op> {
    fn deref_mut(&mut self) -> &mut Op {
        &mut self.0
    }
}

impl<Op: StreamOperation> Operation for Events<Op> {
    type Output = EventStream<Op::Item, Op::Error>;
    type Error = Op::Error;
    const ID: &'static str = Op::ID;
    const PATH: &'static str = Op::PATH;

    fn request<'c>(self, client: &'c Client) -> OperationRequest<'c> {
        self.0.stream_request(client).event_stream(Op::MEDIA_TYPE)
    }

    fn decode(_status: u16, _body: super::body::Payload) -> Result<Self::Output, DecodeFailure> {
        // The request asked for the body unread: `decode_stream` reads it.
        Err(not_a_stream())
    }

    fn decode_stream(_status: u16, body: StreamBody) -> Result<Self::Output, DecodeFailure> {
        Ok(EventStream::new(body, Op::FRAMING, Op::decode_item))
    }
}

impl<'a, Op: Operation + StreamOperation> Call<'a, Op> {
    /// This call, asking for the operation's event stream instead
    /// (`Accept:` the stream's media type): awaiting it gives an
    /// [`EventStream`]. The arguments and options set so far are kept.
    pub fn events(self) -> Call<'a, Events<Op>> {
        let (client, operation, options) = self.into_parts();
        Call::new(client, Events(operation)).options(options)
    }
}

/// An event as parsed, before its data is decoded.
#[derive(Debug, Clone, PartialEq)]
struct RawEvent {
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
    data: String,
}

/// The incremental parser: bytes in, events out.
struct Parser {
    framing: Framing,
    /// The bytes of the line being read (complete lines only are decoded,
    /// so a chunk may end inside a character).
    line: Vec<u8>,
    /// The last byte fed was a CR: an LF right after it ends no new line.
    after_cr: bool,
    /// A line was ended already (the byte order mark is looked for in the
    /// first one only).
    started: bool,
    data: String,
    event: String,
    last_id: String,
    retry: Option<Duration>,
    limit: usize,
    events: VecDeque<RawEvent>,
    /// `[DONE]` was read: nothing after it counts.
    done: bool,
    /// A line or an event's data passed the limit.
    too_large: bool,
}

impl Parser {
    fn new(framing: Framing, limit: usize) -> Self {
        Self {
            framing,
            line: Vec::new(),
            after_cr: false,
            started: false,
            data: String::new(),
            event: String::new(),
            last_id: String::new(),
            retry: None,
            limit,
            events: VecDeque::new(),
            done: false,
            too_large: false,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if self.done || self.too_large {
                return;
            }
            if std::mem::take(&mut self.after_cr) && byte == b'\n' {
                continue;
            }
            match byte {
                b'\n' => self.end_line(),
                b'\r' => {
                    self.end_line();
                    self.after_cr = true;
                }
                _ => {
                    self.line.push(byte);
                    if self.line.len() > self.limit {
                        self.too_large = true;
                    }
                }
            }
        }
    }

    /// The body ended: a last JSON line counts; an unfinished server-sent
    /// event is dropped.
    fn finish(&mut self) {
        if self.framing == Framing::JsonLines && !self.line.is_empty() && !self.done {
            self.end_line();
        }
        self.line.clear();
        self.data.clear();
    }

    fn end_line(&mut self) {
        let mut line = std::mem::take(&mut self.line);
        if !std::mem::replace(&mut self.started, true) && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        let text = String::from_utf8_lossy(&line);
        match self.framing {
            Framing::JsonLines => {
                if !text.trim().is_empty() {
                    self.events.push_back(RawEvent {
                        event: None,
                        id: None,
                        retry: None,
                        data: text.into_owned(),
                    });
                }
            }
            Framing::Sse => self.sse_line(&text),
        }
    }

    fn sse_line(&mut self, line: &str) {
        if line.is_empty() {
            self.dispatch();
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                if self.data.len() > self.limit {
                    self.too_large = true;
                }
            }
            "id" if !value.contains('\0') => value.clone_into(&mut self.last_id),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // More digits than a u64 holds: as long a wait as there is.
                let millis = value.parse().unwrap_or(u64::MAX);
                self.retry = Some(Duration::from_millis(millis));
            }
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        if data == "[DONE]" {
            self.done = true;
            return;
        }
        self.events.push_back(RawEvent {
            event: (!event.is_empty()).then_some(event),
            id: (!self.last_id.is_empty()).then(|| self.last_id.clone()),
            retry: self.retry.take(),
            data,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::response::ResponseMeta;
    use super::*;

    fn raw(event: Option<&str>, id: Option<&str>, retry: Option<u64>, data: &str) -> RawEvent {
        RawEvent {
            event: event.map(str::to_owned),
            id: id.map(str::to_owned),
            retry: retry.map(Duration::from_millis),
            data: data.to_owned(),
        }
    }

    /// The events of `body` fed in the given pieces.
    fn parse_in(framing: Framing, pieces: &[&[u8]]) -> (Vec<RawEvent>, bool) {
        let mut parser = Parser::new(framing, usize::MAX);
        for piece in pieces {
            parser.feed(piece);
        }
        parser.finish();
        (parser.events.into_iter().collect(), parser.done)
    }

    /// Parses `body` whole, then split in two at every offset and in three
    /// at every pair of offsets, and byte by byte, checking that each gives
    /// the same events; returns them.
    fn parse(framing: Framing, body: &[u8]) -> (Vec<RawEvent>, bool) {
        let whole = parse_in(framing, &[body]);
        for at in 0..=body.len() {
            let (a, b) = body.split_at(at);
            assert_eq!(parse_in(framing, &[a, b]), whole, "split at {at}");
            for second in at..=body.len() {
                let (b, c) = body[at..].split_at(second - at);
                assert_eq!(
                    parse_in(framing, &[a, b, c]),
                    whole,
                    "split at {at} and {second}"
                );
            }
        }
        let bytes: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(parse_in(framing, &bytes), whole, "byte by byte");
        whole
    }

    fn sse(body: &str) -> Vec<RawEvent> {
        parse(Framing::Sse, body.as_bytes()).0
    }

    #[test]
    fn fields_are_read_and_events_dispatched_on_a_blank_line() {
        let events = sse("event: greeting\nid: 7\nretry: 1500\ndata: {\"a\":1}\n\n\
             data: second\n\n");
        assert_eq!(
            events,
            [
                raw(Some("greeting"), Some("7"), Some(1500), "{\"a\":1}"),
                raw(None, Some("7"), None, "second"),
            ]
        );
    }

    #[test]
    fn line_ends_may_be_crlf_lf_or_cr_and_split_anywhere() {
        let body = "data: a\r\ndata: b\r\n\r\ndata: c\rdata: d\r\rdata: é\n\n";
        assert_eq!(
            sse(body),
            [
                raw(None, None, None, "a\nb"),
                raw(None, None, None, "c\nd"),
                raw(None, None, None, "é"),
            ]
        );
    }

    #[test]
    fn comments_spaces_and_bare_fields() {
        let body = ": a comment\ndata:no space\ndata:  two spaces\ndata\n\n";
        assert_eq!(
            sse(body),
            [raw(None, None, None, "no space\n two spaces\n")]
        );
        // `data` alone is an empty line of data: an event with empty data.
        assert_eq!(sse("data\n\n"), [raw(None, None, None, "")]);
        // Unknown fields are ignored; `event` without data dispatches nothing.
        assert_eq!(
            sse("foo: bar\nevent: x\n\ndata: y\n\n"),
            [raw(None, None, None, "y")]
        );
    }

    #[test]
    fn id_with_nul_and_retry_not_all_digits_are_ignored() {
        let body = "id: 1\ndata: a\n\nid: 2\0x\nretry: 10s\ndata: b\n\nid\ndata: c\n\n";
        assert_eq!(
            sse(body),
            [
                raw(None, Some("1"), None, "a"),
                raw(None, Some("1"), None, "b"),
                raw(None, None, None, "c"),
            ]
        );
    }

    #[test]
    fn an_event_without_its_blank_line_is_dropped_at_the_end() {
        assert_eq!(sse("data: a\n\ndata: b\n"), [raw(None, None, None, "a")]);
        assert_eq!(sse("data: a\n\ndata: b"), [raw(None, None, None, "a")]);
    }

    #[test]
    fn a_leading_byte_order_mark_is_ignored() {
        assert_eq!(sse("\u{feff}data: a\n\n"), [raw(None, None, None, "a")]);
        // Only the first: a second one makes an unknown field.
        assert_eq!(sse("\u{feff}\u{feff}data: a\n\n"), []);
    }

    #[test]
    fn done_ends_the_stream() {
        let (events, done) = parse(Framing::Sse, b"data: 1\n\ndata: [DONE]\n\ndata: 2\n\n");
        assert_eq!(events, [raw(None, None, None, "1")]);
        assert!(done);
    }

    #[test]
    fn json_lines_are_one_item_each_and_a_last_line_counts() {
        let (events, _) = parse(Framing::JsonLines, b"{\"a\":1}\r\n\n  \n[2]\n\"x\"");
        let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
        assert_eq!(data, ["{\"a\":1}", "[2]", "\"x\""]);
    }

    #[test]
    fn a_line_past_the_limit_is_too_large() {
        let mut parser = Parser::new(Framing::Sse, 8);
        parser.feed(b"data: 0123456789\n\n");
        assert!(parser.too_large);
        assert!(parser.events.is_empty());
    }

    /// A small property test: random bodies from a few pieces, every
    /// split, always the same events.
    #[test]
    fn random_bodies_parse_the_same_whatever_the_splits() {
        const PIECES: &[&str] = &[
            "data: x",
            "data:é",
            "\n",
            "\r",
            "\r\n",
            ": c",
            "id: 1",
            "event: e",
            "retry: 5",
            "data: [DONE]",
            "\u{feff}",
            "",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200 {
            let mut body = String::new();
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let index = usize::try_from(seed % PIECES.len() as u64).unwrap_or(0);
                body.push_str(PIECES[index]);
            }
            parse(Framing::Sse, body.as_bytes());
            parse(Framing::JsonLines, body.as_bytes());
        }
    }

    fn body_of(text: &str) -> StreamBody {
        let meta = ResponseMeta::new(200, reqwest::header::HeaderMap::new(), &[], 1);
        StreamBody::from_bytes(text.as_bytes().to_vec(), meta, vec!["s3cret".to_owned()])
    }

    fn decode_number(data: &str) -> Result<u32, DecodeFailure> {
        super::super::body::decode_json(data.as_bytes())
    }

    #[tokio::test]
    async fn items_decode_and_a_bad_one_names_its_event() {
        let mut events: EventStream<u32, ()> = EventStream::new(
            body_of("data: 1\n\n: ping\n\ndata: \"s3cret\"\n\ndata: 3\n\n"),
            Framing::Sse,
            decode_number,
        );
        assert_eq!(events.next().await.unwrap().unwrap().data, 1);
        match events.next().await.unwrap() {
            Err(Error::Event {
                number, data, path, ..
            }) => {
                assert_eq!(number, 2);
                assert_eq!(data, "\"[redacted]\"");
                assert_eq!(path, ".");
            }
            other => panic!("{other:?}"),
        }
        let third = events.next().await.unwrap().unwrap();
        assert_eq!(third.data, 3);
        assert!(events.next().await.is_none());
    }

    #[tokio::test]
    async fn an_error_message_says_the_event_and_where_in_its_data() {
        #[derive(Debug, serde::Deserialize)]
        struct Item {
            #[allow(dead_code)]
            count: u32,
        }
        fn decode(data: &str) -> Result<Item, DecodeFailure> {
            super::super::body::decode_json(data.as_bytes())
        }
        let mut events: EventStream<Item, ()> = EventStream::new(
            body_of("{\"count\":1}\n{\"count\":\"x\"}\n"),
            Framing::JsonLines,
            decode,
        );
        assert!(events.next().await.unwrap().is_ok());
        let message = events.next().await.unwrap().unwrap_err().to_string();
        assert!(message.contains("event 2"), "{message}");
        assert!(message.contains("`count`"), "{message}");
        assert!(message.contains("line 1 column"), "{message}");
        assert!(events.next().await.is_none());
    }
}
