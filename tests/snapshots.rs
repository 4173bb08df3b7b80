//! Snapshots of generated models, one per fixture spec
//! (`tests/fixtures/specs/`, one construct each): the smallest unit that
//! shows what a change to the generator does to that construct. The real
//! spec's output is not snapshotted here: `generated/` is committed, and
//! the freshness test already fails when it differs from what the generator
//! writes.
//!
//! After a deliberate change, review the new snapshots with
//! `cargo insta review` (or accept them all with
//! `INSTA_UPDATE=always cargo test -p tests --test snapshots`) and commit
//! them. In CI (`CI=true`) insta writes nothing and a difference fails.

use std::collections::BTreeSet;
use std::path::Path;

/// The prefix insta gives the snapshots of this test file.
const SNAPSHOT_PREFIX: &str = "snapshots__";

/// The fixture whose `lib.rs` is snapshotted (the crate root's shape: docs,
/// modules, re-exports, the `contract` feature).
const LIB_FIXTURE: &str = "client_shapes";

fn generated_file(fixture: &str, path: &str) -> String {
    let spec = tests::load_fixture(fixture);
    let files = generator::generate(&spec, &tests::fixture_options(fixture))
        .unwrap_or_else(|err| panic!("generating fixture {fixture}: {err}"));
    files
        .into_iter()
        .find(|file| file.path == Path::new(path))
        .unwrap_or_else(|| panic!("the generator produced no {path} for {fixture}"))
        .contents
}

/// The fixtures whose documents have webhooks or callbacks: their
/// `webhooks.rs` is snapshotted too.
fn webhook_fixtures() -> Vec<String> {
    tests::fixture_spec_names()
        .into_iter()
        .filter(|name| {
            let api = generator::build_ir(&tests::load_fixture(name))
                .unwrap_or_else(|err| panic!("lowering fixture {name}: {err}"));
            !api.webhooks.is_empty()
        })
        .collect()
}

fn snapshot_names() -> BTreeSet<String> {
    tests::fixture_spec_names()
        .into_iter()
        .map(|name| format!("{name}_types_rs"))
        .chain([format!("{LIB_FIXTURE}_lib_rs")])
        .chain(
            webhook_fixtures()
                .into_iter()
                .map(|name| format!("{name}_webhooks_rs")),
        )
        .collect()
}

#[test]
fn every_fixture_s_models_match_their_snapshot() {
    let names = tests::fixture_spec_names();
    assert!(
        names.len() >= 10,
        "the fixture specs are missing: {names:?}"
    );
    for name in &names {
        insta::assert_snapshot!(
            format!("{name}_types_rs"),
            generated_file(name, "src/types.rs")
        );
    }
}

#[test]
fn every_fixture_s_webhooks_match_their_snapshot() {
    let names = webhook_fixtures();
    assert!(
        names.len() >= 2,
        "the webhook fixture specs are missing: {names:?}"
    );
    for name in &names {
        insta::assert_snapshot!(
            format!("{name}_webhooks_rs"),
            generated_file(name, "src/webhooks.rs")
        );
    }
}

#[test]
fn a_crate_root_matches_its_snapshot() {
    insta::assert_snapshot!(
        format!("{LIB_FIXTURE}_lib_rs"),
        generated_file(LIB_FIXTURE, "src/lib.rs")
    );
}

/// A fixture that is renamed or removed leaves its old snapshot behind,
/// where nothing would compare against it any more.
#[test]
fn no_snapshot_is_left_without_a_fixture() {
    let dir = tests::workspace_root().join("tests/snapshots");
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()));
    let expected = snapshot_names();
    let mut orphans = Vec::new();
    for entry in entries {
        let file_name = entry.expect("a directory entry").file_name();
        let file_name = file_name.to_string_lossy();
        let Some(name) = file_name
            .strip_prefix(SNAPSHOT_PREFIX)
            .and_then(|rest| rest.strip_suffix(".snap"))
        else {
            continue;
        };
        if !expected.contains(name) {
            orphans.push(file_name.into_owned());
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots in {} with no fixture of that name (delete them): {orphans:?}",
        dir.display()
    );
}
