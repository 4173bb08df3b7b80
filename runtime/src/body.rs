//! Bodies that are not JSON: files for multipart uploads ([`File`]),
//! multipart forms ([`Multipart`]), and success bodies returned as they
//! came ([`Payload`]), plus the trait generated enums of several success
//! statuses implement ([`OperationSuccess`]).

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// The content of a `type: string, format: binary` value (an uploaded
/// file): its bytes, with the file name and media type a multipart part
/// carries.
///
/// Inside JSON (where a spec seldom puts one) the bytes are written as a
/// string of their UTF-8 text, invalid sequences replaced; read back, a
/// string's UTF-8 bytes. Its `Debug` shows the size, not the bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct File {
    /// The content.
    pub bytes: Vec<u8>,
    /// The file name sent with a multipart part (`filename=`).
    pub file_name: Option<String>,
    /// The part's `Content-Type` (default `application/octet-stream`).
    pub content_type: Option<String>,
}

impl File {
    /// A file with this content, without name or media type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name.
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the media type.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = File;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<File, E> {
                Ok(File::new(value.as_bytes()))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A `multipart/form-data` body, part by part. The generated method of a
/// multipart operation fills it from the body struct: a [`File`] becomes
/// a file part, any other value a text part.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Part {
    name: String,
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text part: a string as it is, a number or boolean as JSON
    /// writes it, an object or array as compact JSON; `null` adds nothing.
    ///
    /// # Errors
    ///
    /// The serializer's message when `value` does not serialize.
    pub fn text<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), String> {
        let value = serde_json::to_value(value).map_err(|err| err.to_string())?;
        let text = match value {
            Value::Null => return Ok(()),
            Value::String(text) => text,
            other => other.to_string(),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            bytes: text.into_bytes(),
            file_name: None,
            content_type: None,
        });
        Ok(())
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &File) {
        self.parts.push(Part {
            name: name.to_owned(),
            bytes: file.bytes.clone(),
            file_name: file.file_name.clone(),
            content_type: Some(
                file.content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
            ),
        });
    }

    /// The form as `reqwest` sends it (built anew for every attempt).
    pub(super) fn to_form(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            let mut body = reqwest::multipart::Part::bytes(part.bytes.clone());
            if let Some(file_name) = &part.file_name {
                body = body.file_name(file_name.clone());
            }
            if let Some(content_type) = &part.content_type {
                body = body.mime_str(content_type).map_err(|_| {
                    format!(
                        "the part `{}` has an invalid content type `{content_type}`",
                        part.name
                    )
                })?;
            }
            form = form.part(part.name.clone(), body);
        }
        Ok(form)
    }
}

/// A success body returned as it came: for responses documented with a
/// media type that is not JSON (a PDF, audio, CSV, text...).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Payload {
    /// The response's `Content-Type`, if it sent one.
    pub content_type: Option<String>,
    /// The body.
    pub bytes: Vec<u8>,
}

impl Payload {
    /// The body as text.
    ///
    /// # Errors
    ///
    /// When the body is not valid UTF-8.
    pub fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.bytes)
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payload")
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .finish()
    }
}

/// Why a success body did not decode as its documented type.
#[derive(Debug)]
pub struct DecodeFailure {
    /// Where in the body decoding failed (`.` for the document itself).
    pub path: String,
    /// What the JSON parser (or, for a text body, the text decoder)
    /// reported.
    pub source: serde_json::Error,
}

/// Decodes a JSON success body as `T`, naming where it fails; trailing
/// data after the document is as wrong as a missing part.
///
/// # Errors
///
/// [`DecodeFailure`] at the first mismatch.
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| DecodeFailure {
            path: err.path().to_string(),
            source: err.into_inner(),
        })?;
    deserializer.end().map_err(|source| DecodeFailure {
        path: ".".to_owned(),
        source,
    })?;
    Ok(value)
}

