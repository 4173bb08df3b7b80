//! How `tests/docs.rs` reads and checks the commands of a page: `sh`
//! blocks and `console` transcripts become [`Command`]s, and a [`Session`]
//! (one per page, holding the page's mock server) runs or checks each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where a block is, for messages.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub name: &'a str,
    pub line: usize,
}

/// One command line of a page.
#[derive(Debug, Clone)]
pub struct Command {
    /// Its line in the page.
    pub line: usize,
    /// `NAME=value` assignments before the command.
    pub env: BTreeMap<String, String>,
    /// The words, quotes removed.
    pub argv: Vec<String>,
    /// In a transcript, the output shown under it.
    pub expected: Option<String>,
}

/// The commands of an `sh` block: one per line (a line may continue with
/// `\`), `# ` comments allowed. What a test cannot check (pipes, `;`,
/// `&&`, command substitution, variables) is refused, so that every
/// command a reader copies is one this test ran or parsed.
pub fn sh_commands(text: &str, page: Page<'_>) -> Result<Vec<Command>, String> {
    let mut commands = Vec::new();
    let mut pending = String::new();
    let mut start = 0;
    for (offset, line) in text.lines().enumerate() {
        if pending.is_empty() {
            start = page.line + 1 + offset;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let whole = std::mem::take(&mut pending);
        if let Some(command) = command(&whole, start, page)? {
            commands.push(command);
        }
    }
    Ok(commands)
}

/// The commands of a `console` transcript: lines starting with `$ ` (a
/// line may continue with `\`), each with the lines after it as its
/// expected output.
pub fn console_commands(text: &str, page: Page<'_>) -> Result<Vec<Command>, String> {
    let mut commands: Vec<Command> = Vec::new();
    let mut continued: Option<(String, usize)> = None;
    for (offset, line) in text.lines().enumerate() {
        let number = page.line + 1 + offset;
        if let Some((mut pending, start)) = continued.take() {
            match line.strip_suffix('\\') {
                Some(head) => {
                    pending.push_str(head);
                    continued = Some((pending, start));
                }
                None => {
                    pending.push_str(line);
                    commands.extend(command(&pending, start, page)?);
                }
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("$ ") {
            match rest.strip_suffix('\\') {
                Some(head) => continued = Some((head.to_owned(), number)),
                None => commands.extend(command(rest, number, page)?),
            }
            continue;
        }
        let Some(last) = commands.last_mut() else {
            return Err(format!(
                "{}:{number}: a console block starts with `$ ` and a command",
                page.name
            ));
        };
        let expected = last.expected.get_or_insert_with(String::new);
        expected.push_str(line);
        expected.push('\n');
    }
    for command in &mut commands {
        command.expected.get_or_insert_with(String::new);
    }
    Ok(commands)
}

fn command(line: &str, number: usize, page: Page<'_>) -> Result<Option<Command>, String> {
    let at = || format!("{}:{number}", page.name);
    if line.contains("$(") || line.contains('`') {
        return Err(format!(
            "{}: command substitution cannot be checked: {line}",
            at()
        ));
    }
    let words = shlex::split(line).ok_or_else(|| format!("{}: unbalanced quotes: {line}", at()))?;
    if words.is_empty() {
        return Ok(None);
    }
    let mut env = BTreeMap::new();
    let mut argv = Vec::new();
    for word in words {
        if argv.is_empty()
            && let Some((name, value)) = word.split_once('=')
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            env.insert(name.to_owned(), value.to_owned());
            continue;
        }
        if ["|", ";", "&&", "||", ">", ">>", "<", "2>"].contains(&word.as_str())
            || word.ends_with(';')
        {
            return Err(format!(
                "{}: one plain command per line (no `{word}`), so that it can be checked: {line}",
                at()
            ));
        }
        if word.starts_with('$') {
            return Err(format!(
                "{}: a shell variable cannot be checked ({word}): {line}",
                at()
            ));
        }
        argv.push(word);
    }
    // A command sent to the background is still one command.
    if argv.last().is_some_and(|word| word == "&") {
        argv.pop();
    }
    Ok((!argv.is_empty()).then_some(Command {
        line: number,
        env,
        argv,
        expected: None,
    }))
}

/// The packages of the workspace, with their targets and features, as
/// `cargo metadata` gives them.
struct Workspace {
    packages: BTreeMap<String, Package>,
}

#[derive(Default)]
struct Package {
    /// (kind, name): `("test", "snapshots")`, `("bench", "generate")`, …
    targets: Vec<(String, String)>,
    features: Vec<String>,
}

impl Workspace {
    fn load(root: &Path) -> Result<Self, String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = std::process::Command::new(cargo)
            .args([
                "metadata",
                "--no-deps",
                "--format-version",
                "1",
                "--offline",
            ])
            .current_dir(root)
            .output()
            .map_err(|err| format!("running cargo metadata: {err}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo metadata failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let metadata: serde_json::Value =
            serde_json::from_slice(&output.stdout).map_err(|err| err.to_string())?;
        let mut packages = BTreeMap::new();
        for package in metadata["packages"].as_array().into_iter().flatten() {
            let name = package["name"].as_str().unwrap_or_default().to_owned();
            let mut entry = Package::default();
            for target in package["targets"].as_array().into_iter().flatten() {
                let target_name = target["name"].as_str().unwrap_or_default().to_owned();
                for kind in target["kind"].as_array().into_iter().flatten() {
                    let kind = kind.as_str().unwrap_or_default();
                    let kind = if kind.ends_with("lib") { "lib" } else { kind };
                    entry.targets.push((kind.to_owned(), target_name.clone()));
                }
            }
            if let Some(features) = package["features"].as_object() {
                entry.features = features.keys().cloned().collect();
            }
            packages.insert(name, entry);
        }
        Ok(Self { packages })
    }
}

/// The workspace's generated crate, linked in as the contract binary links
/// it: its types check live runs of its own spec.
fn linked_round_trip(
    operation: &str,
    status: u16,
    body: serde_json::Value,
) -> Result<(), contract::live::BoxError> {
    use telnyx_managed_accounts::contract::{Target, round_trip};
    round_trip(operation, Target::Response(status), body)
        .map(drop)
        .map_err(Into::into)
}

/// The `fixtures/` folder of the `openapiv3` crate that `Cargo.lock` pins,
/// in Cargo's registry (there once the workspace is built).
fn openapiv3_fixtures(root: &Path) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).ok()?;
    let entry = lock
        .split("[[package]]")
        .find(|entry| entry.contains("name = \"openapiv3\""))?;
    let version = entry
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))?;
    let folder = format!("openapiv3-{}", version.trim_end_matches('"'));
    std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .flatten()
        .map(|index| index.path().join(&folder).join("fixtures"))
        .find(|fixtures| fixtures.is_dir())
}

