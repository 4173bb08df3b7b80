//! The README and every page of `docs/` are checked against the code, so
//! that they cannot drift from it:
//!
//! - every code block names its language, and none is `ignore`d;
//! - `rust` blocks compile: `tests/lib.rs` includes each page as the docs
//!   of a module, so they are doctests of this crate (checked here: every
//!   page is included);
//! - `sh` blocks, and the `$ ` lines of `console` transcripts, are run or
//!   checked command by command: `cargo xtask …` is parsed by the real
//!   command lines (xtask's, the contract runner's, the mock's), and
//!   `generate` into a new folder and the live `contract` run are run;
//!   `cargo test|bench|run|…` must name packages, targets and features
//!   that exist; `curl` runs against the mock that the page started with
//!   its last `cargo xtask mock` line, and a transcript's output must be
//!   what the mock answers; a script must exist;
//! - every repository path written in backticks exists.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use std::collections::BTreeMap;
use std::path::PathBuf;

mod docs_support;
use docs_support::{Page, Session};

/// The README and every Markdown page under `docs/`.
fn pages() -> Vec<PathBuf> {
    let root = tests::workspace_root();
    let mut pages = vec![root.join("README.md")];
    let docs = root.join("docs");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&docs)
        .unwrap_or_else(|err| panic!("reading {}: {err}", docs.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    found.sort();
    pages.extend(found);
    pages
}

/// A fenced code block: its language (the info string), first line and text.
#[derive(Debug, Clone)]
struct Block {
    info: String,
    line: usize,
    text: String,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "(indented)".to_owned(),
                };
                let line = text[..range.start].lines().count() + 1;
                current = Some(Block {
                    info,
                    line,
                    text: String::new(),
                });
            }
            Event::Text(chunk) => {
                if let Some(block) = current.as_mut() {
                    block.text.push_str(&chunk);
                }
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                blocks.extend(current.take());
            }
            _ => {}
        }
    }
    blocks
}

/// The languages a block may have; those that are Rust or shell are checked.
const KNOWN: &[&str] = &[
    "rust", "sh", "console", "text", "toml", "yaml", "json", "js", "python",
];

#[test]
fn every_code_block_names_a_known_language_and_none_is_ignored() {
    let root = tests::workspace_root();
    let mut problems = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(&root).unwrap().display().to_string();
        for block in blocks(&text) {
            let mut words = block.info.split(',').map(str::trim);
            let lang = words.next().unwrap_or_default().to_owned();
            let attributes: Vec<&str> = words.collect();
            if !KNOWN.contains(&lang.as_str()) {
                problems.push(format!(
                    "{name}:{}: a code block must name one of {KNOWN:?}, not {:?}",
                    block.line, block.info
                ));
            }
            if attributes.contains(&"ignore") {
                problems.push(format!(
                    "{name}:{}: a `rust,ignore` block is not compiled; make it compile (`no_run` if it needs a server)",
                    block.line
                ));
            }
            *counts.entry(lang).or_default() += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        counts.get("rust").copied().unwrap_or(0) > 0,
        "no rust block found: {counts:?}"
    );
    assert!(
        counts.get("sh").copied().unwrap_or(0) > 0,
        "no sh block found: {counts:?}"
    );
}

/// `rust` blocks are compiled as doctests of this crate; that needs each
/// page to be included by `tests/lib.rs`.
#[test]
fn every_page_is_compiled_as_doctests() {
    let root = tests::workspace_root();
    let lib = std::fs::read_to_string(root.join("tests/lib.rs")).unwrap();
    let missing: Vec<String> = pages()
        .iter()
        .map(|page| page.strip_prefix(&root).unwrap().display().to_string())
        .filter(|name| !lib.contains(&format!("include_str!(\"../{name}\")")))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/lib.rs must include these pages (`#[doc = include_str!(\"../PAGE\")] mod …;`) so their rust blocks compile: {missing:?}"
    );
}

/// Backticked text that reads as a path in this repository must exist.
#[test]
fn every_repository_path_in_the_docs_exists() {
    let root = tests::workspace_root();
    let tops = [
        "generator/",
        "runtime/",
        "generated/",
        "contract/",
        "mock/",
        "xtask/",
        "tests/",
        "docs/",
        "scripts/",
        "spec/",
        ".ci/",
    ];
    let mut missing = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(&root).unwrap().display().to_string();
        for (number, line) in text.lines().enumerate() {
            for (index, span) in line.split('`').enumerate() {
                // Odd pieces are inside backticks.
                if index % 2 == 0 || !tops.iter().any(|top| span.starts_with(top)) {
                    continue;
                }
                let path = span.split_whitespace().next().unwrap_or(span);
                let path = path.trim_end_matches([',', '.', ':', ')']);
                if path.contains(['*', '{', '<', '…', '$']) {
                    continue;
                }
                checked += 1;
                if !root.join(path).exists() {
                    missing.push(format!("{name}:{}: `{path}` does not exist", number + 1));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(
        checked > 20,
        "only {checked} paths found: is the check reading the pages?"
    );
}

/// Every command of every `sh` block and `console` transcript, page by
/// page, in order (a page's mock lives until the page ends).
#[test]
fn every_command_in_the_docs_runs_or_parses() {
    let root = tests::workspace_root();
    let mut failures = Vec::new();
    let mut ran = BTreeMap::<&'static str, usize>::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(&root).unwrap().display().to_string();
        let mut session = Session::new(&root, &name);
        for block in blocks(&text) {
            let lang = block.info.split(',').next().unwrap_or_default().trim();
            let page = Page {
                name: &name,
                line: block.line,
            };
            let commands = match lang {
                "sh" => docs_support::sh_commands(&block.text, page),
                "console" => docs_support::console_commands(&block.text, page),
                _ => continue,
            };
            let commands = match commands {
                Ok(commands) => commands,
                Err(err) => {
                    failures.push(err);
                    continue;
                }
            };
            for command in commands {
                match session.check(&command) {
                    Ok(kind) => *ran.entry(kind).or_default() += 1,
                    Err(err) => failures.push(format!("{}:{}: {err}", name, command.line)),
                }
            }
        }
    }
    println!("commands checked: {ran:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for kind in [
        "xtask parsed",
        "cargo target",
        "curl against the mock",
        "contract run",
    ] {
        assert!(
            ran.contains_key(kind),
            "no command was checked as {kind:?}: {ran:?}"
        );
    }
}
