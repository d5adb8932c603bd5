//! A small, safe subset of Markdown for policy texts.
//!
//! [`parse`] turns text into a tree of blocks and inline spans, never into
//! HTML: the UI builds elements from the tree and puts every piece of text
//! into a text node, so markup typed into a policy shows exactly as typed.
//!
//! Supported: headings (`#`, `##`, `###`), paragraphs, bullet lists (`-`,
//! `*`), numbered lists (`1.`), block quotes (`>`), `**bold**`, `*italic*` and
//! `_italic_`, `` `code` ``, and links `[text](url)` to `http:`, `https:` and
//! `mailto:` addresses. Everything else (other link targets such as
//! `javascript:`, markers left unclosed, raw HTML) stays literal text.
//!
//! Closing markers are looked up in lists built once per span, so even a long
//! text full of unclosed markers parses in about linear time.

/// One block of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading; `level` is the number of `#`, 1 to 3.
    Heading {
        /// 1 for `#`, 2 for `##`, 3 for `###`.
        level: u8,
        /// The heading's text.
        content: Vec<Inline>,
    },
    /// A paragraph; single line breaks inside it are kept as `\n`.
    Paragraph(Vec<Inline>),
    /// A bulleted list; one entry per item.
    BulletList(Vec<Vec<Inline>>),
    /// A numbered list.
    NumberedList {
        /// The number of the first item.
        start: u32,
        /// One entry per item.
        items: Vec<Vec<Inline>>,
    },
    /// A block quote, which holds blocks of its own.
    Quote(Vec<Block>),
}

/// A span of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text, shown as written.
    Text(String),
    /// `**bold**` text.
    Strong(Vec<Inline>),
    /// `*italic*` or `_italic_` text.
    Emphasis(Vec<Inline>),
    /// `` `code` ``, shown as written.
    Code(String),
    /// A link to a safe address.
    Link {
        /// The link's text.
        content: Vec<Inline>,
        /// An `http:`, `https:` or `mailto:` address.
        url: String,
    },
}

/// Quotes nested deeper than this are shown as plain paragraphs.
const MAX_QUOTE_DEPTH: usize = 4;
/// Spans nested deeper than this are not looked into.
const MAX_INLINE_DEPTH: usize = 6;
/// Longest link address looked for, in characters.
const MAX_URL: usize = 2_000;
/// The link address schemes that become links.
const SAFE_SCHEMES: [&str; 3] = ["http://", "https://", "mailto:"];

/// The blocks of `text` (LF, CRLF or CR line endings).
pub fn parse(text: &str) -> Vec<Block> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    parse_blocks(&lines, 0)
}

/// Whether `url` may become a link: `http:`, `https:` or `mailto:` with an
/// address after the scheme, and no spaces or control characters.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let has_address = SAFE_SCHEMES
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .is_some_and(|rest| !rest.is_empty());
    has_address && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// What one line of text starts, its markers removed and its text trimmed.
enum Line<'a> {
    Blank,
    Heading(u8, &'a str),
    Quote(&'a str),
    Bullet(&'a str),
    Numbered(u32, &'a str),
    Text(&'a str),
}

fn classify(line: &str) -> Line<'_> {
    let t = line.trim();
    if t.is_empty() {
        Line::Blank
    } else if let Some((level, text)) = heading(t) {
        Line::Heading(level, text)
    } else if let Some(rest) = t.strip_prefix('>') {
        Line::Quote(rest.strip_prefix(' ').unwrap_or(rest))
    } else if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        Line::Bullet(rest.trim_start())
    } else if let Some((number, rest)) = numbered(t) {
        Line::Numbered(number, rest)
    } else {
        Line::Text(t)
    }
}

/// `# Title` → (1, "Title"); up to three `#`, followed by a space and text.
fn heading(t: &str) -> Option<(u8, &str)> {
    let level = t.bytes().take_while(|&b| b == b'#').count();
    let level = u8::try_from(level).ok().filter(|l| (1..=3).contains(l))?;
    let text = t[usize::from(level)..].strip_prefix([' ', '\t'])?.trim();
    (!text.is_empty()).then_some((level, text))
}

/// `12. Text` or `12) Text` → (12, "Text").
fn numbered(t: &str) -> Option<(u32, &str)> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=9).contains(&digits) {
        return None;
    }
    let rest = t[digits..].strip_prefix(['.', ')'])?.strip_prefix(' ')?;
    Some((t[..digits].parse().ok()?, rest.trim_start()))
}

