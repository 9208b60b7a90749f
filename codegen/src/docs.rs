//! Conversion of Smithy `documentation` strings into rustdoc Markdown.
//!
//! Smithy models carry documentation as loose HTML fragments: unclosed
//! `<p>`, upper-case tags, stray `<`, and the AWS-specific `<note>`,
//! `<important>` and `<fullname>` elements. [`html_to_markdown`] scans them
//! with a tolerant tag scanner, builds a small element tree and renders
//! CommonMark that rustdoc shows as intended: plain text is escaped so it
//! cannot turn into accidental markup, bare URLs become autolinks, and
//! preformatted blocks are fenced as `text` so they never run as doctests.

/// Deepest element nesting kept in the tree. Deeper tags are ignored (their
/// text is kept) so that rendering recursion stays bounded on hostile input.
const MAX_DEPTH: usize = 64;

/// Converts an HTML documentation fragment into Markdown for rustdoc.
///
/// The result has no trailing whitespace on any line, no leading or trailing
/// blank lines and never two blank lines in a row, so it can be emitted as
/// one `#[doc = "..."]` attribute per line. Any input is accepted; malformed
/// markup degrades to its text.
pub fn html_to_markdown(html: &str) -> String {
    let root = parse(html);
    finish(join(blocks_of(&root.children), false))
}

// ---------------------------------------------------------------------------
// Tokens

enum Token {
    /// Text between tags, entities decoded, whitespace untouched.
    Text(String),
    Open {
        name: String,
        href: Option<String>,
        self_closing: bool,
    },
    Close(String),
}

fn tokenize(src: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let (mut pos, mut text_start) = (0, 0);
    while let Some(offset) = src[pos..].find('<') {
        let lt = pos + offset;
        match scan_markup(src, lt) {
            Some((token, end)) => {
                if text_start < lt {
                    tokens.push(Token::Text(decode_entities(&src[text_start..lt])));
                }
                tokens.extend(token);
                (pos, text_start) = (end, end);
            }
            // Not markup: the `<` stays part of the text.
            None => pos = lt + 1,
        }
    }
    if text_start < src.len() {
        tokens.push(Token::Text(decode_entities(&src[text_start..])));
    }
    tokens
}

/// Scans the markup starting at the `<` at `lt`. Returns the token (none for
/// comments and declarations) and the index just past it, or `None` when the
/// `<` does not start markup.
fn scan_markup(src: &str, lt: usize) -> Option<(Option<Token>, usize)> {
    let rest = &src[lt..];
    if let Some(body) = rest.strip_prefix("<!--") {
        let end = body.find("-->").map_or(src.len(), |i| lt + 4 + i + 3);
        return Some((None, end));
    }
    match *rest.as_bytes().get(1)? {
        b'!' | b'?' => tag_end(rest).map(|end| (None, lt + end)),
        b'/' if rest.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic) => {
            let name = tag_name(&rest[2..]).to_ascii_lowercase();
            Some((Some(Token::Close(name)), lt + tag_end(rest)?))
        }
        c if c.is_ascii_alphabetic() => {
            let name = tag_name(&rest[1..]);
            let attrs = lt + 1 + name.len();
            let (href, self_closing, end) =
                scan_attributes(src, attrs, false).or_else(|| scan_attributes(src, attrs, true))?;
            let name = name.to_ascii_lowercase();
            Some((
                Some(Token::Open {
                    name,
                    href,
                    self_closing,
                }),
                end,
            ))
        }
        _ => None,
    }
}

/// Index just past the `>` ending the tag at the start of `s`, unless
/// another `<` comes first.
fn tag_end(s: &str) -> Option<usize> {
    let i = s[1..].find(['<', '>'])? + 1;
    (s.as_bytes()[i] == b'>').then_some(i + 1)
}

fn tag_name(s: &str) -> &str {
    let len = s
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_' | b'.'))
        .count();
    &s[..len]
}

/// Reads attributes from `pos` to the end of the tag. Returns the `href`
/// value, whether the tag ended with `/>`, and the index just past `>`.
/// With `ignore_quotes`, quotes are ordinary characters, so an unbalanced
/// quote cannot swallow the rest of the input. A `<` outside quotes means
/// the tag was never closed, so the text is not markup after all.
fn scan_attributes(
    src: &str,
    mut pos: usize,
    ignore_quotes: bool,
) -> Option<(Option<String>, bool, usize)> {
    let b = src.as_bytes();
    let skip_space = |mut p: usize| {
        while b.get(p).is_some_and(u8::is_ascii_whitespace) {
            p += 1;
        }
        p
    };
    let mut href = None;
    loop {
        pos = skip_space(pos);
        match *b.get(pos)? {
            b'<' => return None,
            b'>' => return Some((href, false, pos + 1)),
            b'/' if b.get(pos + 1) == Some(&b'>') => return Some((href, true, pos + 2)),
            b'/' | b'=' => {
                pos += 1;
                continue;
            }
            _ => {}
        }
        let start = pos;
        while b
            .get(pos)
            .is_some_and(|&c| !c.is_ascii_whitespace() && !matches!(c, b'<' | b'>' | b'/' | b'='))
        {
            pos += 1;
        }
        let name = &src[start..pos];
        pos = skip_space(pos);
        let mut value = "";
        if b.get(pos) == Some(&b'=') {
            pos = skip_space(pos + 1);
            match b.get(pos) {
                Some(&quote @ (b'"' | b'\'')) if !ignore_quotes => {
                    let len = src[pos + 1..].find(char::from(quote))?;
                    value = &src[pos + 1..pos + 1 + len];
                    pos += len + 2;
                }
                _ => {
                    let start = pos;
                    while b
                        .get(pos)
                        .is_some_and(|&c| !c.is_ascii_whitespace() && !matches!(c, b'<' | b'>'))
                    {
                        pos += 1;
                    }
                    value = src[start..pos].trim_matches(['"', '\'']);
                }
            }
        }
        if href.is_none() && name.eq_ignore_ascii_case("href") {
            href = Some(decode_entities(value));
        }
    }
}

