//! Compile check of the code generated from every fixture spec.
//!
//! A snapshot or a string assertion shows what the generator wrote, not that
//! it is valid Rust that builds cleanly. This test writes one crate per
//! fixture spec into a scratch workspace under Cargo's temporary directory
//! for integration tests, and runs one `cargo clippy --offline` over all of
//! them with warnings denied (`cargo check` where clippy is not installed),
//! then `cargo doc` (rustdoc's warnings denied) and `cargo test --doc` (the
//! example of every client method compiles). Each crate gets a module that checks that
//! every type of the IR has the common derives; the project's own spec is
//! one of the crates. The scratch workspace keeps its own target
//! directory there, so after the first run only the fixture crates are
//! rebuilt. A crate written as `cargo xtask generate --out` writes a new
//! one, outside any workspace, is checked the same way.
//!
//! The same workspace then holds the agreement check (`fixture_agreement`):
//! one more crate, a binary linking every fixture crate, that round-trips
//! payloads through the generated types while the contract validator judges
//! the same payloads.

mod fixture_agreement;

use fixture_agreement::Member;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The scratch workspace: one member crate per fixture spec.
fn scratch_workspace() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates")
}

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|err| panic!("creating {}: {err}", parent.display()));
    }
    std::fs::write(path, contents)
        .unwrap_or_else(|err| panic!("writing {}: {err}", path.display()));
}

/// Writes the crate generated from fixture `name` into `dir`; returns its
/// package name.
fn write_fixture_crate(name: &str, dir: &Path) -> String {
    let package = format!("fixture-{}", name.replace('_', "-"));
    let spec = tests::load_fixture(name);
    write_crate(&spec, &tests::fixture_options(name), &package, dir);
    package
}

/// Writes the crate generated from `spec` into `dir`, with a module that
/// checks at compile time that every type of the IR has the derives each
/// generated model must have (the list comes from the IR, so a new type
/// cannot escape it).
fn write_crate(spec: &generator::Spec, options: &generator::Options, package: &str, dir: &Path) {
    let files = generator::generate(spec, options)
        .unwrap_or_else(|err| panic!("generating {}: {err}", spec.path.display()));
    // Generated crates depend on what `generated/Cargo.toml` lists (serde for
    // the models, the rest for the client); the versions are pinned by the
    // workspace's lockfile, copied beside the manifest.
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [lib]\nname = \"{}\"\n\n\
             [features]\n{}\n\
             [dependencies]\n{}",
            options.lib_name,
            generator::FEATURES,
            generator::DEPENDENCIES
        ),
    );
    let api = generator::build_ir(spec)
        .unwrap_or_else(|err| panic!("building the IR of {}: {err}", spec.path.display()));
    for file in &files {
        let mut contents = file.contents.clone();
        if file.path == Path::new("src/lib.rs") {
            contents.push_str(&derive_check(&api));
        }
        write(&dir.join(&file.path), &contents);
    }
}

/// A module (added by this test, not by the generator) that names every
/// type of `api` in a function requiring the common derives.
fn derive_check(api: &generator::ir::Api) -> String {
    let mut out = String::from(
        "\n/// Added by the compile_fixtures test.\n#[allow(dead_code)]\nmod derive_check {\n    \
         fn model<T: std::fmt::Debug + Clone + PartialEq + serde::Serialize + serde::de::DeserializeOwned + Send + Sync>() {}\n    \
         fn every_type() {\n",
    );
    for name in api.types.keys() {
        out.push_str(&format!("        model::<crate::types::{name}>();\n"));
    }
    out.push_str("    }\n}\n");
    out
}

