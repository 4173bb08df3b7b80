//! Project commands, run as `cargo xtask <command>`: the library behind the
//! `xtask` binary (`main.rs` only parses the command line and calls [`run`]).
//!
//! Thin by design: argument parsing ([`Cli`]) and calls into the `generator`
//! library. The contract checks and the mock server live in their own
//! crates, which this runs through `cargo run`, so that `cargo xtask
//! generate` never waits for their dependencies to build.
//!
//! [`Cli`] is public so that the README's `cargo xtask …` lines can be
//! checked against the real command line (`Cli::try_parse_from`).
//!
//! - this file: `generate` (configuration from the crate's `Cargo.toml`
//!   via `generator::CrateConfig`, then `generator::build_ir`,
//!   `generate_from_ir` and `generator::sync`), and the hand-over to the
//!   `contract` and `telnyx-mock` binaries, which get the workspace's
//!   configuration as options of their own;
//! - `api_changes`: what a regeneration changes in the crate's public Rust
//!   API (`generator::api_manifest`), `--deny-breaking` and `--bump`;
//! - [`spec_cmd`]: `spec diff` (wire changes between two specs,
//!   `generator::spec_diff`) and `spec sync` (`generator::upstream_sync`);
//! - [`Error`]: what stops a command, with the file, line or option.

mod api_changes;
mod error;
pub mod spec_cmd;

pub use error::Error;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Project commands of the OpenAPI → Rust workspace.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses a command line (`["xtask", "generate", "--check"]`; the first
    /// item is the program name), as the binary does with its arguments;
    /// callers need not import `clap::Parser`.
    pub fn try_parse_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        <Self as Parser>::try_parse_from(args)
    }
}

/// The generated crate, relative to the workspace root; its `Cargo.toml`
/// holds the configuration (`[package.metadata.generator]`).
const DEFAULT_CRATE: &str = "generated";

/// The `cargo xtask` subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Regenerate the generated crate from the spec.
    Generate {
        /// Generate in memory and fail with a diff if the crate is stale.
        #[arg(long)]
        check: bool,
        /// The spec to read (relative to the workspace root); default: the
        /// `spec` in the crate's `[package.metadata.generator]`.
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The crate to write (relative to the workspace root). A folder
        /// without a `Cargo.toml` gets a new crate that builds on its own
        /// (explicit dependency versions), named by the options below.
        #[arg(long, default_value = DEFAULT_CRATE)]
        out: PathBuf,
        /// A new crate's package name (default: from the spec's `info.title`).
        #[arg(long)]
        crate_name: Option<String>,
        /// A new crate's library name (default: the package name in snake case).
        #[arg(long)]
        lib_name: Option<String>,
        /// A new crate's environment-variable prefix, for `{PREFIX}_API_KEY`
        /// and `{PREFIX}_BASE_URL` (default: from the spec's `info.title`).
        #[arg(long)]
        env_prefix: Option<String>,
        /// Fail, writing nothing, when the public Rust API changes in a
        /// breaking way (against the crate's `api-manifest.json`).
        #[arg(long)]
        deny_breaking: bool,
        /// Write the semver bump the API changes imply into the crate's
        /// `Cargo.toml`.
        #[arg(long)]
        bump: bool,
        /// Fail, writing nothing, when the spec has warnings (a `required`
        /// name no property declares, an `operationId` used twice...).
        #[arg(long)]
        strict: bool,
        /// A new crate of only the operations under this path prefix (and
        /// the components they use); repeatable; stored in its `Cargo.toml`.
        #[arg(long = "paths", value_name = "PREFIX")]
        paths: Vec<String>,
        /// A new crate of only the operations with this tag; repeatable;
        /// stored in its `Cargo.toml`.
        #[arg(long = "tags", value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Check the sample payloads and every example in the spec against the
    /// spec's schemas; `check` for any payload files; `--base-url` for a
    /// running server (`cargo xtask contract --help` for the options).
    #[command(disable_help_flag = true)]
    Contract {
        /// Arguments for the contract checks.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Commands on spec files: `cargo xtask spec diff OLD NEW`.
    Spec {
        #[command(subcommand)]
        command: spec_cmd::SpecCommand,
    },
    /// Serve the contract-faithful mock server (`cargo xtask mock --help`
    /// for its options: --spec, --addr, --seed, --token, --quiet,
    /// --webhook-url, ...).
    #[command(disable_help_flag = true)]
    Mock {
        /// Arguments for the mock server.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// Runs a parsed command line from the workspace root; the exit code is
/// the process's (0 done, 1 a failed check or refused change, 2 a usage or
/// configuration error).
pub fn run(cli: Cli) -> ExitCode {
    let root = workspace_root();
    let config = match generator::CrateConfig::load(&root.join(DEFAULT_CRATE).join("Cargo.toml")) {
        Ok(config) => config,
        Err(err) => return fail(&err.into(), 2),
    };
    match cli.command {
        Command::Generate {
            check,
            spec,
            out,
            crate_name,
            lib_name,
            env_prefix,
            deny_breaking,
            bump,
            strict,
            paths,
            tags,
        } => {
            let request = GenerateRequest {
                check,
                spec,
                flags: api_changes::Flags {
                    deny_breaking,
                    bump,
                    strict,
                },
                names: NewCrateNames {
                    crate_name,
                    lib_name,
                    env_prefix,
                    selection: generator::upstream_sync::Selection { paths, tags },
                },
            };
            match generate_command(&Paths::new(&root, &out), config, &request) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    let usage = matches!(
                        err,
                        Error::NewCrateNeedsSpec { .. } | Error::ConfigDiffers { .. }
                    );
                    fail(&err, if usage { 2 } else { 1 })
                }
            }
        }
        Command::Spec { command } => spec_cmd::run(&root, command, &config.spec),
        Command::Mock { .. } | Command::Contract { .. } => {
            match cli.command.forwarded(&root, &config) {
                Some(tool) => run_tool(&tool),
                None => ExitCode::SUCCESS,
            }
        }
    }
}

/// A command that `cargo xtask` hands to another crate's binary: which
/// binary, and its whole argument list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forwarded {
    /// The package and the binary (`contract`, `telnyx-mock`).
    pub bin: &'static str,
    /// What the workspace knows first, then the user's arguments.
    pub args: Vec<String>,
}

