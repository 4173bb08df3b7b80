//! One operation and the stateful checks it calls for: a retrieve right
//! after a create and after a delete, a secured operation without credentials,
//! a body that breaks the schema, and an unknown id.

use super::super::checks::{self, fail, pass};
use super::super::report::Verdict;
use super::super::values;
use super::{Prepared, Runner};
use crate::graph::Role;

/// One stateful check's request.
struct Probe {
    /// The step's purpose in the report.
    purpose: &'static str,
    /// The check it judges.
    check: &'static str,
    /// Whether the credentials are sent.
    with_credentials: bool,
}

impl Runner<'_> {
    /// Sends a stateful check's request and adds the check's verdict to
    /// its step: `judge` says, from the status, whether the check holds
    /// and what to report when it does not.
    async fn probe(
        &mut self,
        index: usize,
        probe: Probe,
        prepared: &Prepared,
        judge: impl FnOnce(u16) -> (bool, String),
    ) {
        let (got, _) = self
            .send(index, probe.purpose, prepared, probe.with_credentials)
            .await;
        let Some(got) = got else { return };
        let (holds, message) = judge(got);
        let check = if holds {
            pass(probe.check)
        } else {
            fail(probe.check, message)
        };
        if let Some(step) = self.report.steps.last_mut() {
            if !check.passed {
                step.verdict = Verdict::Fail;
            }
            step.checks.push(check);
        }
    }

    /// One operation, then the stateful checks it calls for.
    pub(super) async fn exercise(&mut self, index: usize, purpose: &'static str) {
        let prepared = match self.prepare(index) {
            Ok(prepared) => prepared,
            Err(reason) => return self.skip(index, purpose, reason),
        };
        let op = &self.api.operations[index];
        let node = self.graph.nodes[index].clone();
        let (status, _) = self.send(index, purpose, &prepared, true).await;
        let Some(status) = status else { return };
        let success = (200..300).contains(&status);
        let resource = node.resource.map(|r| self.graph.resources[r].clone());
        // Whether this run created items of the resource: only then does
        // it know which ids exist (a mock without a create cannot tell).
        let created = resource
            .as_ref()
            .and_then(|r| r.create)
            .is_some_and(|create| self.exchanges[create].is_some());
        // created then retrievable
        if node.role == Role::Create && success {
            if let Some(retrieve) = resource.as_ref().and_then(|r| r.retrieve) {
                if self.may_send(retrieve) {
                    // Only with the id the create gave.
                    if let Some(check) = self.prepare(retrieve).ok().filter(|c| !c.invented) {
                        let probe = Probe {
                            purpose: "stateful: created then read",
                            check: checks::CREATED,
                            with_credentials: true,
                        };
                        self.probe(retrieve, probe, &check, |got| {
                            (
                                (200..300).contains(&got),
                                format!("the item {} created answers {got}", op.id),
                            )
                        })
                        .await;
                    }
                }
            }
        }
        // deleted then gone
        if node.role == Role::Delete && success && created {
            if let Some(retrieve) = resource.as_ref().and_then(|r| r.retrieve) {
                if self.may_send(retrieve) {
                    let mut again = Prepared {
                        notes: vec!["the path of the delete".to_owned()],
                        probe: true,
                        ..Prepared::default()
                    };
                    let names = path_names(&self.api.operations[retrieve].path);
                    again.path = names
                        .into_iter()
                        .zip(prepared.path.iter().map(|(_, v)| v.clone()))
                        .collect();
                    let probe = Probe {
                        purpose: "stateful: deleted then read",
                        check: checks::DELETED,
                        with_credentials: true,
                    };
                    self.probe(retrieve, probe, &again, |got| {
                        (
                            got == 404 || got == 410,
                            format!("the item {} deleted answers {got}, not 404 or 410", op.id),
                        )
                    })
                    .await;
                }
            }
        }
        // A secured operation without credentials (a write only where
        // writes are allowed: it ran just now).
        if !op.security.is_empty() && !op.security.iter().any(Vec::is_empty) {
            let anonymous = Prepared {
                probe: true,
                ..prepared.clone()
            };
            let probe = Probe {
                purpose: "stateful: no credentials",
                check: checks::AUTH,
                with_credentials: false,
            };
            self.probe(index, probe, &anonymous, |got| {
                (
                    got == 401 || got == 403,
                    format!("sent without credentials, it answers {got}, not 401 or 403"),
                )
            })
            .await;
        }
        // A body that breaks the schema.
        if matches!(prepared.body, Some(values::Body::Json(_))) && self.options.allow_writes {
            let target = crate::Target::Request {
                operation: op.id.clone(),
            };
            if let Some((invalid, why)) = self.validator.synthesize_invalid(&target) {
                let mut bad = prepared.clone();
                bad.body = Some(values::Body::Json(invalid));
                bad.notes = vec![format!("body: {why}")];
                bad.probe = true;
                let probe = Probe {
                    purpose: "stateful: invalid body",
                    check: checks::NEGATIVE,
                    with_credentials: true,
                };
                self.probe(index, probe, &bad, |got| {
                    (
                        (400..500).contains(&got),
                        format!("a body that breaks the schema ({why}) answers {got}, not a 4xx"),
                    )
                })
                .await;
            }
        }
        // An unknown id.
        if node.role == Role::Retrieve && success && created {
            if let Some((name, known)) = prepared.path.last().cloned() {
                let mut unknown = prepared.clone();
                let value = values::unknown_like(&known);
                unknown.notes = vec![format!("{name} = {value}, an id no item has")];
                unknown.probe = true;
                if let Some(last) = unknown.path.last_mut() {
                    last.1 = value;
                }
                let probe = Probe {
                    purpose: "stateful: unknown id",
                    check: checks::UNKNOWN_ID,
                    with_credentials: true,
                };
                let validator = self.validator;
                self.probe(index, probe, &unknown, |got| {
                    let documented = validator.documented_status(&op.id, got).is_ok();
                    (
                        (400..500).contains(&got) && documented,
                        format!("an unknown id answers {got}, not a documented 4xx"),
                    )
                })
                .await;
            }
        }
    }

    /// Whether the stateful checks may send this operation.
    fn may_send(&self, index: usize) -> bool {
        let op = &self.api.operations[index];
        !self.options.exclude.contains(&op.id)
            && !self
                .options
                .exclude_paths
                .iter()
                .any(|r| r.is_match(&op.path))
    }
}

/// The parameter names of a path template, in order.
fn path_names(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_owned)
        .collect()
}
