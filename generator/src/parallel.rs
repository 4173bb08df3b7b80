//! Steps 3 and 4 on every core: which source files the generated crate
//! has, and the driver that emits and renders them in parallel.
//!
//! The files are cut into parts (each small file is one part; the models
//! file is cut into runs of types), and worker threads take the parts one
//! by one, each calling the file's emitter (`emit_lib`, `emit_types`,
//! `emit_client`, `emit_contract`), parsing and printing the tokens
//! (`render`) and reading the public items the API manifest
//! (`api_manifest`) needs. The crate root (`generate`) adds the runtime's
//! files and the manifest; `on_disk` then writes or checks them.
//!
//! Tokens and syn trees cannot leave the thread that made them, so a part
//! crosses threads only as text and plain data. The parts of a file are
//! joined in order, and a file reads the same whatever the number of
//! workers or the size of the runs.

use crate::api_manifest::{CallItem, OperationItem, Sources, TypeItem, TypeItems};
use crate::emit_client::{self, ClientNames};
use crate::error::Result;
use crate::on_disk::GeneratedFile;
use crate::{emit_contract, emit_lib, emit_types, ir, render};
use proc_macro2::TokenStream;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many models one part of `src/types.rs` holds.
pub(crate) const TYPES_PER_PART: usize = 200;

/// The source files, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum File {
    Lib,
    Types,
    Contract,
    Errors,
    Operations,
    Calls,
    Responses,
    Webhooks,
}

impl File {
    fn path(self) -> &'static str {
        match self {
            File::Lib => "src/lib.rs",
            File::Types => "src/types.rs",
            File::Contract => "src/contract.rs",
            File::Errors => "src/errors.rs",
            File::Operations => "src/operations.rs",
            File::Calls => "src/calls.rs",
            File::Responses => "src/responses.rs",
            File::Webhooks => "src/webhooks.rs",
        }
    }
}

/// One unit of work for a worker.
#[derive(Debug, Clone, Copy)]
enum Job {
    Lib,
    /// The models from the `skip`-th, `take` of them; the first part also
    /// has the file's docs and imports.
    Types {
        skip: usize,
        take: usize,
    },
    Contract,
    Errors,
    /// `src/operations.rs` and `src/calls.rs`, which one emitter makes.
    Client,
    Responses,
    Webhooks,
}

/// What a part gives the API manifest.
enum Items {
    None,
    Types(TypeItems),
    Operations(BTreeMap<String, OperationItem>),
    Calls(BTreeMap<String, CallItem>),
    Named(BTreeMap<String, TypeItem>),
    Webhooks(BTreeMap<String, TypeItem>),
}

/// One printed part of a file.
struct Part {
    file: File,
    text: String,
    items: Items,
}

/// The generated source files, in output order, and what the manifest reads
/// of them. `workers` threads share the work (at least one).
pub(crate) fn render_files(
    api: &ir::Api,
    header: &str,
    names: &ClientNames<'_>,
    workers: usize,
    types_per_part: usize,
) -> Result<(Vec<GeneratedFile>, Sources)> {
    let jobs = jobs(api, types_per_part.max(1));
    let next = AtomicUsize::new(0);
    // Each worker gives back what it did, by job index.
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else {
                return done;
            };
            done.push((index, run(*job, api, header, names)));
        }
    };
    let workers = workers.clamp(1, jobs.len().max(1));
    let mut done: Vec<(usize, Result<Vec<Part>>)> = if workers == 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                .flat_map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    // Job order, so that the first error in the document is the one given.
    done.sort_by_key(|(index, _)| *index);
    let mut parts = Vec::new();
    for (_, result) in done {
        parts.extend(result?);
    }
    // The sort is stable: a file's parts stay in job order.
    parts.sort_by_key(|part| part.file);
    Ok(assemble(parts))
}

