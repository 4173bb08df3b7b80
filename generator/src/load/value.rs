//! Reads spec text into the plain value that 3.1 normalisation works on.
//!
//! The parser is serde_json's or serde_yaml's (so syntax errors, lone
//! surrogates in `\u` escapes and the like carry the parser's line and
//! column); a visitor of ours builds the value, a `serde_yaml::Value`:
//!
//! - its mappings keep the document's key order (a `serde_json::Value`
//!   sorts its keys unless the workspace-wide `preserve_order` feature is
//!   on, and the order of properties is the order of struct fields);
//! - every key is a string, as written: YAML would read the key `Null` as
//!   null and `1.0` as a number, and lose how it was spelled;
//! - a duplicate key is an error at the duplicate (`serde_json::Value`
//!   would silently keep the last one).

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_yaml::{Mapping, Value};
use std::fmt;

/// Parses `text` as one JSON value.
pub(super) fn from_json(text: &str) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = UniqueKeys.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Parses `text` as one YAML document.
pub(super) fn from_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    UniqueKeys.deserialize(serde_yaml::Deserializer::from_str(text))
}

/// Builds a value, refusing a key that its object already has.
#[derive(Clone, Copy)]
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = items.next_element_seed(self)? {
            out.push(item);
        }
        Ok(Value::Sequence(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some(key) = entries.next_key::<String>()? {
            if out.contains_key(key.as_str()) {
                // The parser adds the position it has reached: the end of
                // the duplicate key (serde_json), or where the mapping
                // starts (serde_yaml).
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = entries.next_value_seed(self)?;
            out.insert(Value::String(key), value);
        }
        Ok(Value::Mapping(out))
    }
}

#[cfg(test)]
mod tests {
    use super::{from_json as parse, from_yaml};
    use serde_yaml::Value;

    #[test]
    fn keeps_key_order_and_decodes_escapes() {
        let value = parse(r#"{"z": 1, "a": ["\ud83d\udc4d", -2, 0.5, null, true]}"#).unwrap();
        let keys: Vec<_> = value.as_mapping().unwrap().keys().collect();
        assert_eq!(keys, ["z", "a"]);
        assert_eq!(value["a"][0], Value::from("\u{1f44d}"));
        assert_eq!(value["a"][1], Value::from(-2));
        assert_eq!(value["a"][2], Value::from(0.5));
        assert_eq!(value["a"][3], Value::Null);
    }

    #[test]
    fn a_duplicate_key_is_an_error_at_its_position() {
        let err = parse("{\n  \"a\": {\"b\": 1,\n    \"b\": 2}\n}").unwrap_err();
        // serde_json has read the duplicate key: the column is its last
        // character.
        assert_eq!((err.line(), err.column()), (3, 7));
        assert!(err.to_string().starts_with("duplicate key `b`"), "{err}");
    }

    #[test]
    fn yaml_keys_stay_strings_as_written() {
        let value = from_yaml("Null: 1\n1.0: 2\n200: {x: ~}\n").unwrap();
        let keys: Vec<_> = value.as_mapping().unwrap().keys().collect();
        assert_eq!(keys, ["Null", "1.0", "200"]);
        assert_eq!(value["200"]["x"], Value::Null);
        let err = from_yaml("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err();
        assert!(err.to_string().starts_with("b: duplicate key `c`"), "{err}");
        let location = err.location().map(|l| (l.line(), l.column()));
        assert_eq!(location, Some((3, 3)));
    }

    #[test]
    fn a_lone_surrogate_is_an_error() {
        let err = parse(r#"{"a": "\ud83d"}"#).unwrap_err();
        assert_eq!(err.line(), 1);
    }
}
