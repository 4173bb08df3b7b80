//! The walks of each paginated operation (see `ir::Pagination` for when an
//! operation counts as paginated): `.stream()` (an `ItemStream` of the
//! items) and `.pages()` (`Pages` of whole responses) on the operation's
//! `Call`, which ask for every page in turn with the call's parameters and
//! options, and `{method}_stream` / `{method}_pages` on `Client`, the same
//! walks of a call with the required arguments only.
//!
//! The generated code follows the optionality of every field involved (the
//! page parameter, its number, the items, the metadata and its
//! `total_pages`), so it needs no `Option` round-trips for required ones.
//!
//! The walks are methods of `methods`' `OperationEmitter`, which
//! `methods::operations_file` calls per operation: the `Client` methods go
//! to `operations.rs`, the `Call` methods beside the request type in
//! `calls.rs`. Each method is built in steps: what the walk gives
//! (`walk_output`), the `Call` method (`call_walk`), the `Client` method
//! (`client_walk`), and their docs (`walk_docs`).

use super::examples::Example;
use super::methods::{OperationEmitter, PathArg, push_paragraph};
use super::type_path;
use crate::emit_types::{doc_attrs, ident};
use crate::ir::{Api, Operation, Pagination, QueryStyle, StructDef, TypeDef, TypeKind, TypeRef};
use crate::names::{self, Namespace};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Which walk a method gives.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Walk {
    /// `{method}_stream`: an `ItemStream` of the items.
    Items,
    /// `{method}_pages`: `Pages` of whole responses.
    Pages,
}

impl Walk {
    /// Both walks, as every paginated operation has them.
    pub(super) const ALL: [Walk; 2] = [Walk::Items, Walk::Pages];

    /// What the method's name ends with (`{method}_{suffix}` on `Client`,
    /// `suffix` on the `Call`).
    pub(super) fn suffix(self) -> &'static str {
        match self {
            Walk::Items => "stream",
            Walk::Pages => "pages",
        }
    }
}

/// A walk of one paginated operation: the `Client` method, and the method
/// of the operation's `Call` that does the work.
pub(super) struct WalkMethods {
    /// `{method}_stream` or `{method}_pages` on `Client`: the required
    /// arguments only, then the walk of that call.
    pub(super) client: TokenStream,
    /// `stream` or `pages` for the `impl Call<'_, calls::Operation>`
    /// block: every page is this call with the next page number, its
    /// parameters and options kept.
    pub(super) call: TokenStream,
}

