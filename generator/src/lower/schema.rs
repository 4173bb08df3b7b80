//! Schemas → type expressions and named types.
//!
//! A schema written in place that needs a Rust type of its own (an object,
//! a string enum, a union) gets a name from its place: the name of what
//! holds it plus the property name (`ListManagedAccountsFilterEmail`).
//! References to components become [`TypeRef::Named`].
//! Combinators beside `properties` are lowered in `composition`, `allOf`
//! in `all_of`, and the tags of a union with a `discriminator` are chosen
//! in `discriminator`.

use super::Lowering;
use super::schema_docs::{field_docs, type_docs};
use crate::error::{Error, Result, Warning};
use crate::ir::{
    ConstantsDef, EnumDef, EnumVariant, Field, StructDef, TypeDef, TypeKind, TypeRef, UnionVariant,
    VariantTag,
};
use crate::names::{self, Namespace};
use crate::pointer::join;
use crate::refs::SchemaRef;
use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

/// The properties of an object schema, from either of the two places
/// `openapiv3` keeps them.
pub(super) struct ObjectShape<'a> {
    pub properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
}

/// The result of lowering a schema: its type and whether `null` is allowed.
pub(super) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Lowered {
    /// The type of a position that is not a field (an array's items, a
    /// map's values, a body): `Option<T>` when `null` is allowed.
    pub(super) fn into_type(self) -> TypeRef {
        nullable_type(self.ty, self.nullable)
    }
}

/// `ty`, or `Option<ty>` when `nullable`. A JSON value holds `null`
/// already, so it is never wrapped.
pub(super) fn nullable_type(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Any | TypeRef::Nullable(_) => ty,
        ty if nullable => TypeRef::Nullable(Box::new(ty)),
        ty => ty,
    }
}

impl<'a> Lowering<'a> {
    /// Lowers a schema position. `hint` names any type created for it.
    /// Whether it admits `null` follows one rule everywhere (`nullable`).
    pub(super) fn lower_schema_ref(
        &mut self,
        item: SchemaRef<'a>,
        pointer: &str,
        hint: &str,
    ) -> Result<Lowered> {
        let mut lowered = self.lower_schema_position(item, pointer, hint)?;
        lowered.nullable |= self.admits_null(item);
        Ok(lowered)
    }

    fn lower_schema_position(
        &mut self,
        item: SchemaRef<'a>,
        pointer: &str,
        hint: &str,
    ) -> Result<Lowered> {
        match item {
            SchemaRef::Ref(reference) => {
                // Check the whole chain (dangling targets, cycles) here, so
                // the error names the place that refers.
                let resolved = self.resolver.schema(item, pointer)?;
                let component = self.resolver.schema_ref_target(reference, pointer)?;
                Ok(Lowered {
                    ty: TypeRef::Named(self.component_type_name(component)),
                    nullable: resolved.item.schema_data.nullable,
                })
            }
            SchemaRef::Inline(schema) => self.lower_inline(schema, pointer, hint),
        }
    }

    /// Lowers a schema written in place.
    fn lower_inline(&mut self, schema: &'a Schema, pointer: &str, hint: &str) -> Result<Lowered> {
        if let Some(done) = self.inline_cache.get(pointer) {
            return Ok(Lowered {
                ty: done.clone(),
                nullable: schema.schema_data.nullable,
            });
        }
        // A component keeps its own type, even when an earlier one has the
        // same shape; only schemas inside one, or in operations, are looked up.
        let is_component = pointer
            .strip_prefix("#/components/schemas/")
            .is_some_and(|key| !key.contains('/'));
        let repeated = self
            .component_shapes
            .component_for(schema)
            .filter(|_| !is_component)
            .map(|key| self.component_type_name(key));
        if let Some(name) = repeated {
            // The component written out again: its type, not a duplicate.
            let ty = TypeRef::Named(name);
            self.inline_cache.insert(pointer.to_owned(), ty.clone());
            return Ok(Lowered {
                ty,
                nullable: schema.schema_data.nullable,
            });
        }
        let lowered = self.lower_kind(schema, pointer, hint)?;
        self.inline_cache
            .insert(pointer.to_owned(), lowered.ty.clone());
        Ok(lowered)
    }