/// Decodes character references. Unknown or malformed ones stay literal.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match entity(after) {
            Some((ch, len)) => {
                out.push(ch);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses the reference after a `&`: the character and the length consumed.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[..semi];
    let ch = if let Some(number) = name.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
            .filter(|&c| c != '\0')
            .unwrap_or(char::REPLACEMENT_CHARACTER)
    } else {
        match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            // A plain space: the text collapses it like any other space.
            "nbsp" => ' ',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "hellip" => '\u{2026}',
            "lsquo" => '\u{2018}',
            "rsquo" => '\u{2019}',
            "ldquo" => '\u{201C}',
            "rdquo" => '\u{201D}',
            "copy" => '\u{A9}',
            "reg" => '\u{AE}',
            "trade" => '\u{2122}',
            _ => return None,
        }
    };
    Some((ch, semi + 1))
}

// ---------------------------------------------------------------------------
// Element tree

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Root,
    Paragraph,
    Break,
    Rule,
    Code,
    Pre,
    Strong,
    Emphasis,
    Link,
    List {
        ordered: bool,
    },
    Item,
    Note,
    Important,
    Terms,
    Term,
    Definition,
    Heading(u8),
    /// Unknown block container (`<div>`, ...): separates paragraphs.
    Block,
    /// Unknown inline element (`<span>`, ...): only its content is kept.
    Inline,
    /// Dropped with its content.
    Hidden,
    /// Empty element without meaning here (`<img>`, ...).
    Void,
}

impl Tag {
    fn of(name: &str) -> Self {
        match name {
            "p" => Self::Paragraph,
            "br" => Self::Break,
            "hr" => Self::Rule,
            "code" | "tt" | "kbd" | "samp" => Self::Code,
            "pre" => Self::Pre,
            "b" | "strong" => Self::Strong,
            "i" | "em" => Self::Emphasis,
            "a" => Self::Link,
            "ul" => Self::List { ordered: false },
            "ol" => Self::List { ordered: true },
            "li" => Self::Item,
            "note" => Self::Note,
            "important" => Self::Important,
            "dl" => Self::Terms,
            "dt" => Self::Term,
            "dd" => Self::Definition,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Self::Heading(name.as_bytes()[1] - b'0'),
            "div" | "section" | "article" | "blockquote" | "table" | "tr" => Self::Block,
            "fullname" | "script" | "style" => Self::Hidden,
            "img" | "wbr" | "meta" | "input" | "col" | "source" => Self::Void,
            _ => Self::Inline,
        }
    }

    fn is_void(self) -> bool {
        matches!(self, Self::Break | Self::Rule | Self::Void)
    }
}

struct Element {
    tag: Tag,
    name: String,
    href: Option<String>,
    children: Vec<Node>,
}

impl Element {
    fn new(name: String, href: Option<String>) -> Self {
        let tag = Tag::of(&name);
        Self {
            tag,
            name,
            href,
            children: Vec::new(),
        }
    }

    fn root() -> Self {
        Self {
            tag: Tag::Root,
            ..Self::new(String::new(), None)
        }
    }
}

enum Node {
    Text(String),
    Element(Element),
}

fn parse(src: &str) -> Element {
    let mut stack = vec![Element::root()];
    for token in tokenize(src) {
        let node = match token {
            Token::Text(text) => Node::Text(text),
            Token::Open {
                name,
                href,
                self_closing,
            } => {
                let element = Element::new(name, href);
                if !element.tag.is_void() && !self_closing {
                    if stack.len() < MAX_DEPTH {
                        close_implied(&mut stack, element.tag);
                        stack.push(element);
                    }
                    continue;
                }
                Node::Element(element)
            }
            Token::Close(name) => match stack.iter().rposition(|e| e.name == name) {
                Some(open) if open > 0 => {
                    close_to(&mut stack, open);
                    continue;
                }
                // A stray `</p>` or `</br>` still separates text, as in browsers.
                _ if matches!(Tag::of(&name), Tag::Paragraph | Tag::Break) => {
                    Node::Element(Element::new(name, None))
                }
                _ => continue,
            },
        };
        if let Some(top) = stack.last_mut() {
            top.children.push(node);
        }
    }
    close_to(&mut stack, 1);
    stack.pop().unwrap_or_else(Element::root)
}

