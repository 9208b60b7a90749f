//! `--output`: a response written as the AWS CLI writes it.
//!
//! | format | what it writes |
//! | --- | --- |
//! | `json` | JSON indented by four spaces, `": "` between key and value, non-ASCII characters as they are, a newline at the end; nothing for an empty object |
//! | `text` | tab-separated lines: scalars on a line, objects of a list sharing columns under the upper-cased key of the list (see [`text`](self#text)) |
//! | `table` | boxed sections titled with the operation's name and then the keys, columns sorted, scalars before nested sections |
//! | `yaml` | block YAML, keys sorted, strings quoted only when they would read as something else; a bare scalar as JSON |
//! | `yaml-stream` | each page as an item of a YAML list (`- ...`), written as it arrives |
//! | `off` | nothing |
//!
//! # Pages
//!
//! The AWS CLI writes `json`, `table` and `yaml` once, after it has merged the pages of a
//! paginated operation into one response (the list members of every page joined, the token for
//! the next page dropped, a `NextToken` added when `--max-items` stopped early); `--query` runs
//! over that merged response. `text` and `yaml-stream` write each page as it arrives, with
//! `--query` run over each page on its own. [`Format::by_page`] tells which; a command calls
//! [`Formatter::write`] once with the whole response for the first kind, and
//! [`Formatter::write_page`] for every page (then [`Formatter::write_next_token`] when the listing
//! stopped early) for the second.
//!
//! # Text
//!
//! Every scalar is spelled as Python's `str` spells it (`None`, `True`, `False`, `1.5`,
//! `1e+20`). An object writes its scalar members on one line in sorted key order, then its list
//! and object members, each under its upper-cased key. The objects of a list share their
//! columns: every key that holds a scalar in any of them, sorted, empty where one lacks it.

mod pages;
pub(crate) mod python;
mod table;
mod text;
mod wide;
mod yaml;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::query::{Query, QueryError};

pub use pages::{merge_pages, text_page};

/// An `--output` format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `json`, the AWS CLI's default.
    Json,
    /// `text`: tab-separated lines.
    Text,
    /// `table`: boxed sections.
    Table,
    /// `yaml`: one YAML document.
    Yaml,
    /// `yaml-stream`: each page as an item of a YAML list, as it arrives.
    YamlStream,
    /// `off`: nothing on stdout.
    Off,
}

impl Format {
    /// Every format, in the order the AWS CLI lists them.
    pub const ALL: [Format; 6] = [
        Format::Json,
        Format::Text,
        Format::Table,
        Format::Yaml,
        Format::YamlStream,
        Format::Off,
    ];

    /// The name on the command line (`yaml-stream`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
            Format::Table => "table",
            Format::Yaml => "yaml",
            Format::YamlStream => "yaml-stream",
            Format::Off => "off",
        }
    }

    /// Whether the format writes a paginated response page by page ([`Formatter::write_page`])
    /// rather than once, merged ([`Formatter::write`]): `text` and `yaml-stream`.
    pub fn by_page(self) -> bool {
        matches!(self, Format::Text | Format::YamlStream)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// A name that is no `--output` format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    /// The AWS CLI's words after `argument --output: ` (it may add "Maybe you meant" and the
    /// closest names, which this leaves out).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Found invalid choice '{}'", self.0)
    }
}

impl std::error::Error for UnknownFormat {}

/// Why a response could not be written.
#[derive(Debug)]
pub enum OutputError {
    /// Writing failed. The AWS CLI stops quietly when the reader of its stdout has gone
    /// ([`io::ErrorKind::BrokenPipe`]); a command may do the same.
    Io(io::Error),
    /// `--query` failed on this response (a function given a value of the wrong type, …).
    Query(QueryError),
    /// The response has a shape the format cannot write: in a table, rows of different lengths
    /// in one list, or a list that starts with an object and holds something else; in text, a
    /// list of objects that holds something else too. The AWS CLI fails on these as well.
    Shape(String),
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Io(e) => write!(f, "cannot write the output: {e}"),
            OutputError::Query(e) => e.fmt(f),
            OutputError::Shape(reason) => write!(f, "cannot write the response as {reason}"),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io(e) => Some(e),
            OutputError::Query(e) => Some(e),
            OutputError::Shape(_) => None,
        }
    }
}

impl From<io::Error> for OutputError {
    fn from(e: io::Error) -> OutputError {
        OutputError::Io(e)
    }
}

impl From<QueryError> for OutputError {
    fn from(e: QueryError) -> OutputError {
        OutputError::Query(e)
    }
}

/// Writes responses of one operation in one format, after an optional `--query`.
#[derive(Debug, Clone)]
pub struct Formatter {
    format: Format,
    operation_name: String,
    query: Option<Query>,
    terminal_width: usize,
}

impl Formatter {
    /// The width the AWS CLI gives a table when stdout is not a terminal.
    pub const DEFAULT_TERMINAL_WIDTH: usize = 80;

    /// A formatter for responses of `operation_name` (`DescribeGlobalClusters`: the title of
    /// a table), with no query and a terminal of [`DEFAULT_TERMINAL_WIDTH`](Self::DEFAULT_TERMINAL_WIDTH)
    /// columns.
    pub fn new(format: Format, operation_name: impl Into<String>) -> Formatter {
        Formatter {
            format,
            operation_name: operation_name.into(),
            query: None,
            terminal_width: Self::DEFAULT_TERMINAL_WIDTH,
        }
    }

