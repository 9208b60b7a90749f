//! A streaming reader for awsQuery response bodies.
//!
//! A [`Decoder`] walks the document one element at a time; generated deserializers loop over
//! [`Decoder::next_child`], match on [`Element::local_name`] and read each member with a typed
//! reader ([`Decoder::string`], [`Decoder::boolean`], ...) or [`Decoder::skip`] it:
//!
//! ```
//! # use awsquery_protocol::xml::{Decoder, XmlError};
//! # fn main() -> Result<(), XmlError> {
//! let mut d = Decoder::new(b"<Cluster><Id>c-1</Id><Readers><member>r-1</member></Readers></Cluster>");
//! d.root()?;
//! let (mut id, mut readers) = (None, None);
//! while let Some(el) = d.next_child()? {
//!     match el.local_name() {
//!         b"Id" => id = Some(d.string()?),
//!         b"Readers" => {
//!             let mut list = Vec::new();
//!             while let Some(item) = d.next_child()? {
//!                 match item.local_name() {
//!                     b"member" => list.push(d.string()?),
//!                     _ => d.skip()?,
//!                 }
//!             }
//!             readers = Some(list);
//!         }
//!         _ => d.skip()?,
//!     }
//! }
//! assert_eq!(id.as_deref(), Some("c-1"));
//! assert_eq!(readers, Some(vec![String::from("r-1")]));
//! # Ok(())
//! # }
//! ```

use std::borrow::Cow;
use std::fmt;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesEnd, BytesRef, BytesStart, BytesText, Event};

use awsquery_types::text::{MAX_NAME_CHARS, lossy_prefix, printable};
use awsquery_types::time::{DateTime, TimestampFormat};

/// The deepest element nesting a [`Decoder`] accepts; deeper documents are rejected.
pub const MAX_DEPTH: usize = 64;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Longest piece of a bad value quoted in an [`XmlError`], in characters.
const EXCERPT_CHARS: usize = 40;

/// A response body that could not be read: malformed, truncated, not XML, or holding a value of the
/// wrong type.
#[derive(Debug, Clone)]
pub struct XmlError {
    offset: usize,
    /// Boxed, so that the results a decoder returns for every element stay small.
    kind: Box<ErrorKind>,
}

#[derive(Debug, Clone)]
enum ErrorKind {
    Syntax(quick_xml::Error),
    Truncated {
        open: usize,
    },
    NoRoot,
    NotXml(&'static str),
    TooDeep,
    UnknownEntity(String),
    Misuse(&'static str),
    UnexpectedRoot {
        expected: String,
        found: String,
    },
    /// The plain reader met something it leaves to quick-xml; the body is read again with it.
    /// Never returned to callers.
    Plain,
    Missing(&'static str),
    Value {
        element: String,
        expected: &'static str,
        excerpt: String,
        reason: Option<String>,
    },
}

impl XmlError {
    fn new(offset: usize, kind: ErrorKind) -> Self {
        XmlError {
            offset,
            kind: Box::new(kind),
        }
    }

    /// The byte offset in the body where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match &*self.kind {
            ErrorKind::Syntax(e) => write!(f, "malformed XML at byte {at}: {e}"),
            ErrorKind::Truncated { open } => write!(
                f,
                "XML document ends at byte {at} with {open} element(s) still open"
            ),
            ErrorKind::NoRoot => write!(f, "no root element: the body ends at byte {at}"),
            ErrorKind::NotXml(what) => write!(f, "not an XML document: {what} at byte {at}"),
            ErrorKind::TooDeep => write!(
                f,
                "XML elements nested deeper than {MAX_DEPTH} levels at byte {at}"
            ),
            ErrorKind::UnknownEntity(name) => {
                let name = printable(name, MAX_NAME_CHARS);
                write!(f, "unknown XML entity `&{name};` at byte {at}")
            }
            ErrorKind::Misuse(what) => write!(f, "cannot read XML: {what} at byte {at}"),
            ErrorKind::UnexpectedRoot { expected, found } => write!(
                f,
                "expected root element <{expected}>, found <{}> at byte {at}",
                printable(found, MAX_NAME_CHARS)
            ),
            ErrorKind::Missing(what) => write!(f, "no {what} element in the XML document"),
            ErrorKind::Plain => write!(f, "XML the plain reader leaves to quick-xml at byte {at}"),
            ErrorKind::Value {
                element,
                expected,
                excerpt,
                reason,
            } => {
                write!(
                    f,
                    "invalid {expected} in <{}> at byte {at}: {excerpt:?}",
                    printable(element, MAX_NAME_CHARS)
                )?;
                match reason {
                    Some(reason) => write!(f, " ({reason})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for XmlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Syntax(e) => Some(e),
            _ => None,
        }
    }
}

/// A start tag, borrowed from the body.
#[derive(Debug, Clone, Copy)]
pub struct Element<'a> {
    /// Everything between `<` and `>` (or `/>`): the name, then the attributes.
    tag: &'a [u8],
    name_len: usize,
    /// Where the name without its namespace prefix starts in `tag`.
    local_start: usize,
    /// Where the tag's `<` is.
    offset: usize,
}

impl<'a> Element<'a> {
    /// The element name without any namespace prefix (`Foo` for `<a:Foo>`).
    pub fn local_name(&self) -> &'a [u8] {
        &self.tag[self.local_start..self.name_len]
    }

    /// The unescaped value of an attribute, by its qualified name as written (`id`, `xsi:type`).
    pub fn attribute(&self, name: &str) -> Result<Option<Cow<'a, str>>, XmlError> {
        let error = |e: quick_xml::Error| XmlError::new(self.offset, ErrorKind::Syntax(e));
        let tag = std::str::from_utf8(self.tag).map_err(|e| error(e.into()))?;
        for attribute in Attributes::new(tag, self.name_len).with_checks(false) {
            let attribute = attribute.map_err(|e| error(e.into()))?;
            if attribute.key.as_ref() == name {
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(error)?;
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    /// Fails on an attribute that is not well-formed XML (`lang=en`, as HTML allows).
    fn check_attributes(&self) -> Result<(), XmlError> {
        let tag = std::str::from_utf8(self.tag)
            .map_err(|e| XmlError::new(self.offset, ErrorKind::Syntax(e.into())))?;
        for attribute in Attributes::new(tag, self.name_len).with_checks(false) {
            attribute.map_err(|e| XmlError::new(self.offset, ErrorKind::Syntax(e.into())))?;
        }
        Ok(())
    }
}

/// A streaming reader over one XML body.
///
/// The decoder tracks which elements are open; the typed readers ([`Decoder::string`] and the
/// like), [`Decoder::text`] and [`Decoder::skip`] apply to the element most recently returned by
/// [`Decoder::root`] or [`Decoder::next_child`] and consume it through its end tag.
pub struct Decoder<'a> {
    reader: Source<'a>,
    /// The body without a byte order mark.
    body: &'a [u8],
    /// Length of the byte order mark, added back to reported offsets.
    bom: usize,
    /// Elements currently open.
    depth: usize,
    /// Whether the element most recently opened was empty (`<Readers/>`): its end is the next
    /// event. The decoder expands empty elements itself, which quick-xml would do by copying
    /// each one's name.
    empty_open: bool,
    /// Local name of the element most recently returned, for value errors.
    current: &'a [u8],
}

impl fmt::Debug for Decoder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoder")
            .field("position", &self.position())
            .field("depth", &self.depth)
            .field("current", &String::from_utf8_lossy(self.current))
            .finish_non_exhaustive()
    }
}

/// What a [`Decoder`] reads events with.
// The plain reader keeps the names of the open elements inline: a decoder lives on the stack for
// one body, and boxing them would cost the allocation the plain reader is there to save.
#[allow(clippy::large_enum_variant)]
enum Source<'a> {
    /// quick-xml, which reads any XML document and reports what is wrong with one.
    Full(Reader<&'a [u8]>),
    /// The plain reader, for the documents services send.
    Plain(Plain<'a>),
}

impl<'a> Decoder<'a> {
    /// A decoder at the start of `body`.
    pub fn new(body: &'a [u8]) -> Self {
        let (bom, body) = strip_bom(body);
        Decoder::with_source(Source::Full(Reader::from_reader(body)), body, bom)
    }

    /// A decoder over the plain reader, when `body` can have one (it is UTF-8 and not too
    /// large). It stops with an error at anything the plain reader leaves to quick-xml, and a
    /// caller then reads the body again with [`Decoder::new`]: what the plain reader reads, it
    /// reads as quick-xml does, and every error comes from quick-xml.
    fn plain(body: &'a [u8]) -> Option<Self> {
        let (bom, body) = strip_bom(body);
        let plain = Plain::new(body)?;
        Some(Decoder::with_source(Source::Plain(plain), body, bom))
    }

    fn with_source(reader: Source<'a>, body: &'a [u8], bom: usize) -> Self {
        Decoder {
            reader,
            body,
            bom,
            depth: 0,
            empty_open: false,
            current: b"",
        }
    }

    /// Reads up to and including the root start tag, skipping the XML declaration, comments,
    /// processing instructions, a doctype and whitespace. Anything else, such as an HTML page,
    /// is an error.
    pub fn root(&mut self) -> Result<Element<'a>, XmlError> {
        if self.depth > 0 {
            return Err(self.error(ErrorKind::Misuse("the root element is already open")));
        }
        loop {
            match self.read()? {
                Event::Start(start) => {
                    let element = self.opened(start, b">")?;
                    element.check_attributes()?;
                    return Ok(element);
                }
                Event::Empty(start) => {
                    let element = self.opened(start, b"/>")?;
                    element.check_attributes()?;
                    return Ok(element);
                }
                Event::DocType(doctype) => {
                    let name = doctype.as_bytes();
                    if name.len() >= 4 && name[..4].eq_ignore_ascii_case(b"html") {
                        return Err(self.error(ErrorKind::NotXml("an HTML doctype")));
                    }
                }
                Event::Text(text) if is_blank(&text) => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error(ErrorKind::NotXml("content before the root element"))),
            }
        }
    }

