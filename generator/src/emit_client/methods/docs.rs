//! The docs of an operation's `Client` methods, section by section: what
//! it does (summary, description, `METHOD /path`), `# Arguments`,
//! `# Optional arguments`, `# Returns`, `# Errors` and `# Example` (written
//! by `examples`, with the call expression made here).
//!
//! `emitter` attaches them to the methods; `streams` writes the docs of
//! the pagination walks with [`push_paragraph`] and the example path
//! arguments from here.

use super::super::examples::{self, Example};
use super::super::{success_enum_name, type_path};
use super::emitter::{OperationEmitter, PathArg};
use crate::ir::{EventStreamBody, Framing, Success, SuccessBody};
use crate::names;

impl OperationEmitter<'_> {
    /// The docs of the operation's `Client` method.
    pub(super) fn method_docs(&self) -> String {
        let mut text = self.description();
        self.push_arguments(&mut text);
        push_paragraph(&mut text, "# Returns");
        push_paragraph(
            &mut text,
            &format!(
                "A [`Call`]: awaiting it sends the request and gives {}. Per-call options \
                 ([`Call::timeout`], [`Call::max_retries`], [`Call::deadline`], \
                 [`Call::idempotency_key`], [`Call::extra_header`], …) go before the `.await`; \
                 [`Call::send_with_response`] gives the status, headers and request id too.",
                self.output()
            ),
        );
        push_paragraph(&mut text, "# Errors");
        push_paragraph(&mut text, &self.errors());
        push_paragraph(&mut text, "# Example");
        let example = Example::for_operation(self.api, self.op, self.names.lib_name);
        push_paragraph(&mut text, &example.render(&self.call_expression(&example)));
        text
    }

    /// The summary and description (the summary leads unless the
    /// description already starts with it), then `METHOD /path`.
    fn description(&self) -> String {
        let op = self.op;
        let mut text = String::new();
        let summary = op.summary.as_deref().and_then(crate::docs::markdown);
        let repeated = |docs: &String| {
            summary
                .as_deref()
                .is_some_and(|s| docs.starts_with(s.trim_end_matches('.')))
        };
        match (&summary, &op.docs) {
            (Some(_), Some(docs)) if repeated(docs) => text.push_str(docs),
            (Some(summary), Some(docs)) => {
                text.push_str(summary);
                push_paragraph(&mut text, docs);
            }
            (Some(only), None) | (None, Some(only)) => text.push_str(only),
            (None, None) => {}
        }
        push_paragraph(
            &mut text,
            &format!(
                "`{} {}` (operation `{}`).",
                op.method.as_str(),
                op.path,
                op.id
            ),
        );
        text
    }

    /// `# Arguments` (the method's) and `# Optional arguments` (set on the
    /// `Call`), each only when there are some.
    fn push_arguments(&self, text: &mut String) {
        let op = self.op;
        let mut arguments = Vec::new();
        for (param, _, name) in &self.path_args {
            let docs = param.docs.as_deref().unwrap_or("A path parameter.");
            arguments.push(format!(
                "- `{}`: {}",
                names::unraw(&name.to_string()),
                sentence(&one_line(docs))
            ));
        }
        let mut optional = Vec::new();
        if let (Some(body), Some(name)) = (&op.body, &self.body_arg) {
            let docs = sentence(&one_line(
                body.docs.as_deref().unwrap_or("The request body."),
            ));
            if body.required {
                arguments.push(format!("- `{name}`: {docs}"));
            } else {
                optional.push(format!(
                    "- `.body(&body)`: {docs} Without it, no body is sent."
                ));
            }
        }
        if let Some(query) = &op.query {
            let what = format!(
                // The link names its target: `operations.rs` imports
                // `types` only where a signature uses it.
                "the query and header parameters; fields left `None` are not sent (see \
                 [`types::{name}`](crate::types::{name})).",
                name = query.type_name
            );
            match &self.params_arg {
                Some(name) if self.params_required => {
                    arguments.push(format!("- `{name}`: {what}"));
                }
                _ => optional.push(format!("- `.params(&params)`: {what}")),
            }
        }
        if !arguments.is_empty() {
            push_paragraph(text, "# Arguments");
            push_paragraph(text, &arguments.join("\n"));
        }
        if !optional.is_empty() {
            push_paragraph(text, "# Optional arguments");
            push_paragraph(
                text,
                &format!(
                    "Set on the returned [`Call`] before awaiting it:\n\n{}",
                    optional.join("\n")
                ),
            );
        }
    }

    /// What awaiting the call gives, for `# Returns`.
    fn output(&self) -> String {
        match self.op.success_kind() {
            Success::One(SuccessBody::Json(ty)) => {
                format!("`{}`", type_path(ty).to_string().replace(' ', ""))
            }
            Success::One(SuccessBody::Empty) => "`()`".to_owned(),
            Success::One(SuccessBody::Text) => {
                "the body as text (`String`, decoded with the charset of its `Content-Type`)"
                    .to_owned()
            }
            Success::One(SuccessBody::Raw) => {
                "the body as it came ([`Payload`](crate::Payload))".to_owned()
            }
            Success::One(SuccessBody::Events(stream)) => format!(
                "{}, once the response's head has come (the events are read as they arrive)",
                events_output(stream)
            ),
            Success::Several(_) => format!(
                "[`responses::{0}`](crate::responses::{0})",
                success_enum_name(&self.error_name)
            ),
        }
    }

    /// The `# Errors` section: the documented statuses with the
    /// operation's error enum, then the errors any call can end with.
    fn errors(&self) -> String {
        let documented: Vec<String> = self
            .op
            .responses
            .iter()
            .filter(|r| !r.status.is_success())
            .map(|r| format!("`{}`", r.status))
            .collect();
        let error_type = self.error_type.to_string().replace(' ', "");
        // `operations.rs` imports `errors` only for its pagination methods.
        let error_link = if self.api.operations.iter().any(|op| op.pagination.is_some()) {
            format!("[`{error_type}`]")
        } else {
            format!("[`{error_type}`](crate::{error_type})")
        };
        let mut errors = if documented.is_empty() {
            format!(
                "The operation documents no error status; any error status is \
                 [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus) (`E` is {error_link})."
            )
        } else {
            format!(
                "[`Error::Api`](crate::Error::Api) with {error_link} for the documented statuses ({}); \
                 [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus) for any other error status.",
                documented.join(", ")
            )
        };
        errors.push_str(
            " [`Error::Decode`](crate::Error::Decode) when a success body does not match its type \
             ([`Error::BodyTooLarge`](crate::Error::BodyTooLarge) past the size limit), and \
             [`Error::Transport`](crate::Error::Transport), [`Error::Timeout`](crate::Error::Timeout) \
             or [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded) when no response arrived.",
        );
        errors
    }

    /// The path arguments as a doc example writes them.
    pub(crate) fn example_path_args(&self) -> Vec<String> {
        self.path_args
            .iter()
            .map(|(param, kind, _)| match kind {
                PathArg::Str => format!("{:?}", param.wire_name),
                PathArg::Display(_) => examples::scalar_value(self.api, &param.ty),
                PathArg::Enum(_) => format!("&{}", examples::enum_value(self.api, &param.ty)),
                PathArg::Json(_) => format!("&{}", examples::union_value(self.api, &param.ty)),
            })
            .collect()
    }

    /// `client.method(args…)` as the example writes it (the example adds
    /// `.await?`): required arguments, then the parameters' setter when
    /// they are optional.
    fn call_expression(&self, example: &Example) -> String {
        let mut args = self.example_path_args();
        if self.op.body.as_ref().is_some_and(|body| body.required) {
            args.push(format!("&{}", example.body_var()));
        }
        if self.op.query.is_some() && self.params_required {
            args.push("&params".to_owned());
        }
        let mut call = format!("client.{}({})", self.op.method_name, args.join(", "));
        if self.op.query.is_some() && !self.params_required {
            call.push_str(".params(&params)");
        }
        call
    }

    /// The docs of `{method}_stream` (or `_events`, named `events_name`), for
    /// an operation that offers `stream` beside another body.
    pub(super) fn events_method_docs(&self, stream: &EventStreamBody, events_name: &str) -> String {
        let method = names::unraw(&self.op.method_name);
        format!(
            "[`Client::{method}`], asking for its event stream instead (`Accept: {}`): the \
             same arguments (and the same optional ones, set on the returned [`Call`]).\n\n\
             # Returns\n\n\
             A [`Call`]: awaiting it sends the request and gives {} once the response's head \
             has come; the events are read as they arrive. [`Call::send_with_response`] gives \
             the status, headers and request id too.\n\n\
             # Errors\n\n\
             As [`Client::{method}`] for the response; each event whose data does not match \
             its type is [`Error::Event`](crate::Error::Event), with its number.\n\n\
             # Example\n\n{}",
            stream.media_type,
            events_output(stream),
            self.events_example(events_name),
        )
    }

    /// The doc example of `{method}_stream`.
    fn events_example(&self, events_name: &str) -> String {
        let example = Example::for_operation(self.api, self.op, self.names.lib_name);
        let call = self.call_expression(&example).replacen(
            &format!("client.{}(", self.op.method_name),
            &format!("client.{events_name}("),
            1,
        );
        example.render_events(&call)
    }
}

/// What awaiting a call of an event stream gives, for docs.
fn events_output(stream: &EventStreamBody) -> String {
    let item = match &stream.item {
        Some(ty) => format!("`{}`", type_path(ty).to_string().replace(' ', "")),
        None => "`String` (the data as text)".to_owned(),
    };
    let what = match stream.framing {
        Framing::Sse => "server-sent events",
        Framing::JsonLines => "JSON lines",
    };
    format!(
        "an [`EventStream`](crate::EventStream) of the {what} ([`ServerEvent`](crate::ServerEvent)s \
         of {item})"
    )
}

/// Appends a paragraph to docs, after a blank line unless it is the first.
pub(crate) fn push_paragraph(text: &mut String, paragraph: &str) {
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(paragraph);
}

/// Markdown joined onto one line, for list items.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text ending with a full stop.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}