fn parse_blocks(lines: &[&str], depth: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        match classify(line) {
            Line::Blank => i += 1,
            Line::Heading(level, text) => {
                blocks.push(Block::Heading {
                    level,
                    content: inlines(text),
                });
                i += 1;
            }
            Line::Quote(_) => {
                let start = i;
                let mut inner = Vec::new();
                while let Some(Line::Quote(rest)) = lines.get(i).map(|l| classify(l)) {
                    inner.push(rest);
                    i += 1;
                }
                blocks.push(if depth < MAX_QUOTE_DEPTH {
                    Block::Quote(parse_blocks(&inner, depth + 1))
                } else {
                    Block::Paragraph(inlines(&lines[start..i].join("\n")))
                });
            }
            Line::Bullet(_) => {
                let (items, next) = list_items(lines, i, |line| match line {
                    Line::Bullet(text) => Some(text),
                    _ => None,
                });
                blocks.push(Block::BulletList(items));
                i = next;
            }
            Line::Numbered(start, _) => {
                let (items, next) = list_items(lines, i, |line| match line {
                    Line::Numbered(_, text) => Some(text),
                    _ => None,
                });
                blocks.push(Block::NumberedList { start, items });
                i = next;
            }
            Line::Text(_) => {
                let mut paragraph = Vec::new();
                while let Some(line) = lines.get(i) {
                    match classify(line) {
                        Line::Text(text) => paragraph.push(text),
                        // Only a list starting at 1 interrupts a paragraph, so
                        // a line such as "2024. A new office" stays text.
                        Line::Numbered(number, _) if number != 1 => paragraph.push(line.trim()),
                        _ => break,
                    }
                    i += 1;
                }
                blocks.push(Block::Paragraph(inlines(&paragraph.join("\n"))));
            }
        }
    }
    blocks
}

/// The items of the list starting at line `i`, and the line after the list.
/// `item` gives the text of a line that starts an item of this list; plain
/// lines continue the item before them, and a blank line ends the list
/// unless another item follows it.
fn list_items<'a>(
    lines: &[&'a str],
    mut i: usize,
    item: impl Fn(Line<'a>) -> Option<&'a str>,
) -> (Vec<Vec<Inline>>, usize) {
    let mut items: Vec<Vec<&str>> = Vec::new();
    while let Some(&line) = lines.get(i) {
        let kind = classify(line);
        if let Line::Text(text) = kind {
            match items.last_mut() {
                Some(last) => last.push(text),
                None => break,
            }
        } else if let Line::Blank = kind {
            let next = (i..lines.len()).find(|&n| !lines[n].trim().is_empty());
            match next {
                Some(n) if item(classify(lines[n])).is_some() => {
                    i = n;
                    continue;
                }
                _ => break,
            }
        } else if let Some(text) = item(kind) {
            items.push(vec![text]);
        } else {
            break;
        }
        i += 1;
    }
    let items = items
        .into_iter()
        .map(|parts| inlines(&parts.join("\n")))
        .collect();
    (items, i)
}

/// The inline spans of one block's text.
fn inlines(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    InlineParser::new(&chars, 0, false).parse()
}

/// Parses the spans of one stretch of text; nested spans get a parser of
/// their own over their slice.
struct InlineParser<'a> {
    chars: &'a [char],
    depth: usize,
    in_link: bool,
    /// Positions of every backtick.
    backticks: Vec<usize>,
    /// Positions of every `[`.
    openings: Vec<usize>,
    /// Positions of every `]`.
    brackets: Vec<usize>,
    /// Positions where a `**` may close bold text.
    strong_closers: Vec<usize>,
    /// Positions where a single `*` may close italic text.
    star_closers: Vec<usize>,
    /// Positions where a single `_` may close italic text.
    underscore_closers: Vec<usize>,
}

/// The first position in the sorted `positions` at or after `from`.
fn next_at(positions: &[usize], from: usize) -> Option<usize> {
    positions
        .get(positions.partition_point(|&p| p < from))
        .copied()
}