/// Pops open elements until `len` remain (never the root), attaching each to
/// its parent.
fn close_to(stack: &mut Vec<Element>, len: usize) {
    while stack.len() > len.max(1) {
        if let Some(done) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(Node::Element(done));
            }
        }
    }
}

/// Closes elements that `tag` ends implicitly: a new `<p>` ends an open
/// paragraph, `<li>` a sibling item, `<dt>`/`<dd>` a sibling term or
/// definition.
fn close_implied(stack: &mut Vec<Element>, tag: Tag) {
    for i in (1..stack.len()).rev() {
        let open = stack[i].tag;
        // Whether `open` is ended by `tag`, and whether it bounds the search.
        let (ends, bounds) = match tag {
            Tag::Paragraph => (
                open == Tag::Paragraph,
                matches!(
                    open,
                    Tag::List { .. }
                        | Tag::Item
                        | Tag::Note
                        | Tag::Important
                        | Tag::Terms
                        | Tag::Term
                        | Tag::Definition
                        | Tag::Block
                        | Tag::Pre
                ),
            ),
            Tag::Item => (open == Tag::Item, matches!(open, Tag::List { .. })),
            Tag::Term | Tag::Definition => (
                matches!(open, Tag::Term | Tag::Definition),
                open == Tag::Terms,
            ),
            _ => return,
        };
        if ends {
            close_to(stack, i);
            return;
        }
        if bounds {
            return;
        }
    }
}

// ---------------------------------------------------------------------------
// Blocks

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    List,
    Other,
}

/// Rendered lines of one block; never empty.
struct Block {
    kind: Kind,
    lines: Vec<String>,
}

/// Block-level rendering state: finished blocks and the inline Markdown of
/// the paragraph in progress (`\n` marks a `<br>`).
#[derive(Default)]
struct Flow {
    blocks: Vec<Block>,
    para: String,
}

fn blocks_of<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> Vec<Block> {
    let mut flow = Flow::default();
    for node in nodes {
        flow.node(node);
    }
    flow.flush();
    flow.blocks
}

impl Flow {
    fn node(&mut self, node: &Node) {
        let Node::Element(e) = node else {
            inline_node(node, Style::default(), &mut self.para);
            return;
        };
        match e.tag {
            Tag::Root | Tag::Paragraph | Tag::Block | Tag::Term | Tag::Definition | Tag::Rule => {
                self.flush();
                e.children.iter().for_each(|child| self.node(child));
                self.flush();
            }
            Tag::Inline => e.children.iter().for_each(|child| self.node(child)),
            Tag::Pre => self.push(code_block(e)),
            Tag::List { ordered } => self.push(list(ordered, list_items(e))),
            Tag::Item => self.push(list(false, vec![blocks_of(&e.children)])),
            Tag::Terms => self.push(definitions(e)),
            Tag::Note => self.push(callout("Note", e)),
            Tag::Important => self.push(callout("Important", e)),
            Tag::Heading(level) => self.push(heading(level, e)),
            _ => inline_node(node, Style::default(), &mut self.para),
        }
    }

    fn push(&mut self, block: Option<Block>) {
        self.flush();
        self.blocks.extend(block);
    }

    /// Ends the paragraph in progress. One `<br>` becomes a hard line break
    /// (trailing backslash); two or more in a row start a new paragraph.
    fn flush(&mut self) {
        let para = std::mem::take(&mut self.para);
        let mut lines: Vec<String> = Vec::new();
        for raw in para.split('\n').chain([""]) {
            let line = collapse(raw.trim());
            if !line.is_empty() {
                lines.push(escape_line_start(line));
            } else if !lines.is_empty() {
                let last = lines.len() - 1;
                lines[..last].iter_mut().for_each(|l| l.push('\\'));
                let lines = std::mem::take(&mut lines);
                self.blocks.push(Block {
                    kind: Kind::Paragraph,
                    lines,
                });
            }
        }
    }
}

/// Joins blocks with blank lines. Inside list items a nested list follows
/// its paragraph directly, keeping the item compact.
fn join(blocks: Vec<Block>, in_item: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut previous = None;
    for block in blocks {
        let tight = in_item && block.kind == Kind::List && previous == Some(Kind::Paragraph);
        if previous.is_some() && !tight {
            lines.push(String::new());
        }
        previous = Some(block.kind);
        lines.extend(block.lines);
    }
    lines
}

/// Prefixes the first line with `marker` and indents the rest to match.
fn hang(marker: &str, lines: Vec<String>) -> Vec<String> {
    let pad = " ".repeat(marker.len());
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        out.push(match i {
            0 => format!("{marker}{line}"),
            _ if line.is_empty() => line,
            _ => format!("{pad}{line}"),
        });
    }
    out
}

/// Puts `label` in front of the first paragraph, or as its own paragraph.
fn prepend(blocks: &mut Vec<Block>, label: String, separator: &str) {
    if let Some(first) = blocks.first_mut().filter(|b| b.kind == Kind::Paragraph) {
        if let Some(line) = first.lines.first_mut() {
            *line = format!("{label}{separator}{line}");
            return;
        }
    }
    blocks.insert(
        0,
        Block {
            kind: Kind::Paragraph,
            lines: vec![label],
        },
    );
}

