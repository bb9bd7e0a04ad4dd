//! What Python prints where a chat template prints a value: `str()` of lists, dicts, `None` and
//! booleans (Jinja2 prints through Python's `str`), `json.dumps` for transformers' `tojson`, and
//! `strftime` for `strftime_now`. minijinja would print `[{"type": "text"}]`, `true` and
//! `none`; templates that print a message's content list (Gemini's, Llama 3's) give Python's
//! `[{'type': 'text'}]` under transformers.

use minijinja::value::{Value, ValueKind};
use std::fmt::Write;

/// Python's `str(value)`: strings as they are, everything else as `repr`; undefined as "".
pub(super) fn str_of(value: &Value, out: &mut String) {
    match value.kind() {
        ValueKind::String => out.push_str(value.as_str().unwrap_or_default()),
        ValueKind::Undefined => {}
        _ => repr(value, out),
    }
}

/// Deepest nesting printed or written as JSON: Python's own recursion limit is 1,000 frames; a
/// value nested deeper (a template can build one) would overflow the stack.
const MAX_DEPTH: usize = 256;

/// Python's `repr(value)` for the JSON-like values templates see (nested deeper than
/// [`MAX_DEPTH`]: `...`, not a stack overflow).
pub(super) fn repr(value: &Value, out: &mut String) {
    repr_at(value, out, 0);
}

fn repr_at(value: &Value, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH || out.len() > super::MAX_OUTPUT_BYTES {
        out.push_str("...");
        return;
    }
    let repr = |v: &Value, out: &mut String| repr_at(v, out, depth + 1);
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("None"),
        ValueKind::Bool => out.push_str(if value.is_true() { "True" } else { "False" }),
        ValueKind::Number => number(value, out),
        ValueKind::String => string_repr(value.as_str().unwrap_or_default(), out),
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            for (i, item) in value.try_iter().into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr(&item, out);
            }
            out.push(']');
        }
        ValueKind::Map => {
            out.push('{');
            for (i, key) in value.try_iter().into_iter().flatten().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr(&key, out);
                out.push_str(": ");
                repr(&value.get_item(&key).unwrap_or_default(), out);
            }
            out.push('}');
        }
        // Bytes, plain objects (namespaces, macros): minijinja's own text.
        _ => {
            let _ = write!(out, "{value}");
        }
    }
}

/// A Python number: `int` in decimal, `float` as `float.__repr__` (shortest round trip, `1.0`,
/// `1e-05`, `1e+16`, `inf`, `nan`).
fn number(value: &Value, out: &mut String) {
    if value.is_integer() {
        let _ = write!(out, "{value}");
        return;
    }
    float(f64::try_from(value.clone()).unwrap_or(f64::NAN), out, ("inf", "nan"));
}

fn float(f: f64, out: &mut String, (infinity, nan): (&str, &str)) {
    if f.is_nan() {
        out.push_str(nan);
    } else if f.is_infinite() {
        if f < 0.0 {
            out.push('-');
        }
        out.push_str(infinity);
    } else if f != 0.0 && (f.abs() < 1e-4 || f.abs() >= 1e16) {
        // Rust writes `1e-5`; Python `1e-05` (at least two exponent digits, with a sign).
        let s = format!("{f:e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = exponent.strip_prefix('-').map_or(("+", exponent), |d| ("-", d));
        let _ = write!(out, "{mantissa}e{sign}{digits:0>2}");
    } else if f.fract() == 0.0 {
        let _ = write!(out, "{f:.1}");
    } else {
        let _ = write!(out, "{f}");
    }
}

/// Python's `repr(str)`: single quotes unless the text has a single quote and no double quote.
fn string_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let _ = match c as u32 {
                    n @ ..=0xff => write!(out, "\\x{n:02x}"),
                    n @ ..=0xffff => write!(out, "\\u{n:04x}"),
                    n => write!(out, "\\U{n:08x}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable` for one char, as `repr` escapes: not a control, format,
/// private-use, line or paragraph separator, nor a space separator other than " ". (Unassigned
/// code points, which Python also escapes, are printed: the category tables here are older than
/// Python's and would take new emoji for unassigned.)
fn is_printable(c: char) -> bool {
    use unicode_categories::UnicodeCategories;
    c == ' '
        || !(c.is_other_control()
            || c.is_other_format()
            || c.is_other_private_use()
            || c.is_separator_line()
            || c.is_separator_paragraph()
            || c.is_separator_space())
}

/// Python's `json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)`: `", "`
/// and `": "` between items without an indent, `","` and newlines with one.
pub(super) fn json_dumps(value: &Value, indent: Option<usize>, sort_keys: bool) -> Result<String, minijinja::Error> {
    let mut out = String::new();
    json(value, indent, sort_keys, 0, &mut out)?;
    Ok(out)
}

fn too_big(what: &str) -> minijinja::Error {
    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("tojson: {what}"))
}

fn json(value: &Value, indent: Option<usize>, sort_keys: bool, depth: usize, out: &mut String) -> Result<(), minijinja::Error> {
    if depth > MAX_DEPTH {
        return Err(too_big(&format!("a value nested deeper than {MAX_DEPTH}")));
    }
    if out.len() > super::MAX_OUTPUT_BYTES {
        return Err(too_big(&format!("more than {} MiB of JSON", super::MAX_OUTPUT_BYTES >> 20)));
    }
    let newline = |out: &mut String, depth: usize| {
        if let Some(n) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', n * depth));
        }
    };
    let separator = if indent.is_some() { "," } else { ", " };
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number if value.is_integer() => {
            let _ = write!(out, "{value}");
        }
        ValueKind::Number => float(f64::try_from(value.clone()).unwrap_or(f64::NAN), out, ("Infinity", "NaN")),
        ValueKind::String => json_string(value.as_str().unwrap_or_default(), out),
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Vec<Value> = value.try_iter()?.collect();
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                newline(out, depth + 1);
                json(item, indent, sort_keys, depth + 1, out)?;
            }
            newline(out, depth);
            out.push(']');
        }
        ValueKind::Map => {
            let mut keys: Vec<Value> = value.try_iter()?.collect();
            if keys.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            if sort_keys {
                keys.sort();
            }
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                newline(out, depth + 1);
                match key.as_str() {
                    Some(k) => json_string(k, out),
                    // Python writes number and boolean keys as strings.
                    None => json_string(&key.to_string(), out),
                }
                out.push_str(": ");
                json(&value.get_item(key)?, indent, sort_keys, depth + 1, out)?;
            }
            newline(out, depth);
            out.push('}');
        }
        kind => {
            return Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("Object of type {kind} is not JSON serializable")));
        }
    }
    Ok(())
}