/// The jobs, largest first so that the workers finish together: the
/// client's two files, the contract table, the errors, then the models in
/// runs and the small files.
fn jobs(api: &ir::Api, types_per_part: usize) -> Vec<Job> {
    let mut jobs = vec![Job::Client, Job::Contract, Job::Errors];
    let mut skip = 0;
    loop {
        let take = types_per_part.min(api.types.len() - skip);
        jobs.push(Job::Types { skip, take });
        skip += take;
        if skip >= api.types.len() {
            break;
        }
    }
    jobs.extend([Job::Lib, Job::Responses, Job::Webhooks]);
    jobs
}

/// Emits, parses and prints one job's parts.
fn run(job: Job, api: &ir::Api, header: &str, names: &ClientNames<'_>) -> Result<Vec<Part>> {
    let part = |file: File, tokens: TokenStream, read: fn(&syn::File) -> Items| {
        let mut parsed = render::parse(tokens, file.path())?;
        let items = read(&parsed);
        // Later parts of a file are printed without its header.
        let first = !matches!(job, Job::Types { skip, .. } if skip > 0);
        let text = render::print(&mut parsed, if first { header } else { "" });
        Ok(Part { file, text, items })
    };
    let parts = match job {
        Job::Lib => vec![part(File::Lib, emit_lib::lib_file(api), |_| Items::None)?],
        Job::Types { skip, take } => vec![part(
            File::Types,
            emit_types::types_part(api, skip, take),
            |file| {
                let mut items = TypeItems::default();
                items.read(file);
                Items::Types(items)
            },
        )?],
        Job::Contract => vec![part(
            File::Contract,
            emit_contract::contract_module(api),
            |_| Items::None,
        )?],
        Job::Errors => vec![part(File::Errors, emit_client::errors_file(api), |file| {
            Items::Named(Sources::types_of(file))
        })?],
        Job::Client => {
            let client = emit_client::operations_file(api, names)?;
            vec![
                part(File::Operations, client.operations, |file| {
                    Items::Operations(Sources::operations_of(file))
                })?,
                part(File::Calls, client.calls, |file| {
                    Items::Calls(Sources::calls_of(file))
                })?,
            ]
        }
        Job::Responses => match emit_client::responses_file(api) {
            Some(tokens) => vec![part(File::Responses, tokens, |file| {
                Items::Named(Sources::types_of(file))
            })?],
            None => Vec::new(),
        },
        Job::Webhooks => match emit_client::webhooks_file(api, names) {
            Some(tokens) => vec![part(File::Webhooks, tokens, |file| {
                Items::Webhooks(Sources::types_of(file))
            })?],
            None => Vec::new(),
        },
    };
    Ok(parts)
}

/// Joins each file's parts (sorted by file, in order) and gathers what
/// they give the manifest.
fn assemble(parts: Vec<Part>) -> (Vec<GeneratedFile>, Sources) {
    let mut files: Vec<GeneratedFile> = Vec::new();
    let mut sources = Sources::default();
    let mut types = TypeItems::default();
    let mut previous = None;
    for part in parts {
        if previous == Some(part.file) {
            let contents = &mut files.last_mut().expect("the file's first part").contents;
            // `render::print` puts a blank line between items; a later
            // part starts with an item (the first part is never empty: it
            // has the file's docs).
            if !part.text.is_empty() {
                contents.push('\n');
            }
            contents.push_str(&part.text);
        } else {
            files.push(GeneratedFile {
                path: part.file.path().into(),
                contents: part.text,
            });
        }
        previous = Some(part.file);
        match (part.file, part.items) {
            (_, Items::Types(items)) => types.merge(items),
            (_, Items::Operations(items)) => sources.operations = items,
            (_, Items::Calls(items)) => sources.calls = items,
            (File::Errors, Items::Named(items)) => sources.errors = items,
            (_, Items::Named(items)) => sources.responses = items,
            (_, Items::Webhooks(items)) => sources.webhooks = items,
            (_, Items::None) => {}
        }
    }
    sources.types = types.finish();
    (files, sources)
}
