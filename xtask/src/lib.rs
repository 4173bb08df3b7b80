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

mod api_report;
pub mod spec_cmd;

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
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
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
            let flags = api_report::Flags {
                deny_breaking,
                bump,
                strict,
            };
            let names = NewCrateNames {
                crate_name,
                lib_name,
                env_prefix,
                selection: generator::spec_sync::Selection { paths, tags },
            };
            let manifest = root.join(&out).join("Cargo.toml");
            if out != Path::new(DEFAULT_CRATE) && !manifest.exists() {
                return new_crate(check, spec.as_deref(), &out, &names, strict);
            }
            let config = if out == Path::new(DEFAULT_CRATE) {
                config
            } else {
                match generator::CrateConfig::load(&manifest) {
                    Ok(config) => config,
                    Err(err) => {
                        eprintln!("error: {err}");
                        return ExitCode::from(2);
                    }
                }
            };
            // Options are accepted when they repeat what the crate's
            // `Cargo.toml` stores (the command that made the crate, run
            // again); each one that differs is named, with where to change it.
            let differences = names.differences(&config, spec.as_deref(), &root);
            if !differences.is_empty() {
                eprintln!(
                    "error: {} exists and stores this crate's configuration; these options differ from it:",
                    manifest.display()
                );
                for difference in &differences {
                    eprintln!("  - {difference}");
                }
                eprintln!(
                    "  Change the stored value in {} (or remove the folder to make a new crate), then run the command again.",
                    manifest.display()
                );
                return ExitCode::from(2);
            }
            generate(check, spec.as_deref(), &out, &config, false, flags)
        }
        Command::Spec { command } => spec_cmd::run(&root, command, &config.spec),
        Command::Mock { args } => {
            let args = with_default(
                args,
                "--spec",
                &root.join(&config.spec).display().to_string(),
            );
            run_tool("telnyx-mock", "telnyx-mock", &args)
        }
        Command::Contract { args } => {
            // The crate's `{PREFIX}_API_KEY` is the default secret only when
            // the spec is the crate's own.
            let own_spec = flag_value(&args, "--spec")
                .is_none_or(|given| same_file(&root.join(given), &root.join(&config.spec)));
            let mut args = with_default(args, "--spec", &config.spec.display().to_string());
            if own_spec
                && args
                    .iter()
                    .any(|a| a == "--base-url" || a.starts_with("--base-url="))
            {
                args = with_default(
                    args,
                    "--token-env",
                    &format!("{}_API_KEY", config.env_prefix),
                );
            }
            args = with_default(
                args,
                "--linked-crate-spec",
                &config.spec.display().to_string(),
            );
            args = with_default(args, "--root", &root.display().to_string());
            run_tool("contract", "contract", &args)
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The names a new crate is given on the command line.
struct NewCrateNames {
    crate_name: Option<String>,
    lib_name: Option<String>,
    env_prefix: Option<String>,
    selection: generator::spec_sync::Selection,
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

/// Generates a new crate into `out`, which has no `Cargo.toml` yet.
fn new_crate(
    check: bool,
    spec: Option<&Path>,
    out: &Path,
    names: &NewCrateNames,
    strict: bool,
) -> ExitCode {
    let Some(spec) = spec else {
        eprintln!(
            "error: {} has no Cargo.toml; a new crate needs --spec FILE",
            out.display()
        );
        return ExitCode::from(2);
    };
    if check {
        eprintln!(
            "error: {} has no Cargo.toml: nothing to check",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    let title = match generator::load_file(&workspace_root().join(spec)) {
        Ok(loaded) => loaded.document.info.title,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
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
        out,
        &config,
        true,
        api_report::Flags {
            strict,
            ..api_report::Flags::default()
        },
    )
}

/// The spec, or only the operations `selection` keeps with the
/// components they use (the extraction `spec sync` makes, in YAML); its
/// pointers are those of the whole document.
fn load_selected(
    path: &Path,
    selection: &generator::spec_sync::Selection,
) -> generator::Result<generator::Spec> {
    if selection.is_everything() {
        return generator::load_file(path);
    }
    let text = std::fs::read_to_string(path).map_err(|source| generator::Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let synced = generator::spec_sync::sync_spec(&text, path, selection, None, "")?;
    // Messages about the extraction name it as such (its lines are its own).
    generator::load_str(&synced.text, &path.with_extension("selected.yaml"))
}

/// Writes (or with `check`, compares) the crate in `out`; `new_crate`
/// also writes its `Cargo.toml`, once the code is generated.
fn generate(
    check: bool,
    spec: Option<&Path>,
    out: &Path,
    config: &generator::CrateConfig,
    new_crate: bool,
    flags: api_report::Flags,
) -> ExitCode {
    let root = workspace_root();
    let spec = spec.unwrap_or(&config.spec);
    let mut options = config.options("cargo xtask generate");
    options.spec_label = spec.display().to_string().replace('\\', "/");
    let loaded = match load_selected(&root.join(spec), &config.selection) {
        Ok(loaded) => loaded,
        Err(err) => {
            match err.pointer() {
                Some(_) => eprintln!("error: {}: {err}", spec.display()),
                None => eprintln!("error: {err}"),
            }
            return ExitCode::FAILURE;
        }
    };
    let mut bump_to = None;
    let api = generator::build_ir(&loaded);
    if let Ok(api) = &api {
        for warning in &api.warnings {
            match loaded.line_of(&warning.pointer) {
                Some(line) => eprintln!("warning: {}:{line}: {warning}", spec.display()),
                None => eprintln!("warning: {}: {warning}", spec.display()),
            }
        }
        if flags.strict && !api.warnings.is_empty() {
            eprintln!(
                "error: {} warning(s) in {} and --strict: nothing written",
                api.warnings.len(),
                spec.display()
            );
            return ExitCode::FAILURE;
        }
    }
    let generated = api.and_then(|api| generator::generate_from_ir(&api, &options));
    let result = generated.and_then(|files| {
        if !check || flags.deny_breaking {
            match api_report::report(&root.join(out), &files, flags) {
                Ok(outcome) => bump_to = outcome.bump_to,
                Err(message) => {
                    eprintln!("error: {message}");
                    return Ok((files, Vec::new(), false));
                }
            }
        }
        if new_crate {
            let description = format!(
                "Typed models and async client for {}, generated from {}.",
                loaded.document.info.title, options.spec_label
            );
            let manifest = root.join(out).join("Cargo.toml");
            if let Err(err) = write_manifest(&manifest, &config.manifest(&description)) {
                eprintln!("error: cannot write {}: {err}", manifest.display());
                return Ok((files, Vec::new(), false));
            }
        }
        generator::sync(&root.join(out), &files, check).map(|d| (files, d, true))
    });
    let (files, drift) = match result {
        Ok((files, drift, true)) => (files, drift),
        Ok((_, _, false)) => return ExitCode::FAILURE,
        Err(err) => {
            // Spec errors carry a JSON pointer; say which file and line it
            // points into.
            match err.pointer().map(|p| loaded.line_of(p)) {
                Some(Some(line)) => eprintln!("error: {}:{line}: {err}", spec.display()),
                Some(None) => eprintln!("error: {}: {err}", spec.display()),
                None => eprintln!("error: {err}"),
            }
            return ExitCode::FAILURE;
        }
    };
    if check {
        if drift.is_empty() {
            println!("{} is up to date with {}", out.display(), spec.display());
            return ExitCode::SUCCESS;
        }
        for file in &drift {
            eprint!("{}", file.diff);
        }
        eprintln!(
            "error: {} file(s) in {} are stale; run `cargo xtask generate` and commit the result",
            drift.len(),
            out.display()
        );
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} of {} file(s) in {} from {}",
        drift.len(),
        files.len(),
        out.display(),
        spec.display()
    );
    if let Some(version) = bump_to {
        if let Err(message) =
            api_report::write_version(&root.join(out).join("Cargo.toml"), &version)
        {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn write_manifest(path: &Path, manifest: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, manifest)
}

/// Runs a binary of another workspace crate through cargo, so that its
/// dependencies are built only when it is wanted.
fn run_tool(package: &str, bin: &str, args: &[String]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--package", package, "--bin", bin, "--"])
        .args(args)
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            ExitCode::from(2)
        }
    }
}

/// The value given to `flag` (`--flag value` or `--flag=value`), if any.
fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, arg)| {
        if arg == flag {
            args.get(i + 1).map(String::as_str)
        } else {
            arg.strip_prefix(flag)?.strip_prefix('=')
        }
    })
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `args`, with `flag value` added unless the flag is given (or help is
/// asked for, which must not be mixed with other arguments' errors).
fn with_default(mut args: Vec<String>, flag: &str, value: &str) -> Vec<String> {
    let given = args
        .iter()
        .any(|a| a == flag || a.starts_with(&format!("{flag}=")));
    let help = args.iter().any(|a| a == "--help" || a == "-h");
    if !given && !help {
        args.push(flag.to_owned());
        args.push(value.to_owned());
    }
    args
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
            selection: generator::spec_sync::Selection {
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