    /// The next child element of the element currently open, or `None` when that element ends
    /// (its end tag is consumed). Text, comments and processing instructions between children
    /// are skipped.
    pub fn next_child(&mut self) -> Result<Option<Element<'a>>, XmlError> {
        if self.depth == 0 {
            return Ok(None);
        }
        loop {
            match self.read()? {
                Event::Start(start) => return self.opened(start, b">").map(Some),
                Event::Empty(start) => return self.opened(start, b"/>").map(Some),
                Event::End(_) => return Ok(None),
                _ => {}
            }
        }
    }

    /// The text of the element just opened, read through its end tag: text, CDATA sections and
    /// entity or character references concatenated, child elements skipped. Borrowed from the
    /// body when the text is a single piece needing no unescaping.
    pub fn text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        let inside = self.open_depth()?;
        let mut text: Option<Cow<'a, str>> = None;
        loop {
            let piece = match self.read()? {
                Event::End(_) if self.depth < inside => break,
                _ if self.depth > inside => continue,
                Event::Text(t) => t.xml10_content(),
                Event::CData(c) => c.xml10_content(),
                Event::GeneralRef(r) => self.resolve(&r)?,
                _ => continue,
            };
            match &mut text {
                _ if piece.is_empty() => {}
                None => text = Some(piece),
                Some(text) => text.to_mut().push_str(&piece),
            }
        }
        Ok(text.unwrap_or(Cow::Borrowed("")))
    }

    /// Skips the rest of the element just opened, children included, through its end tag.
    pub fn skip(&mut self) -> Result<(), XmlError> {
        let inside = self.open_depth()?;
        while self.depth >= inside {
            self.read()?;
        }
        Ok(())
    }

    /// The text of the element just opened, as is.
    pub fn string(&mut self) -> Result<String, XmlError> {
        self.text().map(Cow::into_owned)
    }

    /// `true` or `false`, surrounding whitespace ignored.
    pub fn boolean(&mut self) -> Result<bool, XmlError> {
        self.value("boolean", |s| match s {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(None),
        })
    }

    /// A byte (`i8`) in decimal.
    pub fn i8(&mut self) -> Result<i8, XmlError> {
        self.value("byte", |s| s.parse().map_err(|e| Some(format!("{e}"))))
    }

    /// A short (`i16`) in decimal.
    pub fn i16(&mut self) -> Result<i16, XmlError> {
        self.value("short", |s| s.parse().map_err(|e| Some(format!("{e}"))))
    }

    /// An integer (`i32`) in decimal.
    pub fn i32(&mut self) -> Result<i32, XmlError> {
        self.value("integer", |s| s.parse().map_err(|e| Some(format!("{e}"))))
    }

    /// A long (`i64`) in decimal.
    pub fn i64(&mut self) -> Result<i64, XmlError> {
        self.value("long", |s| s.parse().map_err(|e| Some(format!("{e}"))))
    }

    /// A float: a decimal number, `NaN`, `Infinity` or `-Infinity`.
    pub fn f32(&mut self) -> Result<f32, XmlError> {
        self.value("float", |s| s.parse().map_err(|e| Some(format!("{e}"))))
    }

    /// A double: a decimal number, `NaN`, `Infinity` or `-Infinity`.
    pub fn f64(&mut self) -> Result<f64, XmlError> {
        self.value("double", |s| s.parse().map_err(|e| Some(format!("{e}"))))
    }

    /// A timestamp in `format`.
    pub fn timestamp(&mut self, format: TimestampFormat) -> Result<DateTime, XmlError> {
        self.value("timestamp", |s| {
            DateTime::parse(s, format).map_err(|e| Some(e.to_string()))
        })
    }

    /// A base64-encoded blob.
    pub fn blob(&mut self) -> Result<Vec<u8>, XmlError> {
        self.value("blob", |s| {
            awsquery_types::base64::decode(s).map_err(|e| Some(e.to_string()))
        })
    }

    /// Reads the element's text, trimmed, and parses it; a failure names the element and the text.
    fn value<T>(
        &mut self,
        expected: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Option<String>>,
    ) -> Result<T, XmlError> {
        let element = self.current;
        let offset = self.position();
        let text = self.text()?;
        let text = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
        parse(text).map_err(|reason| {
            XmlError::new(
                offset,
                ErrorKind::Value {
                    element: String::from_utf8_lossy(element).into_owned(),
                    expected,
                    excerpt: excerpt(text),
                    reason,
                },
            )
        })
    }

    /// The next event, keeping the depth; the end of the document is an error. An empty element
    /// comes as `Event::Empty`, counted as open, and its end as the next event.
    #[inline]
    fn read(&mut self) -> Result<Event<'a>, XmlError> {
        if self.empty_open {
            self.empty_open = false;
            self.depth -= 1;
            return Ok(Event::End(BytesEnd::new("")));
        }
        let event = match &mut self.reader {
            Source::Full(reader) => reader.read_event(),
            Source::Plain(plain) => match plain.next() {
                Some(event) => Ok(event),
                None => return Err(self.error(ErrorKind::Plain)),
            },
        };
        match event {
            Ok(Event::Start(start)) => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.error(ErrorKind::TooDeep));
                }
                self.depth += 1;
                Ok(Event::Start(start))
            }
            Ok(Event::Empty(start)) => {
                if self.depth >= MAX_DEPTH {
                    return Err(self.error(ErrorKind::TooDeep));
                }
                self.depth += 1;
                self.empty_open = true;
                Ok(Event::Empty(start))
            }
            Ok(Event::End(end)) => {
                self.depth = self.depth.saturating_sub(1);
                Ok(Event::End(end))
            }
            Ok(Event::Eof) if self.depth == 0 => Err(self.error(ErrorKind::NoRoot)),
            Ok(Event::Eof) => Err(self.error(ErrorKind::Truncated { open: self.depth })),
            Ok(event) => Ok(event),
            Err(e) => Err(XmlError::new(self.error_position(), ErrorKind::Syntax(e))),
        }
    }

    /// The element for a start tag just read, borrowed from the body; the tag ended with
    /// `close` (`>`, or `/>` for an empty element), which the reader has just passed.
    #[inline]
    fn opened(&mut self, start: BytesStart<'_>, close: &[u8]) -> Result<Element<'a>, XmlError> {
        let len = start.len();
        // The reader stands just past `<`, the tag's content and `close`.
        let end = self.offset();
        let from = end.saturating_sub(close.len() + len);
        let Some(tag) = self.body.get(from..from + len) else {
            return Err(self.error(ErrorKind::NotXml("an unreadable start tag")));
        };
        debug_assert_eq!(tag, start.as_bytes());
        // The reader has found where the name ends; its local part starts after any prefix.
        let name_len = start.name().as_ref().len();
        let local_start = tag[..name_len]
            .iter()
            .rposition(|&b| b == b':')
            .map_or(0, |colon| colon + 1);
        let element = Element {
            tag,
            name_len,
            local_start,
            offset: (from + self.bom).saturating_sub(1),
        };
        self.current = element.local_name();
        Ok(element)
    }

    /// The depth of the element just opened.
    fn open_depth(&self) -> Result<usize, XmlError> {
        match self.depth {
            0 => Err(self.error(ErrorKind::Misuse("no element is open"))),
            depth => Ok(depth),
        }
    }

    /// The text an entity or character reference stands for.
    fn resolve(&self, reference: &BytesRef<'a>) -> Result<Cow<'a, str>, XmlError> {
        match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(Cow::Owned(String::from(c))),
            Ok(None) => quick_xml::escape::resolve_predefined_entity(reference)
                .map(Cow::Borrowed)
                .ok_or_else(|| self.error(ErrorKind::UnknownEntity(reference.to_string()))),
            Err(e) => Err(self.error(ErrorKind::Syntax(e))),
        }
    }

    /// How far the reader is into the body without its byte order mark.
    fn offset(&self) -> usize {
        match &self.reader {
            Source::Full(reader) => reader.buffer_position() as usize,
            Source::Plain(plain) => plain.at,
        }
    }

    fn position(&self) -> usize {
        self.offset() + self.bom
    }

    fn error_position(&self) -> usize {
        let at = match &self.reader {
            Source::Full(reader) => reader.error_position() as usize,
            Source::Plain(plain) => plain.at,
        };
        at + self.bom
    }

    fn error(&self, kind: ErrorKind) -> XmlError {
        XmlError::new(self.position(), kind)
    }
}

