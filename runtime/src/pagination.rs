//! Streams that walk the pages of a paginated operation.

use super::error::Error;
use futures_core::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The items of every page of a paginated operation, fetched one page at a
/// time as the stream is read.
///
/// Returned by the `*_stream` methods of [`Client`](crate::Client). Each
/// page is requested explicitly (page number 1, 2, 3, …, written into the
/// operation's page parameter, from the number in the given parameters, or
/// 1), with the caller's other
/// parameters (filters, page size) on every request. The stream ends after
/// the page whose number reaches the response's `total_pages`, or after a
/// page without items or without `total_pages`. An error is yielded once
/// and ends the stream.
#[must_use = "streams do nothing unless polled"]
pub struct ItemStream<T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>,
}

/// One fetched page: its items and the total number of pages, if known.
pub type Page<T> = (Vec<T>, Option<i64>);

impl<T: Send + 'static, E: Send + 'static> ItemStream<T, E> {
    /// Walks pages from `first`, calling `fetch` with each page number.
    pub fn new<F, Fut>(first: i64, fetch: F) -> Self
    where
        F: FnMut(i64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, Error<E>>> + Send + 'static,
    {
        struct State<F, T> {
            fetch: F,
            next_page: Option<i64>,
            items: std::vec::IntoIter<T>,
        }
        let state = State {
            fetch,
            next_page: Some(first),
            items: Vec::new().into_iter(),
        };
        let stream = futures_util::stream::try_unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.items.next() {
                    return Ok(Some((item, state)));
                }
                let Some(page) = state.next_page else {
                    return Ok(None);
                };
                let (items, total_pages) = (state.fetch)(page).await?;
                state.next_page = match total_pages {
                    Some(total) if page < total && !items.is_empty() => page.checked_add(1),
                    _ => None,
                };
                state.items = items.into_iter();
            }
        });
        Self {
            inner: Box::pin(stream),
        }
    }
}

impl<T, E> Stream for ItemStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E> std::fmt::Debug for ItemStream<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream").finish_non_exhaustive()
    }
}
