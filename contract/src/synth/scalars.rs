//! Strings (formats, patterns, free text with the `unique` suffix) and
//! numbers (bounds, exclusive bounds, `multipleOf`) of one flattened
//! schema.

use super::pattern::from_pattern;
use super::{Ctx, Generator, SynthError};
use serde_json::{Map, Number, Value};

/// Text that cannot break an e-mail's local part or a URL path.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect()
}

/// A mix of the parts, for values that should look random (uuids).
pub(super) fn mix(parts: &[&[u8]]) -> u64 {
    // FNV-1a over the parts, then splitmix64's finalizer.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain([0xff].iter()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash ^= hash >> 30;
    hash = hash.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash ^= hash >> 27;
    hash = hash.wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^ (hash >> 31)
}

impl Generator<'_> {
    /// The number shown in generated text: 1 for seed 0 and the first item.
    fn ordinal(&self, ctx: Ctx<'_>) -> u64 {
        self.seed.wrapping_add(ctx.variety).saturating_add(1)
    }

    /// A string for `map` (formats, then `pattern`, then free text).
    pub(super) fn string(
        &self,
        map: &Map<String, Value>,
        ctx: Ctx<'_>,
        pointer: &str,
    ) -> Result<Value, SynthError> {
        let n = self.ordinal(ctx);
        let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        let max = map.get("maxLength").and_then(Value::as_u64);
        if max.is_some_and(|max| max < min) {
            return Err(SynthError::new(pointer, "`maxLength` is below `minLength`"));
        }
        let unique = self.options.unique.as_deref();
        let formatted = match map.get("format").and_then(Value::as_str) {
            Some("uuid") => Some(self.uuid(ctx)),
            Some("email" | "idn-email") => Some(match unique.map(plain) {
                Some(tag) if !tag.is_empty() => format!("user{n}+{tag}@example.com"),
                _ => format!("user{n}@example.com"),
            }),
            Some("date-time") => {
                let (h, m, s) = clock(n - 1);
                Some(format!("2024-01-01T{h:02}:{m:02}:{s:02}Z"))
            }
            Some("date") => Some(format!("2024-01-{:02}", (n - 1) % 28 + 1)),
            Some("time") => {
                let (h, m, s) = clock(n - 1);
                Some(format!("{h:02}:{m:02}:{s:02}Z"))
            }
            Some("uri" | "url" | "iri" | "uri-reference" | "iri-reference") => {
                let word = ctx.name.map(plain).filter(|w| !w.is_empty());
                let mut path = format!("{}-{n}", word.as_deref().unwrap_or("resource"));
                if let Some(tag) = unique.map(plain).filter(|t| !t.is_empty()) {
                    path.push('-');
                    path.push_str(&tag);
                }
                Some(format!("https://example.com/{path}"))
            }
            Some("hostname" | "idn-hostname") => Some(format!("host{n}.example.com")),
            Some("ipv4") => Some(format!("192.0.2.{}", (n - 1) % 254 + 1)),
            Some("ipv6") => Some(format!("2001:db8::{:x}", n % 0xffff)),
            Some("byte") => Some(base64(format!("value-{n}").as_bytes())),
            _ => None,
        };
        if let Some(text) = formatted {
            return Ok(Value::String(text));
        }
        if let Some(Value::String(pattern)) = map.get("pattern") {
            let variant = self.seed.wrapping_add(ctx.variety);
            if let Some(text) = from_pattern(pattern, min, max, variant) {
                return Ok(Value::String(text));
            }
        }
        Ok(Value::String(self.free_string(ctx, min, max)))
    }

    /// Readable text from the property name, with the `unique` suffix,
    /// fitted to the lengths.
    fn free_string(&self, ctx: Ctx<'_>, min: u64, max: Option<u64>) -> String {
        let word = ctx
            .name
            .map(|name| plain(name).replace('.', "-"))
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "string".to_owned());
        let mut base = format!("{word}-{}", self.ordinal(ctx));
        let suffix: Vec<char> = match self.options.unique.as_deref() {
            Some(tag) if !tag.is_empty() => format!("-{tag}").chars().collect(),
            _ => Vec::new(),
        };
        let min = usize::try_from(min).unwrap_or(usize::MAX);
        let max = max.map(|m| usize::try_from(m).unwrap_or(usize::MAX));
        while base.len() + suffix.len() < min {
            base.push('x');
        }
        let Some(max) = max else {
            return base.chars().chain(suffix).collect();
        };
        if suffix.len() >= max {
            // The end of the unique text is its most varying part.
            return suffix[suffix.len() - max..].iter().collect();
        }
        base.truncate(max - suffix.len());
        base.chars().chain(suffix).collect()
    }

    /// A v4-shaped uuid from the seed, the item, the property name and the
    /// unique text.
    fn uuid(&self, ctx: Ctx<'_>) -> String {
        let seed = self.seed.wrapping_add(ctx.variety).to_le_bytes();
        let name = ctx.name.unwrap_or_default().as_bytes();
        let unique = self
            .options
            .unique
            .as_deref()
            .unwrap_or_default()
            .as_bytes();
        let high = mix(&[&seed, name, unique]);
        let low = mix(&[&seed, name, unique, b"low"]);
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&high.to_be_bytes());
        bytes[8..].copy_from_slice(&low.to_be_bytes());
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    /// An integer inside the bounds and a multiple of `multipleOf`: 1 (or
    /// the nearest bound) moved by the seed within the bounds.
    pub(super) fn integer(
        &self,
        map: &Map<String, Value>,
        ctx: Ctx<'_>,
        pointer: &str,
    ) -> Result<Value, SynthError> {
        let bound = |key: &str| map.get(key).and_then(Value::as_f64);
        let mut low = bound("minimum").map(|b| b.ceil());
        if let Some(b) = bound("exclusiveMinimum") {
            let b = b.floor() + 1.0;
            low = Some(low.map_or(b, |l| l.max(b)));
        }
        let mut high = bound("maximum").map(|b| b.floor());
        if let Some(b) = bound("exclusiveMaximum") {
            let b = b.ceil() - 1.0;
            high = Some(high.map_or(b, |h| h.min(b)));
        }
        let low = low.map_or(i128::MIN, |l| l.clamp(-1e36, 1e36) as i128);
        let high = high.map_or(i128::MAX, |h| h.clamp(-1e36, 1e36) as i128);
        let step = match map.get("multipleOf").and_then(Value::as_f64) {
            Some(m) if m >= 1.0 && m.fract() == 0.0 && m < 1e18 => m as i128,
            _ => 1,
        };
        if low > high {
            return Err(SynthError::new(pointer, "no integer inside the bounds"));
        }
        let span = high.saturating_sub(low).saturating_add(1);
        let offset = i128::from(self.seed.wrapping_add(ctx.variety) % 1_000_000) % span.max(1);
        let start = 1i128.clamp(low, high);
        // Upwards from 1 (or the nearest bound), then downwards when the
        // seed goes past the upper bound.
        let room = high.saturating_sub(start);
        let value = if offset <= room {
            start + offset
        } else {
            start.saturating_sub(offset - room)
        };
        // Up to the next multiple, or down when that leaves the bounds.
        let up = value.saturating_add((step - value.rem_euclid(step)) % step);
        let value = if up <= high {
            up
        } else {
            value - value.rem_euclid(step)
        };
        if value < low || value > high {
            return Err(SynthError::new(
                pointer,
                "no multiple of `multipleOf` inside the bounds",
            ));
        }
        i64::try_from(value)
            .map(|v| Value::Number(v.into()))
            .or_else(|_| u64::try_from(value).map(|v| Value::Number(v.into())))
            .map_err(|_| SynthError::new(pointer, "the bounds leave no 64-bit integer"))
    }

    /// A number inside the (possibly exclusive) bounds: an integer when
    /// one fits, else the middle of the bounds.
    pub(super) fn number(
        &self,
        map: &Map<String, Value>,
        ctx: Ctx<'_>,
        pointer: &str,
    ) -> Result<Value, SynthError> {
        let multiple = map.get("multipleOf").and_then(Value::as_f64);
        if multiple.is_none_or(|m| m >= 1.0 && m.fract() == 0.0) {
            if let Ok(value) = self.integer(map, ctx, pointer) {
                return Ok(value);
            }
        }
        let bound = |key: &str| map.get(key).and_then(Value::as_f64);
        let low = bound("minimum")
            .into_iter()
            .chain(bound("exclusiveMinimum"));
        let high = bound("maximum")
            .into_iter()
            .chain(bound("exclusiveMaximum"));
        let low = low.fold(f64::NEG_INFINITY, f64::max);
        let high = high.fold(f64::INFINITY, f64::min);
        let offset = (self.seed.wrapping_add(ctx.variety) % 1000) as f64;
        let mut value = match (low.is_finite(), high.is_finite()) {
            (true, true) => low + (high - low) / (2.0 + offset),
            (true, false) => low + 1.0 + offset,
            (false, true) => high - 1.0 - offset,
            (false, false) => 1.0 + offset,
        };
        if let Some(m) = multiple.filter(|m| *m > 0.0) {
            value = (value / m).ceil() * m;
            if value > high || (value == high && bound("exclusiveMaximum").is_some()) {
                value -= m;
            }
        }
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| SynthError::new(pointer, "no finite number inside the bounds"))
    }
}

/// Hours, minutes and seconds of the day for a count of seconds.
fn clock(seconds: u64) -> (u64, u64, u64) {
    let seconds = seconds % 86_400;
    (seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let triple = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (triple >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