/// Decodes a text success body with the charset its `Content-Type` names
/// (`text/plain; charset=iso-8859-1`): UTF-8 when it names none, and
/// UTF-8, US-ASCII and ISO-8859-1 (Latin-1) otherwise.
///
/// # Errors
///
/// [`DecodeFailure`] when the body is not valid text in that charset, or
/// the charset is another one.
pub fn decode_text(body: &Payload) -> Result<String, DecodeFailure> {
    let failure = |message: String| DecodeFailure {
        path: ".".to_owned(),
        source: serde::de::Error::custom(message),
    };
    let charset = body
        .content_type
        .as_deref()
        .into_iter()
        .flat_map(|value| value.split(';').skip(1))
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, value)| value.trim().trim_matches('"').to_ascii_lowercase());
    match charset.as_deref() {
        None | Some("utf-8" | "utf8") => String::from_utf8(body.bytes.clone())
            .map_err(|err| failure(format!("the text body is not valid UTF-8: {err}"))),
        Some("us-ascii" | "ascii") => match body.bytes.iter().position(|b| !b.is_ascii()) {
            Some(at) => Err(failure(format!(
                "the text body is not valid US-ASCII: byte {at} is {:#04x}",
                body.bytes[at]
            ))),
            None => Ok(body.bytes.iter().map(|&b| char::from(b)).collect()),
        },
        // Latin-1's 256 code points are Unicode's first 256.
        Some("iso-8859-1" | "latin1" | "l1" | "iso_8859-1") => {
            Ok(body.bytes.iter().map(|&b| char::from(b)).collect())
        }
        Some(other) => Err(failure(format!(
            "the text body's charset `{other}` is not one this client decodes (UTF-8, \
             US-ASCII, ISO-8859-1)"
        ))),
    }
}

/// Implemented by the generated enums of operations whose 2xx statuses
/// return different bodies (`responses`).
pub trait OperationSuccess: Sized {
    /// The value for a 2xx `status` with this body.
    ///
    /// # Errors
    ///
    /// [`DecodeFailure`] when a JSON body does not match its type.
    fn from_response(status: u16, body: Payload) -> Result<Self, DecodeFailure>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(content_type: Option<&str>, bytes: &[u8]) -> Result<String, String> {
        let body = Payload {
            content_type: content_type.map(str::to_owned),
            bytes: bytes.to_vec(),
        };
        decode_text(&body).map_err(|err| err.source.to_string())
    }

    #[test]
    fn text_is_decoded_with_the_charset_of_its_content_type() {
        assert_eq!(text(None, "café".as_bytes()).unwrap(), "café");
        assert_eq!(
            text(Some("text/plain; charset=UTF-8"), "café".as_bytes()).unwrap(),
            "café"
        );
        assert_eq!(
            text(Some("text/csv; Charset=\"ISO-8859-1\""), b"caf\xe9").unwrap(),
            "café"
        );
        assert_eq!(
            text(Some("text/plain; charset=us-ascii"), b"ok").unwrap(),
            "ok"
        );
    }

    #[test]
    fn a_body_that_is_not_text_in_its_charset_is_a_decode_failure() {
        let err = text(Some("text/plain"), b"caf\xe9").unwrap_err();
        assert!(err.contains("not valid UTF-8"), "{err}");
        let err = text(Some("text/plain; charset=us-ascii"), b"caf\xe9").unwrap_err();
        assert!(err.contains("byte 3 is 0xe9"), "{err}");
        let err = text(Some("text/plain; charset=shift_jis"), b"x").unwrap_err();
        assert!(err.contains("`shift_jis`"), "{err}");
    }

    #[test]
    fn a_file_is_its_text_in_json_and_its_size_in_debug() {
        let file = File::new(b"hello".to_vec()).file_name("a.txt");
        assert_eq!(serde_json::to_string(&file).unwrap(), "\"hello\"");
        let back: File = serde_json::from_str("\"hi\"").unwrap();
        assert_eq!(back.bytes, b"hi");
        assert!(format!("{file:?}").contains("[5 bytes]"));
        assert!(!format!("{file:?}").contains("hello"));
    }

    #[test]
    fn text_parts_write_scalars_bare_and_skip_null() {
        let mut form = Multipart::new();
        form.text("a", &"x").unwrap();
        form.text("b", &3).unwrap();
        form.text("c", &serde_json::json!({"k": [1]})).unwrap();
        form.text("d", &Option::<String>::None).unwrap();
        let texts: Vec<_> = form
            .parts
            .iter()
            .map(|p| (p.name.as_str(), String::from_utf8(p.bytes.clone()).unwrap()))
            .collect();
        assert_eq!(
            texts,
            [
                ("a", "x".to_owned()),
                ("b", "3".to_owned()),
                ("c", "{\"k\":[1]}".to_owned())
            ]
        );
    }

    #[test]
    fn decoding_names_the_path_and_refuses_trailing_data() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[allow(dead_code)]
            a: u8,
        }
        let err = decode_json::<T>(br#"{"a": "x"}"#).unwrap_err();
        assert_eq!(err.path, "a");
        let err = decode_json::<T>(br#"{"a": 1} {}"#).unwrap_err();
        assert_eq!(err.path, ".");
    }
}