fn json_string(s: &str, out: &mut String) {
    out.push_str(&crate::error::quoted(s));
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Python's `strftime(format)` of the naive datetime `seconds` after 1970-01-01 00:00 (the
/// caller's local time: transformers formats `datetime.now()`), for the C-locale codes
/// templates use (`%d %b %Y` and kin: `aAbBdeHIjmMpSyY%`, `%-d` as glibc; `%Z` and `%z` print
/// nothing for a naive datetime).
///
/// # Errors
/// An unknown code is an error naming it (never printed raw).
pub(super) fn strftime(seconds: i64, format: &str) -> Result<String, minijinja::Error> {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday (index 3 from Monday).
    let weekday = (days + 3).rem_euclid(7) as usize;
    let day_of_year = days - days_from_civil(year, 1, 1) + 1;
    let (hour, minute, second) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let (pad, code) = match chars.next() {
            Some('-') => (false, chars.next()),
            code => (true, code),
        };
        let two = |n: i64| if pad { format!("{n:02}") } else { n.to_string() };
        match code {
            Some('Y') => out.push_str(&year.to_string()),
            Some('y') => out.push_str(&two(year.rem_euclid(100))),
            Some('m') => out.push_str(&two(month)),
            Some('d') => out.push_str(&two(day)),
            Some('e') => out.push_str(&format!("{day:>2}")),
            Some('H') => out.push_str(&two(hour)),
            Some('I') => out.push_str(&two((hour + 11) % 12 + 1)),
            Some('M') => out.push_str(&two(minute)),
            Some('S') => out.push_str(&two(second)),
            Some('p') => out.push_str(if hour < 12 { "AM" } else { "PM" }),
            Some('j') => out.push_str(&if pad { format!("{day_of_year:03}") } else { day_of_year.to_string() }),
            Some('B') => out.push_str(MONTHS[month as usize - 1]),
            Some('b') => out.push_str(&MONTHS[month as usize - 1][..3]),
            Some('A') => out.push_str(DAYS[weekday]),
            Some('a') => out.push_str(&DAYS[weekday][..3]),
            // transformers formats a naive `datetime.now()`: no time zone to print.
            Some('Z') | Some('z') => {}
            Some('%') => out.push('%'),
            other => {
                let code = other.map_or(String::new(), String::from);
                return Err(minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("strftime_now: unsupported format code %{code}")));
            }
        }
    }
    Ok(out)
}

/// (year, month 1–12, day 1–31) of a day count from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from CPython 3.11: `repr`, `json.dumps(ensure_ascii=False)` and `strftime`.
    #[test]
    fn python_text_of_values() {
        let v: Value = serde_json::from_str(r#"[{"type": "text", "text": "it's"}, 1.5, 2, true, null, 1e-7, 3.0, {"a": [], "b": {}}]"#).unwrap();
        let mut out = String::new();
        str_of(&v, &mut out);
        assert_eq!(out, r#"[{'type': 'text', 'text': "it's"}, 1.5, 2, True, None, 1e-07, 3.0, {'a': [], 'b': {}}]"#);
        assert_eq!(json_dumps(&v, None, false).unwrap(), r#"[{"type": "text", "text": "it's"}, 1.5, 2, true, null, 1e-07, 3.0, {"a": [], "b": {}}]"#);
        let v: Value = serde_json::from_str(r#"{"b": [1, "é\n\u0001"], "a": {"c": null}}"#).unwrap();
        assert_eq!(json_dumps(&v, Some(2), true).unwrap(), "{\n  \"a\": {\n    \"c\": null\n  },\n  \"b\": [\n    1,\n    \"é\\n\\u0001\"\n  ]\n}");
        // 2024-07-26 13:05:09 UTC, a Friday (day 208).
        assert_eq!(strftime(1_722_000_309, "%d %b %Y|%A %B %-d %j %H:%M:%S %p %y %%").unwrap(), "26 Jul 2024|Friday July 26 208 13:25:09 PM 24 %");
        assert!(strftime(0, "%Q").is_err());
    }
}