#[test]
fn every_fixture_spec_generates_a_crate_that_compiles_without_warnings() {
    let root = scratch_workspace();
    let members_dir = root.join("crates");
    // Start from nothing so that a removed fixture leaves no crate behind.
    if members_dir.exists() {
        std::fs::remove_dir_all(&members_dir)
            .unwrap_or_else(|err| panic!("removing {}: {err}", members_dir.display()));
    }
    let names = tests::fixture_spec_names();
    assert!(
        names.len() >= 10,
        "expected the fixture specs in {}, found {names:?}",
        tests::fixture_specs_dir().display()
    );
    let mut members = Vec::new();
    let mut crates = Vec::new();
    for name in &names {
        let package = write_fixture_crate(name, &members_dir.join(name));
        members.push(format!("\"crates/{name}\""));
        crates.push(Member {
            dir: name.clone(),
            package,
            lib: tests::fixture_options(name).lib_name,
            spec: tests::load_fixture(name),
        });
    }
    // The project's own spec too, with the options `cargo xtask generate`
    // uses: the derive check then covers every type of `generated/`.
    let options = tests::xtask_options();
    write_crate(
        &tests::load_real_spec(),
        &options,
        "fixture-project-spec",
        &members_dir.join("project_spec"),
    );
    members.push("\"crates/project_spec\"".to_owned());
    crates.push(Member {
        dir: "project_spec".to_owned(),
        package: "fixture-project-spec".to_owned(),
        lib: options.lib_name,
        spec: tests::load_real_spec(),
    });
    fixture_agreement::write_harness(&members_dir, &crates);
    members.push("\"crates/agreement\"".to_owned());
    write(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\n",
            members.join(", ")
        ),
    );
    let lockfile = tests::workspace_root().join("Cargo.lock");
    std::fs::copy(&lockfile, root.join("Cargo.lock"))
        .unwrap_or_else(|err| panic!("copying {}: {err}", lockfile.display()));

    let exclude = ["--workspace", "--exclude", fixture_agreement::HARNESS];
    let output = cargo_check(&root, &exclude);
    assert!(
        output.status.success(),
        "the crates generated from the fixture specs do not compile cleanly \
         (crates in {}):\n{}",
        members_dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    // Their docs too: every intra-doc link resolves, and every example
    // (one per client method) compiles.
    for (what, args) in [
        ("docs have warnings", &["doc", "--no-deps"][..]),
        ("doc examples do not compile", &["test", "--doc"][..]),
    ] {
        let output = cargo_docs(&root, args);
        assert!(
            output.status.success(),
            "the {what} in the crates generated from the fixture specs \
             (crates in {}):\n{}",
            members_dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    agreement(&root, &crates);
}

/// The agreement check (`fixture_agreement`): the harness is built with the
/// settings `cargo test --doc` just built the fixture crates with, so only
/// the harness itself compiles and links.
fn agreement(root: &Path, crates: &[Member]) {
    let started = std::time::Instant::now();
    let output = cargo(root, &["build", "-p", fixture_agreement::HARNESS]);
    assert!(
        output.status.success(),
        "the agreement harness does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let built = started.elapsed();
    let harness = scratch_workspace().join("target/debug/fixture-agreement");
    let summary = fixture_agreement::check(crates, root, |input, output| {
        let run = Command::new(&harness)
            .arg(input)
            .arg(output)
            .output()
            .expect("running the agreement harness");
        assert!(
            run.status.success(),
            "the agreement harness failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
    })
    .unwrap_or_else(|problems| panic!("{problems}"));
    eprintln!(
        "agreement: {} payloads ({} accepted by the validator, {} refused but decoded by a \
         listed leniency); harness built in {:.1} s, whole check {:.1} s",
        summary.payloads,
        summary.accepted,
        summary.lenient,
        built.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// Runs `cargo` with `args` over the scratch workspace, with the settings
/// of [`cargo_docs`] (so what `cargo test --doc` built is reused).
fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    cargo_with(dir, args, &[])
}

/// `cargo ARGS --offline --quiet` in `dir` with the scratch workspace's
/// target directory and settings (so dependencies built for the fixtures
/// are reused), plus the environment variables `env`.
fn cargo_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(args)
        .args(["--offline", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", scratch_workspace().join("target"))
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .envs(env.iter().copied())
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("running cargo")
}

/// The features the fixture crates are checked with: the contract table,
/// and the `webhooks` module where a document has events (a crate without
/// any must build with the feature too).
const FEATURES: &str = "contract,webhooks";

/// Runs `cargo doc` or `cargo test --doc` (`args`) over the scratch
/// workspace, rustdoc's warnings denied.
fn cargo_docs(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut args = args.to_vec();
    args.extend([
        "--workspace",
        "--exclude",
        fixture_agreement::HARNESS,
        "--features",
        FEATURES,
    ]);
    cargo_with(dir, &args, &[("RUSTDOCFLAGS", "-D warnings")])
}

/// Runs `cargo clippy` (or, on a toolchain without clippy, `cargo check`)
/// of the crate(s) at `dir` with the scratch workspace's target directory
/// and settings (so dependencies built for the fixtures are reused), with
/// warnings denied; returns the output. Generated code is held to clippy's
/// lints as hand-written code is.
fn cargo_check(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec![lint_command(), "--lib", "--features", FEATURES];
    all.extend(args);
    cargo_with(dir, &all, &[("RUSTFLAGS", "-D warnings")])
}

/// `clippy` when `cargo clippy` runs here, else `check` (said once).
fn lint_command() -> &'static str {
    static COMMAND: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    COMMAND.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let clippy = Command::new(cargo)
            .args(["clippy", "--version"])
            .output()
            .is_ok_and(|output| output.status.success());
        if !clippy {
            eprintln!(
                "note: `cargo clippy` is not installed: the generated crates are checked with \
                 `cargo check` only (`rustup component add clippy` adds clippy's lints)"
            );
        }
        if clippy { "clippy" } else { "check" }
    })
}

#[test]
fn a_new_crate_outside_the_workspace_builds_on_its_own() {
    // What `cargo xtask generate --spec FILE --out DIR` writes for a DIR
    // without a Cargo.toml: the generated files and a manifest with
    // explicit versions, names derived from `info.title`.
    let dir = std::env::temp_dir().join(format!("standalone-crate-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let spec = tests::load_fixture("client_shapes");
    let config = generator::CrateConfig::for_new_crate(
        &spec.document.info.title,
        Path::new("client_shapes.yaml"),
        None,
        None,
        None,
    );
    assert_eq!(config.crate_name, "client-shapes-fixture");
    let manifest = config.manifest("A standalone crate.");
    assert!(!manifest.contains("workspace"), "{manifest}");
    write(&dir.join("Cargo.toml"), &manifest);
    let files = generator::generate(&spec, &config.options("cargo xtask generate")).unwrap();
    for file in &files {
        let lower = file.contents.to_lowercase();
        assert!(
            !lower.contains("telnyx"),
            "{} names Telnyx in a crate generated from another spec",
            file.path.display()
        );
        write(&dir.join(&file.path), &file.contents);
    }
    let lockfile = tests::workspace_root().join("Cargo.lock");
    std::fs::copy(&lockfile, dir.join("Cargo.lock")).unwrap();
    let output = cargo_check(&dir, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "the standalone crate does not build:\n{stderr}"
    );
    // A user's program whose only dependency is the crate uses what the
    // documented API hands it: a middleware on `reqwest::Request`, its own
    // `reqwest::Client`, the base URL, free-form JSON values and an item
    // stream read without `futures`.
    let user = dir.join("user-program");
    write(
        &user.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"user-program\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\n{} = {{ path = \"..\" }}\n",
            config.crate_name
        ),
    );
    write(
        &user.join("src/main.rs"),
        &USER_PROGRAM.replace("the_crate", &config.lib_name),
    );
    std::fs::copy(&lockfile, user.join("Cargo.lock")).unwrap();
    let output = cargo_build_program(&user);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        output.status.success(),
        "a program depending only on the standalone crate does not build:\n{stderr}"
    );
}

/// A user's program with no dependency but a generated crate (named
/// `the_crate` here): everything it names comes through that crate.
const USER_PROGRAM: &str = r#"//! Uses the generated crate's documented API with no other dependency.
use the_crate::{CallInfo, Client, ItemStream, Middleware, reqwest, serde_json};

struct Tag;

impl Middleware for Tag {
    fn before_send(&self, request: &mut reqwest::Request, call: &CallInfo) {
        let value = reqwest::header::HeaderValue::from_static("user-program");
        request.headers_mut().insert("x-caller", value);
        let _ = call;
    }
}

async fn count<T: Send + 'static, E: Send + 'static>(mut items: ItemStream<T, E>) -> usize {
    let mut seen = 0;
    while let Some(item) = items.next().await {
        if item.is_ok() {
            seen += 1;
        }
    }
    seen
}

fn main() {
    let client = Client::builder()
        .middleware(Tag)
        .http_client(reqwest::Client::new())
        .build();
    let url: Option<reqwest::Url> = client.ok().map(|client| client.base_url().clone());
    let value: serde_json::Value = serde_json::json!({ "url": url.map(|u| u.to_string()) });
    println!("{value}");
    let _ = count::<serde_json::Value, ()>;
}
"#;

/// `cargo clippy` (or `check`) of the user program at `dir`, with warnings
/// denied and the scratch workspace's target directory.
fn cargo_build_program(dir: &Path) -> std::process::Output {
    cargo_with(dir, &[lint_command()], &[("RUSTFLAGS", "-D warnings")])
}

/// The bounded part of the upstream document CI checks (generating and
/// checking the whole of it is a benchmark, `scripts/` and the README's
/// figures): a few path prefixes with every component they use, as
/// `cargo xtask generate --paths` writes them, must compile with
/// `-D warnings`.
#[test]
fn a_selection_of_the_upstream_document_generates_a_crate_that_compiles() {
    let path = tests::workspace_root().join("../shared/upstream/telnyx-spec3.yml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return;
    };
    let selection = generator::upstream_sync::Selection {
        paths: [
            "/managed_accounts",
            "/balance",
            "/messages",
            "/phone_numbers",
        ]
        .map(str::to_owned)
        .to_vec(),
        tags: Vec::new(),
    };
    let synced = generator::upstream_sync::sync_spec(&text, &path, &selection, None, "")
        .unwrap_or_else(|err| panic!("{err}"));
    let spec = generator::load_str(&synced.text, Path::new("selected.yaml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let dir = std::env::temp_dir().join(format!("upstream-selection-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let mut config = generator::CrateConfig::for_new_crate(
        &spec.document.info.title,
        Path::new("telnyx-spec3.yml"),
        Some("upstream-selection"),
        None,
        None,
    );
    config.selection = selection;
    write(&dir.join("Cargo.toml"), &config.manifest("A selection."));
    let files = generator::generate(&spec, &config.options("cargo xtask generate"))
        .unwrap_or_else(|err| panic!("{err}"));
    for file in &files {
        write(&dir.join(&file.path), &file.contents);
    }
    let lockfile = tests::workspace_root().join("Cargo.lock");
    std::fs::copy(&lockfile, dir.join("Cargo.lock")).unwrap();
    let output = cargo_check(&dir, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        output.status.success(),
        "the crate of {} operations from the upstream document does not build:\n{stderr}",
        synced.operations
    );
}