/// The body without a UTF-8 byte order mark, and the mark's length.
fn strip_bom(body: &[u8]) -> (usize, &[u8]) {
    match body.strip_prefix(UTF8_BOM) {
        Some(rest) => (UTF8_BOM.len(), rest),
        None => (0, body),
    }
}

/// The names of the elements a [`Plain`] reader may have open at once: one more than a
/// [`Decoder`] accepts, since the decoder counts an element after its reader has read it.
const PLAIN_OPEN: usize = MAX_DEPTH + 1;

/// A reader of the XML that services send: start, end and empty tags, text, and entity and
/// character references, read from a body known to be UTF-8, without allocating.
///
/// It gives the events quick-xml would give for such documents, at the same offsets, and stops
/// (`None`) at anything else: comments, CDATA, processing instructions and declarations, a
/// doctype, an end tag that does not close the element open, an unclosed tag or reference, a
/// quote in an element name, too many open elements. A stopped read starts again with
/// quick-xml, which reads the rest of XML and words every error.
struct Plain<'a> {
    text: &'a str,
    /// Where the next event starts.
    at: usize,
    /// Where the names of the open elements start and end (within `u32`: [`Plain::new`] takes
    /// no larger body).
    open: [(u32, u32); PLAIN_OPEN],
    depth: usize,
    /// Set once the reader has stopped: it never reads on after something it leaves to
    /// quick-xml, whatever the caller does with the error.
    stopped: bool,
}

impl<'a> Plain<'a> {
    /// A reader of `body` (without its byte order mark), if it is UTF-8, has no second mark,
    /// and its offsets fit in `u32`.
    fn new(body: &'a [u8]) -> Option<Self> {
        if u32::try_from(body.len()).is_err() || body.starts_with(UTF8_BOM) {
            return None;
        }
        let text = std::str::from_utf8(body).ok()?;
        Some(Plain {
            text,
            at: 0,
            open: [(0, 0); PLAIN_OPEN],
            depth: 0,
            stopped: false,
        })
    }

    /// The next event, or `None` where quick-xml should take over (and from then on).
    #[inline]
    fn next(&mut self) -> Option<Event<'a>> {
        let event = if self.stopped { None } else { self.event() };
        self.stopped = event.is_none();
        event
    }

    #[inline]
    fn event(&mut self) -> Option<Event<'a>> {
        let bytes = self.text.as_bytes();
        let at = self.at;
        match bytes.get(at) {
            None => Some(Event::Eof),
            Some(b'<') => self.markup(at),
            Some(b'&') => {
                // `&name;`: quick-xml ends a reference at `;`, and stops at `&` or `<` first.
                let end = at + 1 + memchr::memchr3(b';', b'&', b'<', &bytes[at + 1..])?;
                if bytes[end] != b';' {
                    return None;
                }
                self.at = end + 1;
                Some(Event::GeneralRef(BytesRef::new(&self.text[at + 1..end])))
            }
            Some(_) => {
                let end = memchr::memchr2(b'<', b'&', &bytes[at..]).map_or(bytes.len(), |i| at + i);
                self.at = end;
                Some(Event::Text(BytesText::from_escaped(&self.text[at..end])))
            }
        }
    }

    /// A tag starting at `at`, where the `<` is.
    #[inline]
    fn markup(&mut self, at: usize) -> Option<Event<'a>> {
        let bytes = self.text.as_bytes();
        match *bytes.get(at + 1)? {
            b'!' | b'?' => None,
            b'/' => {
                // Only the end tag of the element open, exactly: `</Name>`.
                let (start, end) = self.open[self.depth.checked_sub(1)?];
                let name = &self.text[start as usize..end as usize];
                let close = at + 2 + name.len();
                if bytes.get(at + 2..close)? != name.as_bytes() || bytes.get(close) != Some(&b'>') {
                    return None;
                }
                self.depth -= 1;
                self.at = close + 1;
                Some(Event::End(BytesEnd::new(name)))
            }
            _ => {
                // quick-xml ends a tag at the first `>` outside quoted attribute values.
                let from = at + 1;
                let mut quote = None;
                let mut end = None;
                for i in memchr::memchr3_iter(b'>', b'\'', b'"', &bytes[from..]) {
                    let b = bytes[from + i];
                    match quote {
                        None if b == b'>' => {
                            end = Some(from + i);
                            break;
                        }
                        None => quote = Some(b),
                        Some(q) if q == b => quote = None,
                        Some(_) => {}
                    }
                }
                let end = end?;
                self.at = end + 1;
                let (content, empty) = match self.text[from..end].strip_suffix('/') {
                    Some(content) => (content, true),
                    None => (&self.text[from..end], false),
                };
                // The name ends at whitespace; a quote in it would make quick-xml read its end
                // tag otherwise than this reader does.
                let mut name_len = content.len();
                for (i, b) in content.bytes().enumerate() {
                    match b {
                        b' ' | b'\t' | b'\r' | b'\n' => {
                            name_len = i;
                            break;
                        }
                        b'"' | b'\'' => return None,
                        _ => {}
                    }
                }
                if name_len == 0 {
                    return None;
                }
                let start = BytesStart::from_content(content, name_len);
                if empty {
                    return Some(Event::Empty(start));
                }
                if self.depth == PLAIN_OPEN {
                    return None;
                }
                // Offsets fit in u32: `new` takes no larger body.
                let name_at = u32::try_from(from).ok()?;
                let name_end = u32::try_from(from + name_len).ok()?;
                self.open[self.depth] = (name_at, name_end);
                self.depth += 1;
                Some(Event::Start(start))
            }
        }
    }
}

fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// An element name for an error message: only its start is copied (however long the name), and
/// `Display` bounds it further.
fn name_excerpt(name: &[u8]) -> String {
    lossy_prefix(name, 4 * MAX_NAME_CHARS + 4).0.into_owned()
}