impl<'a> InlineParser<'a> {
    fn new(chars: &'a [char], depth: usize, in_link: bool) -> InlineParser<'a> {
        let mut parser = InlineParser {
            chars,
            depth,
            in_link,
            backticks: Vec::new(),
            openings: Vec::new(),
            brackets: Vec::new(),
            strong_closers: Vec::new(),
            star_closers: Vec::new(),
            underscore_closers: Vec::new(),
        };
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '`' => parser.backticks.push(i),
                '[' => parser.openings.push(i),
                ']' => parser.brackets.push(i),
                '*' if parser.closes_strong(i) => parser.strong_closers.push(i),
                '*' if parser.closes_single(i, '*') => parser.star_closers.push(i),
                '_' if parser.closes_single(i, '_') && !parser.is_word(i + 1) => {
                    parser.underscore_closers.push(i);
                }
                _ => {}
            }
        }
        parser
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// The character before `i`, if any.
    fn before(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|p| self.at(p))
    }

    /// Whether `c` (a neighbour, `None` past either end) is a space; spans
    /// must not start or end with one, so `2 * 3 * 4` stays as written.
    fn is_space(&self, c: Option<char>) -> bool {
        c.is_none_or(char::is_whitespace)
    }

    fn is_word(&self, i: usize) -> bool {
        self.at(i).is_some_and(char::is_alphanumeric)
    }

    /// `**` at `i` ends a run of stars and follows text.
    fn closes_strong(&self, i: usize) -> bool {
        self.at(i + 1) == Some('*') && self.at(i + 2) != Some('*') && !self.is_space(self.before(i))
    }

    /// A lone `marker` at `i` follows text.
    fn closes_single(&self, i: usize, marker: char) -> bool {
        self.before(i)
            .is_some_and(|c| c != marker && !c.is_whitespace())
            && self.at(i + 1) != Some(marker)
    }

    /// The spans of the whole stretch.
    fn parse(&self) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut i = 0;
        while let Some(c) = self.at(i) {
            match self.span_at(i) {
                Some((Inline::Text(literal), next)) => {
                    text.push_str(&literal);
                    i = next;
                }
                Some((span, next)) => {
                    if !text.is_empty() {
                        out.push(Inline::Text(std::mem::take(&mut text)));
                    }
                    out.push(span);
                    i = next;
                }
                None => {
                    text.push(c);
                    i += 1;
                }
            }
        }
        if !text.is_empty() {
            out.push(Inline::Text(text));
        }
        out
    }

    /// The span that starts at `i`, and the position after it, if one does.
    fn span_at(&self, i: usize) -> Option<(Inline, usize)> {
        let c = self.at(i)?;
        if c == '`' {
            return self.code_at(i);
        }
        if self.depth >= MAX_INLINE_DEPTH {
            return None;
        }
        match c {
            '*' if self.at(i + 1) == Some('*') => self.strong_at(i),
            '*' => self.emphasis_at(i, &self.star_closers),
            '_' if self
                .before(i)
                .is_none_or(|b| b != '_' && !b.is_alphanumeric())
                && self.at(i + 1) != Some('_') =>
            {
                self.emphasis_at(i, &self.underscore_closers)
            }
            '[' if !self.in_link => self.link_at(i),
            _ => None,
        }
    }

    fn nested(&self, from: usize, to: usize, in_link: bool) -> Vec<Inline> {
        InlineParser::new(&self.chars[from..to], self.depth + 1, in_link).parse()
    }

    /// `` `code` ``; an empty pair stays as two literal backticks.
    fn code_at(&self, i: usize) -> Option<(Inline, usize)> {
        let end = next_at(&self.backticks, i + 1)?;
        if end == i + 1 {
            return Some((Inline::Text("``".to_owned()), end + 1));
        }
        let code: String = self.chars[i + 1..end].iter().collect();
        Some((Inline::Code(code), end + 1))
    }

    fn strong_at(&self, i: usize) -> Option<(Inline, usize)> {
        if self.is_space(self.at(i + 2)) {
            return None;
        }
        let end = next_at(&self.strong_closers, i + 3)?;
        let content = self.nested(i + 2, end, self.in_link);
        Some((Inline::Strong(content), end + 2))
    }

    fn emphasis_at(&self, i: usize, closers: &[usize]) -> Option<(Inline, usize)> {
        if self.is_space(self.at(i + 1)) {
            return None;
        }
        let end = next_at(closers, i + 2)?;
        let content = self.nested(i + 1, end, self.in_link);
        Some((Inline::Emphasis(content), end + 1))
    }

    /// `[text](url)` with a safe, non-empty address and non-empty text
    /// without brackets.
    fn link_at(&self, i: usize) -> Option<(Inline, usize)> {
        let close = next_at(&self.brackets, i + 1)?;
        let reopened = next_at(&self.openings, i + 1).is_some_and(|o| o < close);
        if close == i + 1 || reopened || self.at(close + 1) != Some('(') {
            return None;
        }
        let start = close + 2;
        let end = self.url_end(start)?;
        let url: String = self.chars[start..end].iter().collect();
        if !is_safe_url(&url) {
            return None;
        }
        let content = self.nested(i + 1, close, true);
        Some((Inline::Link { content, url }, end + 1))
    }

    /// The position of the `)` that ends an address starting at `start`;
    /// parentheses inside it must balance, and it holds no spaces.
    fn url_end(&self, start: usize) -> Option<usize> {
        let mut open = 0usize;
        for (offset, &c) in self.chars[start..].iter().take(MAX_URL + 1).enumerate() {
            match c {
                '(' => open += 1,
                ')' if open == 0 => return Some(start + offset),
                ')' => open -= 1,
                c if c.is_whitespace() => return None,
                _ => {}
            }
        }
        None
    }
}
