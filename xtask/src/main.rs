//! The `xtask` binary (`cargo xtask <command>`): parses the command line
//! and hands it to the library (`xtask::run`), where the commands live.

use clap::Parser as _;
use std::process::ExitCode;

/// Generation allocates heavily (token trees, syn's parse, prettyplease's
/// output): with mimalloc instead of the system allocator, generating the
/// whole upstream document (`cargo xtask generate --spec
/// ../shared/upstream/telnyx-spec3.yml --out DIR`, timed) took 2.0–2.5 s
/// wall instead of 3.0–3.3 s on a 2-core machine.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    xtask::run(xtask::Cli::parse())
}