/// Groups list children into items. Content outside `<li>` (such as a
/// nested `<ul>` placed directly in its parent list) joins the previous item.
fn list_items(list: &Element) -> Vec<Vec<Block>> {
    let mut groups: Vec<Vec<&Node>> = Vec::new();
    for child in &list.children {
        match (child, groups.last_mut()) {
            (Node::Element(e), _) if e.tag == Tag::Item => groups.push(e.children.iter().collect()),
            (_, Some(group)) => group.push(child),
            (_, None) => groups.push(vec![child]),
        }
    }
    groups.into_iter().map(blocks_of).collect()
}

/// Renders items as `- ` bullets or `1. `, `2. `, ... numbers; empty items
/// are skipped. Continuation lines are indented by the marker width.
fn list(ordered: bool, items: Vec<Vec<Block>>) -> Option<Block> {
    let mut lines = Vec::new();
    for (index, blocks) in items.into_iter().filter(|b| !b.is_empty()).enumerate() {
        let marker = if ordered {
            format!("{}. ", index + 1)
        } else {
            "- ".to_owned()
        };
        lines.extend(hang(&marker, join(blocks, true)));
    }
    (!lines.is_empty()).then_some(Block {
        kind: Kind::List,
        lines,
    })
}

/// Renders `<dl>` as a bullet list of `**term**: definition` items.
fn definitions(dl: &Element) -> Option<Block> {
    let mut entries: Vec<(String, Vec<Block>)> = Vec::new();
    for child in &dl.children {
        let blocks = match child {
            Node::Element(e) if e.tag == Tag::Term => {
                let style = Style {
                    strong: true,
                    ..Style::default()
                };
                entries.push((inline_text(&e.children, style), Vec::new()));
                continue;
            }
            Node::Element(e) if e.tag == Tag::Definition => blocks_of(&e.children),
            other => blocks_of([other]),
        };
        if entries.is_empty() {
            entries.push((String::new(), Vec::new()));
        }
        if let Some((_, defs)) = entries.last_mut() {
            defs.extend(blocks);
        }
    }
    let items = entries
        .into_iter()
        .map(|(term, mut blocks)| {
            if !term.is_empty() {
                prepend(&mut blocks, format!("**{term}**"), ": ");
            }
            blocks
        })
        .collect();
    list(false, items)
}

/// Renders `<note>`/`<important>` as a block quote opening with a bold label.
fn callout(label: &str, e: &Element) -> Option<Block> {
    let mut blocks = blocks_of(&e.children);
    if blocks.is_empty() {
        return None;
    }
    prepend(&mut blocks, format!("**{label}:**"), " ");
    let lines = join(blocks, false)
        .into_iter()
        .map(|line| {
            if line.is_empty() {
                ">".to_owned()
            } else {
                format!("> {line}")
            }
        })
        .collect();
    Some(Block {
        kind: Kind::Other,
        lines,
    })
}

fn heading(level: u8, e: &Element) -> Option<Block> {
    let mut text = inline_text(&e.children, Style::default());
    if text.is_empty() {
        return None;
    }
    // A trailing `#` would be read as an optional closing sequence.
    if text.ends_with('#') {
        text.insert(text.len() - 1, '\\');
    }
    let line = format!("{} {text}", "#".repeat(usize::from(level)));
    Some(Block {
        kind: Kind::Other,
        lines: vec![line],
    })
}

/// Renders `<pre>` as a fenced `text` block, dedented, without surrounding
/// blank lines.
fn code_block(pre: &Element) -> Option<Block> {
    let mut raw = String::new();
    raw_text(&pre.children, true, &mut raw);
    let raw = raw.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = raw.split('\n').map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty())?;
    let last = lines.iter().rposition(|l| !l.is_empty())?;
    let body = &lines[first..=last];
    let margin = body
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.bytes().take_while(|b| matches!(b, b' ' | b'\t')).count())
        .min()
        .unwrap_or(0);
    let fence = "`".repeat(longest_run(&raw, '`').max(2) + 1);
    let mut out = vec![format!("{fence}text")];
    for line in body {
        let line = line.get(margin..).unwrap_or_default();
        if !(line.is_empty() && out.last().is_some_and(String::is_empty)) {
            out.push(line.to_owned());
        }
    }
    out.push(fence);
    Some(Block {
        kind: Kind::Other,
        lines: out,
    })
}

