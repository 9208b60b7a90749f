//! `--output table`: boxed sections, one per object or list, nested ones indented.
//!
//! The response is turned into sections first, each with a title (the operation's name, then the
//! member's key), optional column headers and rows of strings; then every section is drawn at
//! one common width, the widest section's, and its columns scaled to fill it. When that width is
//! more than the terminal's, a section with headers and one row is turned on its side (a row per
//! column: header, value) and the width measured again.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::OutputError;
use super::python::str_of;
use super::wide::DOUBLE_WIDTH;

/// Columns a character takes: two for the East Asian wide, fullwidth and ambiguous ones.
fn char_width(c: char) -> usize {
    let cp = c as u32;
    let double = DOUBLE_WIDTH
        .binary_search_by(|&(start, end)| {
            if end < cp {
                std::cmp::Ordering::Less
            } else if start > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok();
    if double { 2 } else { 1 }
}

/// Columns a string takes.
fn text_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

#[derive(Debug, Default)]
struct Section {
    /// `None` for a section of a list met inside a list, which has no key to name it.
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    columns: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn new(title: Option<&str>, indent: usize) -> Section {
        Section {
            title: title.map(str::to_owned),
            indent,
            ..Section::default()
        }
    }

    fn set_headers(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        if self.columns.is_none() {
            self.columns = Some(headers.len());
        }
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), OutputError> {
        let columns = *self.columns.get_or_insert(row.len());
        if row.len() != columns {
            return Err(OutputError::Shape(format!(
                "a table: a row has {} values where the table has {columns} columns",
                row.len()
            )));
        }
        self.update_widths(&row);
        self.rows.push(row);
        Ok(())
    }

    fn update_widths(&mut self, cells: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = cells.iter().map(|c| text_width(c)).collect();
        } else {
            for (i, cell) in cells.iter().enumerate() {
                if let Some(width) = self.max_widths.get_mut(i) {
                    *width = (*width).max(text_width(cell));
                }
            }
        }
    }

    /// The widths of the columns padded by 4, scaled to add up to `total` (rounding half to
    /// even, then taking the difference off the first columns or giving it to the last).
    fn column_widths(&self, total: usize) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + 4).collect();
        let sum: usize = unscaled.iter().sum();
        if unscaled.is_empty() || sum == 0 {
            return unscaled;
        }
        let scale = total as f64 / sum as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|&w| (scale * w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by: i64 = scaled.iter().sum::<i64>() - total as i64;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    /// The width the section needs: its columns padded by 4 and its borders, or its title,
    /// plus its indentation on both sides.
    fn total_width(&self) -> usize {
        let columns: usize = self.max_widths.iter().map(|w| w + 4).sum::<usize>() + 2;
        // An untitled section is measured as the word `None`, as Python's `str(None)` is.
        let title = text_width(self.title.as_deref().unwrap_or("None")) + 2;
        columns.max(title) + 2 * self.indent
    }
}

/// Builds the sections of a response.
#[derive(Debug, Default)]
struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn current(&mut self) -> Result<&mut Section, OutputError> {
        self.sections.last_mut().ok_or_else(|| {
            OutputError::Shape("a table: a row with no section to hold it".to_owned())
        })
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), OutputError> {
        self.current()?.add_row(row)
    }

    /// Adds `value` under `title`; false when there is nothing to show (an empty or false value).
    fn build(
        &mut self,
        title: Option<&str>,
        value: &Value,
        indent: usize,
    ) -> Result<bool, OutputError> {
        if !truthy(value) {
            return Ok(false);
        }
        if let Some(title) = title {
            self.sections.push(Section::new(Some(title), indent));
        }
        match value {
            Value::Array(items) => {
                if items.first().is_some_and(Value::is_object) {
                    self.list_of_objects(items, indent, title)?;
                } else {
                    for item in items {
                        match item {
                            Value::Array(row) if row.iter().all(is_scalar) => {
                                self.add_row(row.iter().map(str_of).collect())?;
                            }
                            // An object among scalars shows its keys, as iterating it does.
                            Value::Object(members) => {
                                self.add_row(members.keys().cloned().collect())?;
                            }
                            Value::Array(_) => {
                                self.build(None, item, 0)?;
                            }
                            scalar => self.add_row(vec![str_of(scalar)])?,
                        }
                    }
                }
            }
            Value::Object(members) => self.object(members, indent)?,
            _ => {}
        }
        Ok(true)
    }

    fn object(&mut self, members: &Map<String, Value>, indent: usize) -> Result<(), OutputError> {
        let (headers, nested) = split_keys(std::iter::once(members));
        if headers.len() == 1 {
            let key = &headers[0];
            self.add_row(vec![key.clone(), str_of(&members[key.as_str()])])?;
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|k| str_of(&members[k.as_str()]))
                .collect();
            self.current()?.set_headers(headers);
            self.add_row(row)?;
        }
        for key in nested {
            self.build(Some(&key), &members[key.as_str()], indent + 1)?;
        }
        Ok(())
    }

    fn list_of_objects(
        &mut self,
        items: &[Value],
        indent: usize,
        title: Option<&str>,
    ) -> Result<(), OutputError> {
        let objects: Vec<&Map<String, Value>> = items.iter().filter_map(Value::as_object).collect();
        if objects.len() != items.len() {
            return Err(OutputError::Shape(
                "a table: a list that starts with an object holds something else too".to_owned(),
            ));
        }
        let (headers, nested) = split_keys(objects.iter().copied());
        self.current()?.set_headers(headers.clone());
        for (i, members) in objects.iter().enumerate() {
            if i > 0 && !nested.is_empty() {
                self.sections.push(Section::new(title, indent));
                self.current()?.set_headers(headers.clone());
            }
            let row = headers
                .iter()
                .map(|k| members.get(k.as_str()).map(str_of).unwrap_or_default())
                .collect();
            self.add_row(row)?;
            for key in &nested {
                if let Some(value) = members.get(key.as_str()) {
                    self.build(Some(key), value, indent + 1)?;
                }
            }
        }
        Ok(())
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Python's truth of a value: false for null, false, 0, "" and empty lists and objects.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
    }
}