impl Command {
    /// For `mock` and `contract`: the binary and the arguments `cargo xtask`
    /// runs it with; `None` for the commands xtask runs itself.
    pub fn forwarded(&self, root: &Path, config: &generator::CrateConfig) -> Option<Forwarded> {
        let (bin, defaults, args) = match self {
            // The workspace's spec goes first; a `--spec` of the user's,
            // later on the line, overrides it.
            Command::Mock { args } => (
                "telnyx-mock",
                vec![
                    "--spec".to_owned(),
                    root.join(&config.spec).display().to_string(),
                ],
                args,
            ),
            // What the contract runner is told of the workspace and its
            // generated crate (typed, hidden options of its own); it
            // decides how they apply to the user's arguments.
            Command::Contract { args } => (
                "contract",
                vec![
                    "--root".to_owned(),
                    root.display().to_string(),
                    "--linked-crate-spec".to_owned(),
                    config.spec.display().to_string(),
                    "--linked-crate-token-env".to_owned(),
                    format!("{}_API_KEY", config.env_prefix),
                ],
                args,
            ),
            Command::Generate { .. } | Command::Spec { .. } => return None,
        };
        Some(Forwarded {
            bin,
            args: defaults.into_iter().chain(args.iter().cloned()).collect(),
        })
    }
}

