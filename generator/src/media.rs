//! Which media types are JSON: one rule for the generator, the contract
//! checks and the mock server.

use indexmap::IndexMap;
use openapiv3::MediaType;

/// Whether a media type (`application/json; charset=utf-8`,
/// `application/vnd.api+json`) carries JSON.
pub fn is_json_media_type(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The JSON entry of a `content` map: `application/json` first, else any
/// other JSON media type.
pub fn json_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(key, _)| {
            is_json_media_type(key) && key.to_ascii_lowercase().starts_with("application/json")
        })
        .or_else(|| content.iter().find(|(key, _)| is_json_media_type(key)))
        .map(|(key, media)| (key.as_str(), media))
}

#[cfg(test)]
mod tests {
    use super::is_json_media_type;

    #[test]
    fn recognises_json_media_types() {
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.api+json",
        ] {
            assert!(is_json_media_type(json), "{json}");
        }
        for other in [
            "",
            "text/plain",
            "application/jsonx",
            "application/x-www-form-urlencoded",
        ] {
            assert!(!is_json_media_type(other), "{other}");
        }
    }
}