/// The keys holding scalars and those holding lists or objects, each sorted; over several
/// objects, a key is in each group where any object puts it.
fn split_keys<'a>(
    objects: impl Iterator<Item = &'a Map<String, Value>>,
) -> (Vec<String>, Vec<String>) {
    let mut scalars = BTreeSet::new();
    let mut nested = BTreeSet::new();
    for members in objects {
        for (key, value) in members {
            if is_scalar(value) {
                scalars.insert(key.clone());
            } else {
                nested.insert(key.clone());
            }
        }
    }
    (scalars.into_iter().collect(), nested.into_iter().collect())
}

/// Writes `value` as a table titled `title`, at most `terminal_width` columns wide when it can
/// be narrowed; nothing for an empty or false value.
pub(crate) fn write(
    value: &Value,
    title: &str,
    terminal_width: usize,
    out: &mut String,
) -> Result<(), OutputError> {
    let mut builder = Builder::default();
    if !builder.build(Some(title), value, 0)? {
        return Ok(());
    }
    let mut sections = builder.sections;
    let mut width = max_width(&sections);
    if width > terminal_width {
        sections = sections.into_iter().map(on_its_side).collect();
        width = max_width(&sections);
    }
    out.push_str(&"-".repeat(width));
    out.push('\n');
    for section in &sections {
        draw(section, width, out);
    }
    Ok(())
}

fn max_width(sections: &[Section]) -> usize {
    sections.iter().map(Section::total_width).max().unwrap_or(0)
}

/// A section of headers and a single row, as rows of header and value.
fn on_its_side(section: Section) -> Section {
    if section.rows.len() != 1 || section.headers.is_empty() {
        return section;
    }
    let mut turned = Section::new(section.title.as_deref(), section.indent);
    for (header, value) in section.headers.iter().zip(&section.rows[0]) {
        // Two cells per row always fit a section that has none yet.
        let _ = turned.add_row(vec![header.clone(), value.clone()]);
    }
    turned
}

