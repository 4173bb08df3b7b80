//! Generation from the checked-in spec and from the whole upstream document
//! (when `../shared/upstream` is present), each beside parsing the same YAML
//! alone.
//!
//! Run with `cargo bench -p generator --bench generate`. The ratio of
//! `generate_all` to `parse_yaml_only` says how much the generator costs on
//! top of reading the document.

use std::path::Path;

/// The allocator `cargo xtask generate` runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/managed_accounts.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn options() -> generator::Options {
    generator::Options {
        spec_label: "spec/managed_accounts.yaml".to_owned(),
        command: "cargo xtask generate".to_owned(),
        lib_name: "telnyx_managed_accounts".to_owned(),
        env_prefix: "TELNYX".to_owned(),
    }
}

/// Parsing the YAML text into a generic YAML value, nothing else.
#[divan::bench]
fn parse_yaml_only(bencher: divan::Bencher) {
    let text = spec_text();
    bencher
        .bench(|| serde_yaml::from_str::<serde_yaml::Value>(divan::black_box(&text)).map(|_| ()));
}

/// The whole pipeline: load (parse into the OpenAPI model), IR, emit, format.
#[divan::bench]
fn generate_all(bencher: divan::Bencher) {
    let text = spec_text();
    let options = options();
    bencher.bench(|| {
        let spec = generator::load_str(
            divan::black_box(&text),
            Path::new("spec/managed_accounts.yaml"),
        )?;
        generator::generate(&spec, &options)
    });
}

/// The pipeline stages after loading: IR, emit, format.
#[divan::bench]
fn generate_from_loaded(bencher: divan::Bencher) {
    let text = spec_text();
    let options = options();
    let spec = generator::load_str(&text, Path::new("spec/managed_accounts.yaml"))
        .expect("the spec loads");
    bencher.bench(|| generator::generate(divan::black_box(&spec), &options));
}

/// The whole upstream document (`../shared/upstream/telnyx-spec3.yml`),
/// when it is present: its text, or `None` with the reason printed.
fn upstream_text() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream/telnyx-spec3.yml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) => {
            eprintln!(
                "skipping the upstream benchmarks: {}: {err}",
                path.display()
            );
            None
        }
    }
}

/// Parsing the upstream YAML into a generic YAML value, nothing else.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn upstream_parse_yaml_only(bencher: divan::Bencher) {
    let Some(text) = upstream_text() else {
        return bencher.bench(|| ());
    };
    bencher
        .bench(|| serde_yaml::from_str::<serde_yaml::Value>(divan::black_box(&text)).map(|_| ()));
}

/// The whole pipeline on the upstream document: load (3.1 normalised),
/// IR, emit, format.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn upstream_generate_all(bencher: divan::Bencher) {
    let Some(text) = upstream_text() else {
        return bencher.bench(|| ());
    };
    let options = options();
    bencher.bench(|| {
        let spec = generator::load_str(divan::black_box(&text), Path::new("telnyx-spec3.yml"))?;
        generator::generate(&spec, &options)
    });
}

/// Loading the upstream document alone: the YAML read into a value, the
/// 3.1 normalisation and the typed parse into the OpenAPI model (no IR, no
/// output).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn upstream_load_only(bencher: divan::Bencher) {
    let Some(text) = upstream_text() else {
        return bencher.bench(|| ());
    };
    bencher.bench(|| {
        generator::load_str(divan::black_box(&text), Path::new("telnyx-spec3.yml")).map(|_| ())
    });
}