    /// Runs `query` over each response before writing it.
    pub fn with_query(mut self, query: Query) -> Formatter {
        self.query = Some(query);
        self
    }

    /// The width of the terminal stdout is, when it is one: a table wider than this is drawn
    /// with its one-row sections turned on their side.
    pub fn with_terminal_width(mut self, columns: usize) -> Formatter {
        self.terminal_width = columns;
        self
    }

    /// The format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The query, if any.
    pub fn query(&self) -> Option<&Query> {
        self.query.as_ref()
    }

    fn apply_query(&self, response: &Value) -> Result<Value, QueryError> {
        match &self.query {
            Some(query) => query.search(response),
            None => Ok(response.clone()),
        }
    }

    /// Writes a whole response: that of an operation that is not paginated, or, for the
    /// formats that are not [by page](Format::by_page), the merged pages of one that is.
    /// For `text` and `yaml-stream` it is the same as [`write_page`](Self::write_page) except
    /// that `yaml-stream` writes nothing for an empty object.
    pub fn write(&self, response: &Value, out: &mut dyn Write) -> Result<(), OutputError> {
        let text = self.render(response, false)?;
        out.write_all(text.as_bytes())?;
        Ok(())
    }

    /// Writes one page of a paginated response for the [by-page](Format::by_page) formats,
    /// as soon as it arrives. For `text` the page holds what the AWS CLI keeps of it: the list
    /// members the operation pages through (`{"GlobalClusters": [...]}`, no `Marker`).
    /// For `yaml-stream` it is the page as the service answered it. For the other formats it
    /// writes the page as a whole response, which is not what the AWS CLI does (it merges the
    /// pages first).
    pub fn write_page(&self, page: &Value, out: &mut dyn Write) -> Result<(), OutputError> {
        let text = self.render(page, true)?;
        out.write_all(text.as_bytes())?;
        Ok(())
    }

    /// Writes, in `text`, the token that continues a listing that `--max-items` stopped
    /// (`NEXTTOKEN\t<token>`, through the query as the AWS CLI does); nothing in the other
    /// formats, whose merged response carries it as `NextToken`.
    pub fn write_next_token(&self, token: &str, out: &mut dyn Write) -> Result<(), OutputError> {
        if self.format != Format::Text {
            return Ok(());
        }
        let mut inner = Map::new();
        inner.insert("NextToken".to_owned(), Value::String(token.to_owned()));
        let mut outer = Map::new();
        outer.insert("NextToken".to_owned(), Value::Object(inner));
        self.write_page(&Value::Object(outer), out)
    }

    /// The output for one response or page, as a string.
    fn render(&self, response: &Value, page: bool) -> Result<String, OutputError> {
        let mut text = String::new();
        if self.format == Format::Off {
            return Ok(text);
        }
        let value = self.apply_query(response)?;
        let empty = value.as_object().is_some_and(Map::is_empty);
        match self.format {
            Format::Json if !empty => {
                python::write_json(&value, &mut text);
                text.push('\n');
            }
            Format::Text => text::write(&value, &mut text)?,
            Format::Table => {
                table::write(&value, &self.operation_name, self.terminal_width, &mut text)?
            }
            Format::Yaml if !empty => yaml::write_document(&value, &mut text),
            Format::YamlStream if page || !empty => {
                yaml::write_document(&Value::Array(vec![value]), &mut text)
            }
            _ => {}
        }
        Ok(text)
    }
}

/// Writes `response` in `format`, without a query: [`Formatter::write`] in one call.
pub fn render(
    response: &Value,
    format: Format,
    operation_name: &str,
    out: &mut dyn Write,
) -> Result<(), OutputError> {
    Formatter::new(format, operation_name).write(response, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(formatter: &Formatter, value: &Value) -> String {
        let mut out = Vec::new();
        formatter.write(value, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn format_names_round_trip_and_unknown_names_are_named() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>().unwrap(), format);
        }
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(err.to_string(), "Found invalid choice 'xml'");
    }

    #[test]
    fn an_empty_response_prints_nothing_but_a_yaml_stream_page() {
        let empty = json!({});
        for format in Format::ALL {
            assert_eq!(
                written(&Formatter::new(format, "Op"), &empty),
                "",
                "{format}"
            );
        }
        let mut out = Vec::new();
        Formatter::new(Format::YamlStream, "Op")
            .write_page(&empty, &mut out)
            .unwrap();
        assert_eq!(out, b"- {}\n");
    }

    #[test]
    fn off_writes_nothing_and_runs_no_query() {
        let formatter =
            Formatter::new(Format::Off, "Op").with_query(Query::parse("length(@)").unwrap());
        assert_eq!(written(&formatter, &json!(true)), "");
    }

    #[test]
    fn the_next_token_is_a_text_line_of_its_own() {
        let mut out = Vec::new();
        let text = Formatter::new(Format::Text, "Op");
        text.write_next_token("abc", &mut out).unwrap();
        assert_eq!(out, b"NEXTTOKEN\tabc\n");
        let mut out = Vec::new();
        Formatter::new(Format::Json, "Op")
            .write_next_token("abc", &mut out)
            .unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn query_errors_are_output_errors() {
        let formatter =
            Formatter::new(Format::Json, "Op").with_query(Query::parse("length(@)").unwrap());
        let mut out = Vec::new();
        let err = formatter.write(&json!(5), &mut out).unwrap_err();
        assert!(matches!(err, OutputError::Query(_)), "{err:?}");
        assert!(out.is_empty());
    }
}
