//! What the AWS CLI makes of the pages of a paginated operation before it writes them.
//!
//! A paginator names its result keys, the members that hold the items of each page
//! (`GlobalClusters`; a dotted path reaches into a structure). [`merge_pages`] joins them into
//! the one response that `json`, `table` and `yaml` write; [`text_page`] is what `text` writes
//! of each page. `yaml-stream` writes each page as the service answered it.

use serde_json::{Map, Value};

/// The value at a dotted `path` of `value`, if any.
fn get<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |current, key| current.get(key))
}

/// The value at a dotted `path` of an object's members, if any.
fn get_in<'a>(members: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let (first, rest) = path
        .split_once('.')
        .map_or((path, None), |(f, r)| (f, Some(r)));
    let value = members.get(first)?;
    match rest {
        Some(rest) => get(value, rest),
        None => Some(value),
    }
}

/// Sets the value at a dotted `path`, making the objects on the way.
fn set(target: &mut Map<String, Value>, path: &str, value: Value) {
    let mut current = target;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if keys.peek().is_none() {
            current.insert(key.to_owned(), value);
            return;
        }
        let next = current
            .entry(key.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        let Value::Object(next) = next else { return };
        current = next;
    }
}

/// The pages of a listing as one response, as the AWS CLI merges them: each result key holds
/// the items of every page in order (a number is summed, a string joined; a page without the
/// key adds nothing), and `NextToken` the token to resume from when the listing stopped
/// early (`--max-items`). Other members of the pages (their `Marker`) are left out.
pub fn merge_pages<'a>(
    pages: impl IntoIterator<Item = &'a Value>,
    result_keys: &[&str],
    next_token: Option<&str>,
) -> Value {
    let mut merged = Map::new();
    for page in pages {
        for key in result_keys {
            let Some(items) = get(page, key).filter(|v| !v.is_null()) else {
                continue;
            };
            let existing = get_in(&merged, key).cloned();
            let joined = match (existing, items) {
                (None | Some(Value::Null), items) => items.clone(),
                (Some(Value::Array(mut all)), Value::Array(more)) => {
                    all.extend(more.iter().cloned());
                    Value::Array(all)
                }
                (Some(Value::Number(a)), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
                    (Some(a), Some(b)) => Value::from(a.saturating_add(b)),
                    _ => serde_json::Number::from_f64(
                        a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0),
                    )
                    .map_or(Value::Null, Value::Number),
                },
                (Some(Value::String(a)), Value::String(b)) => Value::String(a + b),
                (Some(existing), _) => existing,
            };
            set(&mut merged, key, joined);
        }
    }
    if let Some(token) = next_token {
        merged.insert("NextToken".to_owned(), Value::String(token.to_owned()));
    }
    Value::Object(merged)
}

/// What `text` writes of one page: its result keys alone, in the paginator's order, each null
/// where the page lacks it.
pub fn text_page(page: &Value, result_keys: &[&str]) -> Value {
    let mut current = Map::new();
    for key in result_keys {
        set(
            &mut current,
            key,
            get(page, key).cloned().unwrap_or(Value::Null),
        );
    }
    Value::Object(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_join_their_items_and_drop_their_markers() {
        let pages = [
            json!({"Items": [1, 2], "Marker": "m1", "Count": 2}),
            json!({"Marker": "m2"}),
            json!({"Items": [3], "Count": 1}),
        ];
        assert_eq!(
            merge_pages(&pages, &["Items", "Count"], Some("tok")),
            json!({"Items": [1, 2, 3], "Count": 3, "NextToken": "tok"})
        );
        assert_eq!(
            merge_pages(&[json!({"Marker": "m"})], &["Items"], None),
            json!({})
        );
    }

    #[test]
    fn dotted_result_keys_reach_into_structures() {
        let pages = [
            json!({"Page": {"Items": ["a"]}}),
            json!({"Page": {"Items": ["b"]}}),
        ];
        assert_eq!(
            merge_pages(&pages, &["Page.Items"], None),
            json!({"Page": {"Items": ["a", "b"]}})
        );
        assert_eq!(
            text_page(&pages[0], &["Page.Items", "Other"]),
            json!({"Page": {"Items": ["a"]}, "Other": null})
        );
    }
}