impl OperationEmitter<'_> {
    /// `{method}_stream` and `Call::stream`, for an operation that pages.
    pub(super) fn stream_methods(&self) -> Option<WalkMethods> {
        self.walk_methods(Walk::Items)
    }

    /// `{method}_pages` and `Call::pages`, for an operation that pages.
    pub(super) fn pages_methods(&self) -> Option<WalkMethods> {
        self.walk_methods(Walk::Pages)
    }

    /// Both methods of one walk, or `None` when the operation's types do
    /// not have the shape the pagination rule promises.
    fn walk_methods(&self, walk: Walk) -> Option<WalkMethods> {
        let pagination = self.op.pagination.as_ref()?;
        let plan = StreamPlan::new(self.api, self.op, pagination)?;
        if self.op.body.is_some() {
            return None;
        }
        let params = self.params_arg.as_ref()?;
        let locals = WalkLocals::new(&self.locals);
        let output = self.walk_output(walk, &plan, pagination, &locals)?;
        let call = self.call_walk(walk, &plan, pagination, params, &locals, &output);
        let client = self.client_walk(walk, pagination, params, &output.returns)?;
        Some(WalkMethods { client, call })
    }

    /// What the walk gives, and what each page's request answers with.
    fn walk_output(
        &self,
        walk: Walk,
        plan: &StreamPlan,
        pagination: &Pagination,
        locals: &WalkLocals,
    ) -> Option<WalkOutput> {
        let error_type = &self.error_type;
        let WalkLocals {
            number,
            response,
            total_pages,
            ..
        } = locals;
        Some(match walk {
            Walk::Items => {
                let item = type_path(&pagination.item_type);
                let (items, _) = page_contents(plan, pagination, response);
                WalkOutput {
                    returns: quote! { ItemStream<#item, #error_type> },
                    build: quote! { ItemStream::new },
                    answer: quote! { Ok((#items, #total_pages)) },
                }
            }
            Walk::Pages => {
                let body = type_path(self.op.success().and_then(|r| r.body.as_ref())?);
                let has_items = has_items(plan, pagination, response);
                WalkOutput {
                    returns: quote! { Pages<#body, #error_type> },
                    build: quote! { Pages::new },
                    answer: quote! {
                        let has_items = #has_items;
                        Ok(Page::new(#number, #total_pages, #response, has_items))
                    },
                }
            }
        })
    }

    /// `Call::stream` or `Call::pages`: takes the call apart, then asks for
    /// each page with a clone of its parameters, the page number set.
    fn call_walk(
        &self,
        walk: Walk,
        plan: &StreamPlan,
        pagination: &Pagination,
        params: &Ident,
        locals: &WalkLocals,
        output: &WalkOutput,
    ) -> TokenStream {
        let WalkLocals {
            client,
            operation,
            options,
            number,
            response,
            first,
            total_pages: total_pages_var,
        } = locals;
        let WalkOutput {
            returns,
            build,
            answer,
        } = output;
        let suffix = format_ident!("{}", walk.suffix());
        let page = ident(&pagination.page_param_field);
        let number_field = ident(&pagination.page_number_field);
        let first_value = first_page(plan, &page, &number_field, params);
        let new_number = next_number(plan, number);
        let page_slot = if plan.page_optional {
            quote! { #params.#page.get_or_insert_with(Default::default) }
        } else {
            quote! { #params.#page }
        };
        let (_, total_pages) = page_contents(plan, pagination, response);
        let path_names = self.path_args.iter().map(|(_, _, name)| name);
        let PathCopies {
            owned: owned_paths,
            cloned: cloned_paths,
            call_args,
        } = self.path_copies();
        // Parameters that are all optional have `Default` (`lower::graph`).
        let owned_params = if self.params_required {
            quote! { let #params = #params.clone(); }
        } else {
            quote! { let #params = #params.cloned().unwrap_or_default(); }
        };
        let call = self.call_tokens(client, &call_args, &quote! { &#params });
        let call_name = self.call_type_name();
        let call_docs = doc_attrs(Some(&self.walk_docs(pagination, walk, Receiver::Call)));
        quote! {
            #call_docs
            pub fn #suffix(self) -> #returns {
                let (#client, #operation, #options) = self.into_parts();
                let #call_name { #(#path_names,)* #params } = #operation;
                let #client = #client.clone();
                #(#owned_paths)*
                #owned_params
                let #first = #first_value;
                #build(#first, move |#number| {
                    let #client = #client.clone();
                    let #options = #options.clone();
                    #(#cloned_paths)*
                    let mut #params = #params.clone();
                    #page_slot.#number_field = #new_number;
                    async move {
                        let #response = #call.options(#options).await?;
                        let #total_pages_var = #total_pages;
                        #answer
                    }
                })
            }
        }
    }

    /// How the walk keeps the path arguments: owned for the walk, cloned
    /// into each page's request.
    fn path_copies(&self) -> PathCopies {
        let owned = self.path_args.iter().map(|(_, kind, name)| match kind {
            PathArg::Str => quote! { let #name = #name.to_owned(); },
            PathArg::Display(_) => quote! {},
            PathArg::Enum(_) | PathArg::Json(_) => quote! { let #name = #name.clone(); },
        });
        let cloned = self.path_args.iter().map(|(_, kind, name)| match kind {
            PathArg::Display(_) => quote! {},
            _ => quote! { let #name = #name.clone(); },
        });
        let call_args = self.path_args.iter().map(|(_, kind, name)| match kind {
            PathArg::Display(_) => quote! { #name },
            _ => quote! { &#name },
        });
        PathCopies {
            owned: owned.collect(),
            cloned: cloned.collect(),
            call_args: call_args.collect(),
        }
    }

    /// `{method}_stream` or `{method}_pages` on `Client`: the method's
    /// required arguments, then the walk of that call.
    fn client_walk(
        &self,
        walk: Walk,
        pagination: &Pagination,
        params: &Ident,
        returns: &TokenStream,
    ) -> Option<TokenStream> {
        let suffix = format_ident!("{}", walk.suffix());
        let walk_name = format_ident!("{}_{}", names::unraw(&self.op.method_name), walk.suffix());
        let method = ident(&self.op.method_name);
        let mut args = self.path_arguments(&quote! {});
        let mut arg_names: Vec<TokenStream> = self
            .path_args
            .iter()
            .map(|(_, _, name)| quote! { #name })
            .collect();
        if self.params_required {
            let ty = self.params_type()?;
            args.push(quote! { #params: &#ty });
            arg_names.push(quote! { #params });
        }
        let client_docs = doc_attrs(Some(&self.walk_docs(pagination, walk, Receiver::Client)));
        Some(quote! {
            #client_docs
            pub fn #walk_name(&self, #(#args),*) -> #returns {
                self.#method(#(#arg_names),*).#suffix()
            }
        })
    }

    /// The docs of a walk method on `receiver`: what it gives, which page
    /// numbers it asks for and until when, and an example.
    fn walk_docs(&self, pagination: &Pagination, walk: Walk, receiver: Receiver) -> String {
        let op = self.op;
        let page_key = self.page_key(pagination);
        let method = names::unraw(&op.method_name);
        let what = match walk {
            Walk::Items => "Every item",
            Walk::Pages => "The pages",
        };
        let how = match walk {
            Walk::Items => "page after page, as a stream.".to_owned(),
            Walk::Pages => format!(
                "one request per [`Pages::next_page`], each with the whole response (its `{}`, \
                 as the total numbers of pages and results).",
                pagination.meta_field
            ),
        };
        let mut text = match receiver {
            Receiver::Client => format!("{what} of [`Client::{method}`], {how}"),
            Receiver::Call => format!(
                "{what} of this call of [`Client::{method}`](crate::Client::{method}), {how} \
                 Each page is this call with the next page number: its parameters and options \
                 apply to every page's request."
            ),
        };
        let see = match walk {
            Walk::Items => "See [`ItemStream`]; an error ends the stream.",
            Walk::Pages => {
                "See [`Pages`]: [`Pages::next_number`] tells where to resume a walk later."
            }
        };
        let start = match receiver {
            Receiver::Client if !self.params_required => "",
            Receiver::Client => " (starting from the number in `params`, if set)",
            Receiver::Call => " (starting from the number in the call's parameters, if set)",
        };
        push_paragraph(
            &mut text,
            &format!(
                "Requests `{page_key}` = 1, 2, 3, …{start}, keeping the other parameters on every \
                 request, until the page number reaches `{}.{}` of the response. {see}",
                pagination.meta_field, pagination.total_pages_field
            ),
        );
        self.push_walk_example(&mut text, pagination, walk, receiver);
        text
    }

    /// The page number's key in the query string (`page[number]` for a
    /// deep object).
    fn page_key(&self, pagination: &Pagination) -> String {
        let page_param = self.op.query.as_ref().and_then(|q| {
            q.params
                .iter()
                .find(|p| p.field == pagination.page_param_field)
        });
        let number_wire = field_of(
            self.api,
            &pagination.page_param_type,
            &pagination.page_number_field,
        )
        .map_or(pagination.page_number_field.clone(), |f| {
            f.wire_name.clone()
        });
        match page_param {
            Some(p) if p.style == QueryStyle::DeepObject => {
                format!("{}[{number_wire}]", p.wire_name)
            }
            _ => number_wire,
        }
    }

    /// The rest of a walk's docs: on `Client`, where its options go; then
    /// `# Example`.
    fn push_walk_example(
        &self,
        text: &mut String,
        pagination: &Pagination,
        walk: Walk,
        receiver: Receiver,
    ) {
        let op = self.op;
        let method = names::unraw(&op.method_name);
        let suffix = walk.suffix();
        let args = self.example_path_args();
        let mut call_args = args.clone();
        if self.params_required {
            call_args.push("&params".to_owned());
        }
        let plain_call = format!("client.{}({})", op.method_name, call_args.join(", "));
        let example = Example::for_operation(self.api, op, self.names.lib_name);
        let (example, call) = match receiver {
            Receiver::Client => {
                if !self.params_required {
                    push_paragraph(
                        text,
                        &format!(
                            "The same as `client.{}(…).{suffix}()`: set parameters (filters, a \
                             first page number) or per-call options on that call before \
                             `.{suffix}()`.",
                            op.method_name
                        ),
                    );
                }
                let example = if self.params_required {
                    example
                } else {
                    example.without_params()
                };
                (
                    example,
                    format!("client.{method}_{suffix}({})", call_args.join(", ")),
                )
            }
            Receiver::Call => {
                let params = if self.params_required {
                    ""
                } else {
                    ".params(&params)"
                };
                (
                    example,
                    format!(
                        "{plain_call}{params}.timeout(std::time::Duration::from_secs(10)).{suffix}()"
                    ),
                )
            }
        };
        push_paragraph(text, "# Example");
        let example = match walk {
            Walk::Items => example.render_stream(&call),
            Walk::Pages => example.render_pages(&call, &pagination.meta_field),
        };
        push_paragraph(text, &example);
    }
}

/// Which method a walk's docs are for.
#[derive(Clone, Copy)]
enum Receiver {
    /// `Client::{method}_{walk}`.
    Client,
    /// `Call::{walk}`.
    Call,
}

/// The locals of a walk's generated code, named clear of the operation's
/// arguments.
struct WalkLocals {
    client: Ident,
    operation: Ident,
    options: Ident,
    number: Ident,
    response: Ident,
    first: Ident,
    total_pages: Ident,
}

impl WalkLocals {
    fn new(taken: &Namespace) -> Self {
        let mut locals = taken.clone();
        let mut local = |name: &str| ident(&locals.claim(name.to_owned()));
        Self {
            client: local("client"),
            operation: local("operation"),
            options: local("options"),
            number: local("number"),
            response: local("response"),
            first: local("first"),
            total_pages: local("total_pages"),
        }
    }
}

/// The path arguments as a walk keeps them.
struct PathCopies {
    /// Statements making each one owned, before the walk starts.
    owned: Vec<TokenStream>,
    /// Statements cloning each one into a page's request.
    cloned: Vec<TokenStream>,
    /// Each one as the page's call takes it.
    call_args: Vec<TokenStream>,
}

/// What a walk method returns, the constructor of it, and what each
/// page's request answers with.
struct WalkOutput {
    returns: TokenStream,
    build: TokenStream,
    answer: TokenStream,
}

/// The page number to ask for, from the walk's `i64` `number`: narrowed
/// to `i32` and wrapped in `Some` as the parameter's field wants it.
fn next_number(plan: &StreamPlan, number: &Ident) -> TokenStream {
    let narrowed = if plan.number_is_i32 {
        quote! { i32::try_from(#number).unwrap_or(i32::MAX) }
    } else {
        quote! { #number }
    };
    if plan.number_optional {
        quote! { Some(#narrowed) }
    } else {
        narrowed
    }
}

/// `value` as an `i64` (or `Option<i64>`), widened from `i32` if need be.
fn widen(value: TokenStream, optional: bool, is_i32: bool) -> TokenStream {
    match (optional, is_i32) {
        (true, true) => quote! { #value.map(i64::from) },
        (false, true) => quote! { i64::from(#value) },
        (_, false) => value,
    }
}

/// The first page's number: the one in the caller's parameters, or 1.
fn first_page(
    plan: &StreamPlan,
    page: &Ident,
    number_field: &Ident,
    params: &Ident,
) -> TokenStream {
    let given = match (plan.page_optional, plan.number_optional) {
        (true, true) => quote! { #params.#page.as_ref().and_then(|page| page.#number_field) },
        (true, false) => quote! { #params.#page.as_ref().map(|page| page.#number_field) },
        (false, _) => quote! { #params.#page.#number_field },
    };
    if plan.page_optional || plan.number_optional {
        let number = widen(given, true, plan.number_is_i32);
        quote! { #number.unwrap_or(1) }
    } else {
        widen(given, false, plan.number_is_i32)
    }
}

/// A response's items and its `Option<i64>` number of pages.
fn page_contents(
    plan: &StreamPlan,
    pagination: &Pagination,
    response: &Ident,
) -> (TokenStream, TokenStream) {
    let meta = ident(&pagination.meta_field);
    let total = ident(&pagination.total_pages_field);
    let total_pages = match (pagination.meta_optional, pagination.total_pages_optional) {
        (true, true) => widen(
            quote! { #response.#meta.as_ref().and_then(|meta| meta.#total) },
            true,
            plan.total_is_i32,
        ),
        (true, false) => widen(
            quote! { #response.#meta.as_ref().map(|meta| meta.#total) },
            true,
            plan.total_is_i32,
        ),
        (false, true) => widen(quote! { #response.#meta.#total }, true, plan.total_is_i32),
        (false, false) => {
            let total = widen(quote! { #response.#meta.#total }, false, plan.total_is_i32);
            quote! { Some(#total) }
        }
    };
    let items_field = ident(&pagination.items_field);
    let items = if plan.items_optional {
        quote! { #response.#items_field.unwrap_or_default() }
    } else {
        quote! { #response.#items_field }
    };
    (items, total_pages)
}

/// Whether a response held items, without taking them.
fn has_items(plan: &StreamPlan, pagination: &Pagination, response: &Ident) -> TokenStream {
    let items_field = ident(&pagination.items_field);
    if plan.items_optional {
        quote! { #response.#items_field.as_ref().is_some_and(|items| !items.is_empty()) }
    } else {
        quote! { !#response.#items_field.is_empty() }
    }
}

/// What the stream method needs to know about the types involved; `None`
/// when they do not have the shape the pagination rule promises (then no
/// stream is emitted).
struct StreamPlan {
    page_optional: bool,
    number_optional: bool,
    number_is_i32: bool,
    items_optional: bool,
    total_is_i32: bool,
}

impl StreamPlan {
    fn new(api: &Api, op: &Operation, pagination: &Pagination) -> Option<Self> {
        let query = op.query.as_ref()?;
        let page_field = field_of(api, &query.type_name, &pagination.page_param_field)?;
        let page_type = api.types.get(&pagination.page_param_type)?;
        let number = field_of(
            api,
            &pagination.page_param_type,
            &pagination.page_number_field,
        )?;
        if page_field.is_optional() && !page_type.has_default {
            return None;
        }
        let TypeRef::Named(body_type) = op.success()?.body.as_ref()? else {
            return None;
        };
        let items = field_of(api, body_type, &pagination.items_field)?;
        let meta = field_of(api, body_type, &pagination.meta_field)?;
        let TypeRef::Named(meta_type) = &meta.ty else {
            return None;
        };
        let total = field_of(api, meta_type, &pagination.total_pages_field)?;
        Some(Self {
            page_optional: page_field.is_optional(),
            number_optional: number.is_optional(),
            number_is_i32: number.ty == TypeRef::Integer { bits: 32 },
            items_optional: items.is_optional(),
            total_is_i32: total.ty == TypeRef::Integer { bits: 32 },
        })
    }
}

/// A field of a named struct, or of the struct a named alias stands for.
fn field_of<'a>(api: &'a Api, type_name: &str, field: &str) -> Option<&'a crate::ir::Field> {
    struct_of(api, api.types.get(type_name)?)?
        .fields
        .iter()
        .find(|f| f.name == field)
}

fn struct_of<'a>(api: &'a Api, def: &'a TypeDef) -> Option<&'a StructDef> {
    let mut def = def;
    // Aliases nest; a chain this long is a cycle.
    for _ in 0..32 {
        match &def.kind {
            TypeKind::Struct(s) => return Some(s),
            TypeKind::Alias(TypeRef::Named(target)) => def = api.types.get(target)?,
            _ => return None,
        }
    }
    None
}
