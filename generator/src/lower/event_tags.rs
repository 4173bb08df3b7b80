//! Which property of a payload says which event it is.
//!
//! The rule, for the events of one API (webhooks and callbacks):
//!
//! 1. **Candidates.** Each event's body schema offers a candidate at every
//!    string property with `enum` (a 3.1 `const` is a one-value `enum` by
//!    then), reached from the root through `properties` at any depth,
//!    following `$ref` and merging `allOf` members (a property that several
//!    members constrain keeps the values they share), never through
//!    arrays, maps or `oneOf`/`anyOf` alternatives. A candidate is the
//!    path of property names and the values there.
//! 2. **Declared discriminators.** A body that is a `oneOf` of `$ref`s with
//!    a `discriminator` offers its `propertyName` with every value of the
//!    discriminator (mapping keys, else the members' component keys): the
//!    event stays one event, whose type (the union) tells the members
//!    apart itself. A `discriminator` on an object schema marks the
//!    candidate at its `propertyName` as declared. Declared candidates are
//!    preferred over derived ones (see 3).
//! 3. **Greedy choice.** A path *identifies* an event that has values there
//!    when no other event (of all of them) shares any of those values at
//!    that path. The path that identifies the most events not yet
//!    identified is chosen; ties go to a declared path, then to one
//!    required all along, then to one whose last name reads as an event
//!    kind (`type`, `kind`, `event…`, `…type`), then to the shallower, then
//!    to the first found in document order. The events it identifies take
//!    it as their tag; this repeats for the others until no path
//!    identifies any.
//!    An event whose own schema leaves a chosen path open (a string
//!    property there without `enum`) is not identified by any path chosen
//!    after it: its payloads may carry any value where the other events
//!    say which they are, so a later path would be a guess that could
//!    also claim the payloads of events newer than the document.
//! 4. **Collisions.** An event left over whose values collide with other
//!    events' (two webhooks with the same body schema) takes, at the first
//!    chosen path where it has values (else its own best candidate), the
//!    values no earlier event claimed there; if none is left it has no tag.
//!    Either way the caller warns, naming the event that claimed them.
//! 5. An event without any candidate has no tag: its payloads arrive as
//!    `Event::Unknown` (the caller warns), unless it is the only event.
//!
//! Dispatch then reads the chosen paths (the one tagging most events
//! first), and the first value that names an event picks it.

use crate::ir::EventTag;

/// A property of one event's payload that could tell it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Candidate {
    /// Property names from the root.
    pub path: Vec<String>,
    /// The string values allowed there, in document order; empty for a
    /// string property without `enum` (open: it takes any value).
    pub values: Vec<String>,
    /// Whether every property along the path is required.
    pub required: bool,
    /// Whether a `discriminator` names it.
    pub declared: bool,
}

/// Merges candidates found at the same path (the members of an `allOf`):
/// the values they share (the later ones if they share none; an open
/// member constrains nothing), required and declared if any says so.
/// First-found order is kept.
pub(super) fn merge_same_paths(found: Vec<Candidate>) -> Vec<Candidate> {
    let mut merged: Vec<Candidate> = Vec::new();
    for candidate in found {
        match merged.iter_mut().find(|c| c.path == candidate.path) {
            Some(existing) if candidate.values.is_empty() || existing.values.is_empty() => {
                if existing.values.is_empty() {
                    existing.values = candidate.values;
                }
                existing.required |= candidate.required;
                existing.declared |= candidate.declared;
            }
            Some(existing) => {
                let shared: Vec<String> = existing
                    .values
                    .iter()
                    .filter(|v| candidate.values.contains(v))
                    .cloned()
                    .collect();
                existing.values = if shared.is_empty() {
                    candidate.values
                } else {
                    shared
                };
                existing.required |= candidate.required;
                existing.declared |= candidate.declared;
            }
            None => merged.push(candidate),
        }
    }
    merged
}

/// The tags chosen for a set of events, by index.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Choice {
    /// Each event's tag, if it has one.
    pub tags: Vec<Option<EventTag>>,
    /// Events whose values collided: (event, the earlier event that
    /// claimed a value of it, the value), in event order.
    pub collisions: Vec<(usize, usize, String)>,
    /// Events left without a tag because their schema leaves a chosen
    /// path open: (event, that path), in event order.
    pub open: Vec<(usize, Vec<String>)>,
}

/// Whether a property's name reads as the kind of an event.
fn reads_as_kind(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "kind" || name.starts_with("event") || name.ends_with("type")
}