/// What a page's `curl` line asks for: the flags pages use (`-s`, `-X`,
/// `-H`, `-d` with text or `@file`, `-o /dev/null`, `-w '%{http_code}\n'`),
/// sent in-process, so that the test needs no curl on the machine.
struct CurlRequest {
    method: Option<String>,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    discard_body: bool,
    write_out_status: bool,
}

impl CurlRequest {
    fn parse(args: &[String], root: &Path) -> Result<Self, String> {
        let mut request = CurlRequest {
            method: None,
            url: String::new(),
            headers: Vec::new(),
            body: None,
            discard_body: false,
            write_out_status: false,
        };
        let mut words = args.iter();
        while let Some(word) = words.next() {
            let mut value = || {
                words
                    .next()
                    .cloned()
                    .ok_or(format!("curl {word} needs a value"))
            };
            match word.as_str() {
                "-s" | "--silent" => {}
                "-X" | "--request" => request.method = Some(value()?),
                "-H" | "--header" => {
                    let header = value()?;
                    let (name, text) = header
                        .split_once(':')
                        .ok_or(format!("curl -H {header:?}: not `name: value`"))?;
                    request
                        .headers
                        .push((name.trim().to_owned(), text.trim().to_owned()));
                }
                "-d" | "--data" => {
                    let data = value()?;
                    let body = match data.strip_prefix('@') {
                        Some(file) => std::fs::read(root.join(file))
                            .map_err(|err| format!("curl -d @{file}: {err}"))?,
                        None => data.into_bytes(),
                    };
                    request.body = Some(body);
                }
                "-o" | "--output" if value()? == "/dev/null" => request.discard_body = true,
                "-w" | "--write-out" if value()? == "%{http_code}\\n" => {
                    request.write_out_status = true
                }
                // curl's globbing escapes (`\[`, `\{`) name the characters.
                url if !url.starts_with('-') && request.url.is_empty() => {
                    request.url = ["[", "]", "{", "}"]
                        .iter()
                        .fold(url.to_owned(), |url, c| url.replace(&format!("\\{c}"), c));
                }
                other => {
                    return Err(format!(
                        "curl {other}: tests/docs.rs runs curl lines in-process and does not know this flag (or its value)"
                    ));
                }
            }
        }
        if request.url.is_empty() {
            return Err("curl without a URL".to_owned());
        }
        Ok(request)
    }

