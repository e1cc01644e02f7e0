//! The gateway's JSON conventions: base64 bytes, 64-bit numbers as decimal strings, zero
//! values left out.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// Bytes as the gateway wants them: standard base64.
pub(crate) fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes a base64 field; a missing field is empty.
pub(crate) fn unb64(v: &Value, field: &str) -> Result<Vec<u8>, String> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => STANDARD
            .decode(s)
            .map_err(|e| format!("field `{field}` is not base64: {e}")),
        Some(other) => Err(format!("field `{field}` should be base64 text, got {other}")),
    }
}

/// A signed 64-bit field (revisions, lease ids, TTLs): a decimal string or a number; missing
/// means 0.
pub(crate) fn int(v: &Value, field: &str) -> Result<i64, String> {
    whole(v, field, serde_json::Number::as_i64)
}

/// An unsigned 64-bit field (member ids, terms): parsed as u64 from its decimal string, never
/// through a float (which would round ids above 2⁵³).
pub(crate) fn uint(v: &Value, field: &str) -> Result<u64, String> {
    whole(v, field, serde_json::Number::as_u64)
}

/// A whole-number field of type `T`, from a decimal string or a JSON number that `from_number`
/// reads without rounding; missing or null means 0.
fn whole<T: std::str::FromStr + Default>(
    v: &Value,
    field: &str,
    from_number: fn(&serde_json::Number) -> Option<T>,
) -> Result<T, String> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(T::default()),
        Some(Value::String(s)) => s
            .parse()
            .map_err(|_| format!("field `{field}` = {s:?} is not a whole number")),
        Some(Value::Number(n)) => {
            from_number(n).ok_or_else(|| format!("field `{field}` = {n} is not a 64-bit whole number"))
        }
        Some(other) => Err(format!("field `{field}` should be a number, got {other}")),
    }
}

/// The revision in a reply's `header`.
pub(crate) fn header_revision(v: &Value) -> Result<i64, String> {
    int(v.get("header").unwrap_or(&Value::Null), "revision")
}