    fn lower_kind(&mut self, schema: &'a Schema, pointer: &str, hint: &str) -> Result<Lowered> {
        let data = &schema.schema_data;
        let mut nullable = data.nullable;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if string.enumeration.is_empty() {
                    string_type(string_format(&string.format))
                } else {
                    nullable |= string.enumeration.iter().any(Option::is_none);
                    let values: Vec<&str> = string
                        .enumeration
                        .iter()
                        .flatten()
                        .map(String::as_str)
                        .collect();
                    self.define_enum(schema, &values, pointer, hint)?
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let base = TypeRef::Integer {
                    bits: match integer.format {
                        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => 32,
                        _ => 64,
                    },
                };
                nullable |= integer.enumeration.iter().any(Option::is_none);
                let values = integer.enumeration.iter().flatten().map(|v| (*v).into());
                self.constants_or(schema, base, values.collect(), pointer, hint)
            }
            SchemaKind::Type(Type::Number(number)) => {
                nullable |= number.enumeration.iter().any(Option::is_none);
                let values = number.enumeration.iter().flatten().filter_map(|v| {
                    serde_json::Number::from_f64(*v).map(serde_json::Value::Number)
                });
                self.constants_or(schema, TypeRef::Number, values.collect(), pointer, hint)
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                nullable |= boolean.enumeration.iter().any(Option::is_none);
                let values = boolean.enumeration.iter().flatten().map(|v| (*v).into());
                self.constants_or(schema, TypeRef::Boolean, values.collect(), pointer, hint)
            }
            SchemaKind::Type(Type::Array(array)) => {
                self.lower_array(array.items.as_ref(), pointer, hint)?
            }
            SchemaKind::Type(Type::Object(object)) => {
                let shape = ObjectShape {
                    properties: &object.properties,
                    required: &object.required,
                    additional: object.additional_properties.as_ref(),
                };
                self.lower_object(schema, &shape, pointer, hint)?
            }
            SchemaKind::AllOf { all_of } => {
                self.lower_all_of(schema, all_of, None, pointer, hint)?
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                return self.lower_union(schema, variants, pointer, key, hint);
            }
            SchemaKind::Not { .. } => {
                return Err(Error::unsupported(
                    &join(pointer, &["not"]),
                    "`not` schemas have no Rust type",
                ));
            }
            SchemaKind::Any(any) => return self.lower_any(schema, any, pointer, hint),
        };
        Ok(Lowered { ty, nullable })
    }

    /// Lowers a schema that `openapiv3` could not fit into one kind (no
    /// `type`, or a mix of keywords).
    fn lower_any(
        &mut self,
        schema: &'a Schema,
        any: &'a openapiv3::AnySchema,
        pointer: &str,
        hint: &str,
    ) -> Result<Lowered> {
        let nullable = schema.schema_data.nullable;
        if any.not.is_some() {
            return Err(Error::unsupported(
                &join(pointer, &["not"]),
                "`not` schemas have no Rust type",
            ));
        }
        let combinators = [
            (!any.all_of.is_empty(), "allOf"),
            (!any.one_of.is_empty(), "oneOf"),
            (!any.any_of.is_empty(), "anyOf"),
        ];
        let has_object_keywords = !any.properties.is_empty() || any.additional_properties.is_some();
        if let Some((_, key)) = combinators.iter().find(|(present, _)| *present) {
            let several = combinators.iter().filter(|(p, _)| *p).count() > 1;
            if has_object_keywords || (several && !any.all_of.is_empty()) {
                // The object part makes the struct; see `composition`.
                return self.lower_composed_object(schema, any, pointer, hint);
            }
            if several {
                return Err(Error::unsupported(
                    &join(pointer, &[key]),
                    "`oneOf` beside `anyOf` without `properties` or `allOf` to make a struct from",
                ));
            }
            return match *key {
                "allOf" => Ok(Lowered {
                    ty: self.lower_all_of(schema, &any.all_of, None, pointer, hint)?,
                    nullable,
                }),
                "oneOf" => self.lower_union(schema, &any.one_of, pointer, "oneOf", hint),
                _ => self.lower_union(schema, &any.any_of, pointer, "anyOf", hint),
            };
        }
        let ty = match any.typ.as_deref() {
            _ if has_object_keywords => {
                let shape = ObjectShape {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                };
                self.lower_object(schema, &shape, pointer, hint)?
            }
            Some("array") | None if any.items.is_some() => {
                let items: Option<&'a ReferenceOr<Box<Schema>>> = any.items.as_ref();
                self.lower_array(items, pointer, hint)?
            }
            Some("string") | None
                if !any.enumeration.is_empty()
                    && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
            {
                let values: Vec<&str> = any.enumeration.iter().filter_map(|v| v.as_str()).collect();
                let ty = self.define_enum(schema, &values, pointer, hint)?;
                let nullable = nullable || any.enumeration.iter().any(serde_json::Value::is_null);
                return Ok(Lowered { ty, nullable });
            }
            Some("string") => string_type(any.format.clone()),
            Some("integer") => TypeRef::Integer {
                bits: if any.format.as_deref() == Some("int32") {
                    32
                } else {
                    64
                },
            },
            Some("number") => TypeRef::Number,
            Some("boolean") => TypeRef::Boolean,
            Some("array") => TypeRef::Array(Box::new(TypeRef::Any)),
            Some("object") | None => TypeRef::Any,
            Some(other) => {
                return Err(Error::unsupported(
                    &join(pointer, &["type"]),
                    format!("unknown schema type `{other}`"),
                ));
            }
        };
        Ok(Lowered { ty, nullable })
    }

    fn lower_array(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        let Some(items) = items else {
            return Ok(TypeRef::Array(Box::new(TypeRef::Any)));
        };
        let item = self.lower_schema_ref(
            items.into(),
            &join(pointer, &["items"]),
            &format!("{hint}_item"),
        )?;
        Ok(TypeRef::Array(Box::new(item.into_type())))
    }

    pub(super) fn lower_object(
        &mut self,
        schema: &'a Schema,
        shape: &ObjectShape<'a>,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        let additional = match shape.additional {
            Some(AdditionalProperties::Schema(value)) => {
                let value = self.lower_schema_ref(
                    value.as_ref().into(),
                    &join(pointer, &["additionalProperties"]),
                    &format!("{hint}_value"),
                )?;
                Some(value.into_type())
            }
            Some(AdditionalProperties::Any(true)) if !shape.properties.is_empty() => {
                Some(TypeRef::Any)
            }
            Some(AdditionalProperties::Any(_)) | None => None,
        };
        if shape.properties.is_empty() {
            return Ok(match (shape.additional, additional) {
                (_, Some(value)) => TypeRef::Map(Box::new(value)),
                // A closed object without properties: an empty struct keeps
                // the shape; `{}` is its only value.
                (Some(AdditionalProperties::Any(false)), None) => {
                    let name = self.name_for(pointer, hint);
                    self.define_struct(name, schema, pointer, Vec::new(), None)?
                }
                _ => TypeRef::Any,
            });
        }
        for name in shape
            .required
            .iter()
            .filter(|n| !shape.properties.contains_key(*n))
        {
            // Required but undeclared: nothing to type it with. The schema
            // keeps the rule for the contract checks; say so.
            self.warnings.push(Warning {
                pointer: join(pointer, &["required"]),
                message: format!(
                    "`{name}` is required but not among the properties: no field is generated \
                     for it (contract checks still require it)"
                ),
            });
        }
        let name = self.name_for(pointer, hint);
        let fields = self.lower_fields(shape.properties, shape.required, pointer, &name)?;
        self.define_struct(name, schema, pointer, fields, additional)
    }

    /// Lowers the properties of an object into fields of the type `owner`.
    pub(super) fn lower_fields(
        &mut self,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
        owner: &str,
    ) -> Result<Vec<Field>> {
        let mut field_names = Namespace::new();
        let mut fields = Vec::with_capacity(properties.len());
        for (wire_name, property) in properties {
            let at = join(pointer, &["properties", wire_name]);
            let mut field = self.lower_field(wire_name, property, &at, owner)?;
            field.name = field_names.claim(field.name);
            field.required = required.contains(wire_name);
            fields.push(field);
        }
        Ok(fields)
    }

    /// Lowers the property `wire_name` (at `at`) into an optional field of
    /// the type `owner`, named as the property is.
    pub(super) fn lower_field(
        &mut self,
        wire_name: &str,
        property: &'a ReferenceOr<Box<Schema>>,
        at: &str,
        owner: &str,
    ) -> Result<Field> {
        let hint = format!("{owner}_{wire_name}");
        let lowered = self.lower_schema_ref(property.into(), at, &hint)?;
        let resolved = self.resolver.schema(property.into(), at)?;
        let data = &resolved.item.schema_data;
        // The resolved schema's own markers decide, never the name.
        let format = match &resolved.item.schema_kind {
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.as_str()),
                _ => None,
            },
            _ => None,
        };
        let sensitive = crate::secrets::is_sensitive(format, data.extensions.get("x-sensitive"));
        let docs = match property {
            ReferenceOr::Item(schema) => field_docs(&schema.schema_data, &lowered.ty),
            // Siblings of `$ref` are ignored in 3.0; the referenced type
            // carries its own description.
            ReferenceOr::Reference { .. } => None,
        };
        Ok(Field {
            name: names::field_name(wire_name),
            wire_name: wire_name.to_owned(),
            docs,
            ty: lowered.ty,
            required: false,
            nullable: lowered.nullable,
            sensitive,
            read_only: data.read_only,
            write_only: data.write_only,
            default: data.default.clone(),
            pointer: at.to_owned(),
        })
    }

    fn lower_union(
        &mut self,
        schema: &'a Schema,
        variants: &'a [ReferenceOr<Schema>],
        pointer: &str,
        key: &str,
        hint: &str,
    ) -> Result<Lowered> {
        if variants.is_empty() {
            return Err(Error::invalid(
                &join(pointer, &[key]),
                "a union needs at least one member",
            ));
        }
        if let [only] = variants {
            let at = join(pointer, &[key, "0"]);
            let mut lowered = self.lower_schema_ref(only.into(), &at, hint)?;
            lowered.nullable |= schema.schema_data.nullable;
            return Ok(lowered);
        }
        let mut discriminator = schema.schema_data.discriminator.as_ref();
        if discriminator.is_some() {
            if let Some(index) = variants
                .iter()
                .position(|member| !Self::names_a_component(member))
            {
                // Sloppy but seen: the tag cannot name an inline member.
                self.warnings.push(Warning {
                    pointer: join(pointer, &[key, &index.to_string()]),
                    message: "a member of a union with a `discriminator` is not a `$ref` to a \
                              component schema: the discriminator is not used, and the union is \
                              untagged (a payload is the first member it matches)"
                        .to_owned(),
                });
                discriminator = None;
            }
        }
        let mut tags = match discriminator {
            Some(d) => self.discriminator_tags(d, variants, pointer, key)?,
            None => Vec::new(),
        }
        .into_iter();
        let name = self.name_for(pointer, hint);
        let mut variant_names = Namespace::new();
        let mut members = Vec::with_capacity(variants.len() + 1);
        for (index, variant) in variants.iter().enumerate() {
            let at = join(pointer, &[key, &index.to_string()]);
            let lowered =
                self.lower_schema_ref(variant.into(), &at, &format!("{name}_variant{index}"))?;
            if let (Some(d), Some(tag)) = (discriminator, tags.next()) {
                members.push(UnionVariant {
                    name: variant_names.claim(names::variant_name(&tag.label)),
                    ty: lowered.ty,
                    tag: Some(VariantTag {
                        property: d.property_name.clone(),
                        values: tag.values,
                    }),
                });
                continue;
            }
            let label = match variant {
                ReferenceOr::Reference { reference } => {
                    self.resolver.schema_ref_target(reference, &at)?.to_owned()
                }
                ReferenceOr::Item(member) => match &member.schema_data.title {
                    Some(title) if !title.trim().is_empty() => title.clone(),
                    _ => self
                        .implicit_tag(&lowered.ty)
                        .unwrap_or_else(|| self.shape_label(&lowered.ty)),
                },
            };
            members.push(UnionVariant {
                name: variant_names.claim(names::variant_name(&label)),
                ty: lowered.ty,
                tag: None,
            });
        }
        if let Some(d) = discriminator {
            // Keeps a payload whose tag this crate does not know.
            members.push(UnionVariant {
                name: variant_names.claim("Unknown".to_owned()),
                ty: TypeRef::Any,
                tag: Some(VariantTag {
                    property: d.property_name.clone(),
                    values: Vec::new(),
                }),
            });
        }
        let def = TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            component: None,
            docs: type_docs(&schema.schema_data, &name),
            kind: TypeKind::Union(members),
            has_default: false,
        };
        self.types.insert(name.clone(), def);
        Ok(Lowered {
            ty: TypeRef::Named(name),
            nullable: schema.schema_data.nullable,
        })
    }

    /// The value of the one-value enum that an object written in place
    /// requires (`type: {enum: [legacy]}`), if it has one: a tag without a
    /// `discriminator`, which tells the member apart better than its shape.
    fn implicit_tag(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        if self.is_component_type(ty) {
            return None;
        }
        let Some(TypeKind::Struct(def)) = self.types.get(name).map(|def| &def.kind) else {
            return None;
        };
        def.fields
            .iter()
            .filter(|field| field.required)
            .find_map(|field| {
                let TypeRef::Named(enum_name) = &field.ty else {
                    return None;
                };
                match self.types.get(enum_name).map(|def| &def.kind) {
                    Some(TypeKind::Enum(e)) if e.variants.len() == 1 => {
                        Some(e.variants[0].wire_value.clone())
                    }
                    _ => None,
                }
            })
    }

    /// The name of an untagged union's member that has neither a `title`
    /// nor a `$ref` name, from its shape: `String`, `Integer`, `Number`,
    /// `Boolean`, `Object` (an object written in place), `Map`, `Value`,
    /// `File`, a component's name, and for a list the plural of its item
    /// (`Strings`, `Floats`, `FloatRows` for a list of lists of numbers,
    /// `ThingList` for a list of `Thing`).
    fn shape_label(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Number => "Number".to_owned(),
            TypeRef::Array(item) => self.plural_label(item),
            other => self.item_label(other),
        }
    }

    /// A list's items, in the plural.
    fn plural_label(&self, item: &TypeRef) -> String {
        match item {
            TypeRef::Named(_) if self.is_component_type(item) => {
                format!("{}List", self.item_label(item))
            }
            TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => self.plural_label(inner),
            other => format!("{}s", self.item_label(other)),
        }
    }

    /// One item of a list, in the singular (a number is a `Float`, a list
    /// a `…Row`).
    fn item_label(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String { .. } => "String".to_owned(),
            TypeRef::Integer { .. } => "Integer".to_owned(),
            TypeRef::Number => "Float".to_owned(),
            TypeRef::Boolean => "Boolean".to_owned(),
            TypeRef::Any => "Value".to_owned(),
            TypeRef::Binary => "File".to_owned(),
            TypeRef::Map(_) => "Map".to_owned(),
            TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => self.item_label(inner),
            TypeRef::Array(item) => format!("{}Row", self.item_label(item)),
            TypeRef::Named(name) if self.is_component_type(ty) => name.clone(),
            TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Enum(_)) => "Enum".to_owned(),
                Some(TypeKind::Constants(constants)) => self.item_label(&constants.base),
                Some(TypeKind::Alias(target)) => self.item_label(target),
                Some(TypeKind::Union(_)) => "Union".to_owned(),
                Some(TypeKind::Struct(_)) | None => "Object".to_owned(),
            },
        }
    }

    /// Whether `ty` names a component schema's type.
    fn is_component_type(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(name) if self.component_names.values().any(|n| n == name))
    }

    /// `base` itself, or, when the schema lists values, a newtype of it
    /// with a constant per value.
    fn constants_or(
        &mut self,
        schema: &Schema,
        base: TypeRef,
        values: Vec<serde_json::Value>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        if values.is_empty() {
            return base;
        }
        let name = self.name_for(pointer, hint);
        let mut constant_names = Namespace::new();
        let mut constants: Vec<(String, serde_json::Value)> = Vec::new();
        for value in values {
            if constants.iter().any(|(_, v)| *v == value) {
                continue;
            }
            // `-1` → `VALUE_MINUS_1`, `0.5` → `VALUE_0_POINT_5`, `true` → `TRUE`.
            let mut wanted = if value.is_boolean() {
                String::new()
            } else {
                "VALUE_".to_owned()
            };
            for c in value.to_string().chars() {
                match c {
                    '-' => wanted.push_str("MINUS_"),
                    '.' => wanted.push_str("_POINT_"),
                    '+' => {}
                    c if c.is_ascii_alphanumeric() => wanted.push(c.to_ascii_uppercase()),
                    _ => wanted.push('_'),
                }
            }
            constants.push((constant_names.claim(wanted), value));
        }
        let def = TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            component: None,
            docs: type_docs(&schema.schema_data, &name),
            kind: TypeKind::Constants(ConstantsDef {
                base,
                values: constants,
            }),
            has_default: false,
        };
        self.types.insert(name.clone(), def);
        TypeRef::Named(name)
    }

    fn define_enum(
        &mut self,
        schema: &Schema,
        values: &[&str],
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        let name = self.name_for(pointer, hint);
        let mut variant_names = Namespace::new();
        let mut variants = Vec::with_capacity(values.len());
        for value in values {
            if variants
                .iter()
                .any(|v: &EnumVariant| v.wire_value == *value)
            {
                continue;
            }
            variants.push(EnumVariant {
                name: variant_names.claim(names::variant_name(value)),
                wire_value: (*value).to_owned(),
            });
        }
        let other_variant = variant_names.claim("Unknown".to_owned());
        let default = match &schema.schema_data.default {
            Some(serde_json::Value::String(value)) => {
                let found = variants.iter().find(|v| &v.wire_value == value);
                match found {
                    Some(variant) => Some(variant.name.clone()),
                    None => {
                        return Err(Error::invalid(
                            &join(pointer, &["default"]),
                            format!("default `{value}` is not one of the enum's values"),
                        ));
                    }
                }
            }
            _ => None,
        };
        let def = TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            component: None,
            docs: type_docs(&schema.schema_data, &name),
            has_default: default.is_some(),
            kind: TypeKind::Enum(EnumDef {
                variants,
                other_variant,
                default,
            }),
        };
        self.types.insert(name.clone(), def);
        Ok(TypeRef::Named(name))
    }

    pub(super) fn define_struct(
        &mut self,
        name: String,
        schema: &Schema,
        pointer: &str,
        fields: Vec<Field>,
        additional: Option<TypeRef>,
    ) -> Result<TypeRef> {
        let additional = additional.map(|ty| Field {
            name: unique_field(&fields, "additional_properties"),
            wire_name: String::new(),
            docs: Some("Properties not named in the schema, by name.".to_owned()),
            ty: TypeRef::Map(Box::new(ty)),
            required: true,
            nullable: false,
            sensitive: false,
            read_only: false,
            write_only: false,
            default: None,
            pointer: join(pointer, &["additionalProperties"]),
        });
        let def = TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            component: None,
            docs: type_docs(&schema.schema_data, &name),
            kind: TypeKind::Struct(StructDef { fields, additional }),
            has_default: false,
        };
        self.types.insert(name.clone(), def);
        Ok(TypeRef::Named(name))
    }
}

fn unique_field(fields: &[Field], wanted: &str) -> String {
    let mut namespace = Namespace::new();
    for field in fields {
        namespace.reserve(&field.name);
    }
    namespace.claim(wanted.to_owned())
}

/// A string of this format: [`TypeRef::Binary`] for `binary` (a file's
/// bytes), else a string that keeps its format.
fn string_type(format: Option<String>) -> TypeRef {
    if format.as_deref() == Some("binary") {
        TypeRef::Binary
    } else {
        TypeRef::String { format }
    }
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(known) => Some(
            match known {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            }
            .to_owned(),
        ),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