    /// Sends it; gives the status and what curl would print.
    async fn send(self) -> Result<(u16, String), String> {
        let method = self
            .method
            .unwrap_or_else(|| if self.body.is_some() { "POST" } else { "GET" }.to_owned());
        let method =
            reqwest::Method::from_bytes(method.as_bytes()).map_err(|err| err.to_string())?;
        let mut builder = reqwest::Client::new().request(method, &self.url);
        let mut typed = false;
        for (name, value) in &self.headers {
            typed |= name.eq_ignore_ascii_case("content-type");
            builder = builder.header(name, value);
        }
        if let Some(body) = self.body {
            if !typed {
                // What curl's -d sends without a Content-Type of the user's.
                builder = builder.header("content-type", "application/x-www-form-urlencoded");
            }
            builder = builder.body(body);
        }
        let response = builder
            .send()
            .await
            .map_err(|err| format!("curl {}: {err}", self.url))?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|err| err.to_string())?;
        let mut output = if self.discard_body {
            String::new()
        } else {
            text
        };
        if self.write_out_status {
            output.push_str(&format!("{status}\n"));
        }
        Ok((status, output))
    }
}

/// `path` without `.` and `..` components (it need not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// One page's commands, in order: the mock its last `cargo xtask mock`
/// line started, and what was checked.
pub struct Session {
    root: PathBuf,
    page: String,
    workspace: Option<Workspace>,
    runtime: tokio::runtime::Runtime,
    mock: Option<Mock>,
    scratch: Option<PathBuf>,
}

/// A mock server the page started, and the address the page wrote.
struct Mock {
    running: telnyx_mock::Running,
    written_addr: String,
}

impl Session {
    pub fn new(root: &Path, page: &str) -> Self {
        Self {
            root: root.to_path_buf(),
            page: page.to_owned(),
            workspace: None,
            runtime: tokio::runtime::Runtime::new().expect("a tokio runtime"),
            mock: None,
            scratch: None,
        }
    }