/// The start of `text`, cut at [`EXCERPT_CHARS`] characters.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// What an awsQuery error body says.
///
/// Read from `<ErrorResponse><Error>...</Error><RequestId/></ErrorResponse>`,
/// `<ErrorResponse><Errors><Error>...</Error></Errors></ErrorResponse>` or
/// `<Response><Errors><Error>...</Error></Errors><RequestID/></Response>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// `<Code>`: the error's name, which selects the modeled error.
    pub code: Option<String>,
    /// `<Message>`.
    pub message: Option<String>,
    /// `<Type>`: `Sender` or `Receiver`.
    pub kind: Option<String>,
    /// `<RequestId>` (or `<RequestID>`).
    pub request_id: Option<String>,
}

/// Reads the code, message, type and request id of an error body. Only the first `<Error>` counts;
/// unknown elements are skipped and namespace prefixes ignored.
pub fn parse_error_envelope(body: &[u8]) -> Result<ErrorEnvelope, XmlError> {
    if let Some(envelope) = Decoder::plain(body).and_then(|d| read_error_envelope(d).ok()) {
        return Ok(envelope);
    }
    read_error_envelope(Decoder::new(body))
}

fn read_error_envelope(mut d: Decoder<'_>) -> Result<ErrorEnvelope, XmlError> {
    open_error_root(&mut d)?;
    let mut envelope = ErrorEnvelope::default();
    let mut seen_error = false;
    while let Some(el) = d.next_child()? {
        match el.local_name() {
            b"Error" if !seen_error => {
                read_error(&mut d, &mut envelope)?;
                seen_error = true;
            }
            b"Errors" => {
                while let Some(item) = d.next_child()? {
                    match item.local_name() {
                        b"Error" if !seen_error => {
                            read_error(&mut d, &mut envelope)?;
                            seen_error = true;
                        }
                        _ => d.skip()?,
                    }
                }
            }
            b"RequestId" | b"RequestID" => envelope.request_id = Some(trimmed(d.string()?)),
            _ => d.skip()?,
        }
    }
    Ok(envelope)
}

fn read_error(d: &mut Decoder<'_>, envelope: &mut ErrorEnvelope) -> Result<(), XmlError> {
    while let Some(el) = d.next_child()? {
        match el.local_name() {
            b"Code" => envelope.code = Some(trimmed(d.string()?)),
            b"Message" => envelope.message = Some(d.string()?),
            b"Type" => envelope.kind = Some(trimmed(d.string()?)),
            b"RequestId" | b"RequestID" => envelope.request_id = Some(trimmed(d.string()?)),
            _ => d.skip()?,
        }
    }
    Ok(())
}

/// `text` without surrounding whitespace, still borrowed if it was.
fn trimmed_text(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
        Cow::Owned(text) => Cow::Owned(trimmed(text)),
    }
}

fn trimmed(mut text: String) -> String {
    let trimmed = text.trim();
    if trimmed.len() != text.len() {
        text = trimmed.to_owned();
    }
    text
}

/// Opens the root of an error body, which must be `<ErrorResponse>` or `<Response>`.
fn open_error_root(d: &mut Decoder<'_>) -> Result<(), XmlError> {
    let root = d.root()?;
    match root.local_name() {
        b"ErrorResponse" | b"Response" => Ok(()),
        found => Err(XmlError::new(
            root.offset,
            ErrorKind::UnexpectedRoot {
                expected: String::from("ErrorResponse"),
                found: name_excerpt(found),
            },
        )),
    }
}

/// A decoder positioned inside the first `<Error>` of an error body, for reading a modeled error's
/// members with [`Decoder::next_child`].
pub fn error_element(body: &[u8]) -> Result<Decoder<'_>, XmlError> {
    let mut d = Decoder::new(body);
    open_error_root(&mut d)?;
    while let Some(el) = d.next_child()? {
        match el.local_name() {
            b"Error" => return Ok(d),
            b"Errors" => {
                while let Some(item) = d.next_child()? {
                    if item.local_name() == b"Error" {
                        return Ok(d);
                    }
                    d.skip()?;
                }
            }
            _ => d.skip()?,
        }
    }
    Err(d.error(ErrorKind::Missing("<Error>")))
}

/// A decoder positioned inside `<{result}>` of a success body whose root is `<{response}>`
/// (`FailoverGlobalClusterResponse`, `FailoverGlobalClusterResult`). `None` when the root has no
/// such child, as for an operation without output members. A different root is an error.
pub fn result_element<'a>(
    body: &'a [u8],
    response: &str,
    result: &str,
) -> Result<Option<Decoder<'a>>, XmlError> {
    let mut d = success_root(Decoder::new(body), response)?;
    while let Some(el) = d.next_child()? {
        if el.local_name() == result.as_bytes() {
            return Ok(Some(d));
        }
        d.skip()?;
    }
    Ok(None)
}

/// The decoder inside the root of a success body, which must be `<{response}>`.
fn success_root<'a>(mut d: Decoder<'a>, response: &str) -> Result<Decoder<'a>, XmlError> {
    let root = d.root()?;
    if root.local_name() != response.as_bytes() {
        return Err(XmlError::new(
            root.offset,
            ErrorKind::UnexpectedRoot {
                expected: response.to_owned(),
                found: name_excerpt(root.local_name()),
            },
        ));
    }
    Ok(d)
}

/// Reads a whole success body whose root is `<{response}>`: the output, read by `read` from
/// inside `<{result}>` (the default output when there is no such element), and the request id
/// of `<ResponseMetadata><RequestId>`, if any (borrowed from the body when it can be). A different root, or a document that is malformed
/// anywhere (after the result too), is an error.
///
/// The body is read with a plain reader first, and read again with quick-xml when that stops or
/// anything fails, so `read` may run twice and every error is quick-xml's reading.
///
/// ```
/// # use awsquery_protocol::xml::{Decoder, XmlError, read_success};
/// let body = b"<PingResponse><PingResult><Pong>yes</Pong></PingResult>\
///     <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PingResponse>";
/// let read = |d: &mut Decoder<'_>| -> Result<Option<String>, XmlError> {
///     let mut pong = None;
///     while let Some(el) = d.next_child()? {
///         match el.local_name() {
///             b"Pong" => pong = Some(d.string()?),
///             _ => d.skip()?,
///         }
///     }
///     Ok(pong)
/// };
/// let (pong, request_id) = read_success(body, "PingResponse", "PingResult", read).unwrap();
/// assert_eq!(pong.as_deref(), Some("yes"));
/// assert_eq!(request_id.as_deref(), Some("r-1"));
/// ```
pub fn read_success<'a, T: Default>(
    body: &'a [u8],
    response: &str,
    result: &str,
    read: impl Fn(&mut Decoder<'a>) -> Result<T, XmlError>,
) -> Result<(T, Option<Cow<'a, str>>), XmlError> {
    if let Some(d) = Decoder::plain(body) {
        if let Ok(read) = read_success_with(d, response, result, &read) {
            return Ok(read);
        }
    }
    read_success_with(Decoder::new(body), response, result, &read)
}

fn read_success_with<'a, T: Default>(
    d: Decoder<'a>,
    response: &str,
    result: &str,
    read: &impl Fn(&mut Decoder<'a>) -> Result<T, XmlError>,
) -> Result<(T, Option<Cow<'a, str>>), XmlError> {
    let mut d = success_root(d, response)?;
    let mut output = None;
    let mut request_id = None;
    while let Some(el) = d.next_child()? {
        match el.local_name() {
            name if name == result.as_bytes() => match output {
                None => output = Some(read(&mut d)?),
                Some(_) => d.skip()?,
            },
            b"ResponseMetadata" => request_id = read_response_metadata(&mut d)?.or(request_id),
            _ => d.skip()?,
        }
    }
    Ok((output.unwrap_or_default(), request_id))
}

/// The `<RequestId>` of a `<ResponseMetadata>` element just opened, read through its end.
/// Borrowed from the body when it can be.
fn read_response_metadata<'a>(d: &mut Decoder<'a>) -> Result<Option<Cow<'a, str>>, XmlError> {
    let mut request_id = None;
    while let Some(el) = d.next_child()? {
        match el.local_name() {
            b"RequestId" | b"RequestID" => request_id = Some(trimmed_text(d.text()?)),
            _ => d.skip()?,
        }
    }
    Ok(request_id)
}