/// `text` centred between the edges in `width` columns.
fn centered(text: &str, width: usize, left: &str) -> String {
    let text_len = text_width(text);
    // The start may come out negative for a text wider than the cell: no spaces then, and
    // the right side still counted from it.
    let start = (width / 2) as i64 - (text_len / 2) as i64 - 1;
    let so_far = text_width(left) as i64 + start + text_len as i64;
    let right = width as i64 - 1 - so_far;
    format!("{left}{}{text}{}|", spaces(start), spaces(right))
}

fn spaces(count: i64) -> String {
    " ".repeat(count.max(0) as usize)
}

/// `text` after two spaces (none when it would not fit) and padded to `width` columns.
fn left_aligned(text: &str, width: usize, left: &str) -> String {
    let text_len = text_width(text);
    let needed = text_len + 2 + left.len() + 1;
    let padding = if width >= needed { 2 } else { 0 };
    let so_far = left.len() + padding + text_len;
    let right = width as i64 - so_far as i64 - 1;
    format!(
        "{left}{}{text}{}|",
        " ".repeat(padding),
        " ".repeat(right.max(0) as usize)
    )
}

fn line_break(widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, &width) in widths.iter().enumerate() {
        if i == 0 {
            line.push('+');
            line.push_str(&"-".repeat(width.saturating_sub(2)));
        } else {
            line.push_str(&"-".repeat(width.saturating_sub(1)));
        }
        line.push('+');
    }
    line
}

fn draw(section: &Section, table_width: usize, out: &mut String) {
    let indent = "|".repeat(section.indent);
    let width = table_width.saturating_sub(section.indent * 2);
    let mut line = |text: String| {
        out.push_str(&indent);
        out.push_str(&text);
        out.push_str(&indent);
        out.push('\n');
    };
    if let Some(title) = section.title.as_deref().filter(|t| !t.is_empty()) {
        line(centered(title, width, "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            line(format!("+{}+", "-".repeat(width.saturating_sub(2))));
        }
    }
    let widths = section.column_widths(width);
    if !section.headers.is_empty() {
        let mut cells = String::new();
        for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            cells.push_str(&centered(header, *w, if i == 0 { "|" } else { "" }));
        }
        line(line_break(&widths));
        line(cells);
    }
    if !section.rows.is_empty() && !widths.is_empty() {
        line(line_break(&widths));
        for row in &section.rows {
            let mut cells = String::new();
            for (i, (w, value)) in widths.iter().zip(row).enumerate() {
                cells.push_str(&left_aligned(value, *w, if i == 0 { "|" } else { "" }));
            }
            line(cells);
        }
        line(line_break(&widths));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(value: Value, width: usize) -> String {
        let mut out = String::new();
        write(&value, "Op", width, &mut out).unwrap();
        out
    }

    #[test]
    fn a_single_scalar_member_is_a_row_of_key_and_value() {
        assert_eq!(
            table(json!({"Name": "abc"}), 80),
            "-----------------\n\
             |      Op       |\n\
             +-------+-------+\n\
             |  Name |  abc  |\n\
             +-------+-------+\n"
        );
    }

    #[test]
    fn empty_and_false_values_print_nothing() {
        assert_eq!(table(json!({}), 80), "");
        assert_eq!(table(json!([]), 80), "");
        assert_eq!(table(json!(false), 80), "");
        assert_eq!(table(json!(0), 80), "");
    }

    #[test]
    fn rows_of_different_lengths_are_an_error() {
        let mut out = String::new();
        let err = write(&json!([[1, 2], [3]]), "Op", 80, &mut out).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot write the response as a table: a row has 1 values where the table has 2 columns"
        );
    }

    #[test]
    fn wide_characters_count_twice() {
        assert_eq!(text_width("日本"), 4);
        assert_eq!(text_width("ab"), 2);
        assert_eq!(text_width("é"), 2, "ambiguous width counts as wide");
        assert_eq!(text_width("a-b"), 3);
    }
}