/// Concatenated text of `nodes`, whitespace untouched. `<br>` becomes a
/// newline inside `<pre>` and a space elsewhere.
fn raw_text(nodes: &[Node], pre: bool, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) => match e.tag {
                Tag::Break => out.push(if pre { '\n' } else { ' ' }),
                Tag::Hidden | Tag::Void => {}
                _ => raw_text(&e.children, pre, out),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// Inline content

/// Inline markup already open around the content being rendered; nested
/// repeats of it are not marked again.
#[derive(Clone, Copy, Default)]
struct Style {
    strong: bool,
    emphasis: bool,
    link: bool,
}

fn inline_node(node: &Node, style: Style, out: &mut String) {
    let e = match node {
        Node::Text(text) => return push_text(text, style.link, out),
        Node::Element(e) => e,
    };
    match e.tag {
        Tag::Break => out.push('\n'),
        Tag::Hidden | Tag::Void => {}
        Tag::Code | Tag::Pre => {
            let mut raw = String::new();
            raw_text(&e.children, false, &mut raw);
            code_span(&collapse(&raw), out);
        }
        Tag::Strong if !style.strong => {
            let inner = inline_string(
                &e.children,
                Style {
                    strong: true,
                    ..style
                },
            );
            wrap("**", &inner, out);
        }
        Tag::Emphasis if !style.emphasis => {
            let inner = inline_string(
                &e.children,
                Style {
                    emphasis: true,
                    ..style
                },
            );
            wrap("*", &inner, out);
        }
        Tag::Link if !style.link => link(e, style, out),
        Tag::Strong | Tag::Emphasis | Tag::Link | Tag::Inline => {
            e.children
                .iter()
                .for_each(|child| inline_node(child, style, out));
        }
        // Block elements inside inline markup are flattened to their text.
        _ => {
            out.push(' ');
            e.children
                .iter()
                .for_each(|child| inline_node(child, style, out));
            out.push(' ');
        }
    }
}

fn inline_string(nodes: &[Node], style: Style) -> String {
    let mut out = String::new();
    nodes
        .iter()
        .for_each(|node| inline_node(node, style, &mut out));
    out
}

/// Inline Markdown on a single line, trimmed.
fn inline_text(nodes: &[Node], style: Style) -> String {
    collapse(&inline_string(nodes, style)).trim().to_owned()
}

/// Splits `s` into leading whitespace, core and trailing whitespace.
fn split_space(s: &str) -> (&str, &str, &str) {
    let core = s.trim();
    let lead = &s[..s.len() - s.trim_start().len()];
    let trail = &s[s.trim_end().len()..];
    (lead, core, trail)
}

/// Wraps `inner` in an emphasis `marker`, keeping surrounding whitespace
/// outside (where Markdown requires it) and dropping empty emphasis. Directly
/// after the same emphasis the two are merged; directly after a different
/// one a space keeps the delimiter runs apart.
fn wrap(marker: &str, inner: &str, out: &mut String) {
    let inner = inner.replace('\n', " ");
    let (lead, core, trail) = split_space(&inner);
    if core.is_empty() {
        out.push_str(&inner);
        return;
    }
    match trailing_markers(out) {
        // `**a**` followed by `**b**` becomes `**ab**`.
        n if n > 0 && lead.is_empty() && n == marker.len() => out.truncate(out.len() - n),
        n if n > 0 && lead.is_empty() => {
            out.push(' ');
            out.push_str(marker);
        }
        _ => {
            out.push_str(lead);
            out.push_str(marker);
        }
    }
    for part in [core, marker, trail] {
        out.push_str(part);
    }
}

/// Number of unescaped `*` ending `s`.
fn trailing_markers(s: &str) -> usize {
    let run = s.len() - s.trim_end_matches('*').len();
    let escaped = s[..s.len() - run].ends_with('\\');
    run - usize::from(escaped && run > 0)
}

fn link(e: &Element, style: Style, out: &mut String) {
    let text = inline_string(
        &e.children,
        Style {
            link: true,
            ..style
        },
    )
    .replace('\n', " ");
    let href = e.href.as_deref().unwrap_or_default().trim();
    if href.is_empty() {
        out.push_str(&text);
        return;
    }
    let target = encode_url(href);
    let (lead, core, trail) = split_space(&text);
    if core.is_empty() {
        out.push_str(&text);
        if is_web_url(href) {
            for part in ["<", &target, ">"] {
                out.push_str(part);
            }
        }
        return;
    }
    for part in [lead, "[", core, "](", &target, ")", trail] {
        out.push_str(part);
    }
}

fn is_web_url(url: &str) -> bool {
    ["http://", "https://"].iter().any(|scheme| {
        url.len() > scheme.len()
            && url
                .get(..scheme.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    })
}

/// Makes a link destination safe: parentheses, angle brackets and
/// whitespace are percent-encoded, everything else is kept.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_whitespace() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

/// Emits a code span, with a fence longer than any backtick run inside.
fn code_span(text: &str, out: &mut String) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    for part in [&fence, pad, text, pad, &fence] {
        out.push_str(part);
    }
}

fn longest_run(s: &str, ch: char) -> usize {
    s.split(|c| c != ch).map(str::len).max().unwrap_or(0)
}

/// Appends text with whitespace collapsed and Markdown escaped. Outside
/// links, bare `http(s)://` URLs become autolinks.
fn push_text(text: &str, in_link: bool, out: &mut String) {
    let text = collapse(text);
    let mut rest = text.as_str();
    if !in_link {
        while let Some((start, end)) = find_url(rest) {
            escape_into(&rest[..start], out);
            for part in ["<", &rest[start..end], ">"] {
                out.push_str(part);
            }
            rest = &rest[end..];
        }
    }
    escape_into(rest, out);
}

/// Finds the first bare URL: its byte range, without trailing punctuation.
fn find_url(s: &str) -> Option<(usize, usize)> {
    for (start, _) in s.match_indices("http") {
        let rest = &s[start..];
        let scheme = match () {
            _ if rest.starts_with("https://") => 8,
            _ if rest.starts_with("http://") => 7,
            _ => continue,
        };
        if s[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(rest.len());
        let mut url = &rest[..len];
        let mut unclosed = url
            .matches(')')
            .count()
            .saturating_sub(url.matches('(').count());
        while let Some(c) = url.chars().next_back() {
            if c == ')' && unclosed > 0 {
                unclosed -= 1;
            } else if !matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ']') {
                break;
            }
            url = &url[..url.len() - c.len_utf8()];
        }
        if url.len() > scheme {
            return Some((start, start + url.len()));
        }
    }
    None
}

/// Escapes characters that Markdown or rustdoc would interpret. `_` inside
/// a word and `&` not followed by a reference name stay as they are.
fn escape_into(text: &str, out: &mut String) {
    let mut previous = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        let escape = match c {
            '\\' | '[' | ']' | '<' | '>' | '*' | '`' | '~' => true,
            '_' => {
                !(previous.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '&' => looks_like_reference(&text[i + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
}

fn looks_like_reference(after_amp: &str) -> bool {
    let name = after_amp.strip_prefix('#').unwrap_or(after_amp);
    let len = name
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    len > 0 && name.as_bytes().get(len) == Some(&b';')
}

/// Escapes a line start that would otherwise open a heading, list, or
/// setext underline.
fn escape_line_start(mut line: String) -> String {
    let bytes = line.as_bytes();
    match bytes.first() {
        Some(b'#' | b'-' | b'+' | b'=') => line.insert(0, '\\'),
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            let delimiter = matches!(bytes.get(digits), Some(b'.' | b')'));
            if digits <= 9 && delimiter && matches!(bytes.get(digits + 1), None | Some(b' ')) {
                line.insert(digits, '\\');
            }
        }
        _ => {}
    }
    line
}

/// Replaces each run of whitespace with a single space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Trims line ends and drops leading, trailing and repeated blank lines.
fn finish(lines: Vec<String>) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for line in &lines {
        let line = line.trim_end();
        if !(line.is_empty() && out.last().is_none_or(|l| l.is_empty())) {
            out.push(line);
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        assert_eq!(
            md("<p>Creates a widget.</p><p>The name must be unique.</p>"),
            "Creates a widget.\n\nThe name must be unique."
        );
        assert_eq!(
            md("<p>Unclosed first<p>Unclosed second"),
            "Unclosed first\n\nUnclosed second"
        );
        assert_eq!(
            md("Loose text</p>after a stray close"),
            "Loose text\n\nafter a stray close"
        );
        assert_eq!(md("<p></p><p> </p>"), "");
    }

    #[test]
    fn line_breaks() {
        assert_eq!(
            md("First line<br>second line<BR/>third"),
            "First line\\\nsecond line\\\nthird"
        );
        assert_eq!(md("Before<br/><br/>after"), "Before\n\nafter");
        assert_eq!(
            md("<p><br>Leading and trailing<br></p>"),
            "Leading and trailing"
        );
    }

    #[test]
    fn code_spans() {
        assert_eq!(
            md("<p>Set <code>MaxItems</code> to <code> 50 </code>.</p>"),
            "Set `MaxItems` to `50`."
        );
        assert_eq!(md("<code>a`b</code>"), "``a`b``");
        assert_eq!(md("<code>`quoted`</code>"), "`` `quoted` ``");
        assert_eq!(md("<code>&lt;Tag&gt;*_x_*</code>"), "`<Tag>*_x_*`");
        assert_eq!(md("Empty <code></code>code"), "Empty code");
    }

    #[test]
    fn preformatted_blocks() {
        let html = "<p>Example:</p><pre><code>\n  widget create \\\n    --name &quot;blue&quot;\n\n\n    --size 3\n</code></pre>";
        assert_eq!(
            md(html),
            "Example:\n\n```text\nwidget create \\\n  --name \"blue\"\n\n  --size 3\n```"
        );
        assert_eq!(md("<pre>a ``` b</pre>"), "````text\na ``` b\n````");
        assert_eq!(md("<pre>  \n </pre>"), "");
    }

    #[test]
    fn strong_and_emphasis() {
        assert_eq!(
            md("<b>Required:</b> a <i>unique</i> <strong>name</strong> or <em>ID</em>."),
            "**Required:** a *unique* **name** or *ID*."
        );
        assert_eq!(md("<b> spaced </b>text"), "**spaced** text");
        assert_eq!(
            md("<b>merged</b><b>bold</b> <i>a</i><b>b</b>"),
            "**mergedbold** *a* **b**"
        );
        assert_eq!(md("a<b></b>b<strong> </strong>c<i></i>"), "ab c");
        assert_eq!(md("<b>outer <b>inner</b></b>"), "**outer inner**");
        assert_eq!(md("<b><i>both</i></b>"), "***both***");
        assert_eq!(md("<b><code>Value</code></b>"), "**`Value`**");
    }

    #[test]
    fn links() {
        assert_eq!(
            md(r#"See <a href="https://docs.example.com/guide">the guide</a>."#),
            "See [the guide](https://docs.example.com/guide)."
        );
        assert_eq!(
            md("<A HREF='https://example.com/a_(b)'> Pricing </A>"),
            "[Pricing](https://example.com/a_%28b%29)"
        );
        assert_eq!(md("<a>no target</a>"), "no target");
        assert_eq!(md("<a name=\"anchor\">no target</a>"), "no target");
        assert_eq!(
            md(r#"<a href="https://example.com/x"></a>"#),
            "<https://example.com/x>"
        );
        assert_eq!(md(r#"Gone<a href="relative/page"> </a>."#), "Gone .");
        assert_eq!(
            md(r#"<a href="?a=1&amp;b=2">query</a>"#),
            "[query](?a=1&b=2)"
        );
        assert_eq!(
            md(r#"<a href="u"><a href="v">nested</a> [x]</a>"#),
            r"[nested \[x\]](u)"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            md("Visit https://example.com/docs_v2. Or (http://example.org/a)."),
            "Visit <https://example.com/docs_v2>. Or (<http://example.org/a>)."
        );
        assert_eq!(md("xhttps://not.a.link"), "xhttps://not.a.link");
        assert_eq!(md("https:// alone"), "https:// alone");
    }

    #[test]
    fn unordered_and_ordered_lists() {
        let html = "<p>Valid states:</p><ul><li><p>ACTIVE</p></li><li>\n<p>PENDING</p>\n</li></ul>";
        assert_eq!(md(html), "Valid states:\n\n- ACTIVE\n- PENDING");
        assert_eq!(
            md("<ol><li>Create a bucket.</li><li>Upload a file.</li></ol>"),
            "1. Create a bucket.\n2. Upload a file."
        );
        assert_eq!(md("<ul><li>one<li>two</ul>"), "- one\n- two");
        assert_eq!(
            md("<ul><li></li><li> </li></ul><ol><li></li><li>only</li></ol>"),
            "1. only"
        );
    }

    #[test]
    fn nested_lists_and_paragraphs_in_items() {
        let html = "<ul><li><p>Filters:</p><ul><li><code>name</code></li><li>state\
                    <ol><li>first</li><li>second</li></ol></li></ul></li><li>Last</li></ul>";
        assert_eq!(
            md(html),
            "- Filters:\n  - `name`\n  - state\n    1. first\n    2. second\n- Last"
        );
        let html = "<ol><li><p>Stop the job.</p><p>Wait for it.</p></li><li>Delete it.</li></ol>";
        assert_eq!(
            md(html),
            "1. Stop the job.\n\n   Wait for it.\n2. Delete it."
        );
        assert_eq!(md("<ol><li>a<ul><li>b</li></ul></li></ol>"), "1. a\n   - b");
        // A list placed directly inside its parent list joins the previous item.
        assert_eq!(md("<ul><li>a</li><ul><li>b</li></ul></ul>"), "- a\n  - b");
        let numbers: String = (1..=10).map(|n| format!("<li>{n}</li>")).collect();
        let out = md(&format!("<ol>{numbers}</ol>"));
        assert!(out.ends_with("9. 9\n10. 10"), "{out}");
    }

    #[test]
    fn notes_and_important() {
        assert_eq!(
            md("<note><p>Deleting a widget cannot be undone.</p></note>"),
            "> **Note:** Deleting a widget cannot be undone."
        );
        assert_eq!(
            md("<p>Intro.</p><important><p>First.</p><p>Second.</p></important>"),
            "Intro.\n\n> **Important:** First.\n>\n> Second."
        );
        assert_eq!(
            md("<note><ul><li>item</li></ul></note>"),
            "> **Note:**\n>\n> - item"
        );
        assert_eq!(md("<note> </note>"), "");
    }

    #[test]
    fn definition_lists() {
        let html = "<dl><dt>READY</dt><dd><p>The widget can be used.</p></dd>\
                    <dt><b>FAILED</b></dt><dd>Setup did not finish.</dd><dt>UNKNOWN</dt></dl>";
        assert_eq!(
            md(html),
            "- **READY**: The widget can be used.\n- **FAILED**: Setup did not finish.\n- **UNKNOWN**"
        );
        assert_eq!(
            md("<dl><dd>orphan definition</dd></dl>"),
            "- orphan definition"
        );
    }

    #[test]
    fn headings() {
        assert_eq!(md("<h2>Examples</h2><p>Text.</p>"), "## Examples\n\nText.");
        assert_eq!(md("<H1>Title <i>here</i></H1>"), "# Title *here*");
        assert_eq!(md("<h3>Issue #</h3><h4> </h4>"), "### Issue \\#");
    }

    #[test]
    fn unknown_tags_and_fullname() {
        let html = "<fullname>Example Widget Service</fullname>\
                    <div><p>Manages <span class=\"x\">widgets</span> and <custom-tag>gadgets</custom-tag>.</p></div>\
                    <div>Second block</div><img src='a.png'/><!-- comment --><?pi?>";
        assert_eq!(md(html), "Manages widgets and gadgets.\n\nSecond block");
    }

    #[test]
    fn entities() {
        assert_eq!(
            md("&quot;a&quot; &apos;b&#39; &#x27;c&#X27; x&nbsp;y &#65;&#x42; &mdash;"),
            "\"a\" 'b' 'c' x y AB \u{2014}"
        );
        assert_eq!(md("&lt;tag&gt; &amp;"), r"\<tag\> &");
        assert_eq!(md("&amp;lt; is literal"), r"\&lt; is literal");
        assert_eq!(
            md("&bogus; &#xZZ; &#0; &#99999999; & alone"),
            "\\&bogus; \\&#xZZ; \u{FFFD} \u{FFFD} & alone"
        );
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(
            md("  <p>\n  Many\n\n   spaces\t here. </p>\n\n <p>Next</p>  \n"),
            "Many spaces here.\n\nNext"
        );
        assert_eq!(md("a <b> b </b> c"), "a **b** c");
    }

    #[test]
    fn markdown_in_text_is_escaped() {
        assert_eq!(
            md("Use [brackets], *stars*, snake_case, _lead, a\\b, `tick`, &lt;T&gt;, ~x"),
            r"Use \[brackets\], \*stars\*, snake_case, \_lead, a\\b, \`tick\`, \<T\>, \~x"
        );
        assert_eq!(
            md(
                "<p># not a heading</p><p>- not a list</p><p>1. not ordered</p><p>3.5 GB</p><p>+ plus</p>"
            ),
            "\\# not a heading\n\n\\- not a list\n\n1\\. not ordered\n\n3.5 GB\n\n\\+ plus"
        );
        assert_eq!(md("one<br>2) two"), "one\\\n2\\) two");
    }

    #[test]
    fn tolerates_malformed_markup() {
        assert_eq!(md("a < b and c<"), r"a \< b and c\<");
        assert_eq!(md("x <b unterminated"), r"x \<b unterminated");
        assert_eq!(
            md("a <b never closed and <i>this</i>"),
            r"a \<b never closed and *this*"
        );
        assert_eq!(md("</b></ul>text</li>"), "text");
        assert_eq!(md(r#"<a href="open>link</a> after"#), "[link](open) after");
        assert_eq!(md("<P CLASS='x'>Upper</P>"), "Upper");
        assert_eq!(md("<!-- never closed"), "");
        assert_eq!(md("</>"), r"\</\>");
    }

    #[test]
    fn never_panics_and_keeps_invariants() {
        let deep = "<ul><li>level".repeat(10_000);
        let nasty = [
            "",
            "<",
            "<<<>>>",
            "</",
            "<a href=",
            "<a href='",
            "<p",
            "&",
            "&#",
            "&#x;",
            "<pre>",
            "<code>",
            "<b><i><a href='x'>",
            "<ol><li><ol><li><ol><li>x</ol></ol>",
            "</p></p><br></br>",
            "<dl><dt><dd><dt>",
            "é<é>ü</ü>",
            deep.as_str(),
        ];
        for input in nasty {
            check(input);
        }

        // Scans stay linear on long runs of unfinished markup.
        for unit in [
            "<a",
            "</a",
            "<!",
            "<a href='",
            "&#",
            "(https://x.example/",
            "https://x.example/)",
        ] {
            check(&unit.repeat(20_000));
        }

        // Deterministic pseudo-random soup of fragments.
        let pieces = [
            "<p>",
            "</p>",
            "<ul>",
            "<ol>",
            "<li>",
            "</li>",
            "</ul>",
            "</ol>",
            "<b>",
            "</b>",
            "<i>",
            "</em>",
            "<a href='x'>",
            "<a href=\"https://e.example/(x)\">",
            "</a>",
            "<code>",
            "</code>",
            "`",
            "<pre>",
            "</pre>",
            "\n",
            " ",
            "text",
            "&amp;",
            "&#",
            "&#x110000;",
            "<",
            ">",
            "<br/>",
            "<note>",
            "</note>",
            "<dl><dt>",
            "<dd>",
            "<h3>",
            "_",
            "*",
            "#",
            "1.",
            "-",
            "é",
            "<!--",
            "-->",
            "\"",
            "'",
            "<div",
            "</",
            "https://x.example/a",
            "<fullname>",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut input = String::new();
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(state >> 59) * 2 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                input.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            check(&input);
        }
    }

    fn check(input: &str) {
        let out = md(input);
        assert_eq!(out, md(input), "not deterministic for {input:?}");
        assert!(
            !out.starts_with('\n') && !out.ends_with('\n'),
            "{input:?} -> {out:?}"
        );
        assert!(!out.contains("\n\n\n"), "{input:?} -> {out:?}");
        assert!(
            out.lines().all(|l| l == l.trim_end()),
            "{input:?} -> {out:?}"
        );
        // No empty emphasis (escaped characters are masked first).
        let mut masked = String::new();
        let mut chars = out.chars();
        while let Some(c) = chars.next() {
            masked.push(if c == '\\' {
                chars.next().map_or(c, |_| 'x')
            } else {
                c
            });
        }
        assert!(!masked.contains("****"), "{input:?} -> {out:?}");
    }
}