/// The request id in `<ResponseMetadata>` of a success body, for an output without members, whose
/// body is otherwise not read: `None` when there is none, or when the body is not a readable
/// awsQuery response (an empty body, say).
pub fn success_request_id(body: &[u8]) -> Option<String> {
    if let Some(request_id) = Decoder::plain(body).and_then(|d| read_request_id(d).ok()) {
        return request_id.map(Cow::into_owned);
    }
    read_request_id(Decoder::new(body))
        .unwrap_or(None)
        .map(Cow::into_owned)
}

/// The request id of a success body; `Err` where the body cannot be read that far.
fn read_request_id(mut d: Decoder<'_>) -> Result<Option<Cow<'_, str>>, XmlError> {
    d.root()?;
    while let Some(el) = d.next_child()? {
        if el.local_name() == b"ResponseMetadata" {
            return read_response_metadata(&mut d);
        }
        d.skip()?;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILOVER_200: &str = r#"<FailoverGlobalClusterResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><FailoverGlobalClusterResult><GlobalCluster><GlobalClusterIdentifier>my-global</GlobalClusterIdentifier><GlobalClusterResourceId>cluster-abc</GlobalClusterResourceId><GlobalClusterArn>arn:aws:rds::123456789012:global-cluster:my-global</GlobalClusterArn><Status>failing-over</Status><Engine>neptune</Engine><EngineVersion>1.2.0.0</EngineVersion><StorageEncrypted>true</StorageEncrypted><DeletionProtection>false</DeletionProtection><GlobalClusterMembers><GlobalClusterMember><DBClusterArn>arn:aws:rds:us-east-1:123456789012:cluster:primary</DBClusterArn><Readers><member>arn:aws:rds:us-west-2:123456789012:cluster:secondary</member></Readers><IsWriter>true</IsWriter></GlobalClusterMember><GlobalClusterMember><DBClusterArn>arn:aws:rds:us-west-2:123456789012:cluster:secondary</DBClusterArn><Readers/><IsWriter>false</IsWriter></GlobalClusterMember></GlobalClusterMembers></GlobalCluster></FailoverGlobalClusterResult><ResponseMetadata><RequestId>a1b2c3</RequestId></ResponseMetadata></FailoverGlobalClusterResponse>"#;

    const FAILOVER_404: &str = r#"<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>GlobalClusterNotFoundFault</Code><Message>Global cluster my-global not found</Message></Error><RequestId>d4e5f6</RequestId></ErrorResponse>"#;

    const BAD_SIGNATURE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.</Message><Type>Sender</Type></Error></Errors></ErrorResponse>"#;

    const HTML_500: &str = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request.</p>\n";

    #[derive(Debug, Default, PartialEq)]
    struct GlobalCluster {
        global_cluster_identifier: Option<String>,
        status: Option<String>,
        storage_encrypted: Option<bool>,
        deletion_protection: Option<bool>,
        members: Option<Vec<Member>>,
    }

    #[derive(Debug, Default, PartialEq)]
    struct Member {
        db_cluster_arn: Option<String>,
        readers: Option<Vec<String>>,
        is_writer: Option<bool>,
    }

    /// Written the way generated deserializers are.
    fn global_cluster(d: &mut Decoder<'_>) -> Result<GlobalCluster, XmlError> {
        let mut out = GlobalCluster::default();
        while let Some(el) = d.next_child()? {
            match el.local_name() {
                b"GlobalClusterIdentifier" => out.global_cluster_identifier = Some(d.string()?),
                b"Status" => out.status = Some(d.string()?),
                b"StorageEncrypted" => out.storage_encrypted = Some(d.boolean()?),
                b"DeletionProtection" => out.deletion_protection = Some(d.boolean()?),
                b"GlobalClusterMembers" => {
                    let mut list = Vec::new();
                    while let Some(item) = d.next_child()? {
                        match item.local_name() {
                            b"GlobalClusterMember" => list.push(member(d)?),
                            _ => d.skip()?,
                        }
                    }
                    out.members = Some(list);
                }
                _ => d.skip()?,
            }
        }
        Ok(out)
    }

    fn member(d: &mut Decoder<'_>) -> Result<Member, XmlError> {
        let mut out = Member::default();
        while let Some(el) = d.next_child()? {
            match el.local_name() {
                b"DBClusterArn" => out.db_cluster_arn = Some(d.string()?),
                b"IsWriter" => out.is_writer = Some(d.boolean()?),
                b"Readers" => {
                    let mut list = Vec::new();
                    while let Some(item) = d.next_child()? {
                        match item.local_name() {
                            b"member" => list.push(d.string()?),
                            _ => d.skip()?,
                        }
                    }
                    out.readers = Some(list);
                }
                _ => d.skip()?,
            }
        }
        Ok(out)
    }

    fn failover_output(body: &str) -> Result<Option<GlobalCluster>, XmlError> {
        let Some(mut d) = result_element(
            body.as_bytes(),
            "FailoverGlobalClusterResponse",
            "FailoverGlobalClusterResult",
        )?
        else {
            return Ok(None);
        };
        let mut cluster = None;
        while let Some(el) = d.next_child()? {
            match el.local_name() {
                b"GlobalCluster" => cluster = Some(global_cluster(&mut d)?),
                _ => d.skip()?,
            }
        }
        Ok(cluster)
    }

    /// The text of the root element.
    fn root_text(body: &str) -> Result<Cow<'_, str>, XmlError> {
        let mut d = Decoder::new(body.as_bytes());
        d.root()?;
        d.text()
    }

    #[test]
    fn empty_elements_open_and_close_in_place() {
        let body = "\u{feff}<r:Root xmlns:r=\"urn:x\"><A/><r:B id=\"b&amp;1\"/><C>c</C><D />\
                    <E><F/></E><G/></r:Root>";
        let mut d = Decoder::new(body.as_bytes());
        assert_eq!(d.root().unwrap().local_name(), b"Root");
        let a = d.next_child().unwrap().unwrap();
        assert_eq!(a.local_name(), b"A");
        assert_eq!(d.text().unwrap(), "");
        let b = d.next_child().unwrap().unwrap();
        assert_eq!(b.local_name(), b"B");
        assert_eq!(b.attribute("id").unwrap().as_deref(), Some("b&1"));
        d.skip().unwrap();
        assert_eq!(d.next_child().unwrap().unwrap().local_name(), b"C");
        assert_eq!(d.string().unwrap(), "c");
        // An empty element is a value like any other: its text is empty, and the error says
        // where its value would start, after its tag (the byte order mark counted).
        assert_eq!(d.next_child().unwrap().unwrap().local_name(), b"D");
        let error = d.boolean().unwrap_err();
        assert_eq!(error.offset(), body.find("<D />").unwrap() + "<D />".len());
        assert!(
            error.to_string().contains("invalid boolean in <D>"),
            "{error}"
        );
        assert_eq!(d.next_child().unwrap().unwrap().local_name(), b"E");
        assert_eq!(d.next_child().unwrap().unwrap().local_name(), b"F");
        assert!(d.next_child().unwrap().is_none());
        assert!(d.next_child().unwrap().is_none());
        assert_eq!(d.next_child().unwrap().unwrap().local_name(), b"G");
        assert!(d.next_child().unwrap().is_none());
        assert!(d.next_child().unwrap().is_none());
    }

    #[test]
    fn failover_global_cluster_response() {
        let cluster = failover_output(FAILOVER_200).unwrap().unwrap();
        assert_eq!(
            cluster.global_cluster_identifier.as_deref(),
            Some("my-global")
        );
        assert_eq!(cluster.status.as_deref(), Some("failing-over"));
        assert_eq!(cluster.storage_encrypted, Some(true));
        assert_eq!(cluster.deletion_protection, Some(false));
        let members = cluster.members.unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(
            members[0].readers,
            Some(vec![String::from(
                "arn:aws:rds:us-west-2:123456789012:cluster:secondary"
            )])
        );
        assert_eq!(members[0].is_writer, Some(true));
        // `<Readers/>` is an empty list, not an absent one.
        assert_eq!(members[1].readers, Some(Vec::new()));
        assert_eq!(members[1].is_writer, Some(false));
        assert_eq!(
            members[1].db_cluster_arn.as_deref(),
            Some("arn:aws:rds:us-west-2:123456789012:cluster:secondary")
        );
    }

    #[test]
    fn pretty_printed_with_declaration_and_comments() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<FailoverGlobalClusterResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
  <FailoverGlobalClusterResult>
    <GlobalCluster>
      <GlobalClusterIdentifier>my-global</GlobalClusterIdentifier>
      <!-- a comment between members -->
      <StorageEncrypted>
        true
      </StorageEncrypted>
      <GlobalClusterMembers>
        <GlobalClusterMember>
          <Readers>
            <member>r1</member>
            <member>r2</member>
          </Readers>
        </GlobalClusterMember>
        <GlobalClusterMember>
          <Readers />
        </GlobalClusterMember>
      </GlobalClusterMembers>
    </GlobalCluster>
  </FailoverGlobalClusterResult>
  <ResponseMetadata>
    <RequestId>a1b2c3</RequestId>
  </ResponseMetadata>
</FailoverGlobalClusterResponse>
"#;
        let cluster = failover_output(body).unwrap().unwrap();
        assert_eq!(
            cluster.global_cluster_identifier.as_deref(),
            Some("my-global")
        );
        assert_eq!(cluster.storage_encrypted, Some(true));
        let members = cluster.members.unwrap();
        assert_eq!(members[0].readers, Some(vec!["r1".into(), "r2".into()]));
        assert_eq!(members[1].readers, Some(Vec::new()));
    }

    #[test]
    fn unknown_elements_are_skipped() {
        let body = r#"<R><Unknown a="1"><Deep><Deeper>x</Deeper><Empty/></Deep>text</Unknown><Status>ok</Status><Unknown/><Other>y</Other></R>"#;
        let mut d = Decoder::new(body.as_bytes());
        d.root().unwrap();
        let mut status = None;
        while let Some(el) = d.next_child().unwrap() {
            match el.local_name() {
                b"Status" => status = Some(d.string().unwrap()),
                _ => d.skip().unwrap(),
            }
        }
        assert_eq!(status.as_deref(), Some("ok"));
        assert!(d.next_child().unwrap().is_none());
    }

    #[test]
    fn namespace_prefixes() {
        let body = r#"<a:Response xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a:Result><a:Value xsi:type="xs:string" id='v&amp;1'>42</a:Value></a:Result></a:Response>"#;
        let mut d = result_element(body.as_bytes(), "Response", "Result")
            .unwrap()
            .unwrap();
        let el = d.next_child().unwrap().unwrap();
        assert_eq!(el.local_name(), b"Value");
        assert_eq!(
            el.attribute("xsi:type").unwrap().as_deref(),
            Some("xs:string")
        );
        assert_eq!(el.attribute("id").unwrap().as_deref(), Some("v&1"));
        assert_eq!(el.attribute("type").unwrap(), None);
        assert_eq!(d.i32().unwrap(), 42);
        assert!(d.next_child().unwrap().is_none());
    }

    #[test]
    fn entities_and_cdata() {
        let text =
            root_text("<V>a &amp; b &lt;&#x41;&#66;<![CDATA[<raw>&amp;]]>&quot;&apos;&gt;</V>")
                .unwrap();
        assert_eq!(text, "a & b <AB<raw>&amp;\"'>");

        assert!(matches!(
            root_text("<V>plain text</V>").unwrap(),
            Cow::Borrowed("plain text")
        ));
        assert!(matches!(
            root_text("<V>&amp;</V>").unwrap(),
            Cow::Borrowed("&")
        ));
        assert!(matches!(
            root_text("<V><![CDATA[x]]></V>").unwrap(),
            Cow::Borrowed("x")
        ));
        assert_eq!(root_text("<V></V>").unwrap(), "");
        assert_eq!(root_text("<V/>").unwrap(), "");
        assert_eq!(root_text("<V>日本 é</V>").unwrap(), "日本 é");

        let err = root_text("<V>&nbsp;</V>").unwrap_err();
        assert!(err.to_string().contains("&nbsp;"), "{err}");
        assert!(root_text("<V>&#xD800;</V>").is_err());
    }

    #[test]
    fn text_skips_child_elements_and_comments() {
        assert_eq!(
            root_text("<V>x<B>y<C>z</C></B>w<!-- c -->v</V>").unwrap(),
            "xwv"
        );
    }

    #[test]
    fn depth_limit() {
        let nested = |n: usize| format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));

        let ok = nested(MAX_DEPTH);
        let mut d = Decoder::new(ok.as_bytes());
        d.root().unwrap();
        d.skip().unwrap();

        let deep = nested(MAX_DEPTH + 1);
        let mut d = Decoder::new(deep.as_bytes());
        d.root().unwrap();
        let err = d.skip().unwrap_err();
        assert!(err.to_string().contains("deeper than 64"), "{err}");

        // Descending with next_child hits the same limit.
        let very_deep = nested(100_000);
        let mut d = Decoder::new(very_deep.as_bytes());
        d.root().unwrap();
        let err = loop {
            match d.next_child() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("no error"),
                Err(err) => break err,
            }
        };
        assert!(err.to_string().contains("deeper than"), "{err}");
        assert!(parse_error_envelope(very_deep.as_bytes()).is_err());
    }

    #[test]
    fn truncated_documents() {
        let in_text = FAILOVER_200.find("failing-over").unwrap() + 4;
        let err = failover_output(&FAILOVER_200[..in_text]).unwrap_err();
        assert!(err.to_string().contains("4 element(s) still open"), "{err}");
        // Whatever follows the result element is never read.
        let result_end = FAILOVER_200.find("</FailoverGlobalClusterResult>").unwrap();
        for cut in 0..=result_end {
            assert!(failover_output(&FAILOVER_200[..cut]).is_err(), "{cut}");
        }

        for body in [
            "<R><A>text",
            "<R><A>te",
            "<R><A",
            "<R><A>x</A",
            "<R>",
            "<R><A/>",
        ] {
            let mut d = Decoder::new(body.as_bytes());
            let result = d.root().and_then(|_| d.skip());
            assert!(result.is_err(), "{body}");
        }
        let err = root_text("<V>abc").unwrap_err();
        assert!(err.to_string().contains("still open"), "{err}");
    }

    #[test]
    fn not_xml() {
        let mut d = Decoder::new(HTML_500.as_bytes());
        let err = d.root().unwrap_err();
        assert!(err.to_string().contains("HTML"), "{err}");
        assert!(parse_error_envelope(HTML_500.as_bytes()).is_err());
        assert!(error_element(HTML_500.as_bytes()).is_err());
        assert!(result_element(HTML_500.as_bytes(), "R", "S").is_err());

        // HTML without a doctype: the unquoted attribute is not XML.
        assert!(
            Decoder::new(b"<html lang=en><p>x</p></html>")
                .root()
                .is_err()
        );

        for body in [
            &b""[..],
            b"   \n",
            b"Internal Server Error",
            b"{\"message\":\"x\"}",
            b"\xFF\xFE<\x00R\x00>\x00",
            b"<R>\xC3\x28</R>",
            b"</R>",
            b"<",
            b"<!-- only a comment -->",
        ] {
            let mut d = Decoder::new(body);
            let result = d.root().and_then(|_| d.skip());
            assert!(result.is_err(), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let body = b"\xEF\xBB\xBF<R><A x=\"1\">v</A></R>";
        let mut d = Decoder::new(body);
        d.root().unwrap();
        let el = d.next_child().unwrap().unwrap();
        assert_eq!(el.attribute("x").unwrap().as_deref(), Some("1"));
        assert_eq!(d.string().unwrap(), "v");
    }

    #[test]
    fn error_envelopes() {
        assert_eq!(
            parse_error_envelope(FAILOVER_404.as_bytes()).unwrap(),
            ErrorEnvelope {
                code: Some("GlobalClusterNotFoundFault".into()),
                message: Some("Global cluster my-global not found".into()),
                kind: Some("Sender".into()),
                request_id: Some("d4e5f6".into()),
            }
        );

        let envelope = parse_error_envelope(BAD_SIGNATURE.as_bytes()).unwrap();
        assert_eq!(envelope.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert!(
            envelope
                .message
                .unwrap()
                .starts_with("The request signature")
        );
        assert_eq!(envelope.kind.as_deref(), Some("Sender"));
        assert_eq!(envelope.request_id, None);

        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Errors>
    <Error>
      <Code>InvalidParameterValue</Code>
      <Message>Value (x) for parameter y is invalid.</Message>
      <Extra><Nested/></Extra>
    </Error>
    <Error><Code>Second</Code></Error>
  </Errors>
  <RequestID>59dbff89-35bd-4eac-99ed-be587EXAMPLE</RequestID>
</Response>"#;
        assert_eq!(
            parse_error_envelope(body.as_bytes()).unwrap(),
            ErrorEnvelope {
                code: Some("InvalidParameterValue".into()),
                message: Some("Value (x) for parameter y is invalid.".into()),
                kind: None,
                request_id: Some("59dbff89-35bd-4eac-99ed-be587EXAMPLE".into()),
            }
        );

        let prefixed = r#"<e:ErrorResponse xmlns:e="urn:e"><e:Error><e:Code>C</e:Code></e:Error><e:RequestId>r</e:RequestId></e:ErrorResponse>"#;
        let envelope = parse_error_envelope(prefixed.as_bytes()).unwrap();
        assert_eq!(envelope.code.as_deref(), Some("C"));
        assert_eq!(envelope.request_id.as_deref(), Some("r"));

        let err = parse_error_envelope(FAILOVER_200.as_bytes()).unwrap_err();
        assert!(
            err.to_string().contains("FailoverGlobalClusterResponse"),
            "{err}"
        );
    }

    #[test]
    fn error_element_reads_members() {
        for body in [FAILOVER_404, BAD_SIGNATURE] {
            let mut d = error_element(body.as_bytes()).unwrap();
            let mut code = None;
            while let Some(el) = d.next_child().unwrap() {
                match el.local_name() {
                    b"Code" => code = Some(d.string().unwrap()),
                    _ => d.skip().unwrap(),
                }
            }
            assert!(code.is_some(), "{body}");
        }
        let err =
            error_element(b"<ErrorResponse><RequestId>x</RequestId></ErrorResponse>").unwrap_err();
        assert!(err.to_string().contains("<Error>"), "{err}");
    }

    #[test]
    fn hostile_names_in_errors_are_bounded_and_escaped() {
        let long = format!("<{0}></{0}>", "N".repeat(100_000));
        let err = failover_output(&long).unwrap_err().to_string();
        assert!(err.len() < 400, "{}", err.len());
        let err = parse_error_envelope(long.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.len() < 400, "{}", err.len());
    }

    #[test]
    fn result_element_roots() {
        let err = failover_output(FAILOVER_404).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("<FailoverGlobalClusterResponse>"),
            "{message}"
        );
        assert!(message.contains("found <ErrorResponse>"), "{message}");

        let body = b"<DeleteResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteResponse>";
        assert!(
            result_element(body, "DeleteResponse", "DeleteResult")
                .unwrap()
                .is_none()
        );
        let body = b"<DeleteResponse><DeleteResult/></DeleteResponse>";
        let mut d = result_element(body, "DeleteResponse", "DeleteResult")
            .unwrap()
            .unwrap();
        assert!(d.next_child().unwrap().is_none());
    }

    /// The members of `<PingResult>`: the text of `<Pong>`.
    fn pong(d: &mut Decoder<'_>) -> Result<Option<String>, XmlError> {
        let mut pong = None;
        while let Some(el) = d.next_child()? {
            match el.local_name() {
                b"Pong" => pong = Some(d.string()?),
                _ => d.skip()?,
            }
        }
        Ok(pong)
    }

    #[test]
    fn success_bodies_give_the_output_and_the_request_id() {
        fn read(body: &str) -> Result<(Option<String>, Option<Cow<'_, str>>), XmlError> {
            read_success(body.as_bytes(), "PingResponse", "PingResult", pong)
        }

        let ping = FAILOVER_200.replace("FailoverGlobalCluster", "Ping");
        let (output, id) = read(&ping).expect("a success body");
        assert_eq!((output, id.as_deref()), (None, Some("a1b2c3")));

        // Whitespace around the id is not part of it; metadata before the result counts too.
        let (output, id) = read(
            "<PingResponse><ResponseMetadata><Other/><RequestId>\n  r-2 </RequestId>\
             </ResponseMetadata><PingResult><Pong>p</Pong></PingResult></PingResponse>",
        )
        .unwrap();
        assert_eq!((output.as_deref(), id.as_deref()), (Some("p"), Some("r-2")));

        // No metadata: no id. No result: the default output.
        let (output, id) =
            read("<PingResponse><PingResult><Pong>p</Pong></PingResult></PingResponse>").unwrap();
        assert_eq!((output.as_deref(), id), (Some("p"), None));
        let (output, id) = read(
            "<PingResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PingResponse>",
        )
        .unwrap();
        assert_eq!((output, id.as_deref()), (None, Some("r")));

        // The whole document is read: a broken tail, another root, and a cut body are errors.
        for bad in [
            "<PingResponse><PingResult><Pong>p</Pong></PingResult><ResponseMetadata>",
            "<PingResponse><PingResult><Pong>p</Pong></PingResult></Wrong>",
            "<ErrorResponse><PingResult/></ErrorResponse>",
            "",
        ] {
            assert!(read(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_request_id_of_a_body_without_output_members_is_read_leniently() {
        let body = b"<DeleteResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteResponse>";
        assert_eq!(success_request_id(body).as_deref(), Some("r"));
        let unrelated = b"<DeleteResponse><DeleteResult/><ResponseMetadata><RequestID>R</RequestID></ResponseMetadata></DeleteResponse>";
        assert_eq!(success_request_id(unrelated).as_deref(), Some("R"));
        for nothing in [
            &b""[..],
            b"<DeleteResponse/>",
            b"<DeleteResponse><DeleteResult>",
            HTML_500.as_bytes(),
        ] {
            assert_eq!(success_request_id(nothing), None);
        }
    }

    #[test]
    fn typed_values() {
        let body = r#"<R>
            <B> true </B><I8>-128</I8><I16>32767</I16><I32>-7</I32><I64>9223372036854775807</I64>
            <F32>10.8</F32><F64>-0.5</F64><Nan>NaN</Nan><Inf>Infinity</Inf><NegInf>-Infinity</NegInf>
            <Blob>Zm9v
            YmFy</Blob><Ts>2024-01-02T03:04:05Z</Ts>
        </R>"#;
        let mut d = Decoder::new(body.as_bytes());
        d.root().unwrap();
        fn next(d: &mut Decoder<'_>) {
            d.next_child().unwrap().unwrap();
        }
        next(&mut d);
        assert!(d.boolean().unwrap());
        next(&mut d);
        assert_eq!(d.i8().unwrap(), i8::MIN);
        next(&mut d);
        assert_eq!(d.i16().unwrap(), i16::MAX);
        next(&mut d);
        assert_eq!(d.i32().unwrap(), -7);
        next(&mut d);
        assert_eq!(d.i64().unwrap(), i64::MAX);
        next(&mut d);
        assert_eq!(d.f32().unwrap(), 10.8f32);
        next(&mut d);
        assert_eq!(d.f64().unwrap(), -0.5);
        next(&mut d);
        assert!(d.f64().unwrap().is_nan());
        next(&mut d);
        assert_eq!(d.f64().unwrap(), f64::INFINITY);
        next(&mut d);
        assert_eq!(d.f32().unwrap(), f32::NEG_INFINITY);
        next(&mut d);
        assert_eq!(d.blob().unwrap(), b"foobar");
        next(&mut d);
        assert_eq!(
            d.timestamp(TimestampFormat::DateTime).unwrap(),
            DateTime::parse("2024-01-02T03:04:05Z", TimestampFormat::DateTime).unwrap()
        );
        assert!(d.next_child().unwrap().is_none());
    }

    /// The message of the error `read` gives for the first child of `body`'s root.
    fn bad_value(
        body: &str,
        read: impl FnOnce(&mut Decoder<'_>) -> Result<(), XmlError>,
    ) -> String {
        let mut d = Decoder::new(body.as_bytes());
        d.root().unwrap();
        d.next_child().unwrap().unwrap();
        read(&mut d).unwrap_err().to_string()
    }

    #[test]
    fn bad_values_name_element_and_text() {
        let long = format!("<R><N>{}</N></R>", "9".repeat(100));
        let cases: [(String, &[&str]); 7] = [
            (
                bad_value("<R><StorageEncrypted>yes</StorageEncrypted></R>", |d| {
                    d.boolean().map(drop)
                }),
                &["boolean", "<StorageEncrypted>", "\"yes\""],
            ),
            (
                bad_value("<R><N>300</N></R>", |d| d.i8().map(drop)),
                &["byte", "<N>", "\"300\"", "too large"],
            ),
            (
                bad_value("<R><N>1.5</N></R>", |d| d.i64().map(drop)),
                &["long", "\"1.5\""],
            ),
            (
                bad_value("<R><N>abc</N></R>", |d| d.f64().map(drop)),
                &["double", "\"abc\""],
            ),
            (
                bad_value("<R><N>Zm9*</N></R>", |d| d.blob().map(drop)),
                &["blob", "position 3"],
            ),
            (
                bad_value("<R><T>yesterday</T></R>", |d| {
                    d.timestamp(TimestampFormat::DateTime).map(drop)
                }),
                &["timestamp", "\"yesterday\""],
            ),
            (bad_value(&long, |d| d.i32().map(drop)), &["...", "<N>"]),
        ];
        for (message, wanted) in cases {
            for w in wanted {
                assert!(message.contains(w), "{message} lacks {w}");
            }
        }
    }

    #[test]
    fn nothing_open() {
        let mut d = Decoder::new(b"<R/>");
        assert!(d.text().is_err());
        assert!(d.skip().is_err());
        assert!(d.next_child().unwrap().is_none());
        d.root().unwrap();
        assert!(d.root().is_err());
        assert!(d.next_child().unwrap().is_none());
        assert!(d.next_child().unwrap().is_none());
        assert!(d.string().is_err());
    }

    /// Every element of a document with its `id` attribute, and the text of those named `T…`,
    /// `Status` or `member`, skipping those named `S…` otherwise: a dump that drives every part
    /// of a decoder.
    fn dump(d: &mut Decoder<'_>) -> Result<String, XmlError> {
        let mut out = String::new();
        while let Some(el) = d.next_child()? {
            let name = String::from_utf8_lossy(el.local_name()).into_owned();
            out.push_str(&format!("<{name} {:?}>", el.attribute("id")?));
            if name.starts_with('T') || name == "member" || name == "Status" {
                out.push_str(&d.text()?);
            } else if name.starts_with('S') {
                d.skip()?;
            } else {
                out.push_str(&dump(d)?);
            }
            out.push_str(&format!("</{name}>"));
        }
        Ok(out)
    }

    /// Whether the plain reader read `body` (as a success or an error envelope); panics where it
    /// read it otherwise than quick-xml.
    fn plain_reads_as_quick_xml(body: &[u8], response: &str, result: &str) -> bool {
        let full = read_success_with(Decoder::new(body), response, result, &dump);
        let plain =
            Decoder::plain(body).and_then(|d| read_success_with(d, response, result, &dump).ok());
        let full_envelope = read_error_envelope(Decoder::new(body)).map_err(|e| e.to_string());
        let plain_envelope = Decoder::plain(body).and_then(|d| read_error_envelope(d).ok());
        if let Some(envelope) = &plain_envelope {
            assert_eq!(
                Ok(envelope),
                full_envelope.as_ref(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let envelope = parse_error_envelope(body).map_err(|e| e.to_string());
        assert_eq!(envelope, full_envelope, "{}", String::from_utf8_lossy(body));
        assert_eq!(
            success_request_id(body),
            read_request_id(Decoder::new(body))
                .unwrap_or(None)
                .map(Cow::into_owned),
            "{}",
            String::from_utf8_lossy(body)
        );
        match plain {
            Some(plain) => {
                let full = full.unwrap_or_else(|e| {
                    panic!(
                        "quick-xml: {e}, plain: {plain:?} for {}",
                        String::from_utf8_lossy(body)
                    )
                });
                assert_eq!(plain, full, "{}", String::from_utf8_lossy(body));
                true
            }
            None => plain_envelope.is_some(),
        }
    }

    #[test]
    fn the_plain_reader_reads_as_quick_xml_or_leaves_the_body_to_it() {
        const DOC: &str = "<R xmlns=\"urn:x\"><Result><A id=\"a>/'1\"><T>x &amp; y &#x41;&#66;</T>\
            <p:T xmlns:p='u'>&lt;&gt;&quot;&apos;</p:T><B/><C id='c' /><Status>ok</Status>\
            <S><T>skipped<U/></T></S><L><member>m1</member><member></member><member/></L>\
            <T>a<Z>b</Z>c</T></A><T>\r\n two\r lines\n</T></Result>\
            <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></R>";
        let bodies = [
            DOC.to_owned(),
            format!("\u{feff}{DOC}"),
            format!("<?xml version=\"1.0\"?>\n{DOC}"),
            format!(" \n{DOC} trailing <junk"),
            FAILOVER_200.to_owned(),
            FAILOVER_404.to_owned(),
            BAD_SIGNATURE.to_owned(),
            HTML_500.to_owned(),
        ];
        let special = [b'<', b'>', b'/', b'&', b'"', b'\r', b'!', 0xff];
        let (mut plain, mut all) = (0, 0);
        for body in &bodies {
            let body = body.as_bytes();
            let (response, result) = if body == FAILOVER_200.as_bytes() {
                (
                    "FailoverGlobalClusterResponse",
                    "FailoverGlobalClusterResult",
                )
            } else {
                ("R", "Result")
            };
            for cut in 0..=body.len() {
                plain += usize::from(plain_reads_as_quick_xml(&body[..cut], response, result));
                all += 1;
            }
            // Changed a byte at a time: the documents of each kind, not their variants.
            if ![DOC, FAILOVER_404, BAD_SIGNATURE]
                .iter()
                .any(|doc| doc.as_bytes() == body)
            {
                continue;
            }
            for at in 0..body.len() {
                for &b in &special {
                    let mut changed = body.to_vec();
                    changed[at] = b;
                    plain += usize::from(plain_reads_as_quick_xml(&changed, response, result));
                    let mut inserted = body.to_vec();
                    inserted.insert(at, b);
                    plain += usize::from(plain_reads_as_quick_xml(&inserted, response, result));
                    all += 2;
                }
            }
        }
        // The plain reader reads a good share of them (the unchanged documents among them);
        // quick-xml the rest.
        assert!(plain_reads_as_quick_xml(DOC.as_bytes(), "R", "Result"));
        assert!(plain_reads_as_quick_xml(
            FAILOVER_200.as_bytes(),
            "FailoverGlobalClusterResponse",
            "FailoverGlobalClusterResult"
        ));
        assert!(plain * 8 > all, "{plain} of {all}");
    }

    #[test]
    fn a_stopped_plain_reader_stays_stopped() {
        // A comment stops the plain reader; a read that ignores the error reads nothing more.
        let body = b"<R><!-- c --><A>a</A><B>b</B></R>";
        let mut d = Decoder::plain(body).expect("UTF-8");
        d.root().unwrap();
        assert!(d.next_child().is_err());
        assert!(d.next_child().is_err());
        assert!(d.skip().is_err());
        // quick-xml reads it.
        let mut d = Decoder::new(body);
        d.root().unwrap();
        assert_eq!(d.next_child().unwrap().unwrap().local_name(), b"A");
    }
}