    /// Runs or checks one command; says how it was checked.
    pub fn check(&mut self, command: &Command) -> Result<&'static str, String> {
        let words: Vec<&str> = command.argv.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["cargo", "xtask", rest @ ..] => self.xtask(rest, command),
            ["cargo", sub, rest @ ..] => self.cargo(sub, rest),
            ["curl", rest @ ..] => self.curl(rest, command),
            ["bash" | "python3" | "sh", script, ..] => {
                let path = self.root.join(script);
                if path.is_file() {
                    Ok("script exists")
                } else {
                    Err(format!("`{script}` is not a file of the repository"))
                }
            }
            ["git", "clone", ..] | ["cd", ..] => Ok("left alone"),
            _ => Err(format!(
                "`{}`: tests/docs.rs does not know how to check this command; teach it, or write the command another way",
                command.argv.join(" ")
            )),
        }
    }

    fn xtask(&mut self, args: &[&str], command: &Command) -> Result<&'static str, String> {
        let argv = std::iter::once("cargo xtask").chain(args.iter().copied());
        let cli = xtask::Cli::try_parse_from(argv).map_err(|err| err.to_string())?;
        if args.contains(&"--help") {
            return Ok("xtask parsed");
        }
        // `mock` and `contract` are other binaries: what xtask would run
        // them with is parsed by their own command lines.
        let config = tests::crate_config();
        match cli.command.forwarded(&self.root, &config) {
            Some(tool) if tool.bin == "telnyx-mock" => self.start_mock(&tool.args),
            Some(tool) => self.contract(&tool.args, command),
            None if args.first() == Some(&"generate") => self.generate(cli),
            None => Ok("xtask parsed"),
        }
    }

    /// `cargo xtask generate --spec FILE --out DIR` into a folder outside
    /// the repository writes a new crate: it is run, into a scratch folder.
    /// Other `generate` lines would rewrite the repository's crates, and
    /// are parsed only.
    fn generate(&mut self, mut cli: xtask::Cli) -> Result<&'static str, String> {
        let xtask::Command::Generate {
            check, spec, out, ..
        } = &mut cli.command
        else {
            return Ok("xtask parsed");
        };
        let outside = !normalize(&self.root.join(&*out)).starts_with(&self.root);
        if *check || !outside {
            return Ok("xtask parsed");
        }
        let Some(spec) = spec else {
            return Ok("xtask parsed");
        };
        // A document beside the repository (`../shared/upstream/…`) is
        // there in CI, and may not be on a reader's machine.
        let beside = !normalize(&self.root.join(&*spec)).starts_with(&self.root);
        if beside && !self.root.join(&*spec).is_file() {
            println!(
                "skipped (absent here): cargo xtask generate --spec {}",
                spec.display()
            );
            return Ok("xtask parsed");
        }
        let name = out
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let scratch = self.scratch()?.join(name);
        let _ = std::fs::remove_dir_all(&scratch);
        *out = scratch.clone();
        let code = xtask::run(cli);
        if code != ExitCode::SUCCESS {
            return Err(format!(
                "the command failed ({code:?}); its error is printed above"
            ));
        }
        if !scratch.join("Cargo.toml").is_file() {
            return Err(format!("no crate was written into {}", scratch.display()));
        }
        Ok("xtask generate ran")
    }

    /// A document a command names: a file of the repository, else (for a
    /// page that tells the reader to copy one, like `petstore-expanded.yaml`)
    /// the file of that name among the `openapiv3` crate's fixtures in
    /// Cargo's registry.
    fn document(&self, path: &Path) -> Result<PathBuf, String> {
        let in_repository = self.root.join(path);
        if in_repository.is_file() {
            return Ok(in_repository);
        }
        let fixture = openapiv3_fixtures(&self.root)
            .zip(path.file_name())
            .map(|(dir, name)| dir.join(name))
            .filter(|fixture| fixture.is_file());
        fixture.ok_or_else(|| {
            format!(
                "{} is neither a file of the repository nor one of the openapiv3 crate's fixtures",
                path.display()
            )
        })
    }

    fn scratch(&mut self) -> Result<PathBuf, String> {
        if self.scratch.is_none() {
            let dir = self
                .root
                .join("target/docs-check")
                .join(self.page.replace(['/', '.'], "_"));
            std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
            self.scratch = Some(dir);
        }
        Ok(self.scratch.clone().expect("just set"))
    }

    /// Starts the mock this line describes on a free port, in place of the
    /// page's previous one.
    fn start_mock(&mut self, args: &[String]) -> Result<&'static str, String> {
        let argv = std::iter::once("telnyx-mock").chain(args.iter().map(String::as_str));
        let cli = telnyx_mock::cli::Cli::try_parse_from(argv).map_err(|err| err.to_string())?;
        let written_addr = cli.addr.to_string();
        let mut config = cli.config(&self.root).map_err(|err| err.to_string())?;
        config.settings.log = false;
        let spec = self.document(&cli.spec)?;
        let free = "127.0.0.1:0".parse().expect("an address");
        let running = self
            .runtime
            .block_on(telnyx_mock::start(&spec, free, config))
            .map_err(|err| format!("the mock did not start: {err}"))?;
        self.mock = Some(Mock {
            running,
            written_addr,
        });
        Ok("mock started")
    }

    /// A live run against the page's mock is run; so are the checks of
    /// samples and payload files, which need no server. Both must pass.
    fn contract(&mut self, args: &[String], command: &Command) -> Result<&'static str, String> {
        let argv = std::iter::once("contract").chain(args.iter().map(String::as_str));
        let mut cli = contract::cli::Cli::try_parse_from(argv).map_err(|err| err.to_string())?;
        if let Some(spec) = &cli.spec {
            cli.spec = Some(self.document(spec)?);
        }
        let kind = match cli.base_url.clone() {
            None => "contract check",
            Some(base_url) => {
                let Some(mock) = self
                    .mock
                    .as_ref()
                    .filter(|mock| base_url.contains(&mock.written_addr))
                else {
                    // A placeholder (`--base-url URL`), or a server of the reader's.
                    return Ok("xtask parsed");
                };
                cli.base_url = Some(mock.running.base_url());
                "contract run"
            }
        };
        let var = |name: &str| command.env.get(name).cloned();
        let host = contract::cli::Host {
            var: &var,
            cwd: &self.root,
            linked: Some(("telnyx-managed-accounts", linked_round_trip)),
        };
        let code = contract::cli::run(&cli, &host);
        if code != ExitCode::SUCCESS {
            return Err(format!(
                "the command failed ({code:?}); its report is printed above"
            ));
        }
        Ok(kind)
    }

    fn curl(&mut self, args: &[&str], command: &Command) -> Result<&'static str, String> {
        let Some(mock) = &self.mock else {
            return Err(
                "curl needs a mock: start one earlier on the page with `cargo xtask mock`"
                    .to_owned(),
            );
        };
        let base = mock.running.base_url();
        let port = mock
            .written_addr
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .to_owned();
        let hosts = [
            format!("http://{}", mock.written_addr),
            format!("http://localhost:{port}"),
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
        ];
        let mut aimed = false;
        let mut rewritten = Vec::new();
        for arg in args {
            let mock_url = hosts
                .iter()
                .find_map(|host| arg.strip_prefix(host.as_str()));
            match mock_url {
                Some(rest) => {
                    aimed = true;
                    rewritten.push(format!("{base}{rest}"));
                }
                None if arg.contains("localhost:")
                    || arg.contains("127.0.0.1:")
                    || arg.starts_with("http") =>
                {
                    return Err(format!(
                        "curl to {arg}, but the page's mock listens on {} (its last `cargo xtask mock` line)",
                        mock.written_addr
                    ));
                }
                None => rewritten.push((*arg).to_owned()),
            }
        }
        if !aimed {
            return Err("curl names no URL of the page's mock".to_owned());
        }
        let request = CurlRequest::parse(&rewritten, &self.root)?;
        let (status, output) = self.runtime.block_on(request.send())?;
        match &command.expected {
            Some(expected) if output.trim_end() != expected.trim_end() => {
                return Err(format!(
                    "the mock answered something else than the page shows:\n  page: {}\n  mock: {}",
                    expected.trim_end(),
                    output.trim_end()
                ));
            }
            Some(_) => {}
            // A command without a transcript: the mock must have taken it
            // (a 502 from a webhook receiver that is not there is fine).
            None if matches!(status, 400 | 404 | 405 | 413 | 415 | 422) => {
                return Err(format!(
                    "the mock refused the request with {status}: {output}"
                ));
            }
            None => {}
        }
        Ok("curl against the mock")
    }

    /// `cargo test|bench|run|build|check|clippy|doc …`: the packages,
    /// targets and features it names exist.
    fn cargo(&mut self, sub: &str, args: &[&str]) -> Result<&'static str, String> {
        const KNOWN: &[&str] = &[
            "test", "bench", "run", "build", "check", "clippy", "doc", "fmt", "insta",
        ];
        if !KNOWN.contains(&sub) {
            return Err(format!(
                "`cargo {sub}` is not a command tests/docs.rs knows"
            ));
        }
        if self.workspace.is_none() {
            self.workspace = Some(Workspace::load(&self.root)?);
        }
        let workspace = self.workspace.as_ref().expect("just loaded");
        let mut package: Option<&str> = None;
        let mut wanted: Vec<(&str, &str)> = Vec::new();
        let mut features: Vec<&str> = Vec::new();
        let mut words = args.iter().copied();
        while let Some(word) = words.next() {
            if word == "--" {
                break;
            }
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
                _ => (word, None),
            };
            let mut value = || inline.or_else(|| words.next());
            match flag {
                "-p" | "--package" => package = value(),
                "--test" => wanted.extend(value().map(|name| ("test", name))),
                "--bench" => wanted.extend(value().map(|name| ("bench", name))),
                "--example" => wanted.extend(value().map(|name| ("example", name))),
                "--bin" => wanted.extend(value().map(|name| ("bin", name))),
                "--features" | "-F" => {
                    features.extend(value().into_iter().flat_map(|list| list.split([',', ' '])))
                }
                _ => {}
            }
        }
        let names: Vec<&String> = workspace.packages.keys().collect();
        let found = match package {
            Some(name) => Some(workspace.packages.get(name).ok_or_else(|| {
                format!("no package `{name}` in the workspace (there are {names:?})")
            })?),
            None => None,
        };
        for (kind, name) in wanted {
            let has =
                |package: &Package| package.targets.iter().any(|(k, n)| k == kind && n == name);
            let ok = match found {
                Some(package) => has(package),
                None => workspace.packages.values().any(has),
            };
            if !ok {
                return Err(format!(
                    "no {kind} target `{name}` in {}",
                    package.unwrap_or("the workspace")
                ));
            }
        }
        for feature in features.iter().filter(|feature| !feature.is_empty()) {
            let feature = feature.rsplit('/').next().unwrap_or(feature);
            let ok = match found {
                Some(package) => package.features.iter().any(|f| f == feature),
                None => workspace
                    .packages
                    .values()
                    .any(|p| p.features.iter().any(|f| f == feature)),
            };
            if !ok {
                return Err(format!(
                    "no feature `{feature}` in {}",
                    package.unwrap_or("the workspace")
                ));
            }
        }
        Ok("cargo target")
    }
}