/// Prints `err` and gives the exit `code`.
pub(crate) fn fail(err: &Error, code: u8) -> ExitCode {
    eprintln!("error: {err}");
    ExitCode::from(code)
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The paths of a `generate` run, resolved once.
struct Paths {
    /// The workspace root, which relative paths start from.
    root: PathBuf,
    /// The crate folder as the user named it (`--out`), for messages.
    out: PathBuf,
    /// The crate folder.
    dir: PathBuf,
    /// Its `Cargo.toml`, which holds the crate's configuration.
    manifest: PathBuf,
}

impl Paths {
    fn new(root: &Path, out: &Path) -> Self {
        let dir = root.join(out);
        Self {
            root: root.to_owned(),
            out: out.to_owned(),
            manifest: dir.join("Cargo.toml"),
            dir,
        }
    }

    /// Whether the crate is the workspace's own (`generated/`).
    fn is_default_crate(&self) -> bool {
        self.out == Path::new(DEFAULT_CRATE)
    }
}

/// `cargo xtask generate`'s options, apart from `--out`.
struct GenerateRequest {
    check: bool,
    spec: Option<PathBuf>,
    flags: api_changes::Flags,
    names: NewCrateNames,
}

/// `cargo xtask generate`: a new crate when `--out` has none, else the
/// crate regenerated (or checked) with its stored configuration.
/// `workspace_config` is the workspace crate's.
fn generate_command(
    paths: &Paths,
    workspace_config: generator::CrateConfig,
    request: &GenerateRequest,
) -> Result<(), Error> {
    if !paths.is_default_crate() && !paths.manifest.exists() {
        return new_crate(paths, request);
    }
    let config = if paths.is_default_crate() {
        workspace_config
    } else {
        generator::CrateConfig::load(&paths.manifest)?
    };
    // Options are accepted when they repeat what the crate's `Cargo.toml`
    // stores (the command that made the crate, run again); each one that
    // differs is named, with where to change it.
    let differences = request
        .names
        .differences(&config, request.spec.as_deref(), &paths.root);
    if !differences.is_empty() {
        return Err(Error::ConfigDiffers {
            manifest: paths.manifest.clone(),
            differences,
        });
    }
    generate(
        request.check,
        request.spec.as_deref(),
        paths,
        &config,
        false,
        request.flags,
    )
}

/// The names a new crate is given on the command line.
struct NewCrateNames {
    crate_name: Option<String>,
    lib_name: Option<String>,
    env_prefix: Option<String>,
    selection: generator::upstream_sync::Selection,
}

impl NewCrateNames {
    /// Each option given here whose value differs from what `stored` (an
    /// existing crate's `Cargo.toml`) holds, as a sentence naming the
    /// option, both values and the setting that holds it. Options not
    /// given are not compared; the selection (`--paths` and `--tags`) is
    /// compared whole when either is given. `spec` is compared as a file
    /// (paths are relative to `root`).
    fn differences(
        &self,
        stored: &generator::CrateConfig,
        spec: Option<&Path>,
        root: &Path,
    ) -> Vec<String> {
        let mut differences = Vec::new();
        let mut compare = |option: &str, given: Option<&str>, setting: &str, value: &str| {
            if let Some(given) = given.filter(|given| *given != value) {
                differences.push(format!(
                    "{option} {given:?}, but the crate has {setting} = {value:?}"
                ));
            }
        };
        compare(
            "--crate-name",
            self.crate_name.as_deref(),
            "[package] name",
            &stored.crate_name,
        );
        compare(
            "--lib-name",
            self.lib_name.as_deref(),
            "[lib] name",
            &stored.lib_name,
        );
        compare(
            "--env-prefix",
            self.env_prefix.as_deref(),
            "[package.metadata.generator] env_prefix",
            &stored.env_prefix,
        );
        if let Some(spec) = spec {
            if !same_file(&root.join(spec), &root.join(&stored.spec)) {
                differences.push(format!(
                    "--spec {:?}, but the crate has [package.metadata.generator] spec = {:?}",
                    spec.display().to_string(),
                    stored.spec.display().to_string()
                ));
            }
        }
        if !self.selection.is_everything() {
            let sorted = |list: &[String]| {
                let mut list = list.to_vec();
                list.sort();
                list.dedup();
                list
            };
            for (option, given, kept) in [
                ("--paths", &self.selection.paths, &stored.selection.paths),
                ("--tags", &self.selection.tags, &stored.selection.tags),
            ] {
                if sorted(given) != sorted(kept) {
                    differences.push(format!(
                        "{option} {given:?}, but the crate has [package.metadata.generator] {} = {kept:?}",
                        &option[2..]
                    ));
                }
            }
        }
        differences
    }
}

/// Generates a new crate into `paths.dir`, which has no `Cargo.toml` yet.
fn new_crate(paths: &Paths, request: &GenerateRequest) -> Result<(), Error> {
    let Some(spec) = request.spec.as_deref() else {
        return Err(Error::NewCrateNeedsSpec {
            out: paths.out.clone(),
        });
    };
    if request.check {
        return Err(Error::NothingToCheck {
            out: paths.out.clone(),
        });
    }
    let title = generator::load_file(&paths.root.join(spec))?
        .document
        .info
        .title;
    let names = &request.names;
    let mut config = generator::CrateConfig::for_new_crate(
        &title,
        spec,
        names.crate_name.as_deref(),
        names.lib_name.as_deref(),
        names.env_prefix.as_deref(),
    );
    config.selection = names.selection.clone();
    generate(
        false,
        Some(spec),
        paths,
        &config,
        true,
        api_changes::Flags {
            strict: request.flags.strict,
            ..api_changes::Flags::default()
        },
    )
}

/// The spec, or only the operations `selection` keeps with the
/// components they use (the extraction `spec sync` makes, in YAML); its
/// pointers are those of the whole document.
fn load_selected(
    path: &Path,
    selection: &generator::upstream_sync::Selection,
) -> generator::Result<generator::Spec> {
    if selection.is_everything() {
        return generator::load_file(path);
    }
    let text = std::fs::read_to_string(path).map_err(|source| generator::Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let synced = generator::upstream_sync::sync_spec(&text, path, selection, None, "")?;
    // Messages about the extraction name it as such (its lines are its own).
    generator::load_str(&synced.text, &path.with_extension("selected.yaml"))
}

/// Writes (or with `check`, compares) the crate in `paths.dir`; a
/// `new_crate` also gets its `Cargo.toml`, once the code is generated.
fn generate(
    check: bool,
    spec: Option<&Path>,
    paths: &Paths,
    config: &generator::CrateConfig,
    new_crate: bool,
    flags: api_changes::Flags,
) -> Result<(), Error> {
    let spec = spec.unwrap_or(&config.spec);
    let mut options = config.options("cargo xtask generate");
    options.spec_label = spec.display().to_string().replace('\\', "/");
    let loaded = load_selected(&paths.root.join(spec), &config.selection)
        .map_err(|err| Error::spec(spec, err, |_| None))?;
    // Spec errors carry a JSON pointer; say which file and line it points
    // into.
    let located = |err| Error::spec(spec, err, |pointer| loaded.line_of(pointer));
    let api = generator::build_ir(&loaded).map_err(located)?;
    for warning in &api.warnings {
        match loaded.line_of(&warning.pointer) {
            Some(line) => eprintln!("warning: {}:{line}: {warning}", spec.display()),
            None => eprintln!("warning: {}: {warning}", spec.display()),
        }
    }
    if flags.strict && !api.warnings.is_empty() {
        return Err(Error::Strict {
            count: api.warnings.len(),
            spec: spec.to_owned(),
        });
    }
    let files = generator::generate_from_ir(&api, &options).map_err(located)?;
    let mut bump_to = None;
    if !check || flags.deny_breaking {
        bump_to = api_changes::report(&paths.dir, &files, flags)?.bump_to;
    }
    if new_crate {
        let description = format!(
            "Typed models and async client for {}, generated from {}.",
            loaded.document.info.title, options.spec_label
        );
        write_manifest(&paths.manifest, &config.manifest(&description))
            .map_err(Error::write(&paths.manifest))?;
    }
    let drift = generator::sync(&paths.dir, &files, check).map_err(located)?;
    if check {
        if drift.is_empty() {
            println!(
                "{} is up to date with {}",
                paths.out.display(),
                spec.display()
            );
            return Ok(());
        }
        for file in &drift {
            eprint!("{}", file.diff);
        }
        let command = if paths.out == Path::new(DEFAULT_CRATE) {
            "cargo xtask generate".to_owned()
        } else {
            format!("cargo xtask generate --out {}", paths.out.display())
        };
        return Err(Error::Stale {
            count: drift.len(),
            out: paths.out.clone(),
            command,
        });
    }
    println!(
        "wrote {} of {} file(s) in {} from {}",
        drift.len(),
        files.len(),
        paths.out.display(),
        spec.display()
    );
    if let Some(version) = bump_to {
        api_changes::write_version(&paths.manifest, &version)?;
    }
    Ok(())
}

fn write_manifest(path: &Path, manifest: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, manifest)
}

/// Runs a binary of another workspace crate through cargo, so that its
/// dependencies are built only when it is wanted.
fn run_tool(tool: &Forwarded) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--package",
            tool.bin,
            "--bin",
            tool.bin,
            "--",
        ])
        .args(&tool.args)
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(err) => fail(&Error::Cargo(err), 2),
    }
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_parses_from_a_list_of_arguments() {
        let parse = |line: &str| Cli::try_parse_from(line.split(' ')).map(|cli| cli.command);
        let generate = parse(
            "xtask generate --spec a.yaml --out dir --crate-name c --lib-name l --env-prefix P \
             --deny-breaking --bump --strict --paths /a --paths /b --tags t --check",
        );
        assert!(
            matches!(&generate, Ok(Command::Generate { check: true, paths, .. }) if paths.len() == 2),
            "{:?}",
            generate.err()
        );
        assert!(matches!(
            parse("xtask spec diff old.yaml new.yaml --format json --deny-breaking"),
            Ok(Command::Spec {
                command: spec_cmd::SpecCommand::Diff { .. }
            })
        ));
        assert!(matches!(
            parse(
                "xtask spec sync --from up.yml --paths /x --tags y --out s.yaml --overlay o.yaml --check"
            ),
            Ok(Command::Spec {
                command: spec_cmd::SpecCommand::Sync { check: true, .. }
            })
        ));
        // The contract and mock commands pass their arguments on unparsed.
        assert!(matches!(
            parse("xtask contract --base-url http://x --allow-writes"),
            Ok(Command::Contract { args }) if args.len() == 3
        ));
        assert!(matches!(
            parse("xtask mock --addr 127.0.0.1:1 --help"),
            Ok(Command::Mock { args }) if args.len() == 3
        ));
        assert!(parse("xtask generate --no-such-flag").is_err());
        assert!(parse("xtask frobnicate").is_err());
    }

    fn stored() -> generator::CrateConfig {
        let mut config = generator::CrateConfig::for_new_crate(
            "Pet Store",
            Path::new("specs/pets.yaml"),
            Some("pets"),
            None,
            Some("PETS"),
        );
        config.selection.paths = vec!["/pets".to_owned(), "/owners".to_owned()];
        config
    }

    fn names(crate_name: Option<&str>, paths: &[&str], tags: &[&str]) -> NewCrateNames {
        NewCrateNames {
            crate_name: crate_name.map(str::to_owned),
            lib_name: None,
            env_prefix: Some("PETS".to_owned()),
            selection: generator::upstream_sync::Selection {
                paths: paths.iter().map(|p| (*p).to_owned()).collect(),
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            },
        }
    }

    #[test]
    fn the_same_options_again_are_accepted() {
        let root = Path::new("/nonexistent-root");
        let given = names(Some("pets"), &["/owners", "/pets"], &[]);
        assert_eq!(
            given.differences(&stored(), Some(Path::new("specs/pets.yaml")), root),
            Vec::<String>::new()
        );
        // Options not given are not compared.
        let bare = names(None, &[], &[]);
        assert!(bare.differences(&stored(), None, root).is_empty());
    }

    #[test]
    fn each_difference_is_named_with_the_setting_that_holds_it() {
        let root = Path::new("/nonexistent-root");
        let given = NewCrateNames {
            lib_name: Some("pet_lib".to_owned()),
            ..names(Some("animals"), &["/pets"], &["store"])
        };
        let differences = given.differences(&stored(), Some(Path::new("other.yaml")), root);
        assert_eq!(
            differences,
            [
                r#"--crate-name "animals", but the crate has [package] name = "pets""#,
                r#"--lib-name "pet_lib", but the crate has [lib] name = "pets""#,
                r#"--spec "other.yaml", but the crate has [package.metadata.generator] spec = "specs/pets.yaml""#,
                r#"--paths ["/pets"], but the crate has [package.metadata.generator] paths = ["/pets", "/owners"]"#,
                r#"--tags ["store"], but the crate has [package.metadata.generator] tags = []"#,
            ]
        );
    }
}
