//! The `{method}_stream` companion of each paginated operation: an
//! `ItemStream` that asks for every page in turn (see `ir::Pagination`
//! for when an operation counts as paginated).
//!
//! The generated code follows the optionality of every field involved (the
//! page parameter, its number, the items, the metadata and its
//! `total_pages`), so it needs no `Option` round-trips for required ones.

use super::examples::Example;
use super::methods::{OperationEmitter, PathArg, push_paragraph};
use super::type_path;
use crate::emit_types::{doc_attrs, ident};
use crate::ir::{Api, Operation, Pagination, QueryStyle, StructDef, TypeDef, TypeKind, TypeRef};
use crate::names;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Which walk a method gives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// `{method}_stream`: an `ItemStream` of the items.
    Items,
    /// `{method}_pages`: `Pages` of whole responses.
    Pages,
}

impl Walk {
    /// What the method's name ends with.
    fn suffix(self) -> &'static str {
        match self {
            Walk::Items => "stream",
            Walk::Pages => "pages",
        }
    }
}

impl OperationEmitter<'_> {
    /// `{method}_stream`, for an operation that pages.
    pub(super) fn stream_method(&self) -> Option<TokenStream> {
        self.walk_method(Walk::Items)
    }

    /// `{method}_pages`, for an operation that pages.
    pub(super) fn pages_method(&self) -> Option<TokenStream> {
        self.walk_method(Walk::Pages)
    }

    fn walk_method(&self, walk: Walk) -> Option<TokenStream> {
        let pagination = self.op.pagination.as_ref()?;
        let plan = StreamPlan::new(self.api, self.op, pagination)?;
        if self.op.body.is_some() {
            return None;
        }
        let mut locals = self.locals.clone();
        let mut local = |name: &str| ident(&locals.claim(name.to_owned()));
        let (client, number, response, first, total_pages) = (
            local("client"),
            local("number"),
            local("response"),
            local("first"),
            local("total_pages"),
        );
        let params = self.params_arg.as_ref()?;
        let walk_name = format_ident!("{}_{}", names::unraw(&self.op.method_name), walk.suffix());
        let args = self.stream_arguments();
        let error_type = &self.error_type;

        let page = ident(&pagination.page_param_field);
        let number_field = ident(&pagination.page_number_field);
        let first_value = first_page(&plan, &page, &number_field, params);
        let narrowed = if plan.number_is_i32 {
            quote! { i32::try_from(#number).unwrap_or(i32::MAX) }
        } else {
            quote! { #number }
        };
        let new_number = if plan.number_optional {
            quote! { Some(#narrowed) }
        } else {
            narrowed
        };
        let page_slot = if plan.page_optional {
            quote! { #params.#page.get_or_insert_with(Default::default) }
        } else {
            quote! { #params.#page }
        };
        let total_pages_var = total_pages;
        let (items, total_pages) = page_contents(&plan, pagination, &response);

        let owned_paths = self.path_args.iter().map(|(_, kind, name)| match kind {
            PathArg::Str => quote! { let #name = #name.to_owned(); },
            PathArg::Display(_) => quote! {},
            PathArg::Enum(_) | PathArg::Json(_) => quote! { let #name = #name.clone(); },
        });
        let cloned_paths = self.path_args.iter().map(|(_, kind, name)| match kind {
            PathArg::Display(_) => quote! {},
            _ => quote! { let #name = #name.clone(); },
        });
        let call_args: Vec<TokenStream> = self
            .path_args
            .iter()
            .map(|(_, kind, name)| match kind {
                PathArg::Display(_) => quote! { #name },
                _ => quote! { &#name },
            })
            .collect();
        let call = self.call_tokens(&client, &call_args, &quote! { &#params });
        let (returns, build, answer) = match walk {
            Walk::Items => {
                let item = type_path(&pagination.item_type);
                (
                    quote! { ItemStream<#item, #error_type> },
                    quote! { ItemStream::new },
                    quote! { Ok((#items, #total_pages_var)) },
                )
            }
            Walk::Pages => {
                let body = match self.op.success().and_then(|r| r.body.as_ref()) {
                    Some(ty) => type_path(ty),
                    None => return None,
                };
                let has_items = has_items(&plan, pagination, &response);
                (
                    quote! { Pages<#body, #error_type> },
                    quote! { Pages::new },
                    quote! {
                        let has_items = #has_items;
                        Ok(Page::new(#number, #total_pages_var, #response, has_items))
                    },
                )
            }
        };
        let docs = doc_attrs(Some(&self.walk_docs(pagination, walk)));
        Some(quote! {
            #docs
            pub fn #walk_name(&self, #(#args),*) -> #returns {
                let #client = self.clone();
                #(#owned_paths)*
                let #params = #params.clone();
                let #first = #first_value;
                #build(#first, move |#number| {
                    let #client = #client.clone();
                    #(#cloned_paths)*
                    let mut #params = #params.clone();
                    #page_slot.#number_field = #new_number;
                    async move {
                        let #response = #call.await?;
                        let #total_pages_var = #total_pages;
                        #answer
                    }
                })
            }
        })
    }

    fn walk_docs(&self, pagination: &Pagination, walk: Walk) -> String {
        let op = self.op;
        let query = op.query.as_ref();
        let page_param = query.and_then(|q| {
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
        let page_key = match page_param {
            Some(p) if p.style == QueryStyle::DeepObject => {
                format!("{}[{number_wire}]", p.wire_name)
            }
            _ => number_wire,
        };
        let method = names::unraw(&op.method_name);
        let mut text = match walk {
            Walk::Items => {
                format!("Every item of [`Client::{method}`], page after page, as a stream.")
            }
            Walk::Pages => format!(
                "The pages of [`Client::{method}`], one request per [`Pages::next_page`], each \
                 with the whole response (its `{}`, as the total numbers of pages and results).",
                pagination.meta_field
            ),
        };
        let see = match walk {
            Walk::Items => "See [`ItemStream`]; an error ends the stream.",
            Walk::Pages => {
                "See [`Pages`]: [`Pages::next_number`] tells where to resume a walk later."
            }
        };
        push_paragraph(
            &mut text,
            &format!(
                "Requests `{page_key}` = 1, 2, 3, … (starting from the number in `params`, if set), \
                 keeping the other parameters on every request, until the page number reaches \
                 `{}.{}` of the response. {see}",
                pagination.meta_field, pagination.total_pages_field
            ),
        );
        push_paragraph(&mut text, "# Example");
        let example = Example::for_operation(self.api, op, self.names.lib_name);
        let mut args = self.example_path_args();
        args.push("&params".to_owned());
        let call = format!("client.{method}_{}({})", walk.suffix(), args.join(", "));
        let example = match walk {
            Walk::Items => example.render_stream(&call),
            Walk::Pages => example.render_pages(&call, &pagination.meta_field),
        };
        push_paragraph(&mut text, &example);
        text
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

/// A field of a named struct.
fn field_of<'a>(api: &'a Api, type_name: &str, field: &str) -> Option<&'a crate::ir::Field> {
    struct_of(api.types.get(type_name)?)?
        .fields
        .iter()
        .find(|f| f.name == field)
}

fn struct_of(def: &TypeDef) -> Option<&StructDef> {
    match &def.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}
