//! Automatic pagination on JSON values, as the AWS CLI does it: every page is requested with the
//! previous page's token, the items of all pages are printed together, `--max-items` cuts the
//! listing and prints a `NextToken` to resume from with `--starting-token`, `--page-size` sets the
//! size of each page, `--no-paginate` sends one request.

use std::collections::HashSet;

use awsquery::paginator::{DEFAULT_MAX_PAGES, PaginationError};
use serde_json::{Map, Value};

use crate::args::{Given, Globals, last};
use crate::output::{Format, text_page};
use crate::run::Session;
use crate::table::{Command, Paginator};
use crate::token::{self, Resume};

/// How a paginated command pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The command's paginator.
    pub paginator: Paginator,
    /// Where to start.
    pub resume: Resume,
    /// `--page-size`.
    pub page_size: Option<i64>,
    /// `--max-items`.
    pub max_items: Option<usize>,
}

/// Whether and how `command` pages: `None` for one request (not paginated, `--no-paginate`, or the
/// token or page size given as options, which turn automatic pagination off). Pagination options
/// with one request are an error, in the AWS CLI's words.
pub fn plan<C>(
    command: &Command<C>,
    globals: &Globals,
    given: &[Given],
    input: &Value,
) -> Result<Option<Plan>, String> {
    let Some(paginator) = command.paginator else {
        return Ok(None);
    };
    let number = |name: &str| {
        last(given, name)
            .and_then(|g| g.values.first())
            .and_then(|v| v.trim().parse::<i64>().ok())
    };
    let manual: Vec<&str> = [Some(paginator.input_token), paginator.page_size]
        .into_iter()
        .flatten()
        .filter(|member| input.get(member).is_some())
        .collect();
    if globals.no_paginate || !manual.is_empty() {
        let used: Vec<String> = ["starting-token", "page-size", "max-items"]
            .into_iter()
            .filter(|name| last(given, name).is_some())
            .map(|name| format!("--{name}"))
            .collect();
        if !used.is_empty() {
            let why = if globals.no_paginate {
                String::from("--no-paginate")
            } else {
                let names: Vec<String> = [paginator.page_size, Some(paginator.input_token)]
                    .into_iter()
                    .flatten()
                    .filter_map(|member| command.option_for(member))
                    .map(|opt| format!("--{}", opt.name))
                    .collect();
                format!(
                    "{} (which turn automatic pagination off)",
                    names.join(" or ")
                )
            };
            return Err(format!(
                "Parameter validation failed:\nCannot specify {why} along with pagination arguments: {}",
                used.join(", ")
            ));
        }
        return Ok(None);
    }
    let resume = last(given, "starting-token")
        .and_then(|g| g.values.first())
        .map(|t| token::decode(paginator.input_token, t))
        .unwrap_or_default();
    Ok(Some(Plan {
        paginator,
        resume,
        page_size: number("page-size"),
        max_items: number("max-items").map(|n| usize::try_from(n).unwrap_or(0)),
    }))
}

/// The value at a dotted `path` of `value`.
fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// Removes the value at a dotted `path`.
fn remove(value: &mut Value, path: &str) {
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (
            parent.split('.').try_fold(&mut *value, |v, k| v.get_mut(k)),
            key,
        ),
        None => (Some(value), path),
    };
    if let Some(Value::Object(object)) = parent {
        object.shift_remove(key);
    }
}

/// Sets the value at a dotted `path`, making the objects on the way.
fn set(value: &mut Value, path: &str, item: Value) {
    let mut current = value;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(object) = current else {
            return;
        };
        if keys.peek().is_none() {
            object.insert(key.to_owned(), item);
            return;
        }
        current = object
            .entry(key.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Pages through the listing and prints the merged result.
pub async fn run<C>(
    session: &mut Session<'_, C>,
    command: &Command<C>,
    input: Value,
    plan: Plan,
) -> i32 {
    let Plan {
        paginator,
        resume,
        page_size,
        max_items,
    } = plan;
    let mut request = input;
    if let (Some(member), Some(size)) = (paginator.page_size, page_size) {
        set(&mut request, member, Value::from(size));
    }
    let mut marker = resume.marker.clone();
    let mut seen: HashSet<String> = marker.iter().cloned().collect();
    let mut merged: Option<Value> = None;
    let mut items: Option<Vec<Value>> = None;
    let mut total = 0;
    let mut next: Option<Resume> = None;
    let mut pages = 0;
    let by_page = session.formatter.format().by_page();
    let mut shown_pages = Vec::new();
    loop {
        let mut page_input = request.clone();
        if let Some(marker) = &marker {
            set(
                &mut page_input,
                paginator.input_token,
                Value::from(marker.clone()),
            );
        }
        session.reset_attempts();
        let mut page = match (command.call)(session.client, page_input).await {
            Ok(page) => page,
            Err(error) => return session.report(command.operation, error),
        };
        pages += 1;
        let token = at(&page, paginator.output_token)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        let mut page_items = match at(&page, paginator.items) {
            Some(Value::Array(list)) => Some(list.clone()),
            _ => None,
        };
        let skipped = if pages == 1 { resume.skip } else { 0 };
        if let Some(list) = &mut page_items {
            list.drain(..skipped.min(list.len()));
            if let Some(max) = max_items {
                if total + list.len() > max {
                    let keep = max - total;
                    list.truncate(keep);
                    next = Some(Resume {
                        marker: marker.clone(),
                        skip: keep + skipped,
                    });
                }
            }
            total += list.len();
        }
        if by_page {
            // Written page by page: each as the AWS CLI keeps it, its items cut as above.
            let mut shown = page.clone();
            if let Some(list) = &page_items {
                set(&mut shown, paginator.items, Value::Array(list.clone()));
            }
            if session.formatter.format() == Format::Text {
                shown = text_page(&shown, &[paginator.items]);
            }
            shown_pages.push(shown);
        }
        remove(&mut page, paginator.output_token);
        if let Some(list) = page_items {
            items.get_or_insert_with(Vec::new).extend(list);
        }
        merged.get_or_insert(page);
        if next.is_some() || token.is_none() {
            break;
        }
        if max_items == Some(total) {
            next = Some(Resume {
                marker: token,
                skip: 0,
            });
            break;
        }
        let Some(token) = token else { break };
        if !seen.insert(token.clone()) {
            return session.report_pagination(
                &PaginationError::RepeatedToken { token },
                paginator.input_token,
            );
        }
        if pages >= DEFAULT_MAX_PAGES {
            return session.report_pagination(
                &PaginationError::TooManyPages {
                    limit: DEFAULT_MAX_PAGES,
                },
                paginator.input_token,
            );
        }
        marker = Some(token);
    }
    if by_page {
        let next = next.map(|next| token::encode(paginator.input_token, &next));
        return session.print_pages(&shown_pages, next.as_deref());
    }
    let mut result = merged.unwrap_or_else(|| Value::Object(Map::new()));
    if let Some(items) = items {
        set(&mut result, paginator.items, Value::Array(items));
    }
    if let Some(next) = next {
        set(
            &mut result,
            "NextToken",
            Value::from(token::encode(paginator.input_token, &next)),
        );
    }
    session.print_result(&result)
}
