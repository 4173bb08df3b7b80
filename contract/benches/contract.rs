//! Contract validation throughput on the sample corpus (`spec/samples/`):
//! our validator (OpenAPI conversion, violations mapped back to the spec)
//! beside the bare `jsonschema` crate validating the same payloads against
//! the same JSON Schema (the converter's output for each target, compiled
//! by jsonschema directly), in the same run. So the difference is what ours
//! adds: mapping each error back to the spec and classifying it.
//!
//! Each benchmark validates every payload of a subset once per iteration:
//! `all` samples, the `valid` ones, or the `invalid` ones. Three bare
//! variants bracket ours: `bare_is_valid` only asks yes or no (the floor);
//! `bare_errors` collects jsonschema's error objects without rendering them;
//! `bare_reported` collects each error's instance pointer and message, the
//! same information ours returns (ours adds the spec pointer and kind).
//!
//! Run: `cargo bench -p contract --bench contract`.

use contract::{ContractValidator, Expectation, Sample, SamplePart, Target, load_samples};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

fn main() {
    divan::main();
}

struct Corpus {
    validator: ContractValidator,
    samples: Vec<Sample>,
    /// The baseline's compiled schema for each sample, by index.
    bare: Vec<std::sync::Arc<jsonschema::Validator>>,
}

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec =
        generator::load_file(&root.join("spec/managed_accounts.yaml")).expect("the spec loads");
    let validator = ContractValidator::new(&spec).expect("the contract compiles");
    let samples = load_samples(&root.join("spec/samples")).expect("the samples load");
    let mut compiled: BTreeMap<String, std::sync::Arc<jsonschema::Validator>> = BTreeMap::new();
    let bare = samples
        .iter()
        .map(|sample| {
            let key = format!("{}/{}", sample.operation, sample.part.folder());
            compiled
                .entry(key.clone())
                .or_insert_with(|| {
                    let schema = validator
                        .json_schema(&target_of(&validator, sample))
                        .unwrap_or_else(|err| panic!("{key}: {err}"));
                    let validator = jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft202012)
                        .should_validate_formats(true)
                        .build(schema)
                        .unwrap_or_else(|err| panic!("{key}: {err}"));
                    std::sync::Arc::new(validator)
                })
                .clone()
        })
        .collect();
    Corpus {
        validator,
        samples,
        bare,
    }
});

/// What a sample is checked as.
fn target_of(validator: &ContractValidator, sample: &Sample) -> Target {
    let operation = sample.operation.clone();
    match sample.part {
        SamplePart::Request => Target::Request { operation },
        SamplePart::Query => Target::Query { operation },
        SamplePart::Response(code) => Target::Response {
            status: validator
                .documented_status(&operation, code)
                .unwrap_or_else(|err| panic!("{operation}: {err}")),
            operation,
        },
    }
}

/// The indices of the samples in a subset.
fn subset(name: &str) -> Vec<usize> {
    CORPUS
        .samples
        .iter()
        .enumerate()
        .filter(|(_, s)| match name {
            "valid" => s.expectation == Expectation::Valid,
            "invalid" => s.expectation != Expectation::Valid,
            _ => true,
        })
        .map(|(index, _)| index)
        .collect()
}

const SUBSETS: [&str; 3] = ["all", "valid", "invalid"];

#[divan::bench(args = SUBSETS)]
fn ours(bencher: Bencher, name: &str) {
    let corpus = &*CORPUS;
    let indices = subset(name);
    bencher.counter(ItemsCount::new(indices.len())).bench(|| {
        for &index in &indices {
            let sample = &corpus.samples[index];
            let payload = black_box(&sample.payload);
            let result = match sample.part {
                SamplePart::Request => corpus
                    .validator
                    .validate_request(&sample.operation, payload),
                SamplePart::Query => corpus.validator.validate_query(&sample.operation, payload),
                SamplePart::Response(status) => {
                    corpus
                        .validator
                        .validate_response(&sample.operation, status, payload)
                }
            };
            black_box(result.ok());
        }
    });
}

#[divan::bench(args = SUBSETS)]
fn bare_errors(bencher: Bencher, name: &str) {
    let corpus = &*CORPUS;
    let indices = subset(name);
    bencher.counter(ItemsCount::new(indices.len())).bench(|| {
        for &index in &indices {
            let payload = black_box(&corpus.samples[index].payload);
            let errors: Vec<_> = corpus.bare[index].iter_errors(payload).collect();
            black_box(errors);
        }
    });
}

#[divan::bench(args = SUBSETS)]
fn bare_reported(bencher: Bencher, name: &str) {
    let corpus = &*CORPUS;
    let indices = subset(name);
    bencher.counter(ItemsCount::new(indices.len())).bench(|| {
        for &index in &indices {
            let payload = black_box(&corpus.samples[index].payload);
            let reported: Vec<(String, String)> = corpus.bare[index]
                .iter_errors(payload)
                .map(|error| (error.instance_path().as_str().to_owned(), error.to_string()))
                .collect();
            black_box(reported);
        }
    });
}

#[divan::bench(args = SUBSETS)]
fn bare_is_valid(bencher: Bencher, name: &str) {
    let corpus = &*CORPUS;
    let indices = subset(name);
    bencher.counter(ItemsCount::new(indices.len())).bench(|| {
        for &index in &indices {
            let payload = black_box(&corpus.samples[index].payload);
            black_box(corpus.bare[index].is_valid(payload));
        }
    });
}
