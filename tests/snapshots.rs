//! Snapshots of the code generated from `spec/managed_accounts.yaml`: one
//! per named type (the smallest unit that shows a change), one of the whole
//! `types.rs` and one of `lib.rs`.
//!
//! After a deliberate change, review the new snapshots with
//! `cargo insta review` (or accept them all with
//! `INSTA_UPDATE=always cargo test -p tests --test snapshots`) and commit
//! them. In CI (`CI=true`) insta writes nothing and a difference fails.

use std::collections::BTreeSet;
use std::path::Path;

/// Snapshot names that are not type names.
const FILE_SNAPSHOTS: &[&str] = &["lib_rs", "types_rs"];

/// The prefix insta gives the snapshots of this test file.
const SNAPSHOT_PREFIX: &str = "snapshots__";

fn generated_file(path: &str) -> String {
    let spec = tests::load_real_spec();
    let files = generator::generate(&spec, &tests::xtask_options())
        .unwrap_or_else(|err| panic!("generating from the spec: {err}"));
    files
        .into_iter()
        .find(|file| file.path == Path::new(path))
        .unwrap_or_else(|| panic!("the generator produced no {path}"))
        .contents
}

#[test]
fn every_model_matches_its_snapshot() {
    let api = generator::build_ir(&tests::load_real_spec())
        .unwrap_or_else(|err| panic!("building the IR of the spec: {err}"));
    assert!(
        api.types.contains_key("ManagedAccount"),
        "the spec's models are missing: {:?}",
        api.types.keys()
    );
    for name in api.types.keys() {
        insta::assert_snapshot!(name.as_str(), tests::render(&api, name));
    }
}

#[test]
fn types_rs_matches_its_snapshot() {
    insta::assert_snapshot!("types_rs", generated_file("src/types.rs"));
}

#[test]
fn lib_rs_matches_its_snapshot() {
    insta::assert_snapshot!("lib_rs", generated_file("src/lib.rs"));
}

/// A type that is renamed or removed leaves its old snapshot behind, where
/// nothing would compare against it any more.
#[test]
fn no_snapshot_is_left_without_a_type() {
    let api = generator::build_ir(&tests::load_real_spec())
        .unwrap_or_else(|err| panic!("building the IR of the spec: {err}"));
    let dir = tests::workspace_root().join("tests/snapshots");
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("reading {}: {err}", dir.display()));
    let expected: BTreeSet<&str> = api
        .types
        .keys()
        .map(String::as_str)
        .chain(FILE_SNAPSHOTS.iter().copied())
        .collect();
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
        "snapshots in {} with no type of that name (delete them): {orphans:?}",
        dir.display()
    );
}
