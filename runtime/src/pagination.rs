//! Walking the pages of a paginated operation: [`ItemStream`], the items
//! of every page, and [`Pages`], the pages themselves with their metadata.

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

/// One fetched page for an [`ItemStream`]: its items and the total number
/// of pages, if known.
pub type PageItems<T> = (Vec<T>, Option<i64>);

impl<T: Send + 'static, E: Send + 'static> ItemStream<T, E> {
    /// Walks pages from `first`, calling `fetch` with each page number.
    pub fn new<F, Fut>(first: i64, fetch: F) -> Self
    where
        F: FnMut(i64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<PageItems<T>, Error<E>>> + Send + 'static,
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

impl<T, E> ItemStream<T, E> {
    /// The next item, or `None` after the last: reads the stream without
    /// `futures::StreamExt` (whose `next` gives the same), so that no
    /// dependency beyond this crate is needed:
    /// `while let Some(item) = stream.next().await { let item = item?; … }`.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
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

/// One page of a paginated operation, from [`Pages::next_page`]: the whole
/// response (its items and its metadata, such as the total numbers of pages
/// and results) and where it is in the walk.
#[derive(Debug, Clone)]
pub struct Page<R> {
    /// The page number that was asked for.
    pub number: i64,
    /// The number of pages the response reported, if it did.
    pub total_pages: Option<i64>,
    /// The response, as the operation's method returns it.
    pub response: R,
    has_items: bool,
}

impl<R> Page<R> {
    /// A page as the generated `*_pages` methods read it: `has_items` is
    /// whether it held any item (a page without one ends the walk).
    #[doc(hidden)]
    pub fn new(number: i64, total_pages: Option<i64>, response: R, has_items: bool) -> Self {
        Self {
            number,
            total_pages,
            response,
            has_items,
        }
    }

    /// Whether a page comes after this one: its number is below
    /// `total_pages` and it held items.
    pub fn has_next(&self) -> bool {
        self.has_items && self.total_pages.is_some_and(|total| self.number < total)
    }
}

type PageFuture<R, E> = Pin<Box<dyn Future<Output = Result<Page<R>, Error<E>>> + Send>>;

/// The pages of a paginated operation, one request per
/// [`next_page`](Pages::next_page).
///
/// Returned by the `*_pages` methods of [`Client`](crate::Client). The
/// first page is the one the given parameters ask for (or 1); each later
/// one is the next number, with the caller's other parameters. After the
/// last page (the one whose number reaches `total_pages`, or one without
/// items), `next_page` returns `None`. To resume a walk later, keep
/// [`Pages::next_number`] and start again with that page number in the
/// parameters.
#[must_use = "pages are fetched only when asked for"]
pub struct Pages<R, E> {
    fetch: Box<dyn FnMut(i64) -> PageFuture<R, E> + Send>,
    next: Option<i64>,
}

impl<R: Send + 'static, E: Send + 'static> Pages<R, E> {
    /// Pages from `first`, calling `fetch` with each page number.
    pub fn new<F, Fut>(first: i64, mut fetch: F) -> Self
    where
        F: FnMut(i64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<R>, Error<E>>> + Send + 'static,
    {
        Self {
            fetch: Box::new(move |number| Box::pin(fetch(number))),
            next: Some(first),
        }
    }

    /// Fetches the next page; `None` after the last one. After an error
    /// the same page is asked for again by the next call.
    pub async fn next_page(&mut self) -> Option<Result<Page<R>, Error<E>>> {
        let number = self.next?;
        let page = (self.fetch)(number).await;
        if let Ok(page) = &page {
            self.next = if page.has_next() {
                number.checked_add(1)
            } else {
                None
            };
        }
        Some(page)
    }

    /// The number of the page the next [`next_page`](Pages::next_page)
    /// asks for; `None` when the walk is over.
    pub fn next_number(&self) -> Option<i64> {
        self.next
    }
}

impl<R, E> std::fmt::Debug for Pages<R, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}