/// Chooses each event's tag from its candidates (see the module docs).
pub(super) fn choose(events: &[Vec<Candidate>]) -> Choice {
    // Every path in first-found order.
    let mut paths: Vec<&[String]> = Vec::new();
    for candidate in events.iter().flatten() {
        if !candidate.values.is_empty() && !paths.contains(&candidate.path.as_slice()) {
            paths.push(&candidate.path);
        }
    }
    let at = |event: usize, path: &[String]| {
        events[event]
            .iter()
            .find(|c| c.path == path && !c.values.is_empty())
    };
    let open_at = |event: usize, path: &[String]| {
        events[event]
            .iter()
            .any(|c| c.path == path && c.values.is_empty())
    };
    let identifies = |event: usize, path: &[String]| {
        at(event, path).is_some_and(|mine| {
            (0..events.len())
                .filter(|&other| other != event)
                .all(|other| {
                    at(other, path)
                        .is_none_or(|theirs| !theirs.values.iter().any(|v| mine.values.contains(v)))
                })
        })
    };

    let mut tags: Vec<Option<EventTag>> = vec![None; events.len()];
    let mut chosen: Vec<&[String]> = Vec::new();
    loop {
        // Events still without a tag, unless a path already chosen is
        // open in their schema (see the module docs).
        let open: Vec<usize> = (0..events.len())
            .filter(|&e| tags[e].is_none() && !chosen.iter().any(|path| open_at(e, path)))
            .collect();
        let best = paths
            .iter()
            .enumerate()
            .filter(|(_, path)| !chosen.contains(path))
            .map(|(order, path)| {
                let count = open.iter().filter(|&&e| identifies(e, path)).count();
                let holders = events.iter().flatten().filter(|c| c.path == *path);
                let declared = holders.clone().any(|c| c.declared);
                let required = holders.clone().all(|c| c.required);
                let kind = path.last().is_some_and(|last| reads_as_kind(last));
                let key = (
                    count,
                    declared,
                    required,
                    kind,
                    std::cmp::Reverse(path.len()),
                    std::cmp::Reverse(order),
                );
                (key, *path)
            })
            .max_by(|a, b| a.0.cmp(&b.0));
        let Some((key, path)) = best else { break };
        if key.0 == 0 {
            break;
        }
        for &event in &open {
            if identifies(event, path) {
                tags[event] = Some(EventTag {
                    path: path.to_vec(),
                    values: at(event, path)
                        .map(|c| c.values.clone())
                        .unwrap_or_default(),
                });
            }
        }
        chosen.push(path);
    }

    // What is left collides, first come, first served, or leaves a chosen
    // path open.
    let mut collisions = Vec::new();
    let mut open = Vec::new();
    for event in 0..events.len() {
        if tags[event].is_some() {
            continue;
        }
        if let Some(path) = chosen.iter().find(|path| open_at(event, path)) {
            open.push((event, path.to_vec()));
            continue;
        }
        if !events[event].iter().any(|c| !c.values.is_empty()) {
            continue;
        }
        let own_best = events[event]
            .iter()
            .max_by_key(|c| {
                (
                    c.declared,
                    c.required,
                    c.path.last().is_some_and(|last| reads_as_kind(last)),
                    std::cmp::Reverse(c.path.len()),
                )
            })
            .map(|c| c.path.as_slice());
        let Some(path) = chosen
            .iter()
            .copied()
            .find(|path| at(event, path).is_some())
            .or(own_best)
        else {
            continue;
        };
        let mut free = Vec::new();
        for value in at(event, path)
            .map(|c| c.values.clone())
            .unwrap_or_default()
        {
            let owner = (0..event).find(|&earlier| {
                tags[earlier]
                    .as_ref()
                    .is_some_and(|tag| tag.path == path && tag.values.contains(&value))
            });
            match owner {
                Some(owner) => collisions.push((event, owner, value)),
                None => free.push(value),
            }
        }
        // A value an event after this one also has is left to this one
        // (first come); that later event reports the collision.
        if !free.is_empty() {
            if !chosen.contains(&path) {
                chosen.push(path);
            }
            tags[event] = Some(EventTag {
                path: path.to_vec(),
                values: free,
            });
        }
    }
    Choice {
        tags,
        collisions,
        open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(path: &str, values: &[&str], required: bool) -> Candidate {
        Candidate {
            path: path.split('.').map(str::to_owned).collect(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            required,
            declared: false,
        }
    }

    fn tag_of(choice: &Choice, event: usize) -> Option<(String, Vec<String>)> {
        choice.tags[event]
            .as_ref()
            .map(|tag| (tag.path.join("."), tag.values.clone()))
    }

    #[test]
    fn the_path_that_identifies_most_events_wins_and_the_rest_repeat() {
        let events = vec![
            vec![
                candidate("data.event_type", &["call.answered"], true),
                candidate("data.record_type", &["event"], true),
            ],
            vec![
                candidate("data.event_type", &["call.hangup"], true),
                candidate("data.record_type", &["event"], true),
            ],
            vec![candidate("event_type", &["floor.changed"], true)],
            vec![candidate("type", &["status.update"], false)],
        ];
        let choice = choose(&events);
        assert_eq!(
            tag_of(&choice, 0),
            Some(("data.event_type".into(), vec!["call.answered".into()]))
        );
        assert_eq!(tag_of(&choice, 1).unwrap().0, "data.event_type");
        assert_eq!(tag_of(&choice, 2).unwrap().0, "event_type");
        assert_eq!(tag_of(&choice, 3).unwrap().0, "type");
        assert!(choice.collisions.is_empty());
    }

    #[test]
    fn ties_prefer_required_then_kind_names_then_shallow_paths() {
        // Both paths identify both events.
        let events = vec![
            vec![
                candidate("data.status", &["a"], true),
                candidate("data.kind", &["x"], true),
            ],
            vec![
                candidate("data.status", &["b"], true),
                candidate("data.kind", &["y"], true),
            ],
        ];
        assert_eq!(tag_of(&choose(&events), 0).unwrap().0, "data.kind");
        let events = vec![
            vec![
                candidate("status", &["a"], true),
                candidate("data.kind", &["x"], false),
            ],
            vec![
                candidate("status", &["b"], true),
                candidate("data.kind", &["y"], false),
            ],
        ];
        assert_eq!(tag_of(&choose(&events), 0).unwrap().0, "status");
        let events = vec![
            vec![
                candidate("a.type", &["x"], true),
                candidate("type", &["x"], true),
            ],
            vec![
                candidate("a.type", &["y"], true),
                candidate("type", &["y"], true),
            ],
        ];
        assert_eq!(tag_of(&choose(&events), 1).unwrap().0, "type");
    }

    #[test]
    fn a_declared_discriminator_wins_a_tie() {
        let mut declared = candidate("status", &["a"], true);
        declared.declared = true;
        let events = vec![
            vec![candidate("event_type", &["x"], true), declared],
            vec![
                candidate("event_type", &["y"], true),
                candidate("status", &["b"], true),
            ],
        ];
        assert_eq!(tag_of(&choose(&events), 0).unwrap().0, "status");
    }

    #[test]
    fn colliding_events_keep_the_first_and_report_the_second() {
        let events = vec![
            vec![candidate("type", &["same"], true)],
            vec![candidate("type", &["same"], true)],
            vec![candidate("type", &["other"], true)],
            vec![],
        ];
        let choice = choose(&events);
        assert_eq!(
            tag_of(&choice, 0),
            Some(("type".into(), vec!["same".into()]))
        );
        assert_eq!(tag_of(&choice, 1), None);
        assert_eq!(tag_of(&choice, 2).unwrap().1, vec!["other".to_owned()]);
        assert_eq!(tag_of(&choice, 3), None);
        assert_eq!(choice.collisions, vec![(1, 0, "same".to_owned())]);
    }

    #[test]
    fn a_partly_shared_event_keeps_its_own_values() {
        let events = vec![
            vec![candidate("type", &["a", "b"], true)],
            vec![candidate("type", &["b", "c"], true)],
        ];
        let choice = choose(&events);
        assert_eq!(tag_of(&choice, 0).unwrap().1, vec!["a", "b"]);
        assert_eq!(tag_of(&choice, 1).unwrap().1, vec!["c"]);
        assert_eq!(choice.collisions, vec![(1, 0, "b".to_owned())]);
    }

    #[test]
    fn an_event_that_leaves_a_chosen_path_open_is_not_tagged_by_a_later_one() {
        let events = vec![
            vec![candidate("data.event_type", &["call.answered"], true)],
            vec![candidate("data.event_type", &["call.hangup"], true)],
            // Any string at `data.event_type`, and a status only it has.
            vec![
                candidate("data.event_type", &[], true),
                candidate("data.payload.status", &["pending", "done"], true),
            ],
            // No `data` at all: its own path tags it.
            vec![candidate("event_type", &["floor.changed"], true)],
        ];
        let choice = choose(&events);
        assert_eq!(tag_of(&choice, 0).unwrap().0, "data.event_type");
        assert_eq!(tag_of(&choice, 2), None);
        assert_eq!(tag_of(&choice, 3).unwrap().0, "event_type");
        assert_eq!(
            choice.open,
            vec![(2, vec!["data".to_owned(), "event_type".to_owned()])]
        );
        assert!(choice.collisions.is_empty());
    }

    #[test]
    fn an_open_member_constrains_nothing_in_a_merge() {
        let merged = merge_same_paths(vec![
            candidate("type", &["a"], false),
            candidate("type", &[], true),
        ]);
        assert_eq!(merged[0].values, vec!["a"]);
        assert!(merged[0].required);
        let merged = merge_same_paths(vec![
            candidate("type", &[], false),
            candidate("type", &["b"], false),
        ]);
        assert_eq!(merged[0].values, vec!["b"]);
    }

    #[test]
    fn all_of_members_at_one_path_keep_the_shared_values() {
        let merged = merge_same_paths(vec![
            candidate("data.event_type", &["a", "b", "c"], false),
            candidate("data.event_type", &["b"], true),
            candidate("data.other", &["z"], false),
        ]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].values, vec!["b"]);
        assert!(merged[0].required);
    }
}
