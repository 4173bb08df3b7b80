//! Matching a request's method and path against the spec's operations.
//!
//! Literal segments win over parameters (`/things/special` before
//! `/things/{id}`), so the answer does not depend on the order of paths in
//! the spec. Requests may carry the base path of the spec's first server
//! (`/v1/things`) or not (`/things`).

use generator::ir::{Api, Method};
use percent_encoding::percent_decode_str;

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

/// A compiled path template of one operation.
#[derive(Debug, Clone)]
struct Route {
    operation: usize,
    method: Method,
    segments: Vec<Segment>,
}

/// The outcome of matching a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The operation (index into `Api::operations`) and its decoded path
    /// parameters, by wire name.
    Found {
        /// Index of the operation.
        operation: usize,
        /// Path parameters, by wire name.
        params: Vec<(String, String)>,
    },
    /// The path exists, with other methods.
    MethodNotAllowed(Vec<&'static str>),
    /// No operation has this path.
    NotFound,
}

/// Every operation's route.
#[derive(Debug, Clone)]
pub struct Router {
    routes: Vec<Route>,
    base_path: Vec<String>,
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

impl Router {
    /// Compiles the routes of `api`.
    pub fn new(api: &Api) -> Self {
        let routes = api
            .operations
            .iter()
            .enumerate()
            .map(|(operation, op)| Route {
                operation,
                method: op.method,
                segments: split(&op.path)
                    .map(
                        |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(name) => Segment::Param(name.to_owned()),
                            None => Segment::Literal(s.to_owned()),
                        },
                    )
                    .collect(),
            })
            .collect();
        let base_path = api
            .servers
            .first()
            .and_then(|url| url.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| rest.split_once('/').map(|(_, path)| path))
            .map(|path| split(path).map(str::to_owned).collect())
            .unwrap_or_default();
        Self { routes, base_path }
    }

    /// Finds the operation for `method` and `path` (without the query).
    pub fn find(&self, method: &str, path: &str) -> Match {
        let mut segments: Vec<&str> = split(path).collect();
        let has_base = !self.base_path.is_empty()
            && segments.len() > self.base_path.len()
            && segments.iter().zip(&self.base_path).all(|(a, b)| a == b);
        if has_base && self.best(&segments).is_none() {
            segments.drain(..self.base_path.len());
        }
        let candidates = self.matching(&segments);
        let Some(best_score) = candidates.iter().map(|(score, _)| *score).max() else {
            return Match::NotFound;
        };
        let best: Vec<&Route> = candidates
            .into_iter()
            .filter(|(score, _)| *score == best_score)
            .map(|(_, route)| route)
            .collect();
        match best
            .iter()
            .find(|r| r.method.as_str().eq_ignore_ascii_case(method))
        {
            Some(route) => Match::Found {
                operation: route.operation,
                params: route
                    .segments
                    .iter()
                    .zip(&segments)
                    .filter_map(|(template, actual)| match template {
                        Segment::Param(name) => Some((
                            name.clone(),
                            percent_decode_str(actual).decode_utf8_lossy().into_owned(),
                        )),
                        Segment::Literal(_) => None,
                    })
                    .collect(),
            },
            None => {
                let mut allowed: Vec<&'static str> =
                    best.iter().map(|r| r.method.as_str()).collect();
                allowed.sort_unstable();
                allowed.dedup();
                Match::MethodNotAllowed(allowed)
            }
        }
    }

    fn best(&self, segments: &[&str]) -> Option<u64> {
        self.matching(segments)
            .into_iter()
            .map(|(score, _)| score)
            .max()
    }

    /// Routes whose template fits `segments`, with a score that ranks
    /// literal segments earlier in the path above parameters.
    fn matching<'r>(&'r self, segments: &[&str]) -> Vec<(u64, &'r Route)> {
        self.routes
            .iter()
            .filter(|r| r.segments.len() == segments.len())
            .filter_map(|route| {
                let mut score = 0u64;
                for (template, actual) in route.segments.iter().zip(segments) {
                    score <<= 1;
                    match template {
                        Segment::Literal(text) if literal_matches(text, actual) => score |= 1,
                        Segment::Literal(_) => return None,
                        Segment::Param(_) if actual.is_empty() => return None,
                        Segment::Param(_) => {}
                    }
                }
                Some((score, route))
            })
            .collect()
    }
}

/// Whether a request segment is the template's literal, as sent or
/// percent-decoded (`Local%7Bext%7D` for `Local{ext}`).
fn literal_matches(literal: &str, actual: &str) -> bool {
    literal == actual
        || (actual.contains('%') && percent_decode_str(actual).decode_utf8_lossy() == literal)
}
