//! Long texts edited live (policy bodies now; review minutes and findings
//! later): what the live editor needs from the document, and each
//! participant's own undo history.
//!
//! Every keystroke, paste, cut or finished IME composition is one splice and
//! one commit. Positions count Unicode code points (the document's text
//! encoding); the browser counts UTF-16 units, so [`utf16_to_chars`] and
//! [`chars_to_utf16`] convert at the edge. Places in a text that must survive
//! other people's edits (a caret, what an undo step removes or restores) are
//! Automerge cursors: they name a character, not an index.

use automerge::{ChangeHash, Cursor, CursorPosition, ObjId, ReadDoc};

use crate::workspace::model::sort_list;
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// A long text that the live editor edits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LongText {
    /// The body of the policy with this id.
    PolicyBody(String),
    /// The minutes or an input's notes (the field, one of
    /// [`crate::workspace::reviews::REVIEW_TEXTS`]) of a management review.
    ReviewText(String, &'static str),
}

impl LongText {
    /// A short stable name for presence messages (`policy:<id>`).
    pub fn key(&self) -> String {
        match self {
            LongText::PolicyBody(id) => format!("policy:{id}"),
            LongText::ReviewText(id, field) => format!("review:{id}:{field}"),
        }
    }

    /// The text a [`LongText::key`] names.
    pub fn from_key(key: &str) -> Option<LongText> {
        if let Some(rest) = key.strip_prefix("review:") {
            let (id, field) = rest.split_once(':')?;
            let field = crate::workspace::reviews::REVIEW_TEXTS
                .into_iter()
                .find(|f| *f == field)?;
            return (!id.is_empty()).then(|| LongText::ReviewText(id.to_owned(), field));
        }
        key.strip_prefix("policy:")
            .filter(|id| !id.is_empty())
            .map(|id| LongText::PolicyBody(id.to_owned()))
    }
}

/// One edit of a text, in code points: `deleted` was removed at `pos` and
/// `inserted` put there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextSplice {
    /// Where the edit starts (code points).
    pub pos: usize,
    /// The text removed at `pos`.
    pub deleted: String,
    /// The text inserted at `pos`.
    pub inserted: String,
}

/// The one splice that turns `old` into `new`, as an editor made it: the
/// caret after the edit at `caret` (code points into `new`) says where the
/// edit was when the text around it repeats (typing "a" after "a").
/// `None` when nothing changed.
pub fn local_edit(old: &str, new: &str, caret: usize) -> Option<TextSplice> {
    if old == new {
        return None;
    }
    let old: Vec<char> = old.chars().collect();
    let new: Vec<char> = new.chars().collect();
    let caret = caret.min(new.len());
    // What follows the caret was not touched: the common suffix is at most that.
    let max_suffix = (new.len() - caret).min(old.len());
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let max_prefix = (old.len() - suffix).min(new.len() - suffix);
    let prefix = old
        .iter()
        .zip(new.iter())
        .take(max_prefix)
        .take_while(|(a, b)| a == b)
        .count();
    Some(TextSplice {
        pos: prefix,
        deleted: old[prefix..old.len() - suffix].iter().collect(),
        inserted: new[prefix..new.len() - suffix].iter().collect(),
    })
}

/// The code-point index of UTF-16 offset `units` in `text` (an offset inside
/// a surrogate pair counts as after the character).
pub fn utf16_to_chars(text: &str, units: usize) -> usize {
    if bmp_only(text) {
        return units.min(text.chars().count());
    }
    let mut seen = 0;
    for (index, c) in text.chars().enumerate() {
        if seen >= units {
            return index;
        }
        seen += c.len_utf16();
    }
    text.chars().count()
}

/// Whether every character of `text` is one UTF-16 unit (none outside the
/// Basic Multilingual Plane, which UTF-8 starts with a byte of 0xF0 or more):
/// then code points and UTF-16 units count alike, and a keystroke need not
/// walk the text character by character.
fn bmp_only(text: &str) -> bool {
    !text.bytes().any(|b| b >= 0xF0)
}

/// The UTF-16 offset of code-point index `chars` in `text`.
pub fn chars_to_utf16(text: &str, chars: usize) -> usize {
    if bmp_only(text) {
        return chars.min(text.chars().count());
    }
    text.chars().take(chars).map(char::len_utf16).sum()
}

impl WorkspaceDoc {
    /// The document's heads (the state the text was read at).
    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    fn long_text_obj(&self, text: &LongText) -> Result<ObjId, CommandError> {
        match text {
            LongText::PolicyBody(id) => self.body_obj(id),
            LongText::ReviewText(id, field) => self.review_text_obj(id, field),
        }
    }

    /// Splices `text` as its own command would (a policy body through
    /// [`WorkspaceDoc::splice_policy_body`]: lifecycle and length rules apply).
    pub fn splice_long_text(
        &mut self,
        text: &LongText,
        pos: usize,
        del: usize,
        insert: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        match text {
            LongText::PolicyBody(id) => self.splice_policy_body(id, pos, del, insert, now),
            LongText::ReviewText(id, field) => {
                self.splice_review_text(id, field, pos, del, insert, now)
            }
        }
    }

    /// Where a caret at code point `pos` of `text`, as it was at `at`, is
    /// now: just after the character it followed, so that when others type
    /// at the same place (two people appending to the minutes) each caret
    /// stays after its own typing rather than jumping behind theirs. When that
    /// character was deleted, the caret stays before the character it preceded.
    /// A caret at the start follows nothing and stays at the start: were it
    /// carried behind what another person typed there (the first words of
    /// empty minutes), its own typing would land inside theirs.
    pub fn caret_now(&self, text: &LongText, pos: usize, at: &[ChangeHash]) -> Option<usize> {
        if pos == 0 {
            return Some(0);
        }
        let before_next = self
            .text_cursor(text, pos, Some(at))
            .ok()
            .and_then(|c| self.text_cursor_position(text, &c));
        let after_previous = self
            .text_cursor(text, pos - 1, Some(at))
            .ok()
            .and_then(|c| self.text_cursor_position(text, &c))
            .map(|p| p + 1);
        match (after_previous, before_next) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// A cursor at code point `pos` of `text` as it was at `at` (now, when
    /// `None`): it names the character there, so it follows that character
    /// through other people's edits. The end of the text is [`Cursor::End`].
    pub fn text_cursor(
        &self,
        text: &LongText,
        pos: usize,
        at: Option<&[ChangeHash]>,
    ) -> Result<Cursor, CommandError> {
        let obj = self.long_text_obj(text)?;
        let length = match at {
            Some(heads) => self.doc.length_at(&obj, heads),
            None => self.doc.length(&obj),
        };
        let position = if pos >= length {
            CursorPosition::End
        } else {
            CursorPosition::Index(pos)
        };
        Ok(self.doc.get_cursor(&obj, position, at)?)
    }

    /// Where `cursor` is in `text` now (code points), or `None` when it does
    /// not belong to this text or its character has not arrived yet.
    pub fn text_cursor_position(&self, text: &LongText, cursor: &Cursor) -> Option<usize> {
        let obj = self.long_text_obj(text).ok()?;
        self.doc.get_cursor_position(&obj, cursor, None).ok()
    }

    /// Applies `splice` (made by this participant at the current heads) to
    /// `text` and records it in `history` so it can be undone.
    pub fn edit_long_text(
        &mut self,
        text: &LongText,
        splice: &TextSplice,
        history: &mut TextHistory,
        now: Millis,
    ) -> Result<(), CommandError> {
        let edits = self.apply_recorded(text, splice, now)?;
        history.push(edits, splice, now);
        Ok(())
    }

    /// Applies `splice` and returns what undoes it.
    fn apply_recorded(
        &mut self,
        text: &LongText,
        splice: &TextSplice,
        now: Millis,
    ) -> Result<Vec<Edit>, CommandError> {
        let del = splice.deleted.chars().count();
        // The first deleted character (once deleted, its cursor points at the
        // next character still there) and the one before it.
        let at = (del > 0)
            .then(|| self.text_cursor(text, splice.pos, None))
            .transpose()?;
        let left = (del > 0 && splice.pos > 0)
            .then(|| self.text_cursor(text, splice.pos - 1, None))
            .transpose()?;
        self.splice_long_text(text, splice.pos, del, &splice.inserted, now)?;
        let mut edits = Vec::new();
        if let Some(at) = at {
            edits.push(Edit::Deleted {
                at,
                left,
                pos: splice.pos,
                text: splice.deleted.clone(),
            });
        }
        if !splice.inserted.is_empty() {
            edits.push(Edit::Inserted {
                first: self.text_cursor(text, splice.pos, None)?,
                text: splice.inserted.clone(),
            });
        }
        Ok(edits)
    }

    /// Reverts `edits` (in reverse order) against `current`, the text as it is
    /// now; returns what re-applies them and where the caret goes.
    fn revert(
        &mut self,
        text: &LongText,
        edits: &[Edit],
        current: &str,
        now: Millis,
    ) -> Result<(Vec<Edit>, Option<usize>), CommandError> {
        let mut current: Vec<char> = current.chars().collect();
        let mut inverse = Vec::new();
        let mut caret = None;
        for edit in edits.iter().rev() {
            match edit {
                Edit::Inserted { first, text: added } => {
                    let positions = self.own_characters(text, first, added, &current);
                    // Delete from the end so earlier positions stay valid.
                    for (start, len) in runs(&positions).into_iter().rev() {
                        let removed: String = current[start..start + len].iter().collect();
                        let splice = TextSplice {
                            pos: start,
                            deleted: removed,
                            inserted: String::new(),
                        };
                        inverse.extend(self.apply_recorded(text, &splice, now)?);
                        current.drain(start..start + len);
                        caret = Some(start);
                    }
                }
                Edit::Deleted {
                    at,
                    left,
                    text: removed,
                    ..
                } => {
                    // Just after the character that preceded the text, or
                    // where the character that followed it is, whichever is
                    // first: either may itself have been deleted since.
                    let after_left = match left {
                        None => Some(0),
                        Some(left) => self.text_cursor_position(text, left).map(|p| p + 1),
                    };
                    let before_next = self.text_cursor_position(text, at);
                    let Some(pos) = after_left.into_iter().chain(before_next).min() else {
                        continue;
                    };
                    let pos = pos.min(current.len());
                    let splice = TextSplice {
                        pos,
                        deleted: String::new(),
                        inserted: removed.clone(),
                    };
                    inverse.extend(self.apply_recorded(text, &splice, now)?);
                    current.splice(pos..pos, removed.chars());
                    caret = Some(pos + removed.chars().count());
                }
            }
        }
        Ok((inverse, caret))
    }

    /// Where the characters of one insertion are now, those still there:
    /// one splice inserts characters with consecutive operation counters, so
    /// the cursor of the first names them all.
    fn own_characters(
        &self,
        text: &LongText,
        first: &Cursor,
        added: &str,
        current: &[char],
    ) -> Vec<usize> {
        let first_pos = self.text_cursor_position(text, first);
        let len = added.chars().count();
        // The usual case: nobody touched the inserted run.
        if let Some(pos) = first_pos
            && pos + len <= current.len()
            && current[pos..pos + len].iter().copied().eq(added.chars())
        {
            return (pos..pos + len).collect();
        }
        let Some((counter, actor)) = first
            .to_string()
            .split_once('@')
            .and_then(|(ctr, actor)| ctr.parse::<u64>().ok().map(|c| (c, actor.to_owned())))
        else {
            return Vec::new();
        };
        let mut positions: Vec<usize> = added
            .chars()
            .enumerate()
            .filter_map(|(i, expected)| {
                let cursor = Cursor::try_from(format!("{}@{actor}", counter + i as u64)).ok()?;
                let pos = self.text_cursor_position(text, &cursor)?;
                // A deleted character's cursor points at its neighbour: check it is ours.
                (current.get(pos) == Some(&expected)).then_some(pos)
            })
            .collect();
        sort_list(&mut positions, Ord::cmp);
        positions.dedup();
        positions
    }
}

/// Consecutive positions grouped as (start, length).
fn runs(positions: &[usize]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &pos in positions {
        match runs.last_mut() {
            Some((start, len)) if *start + *len == pos => *len += 1,
            _ => runs.push((pos, 1)),
        }
    }
    runs
}

/// Something this participant did to a text, kept to undo it.
#[derive(Debug, Clone)]
enum Edit {
    /// Text inserted: the cursor of its first character, and the text.
    Inserted { first: Cursor, text: String },
    /// Text deleted: a cursor at its first character (once deleted, it
    /// points where the text was), the position then, and the text.
    Deleted {
        at: Cursor,
        /// The character before the text (`None` at the start).
        left: Option<Cursor>,
        pos: usize,
        text: String,
    },
}

/// Adds `edit` to a step's edits. Characters deleted one by one (Backspace
/// or Delete held down) become one deletion, cursored at its first
/// character: restored as one run, they keep their order.
fn absorb(edits: &mut Vec<Edit>, edit: Edit) {
    if let (
        Some(Edit::Deleted {
            at,
            left,
            pos,
            text: run,
        }),
        Edit::Deleted {
            at: new_at,
            left: new_left,
            pos: new_pos,
            text: new_text,
        },
    ) = (edits.last_mut(), &edit)
    {
        let len = new_text.chars().count();
        if *new_pos + len == *pos {
            // Backspace: the new character was just before the run.
            run.insert_str(0, new_text);
            *at = new_at.clone();
            *left = new_left.clone();
            *pos = *new_pos;
            return;
        }
        if *new_pos == *pos {
            // Delete: the new character was just after the run.
            run.push_str(new_text);
            return;
        }
    }
    edits.push(edit);
}

/// Typing within this long of the previous keystroke is undone with it…
const GROUP_MS: Millis = 1_000;
/// …up to this long of continuous typing.
const GROUP_LIMIT_MS: Millis = 10_000;

#[derive(Debug, Clone)]
struct Step {
    edits: Vec<Edit>,
    /// When the step began and last grew, and whether it is plain typing
    /// (one character typed or deleted, which groups).
    started: Millis,
    at: Millis,
    typing: bool,
}

/// One participant's undo and redo for one text: only their own edits, found
/// again through cursors wherever other people's edits have moved them.
#[derive(Debug, Clone, Default)]
pub struct TextHistory {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl TextHistory {
    fn push(&mut self, edits: Vec<Edit>, splice: &TextSplice, now: Millis) {
        self.redo.clear();
        let typing = splice.deleted.chars().count() + splice.inserted.chars().count() == 1;
        match self.undo.last_mut() {
            Some(step)
                if typing
                    && step.typing
                    && now - step.at <= GROUP_MS
                    && now - step.started <= GROUP_LIMIT_MS =>
            {
                for edit in edits {
                    absorb(&mut step.edits, edit);
                }
                step.at = now;
            }
            _ => self.undo.push(Step {
                edits,
                started: now,
                at: now,
                typing,
            }),
        }
    }

    /// Whether there is something of this participant's to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether an undone step can be redone.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes this participant's latest step in `text`, whose current content
    /// is `current`; others' edits stay. Returns where the caret goes.
    pub fn undo(
        &mut self,
        doc: &mut WorkspaceDoc,
        text: &LongText,
        current: &str,
        now: Millis,
    ) -> Result<Option<usize>, CommandError> {
        let TextHistory { undo, redo } = self;
        replay(undo, redo, doc, text, current, now)
    }

    /// Redoes the step undone last. Returns where the caret goes.
    pub fn redo(
        &mut self,
        doc: &mut WorkspaceDoc,
        text: &LongText,
        current: &str,
        now: Millis,
    ) -> Result<Option<usize>, CommandError> {
        let TextHistory { undo, redo } = self;
        replay(redo, undo, doc, text, current, now)
    }
}

/// Reverts the latest step of `from` and keeps what re-applies it on `to`
/// (undo: from the undo stack to the redo stack; redo: the other way).
fn replay(
    from: &mut Vec<Step>,
    to: &mut Vec<Step>,
    doc: &mut WorkspaceDoc,
    text: &LongText,
    current: &str,
    now: Millis,
) -> Result<Option<usize>, CommandError> {
    let Some(step) = from.pop() else {
        return Ok(None);
    };
    let (inverse, caret) = match doc.revert(text, &step.edits, current, now) {
        Ok(reverted) => reverted,
        Err(e) => {
            // Refused (a retired policy): the step stays to be tried again.
            from.push(step);
            return Err(e);
        }
    };
    to.push(Step {
        edits: inverse,
        started: now,
        at: now,
        typing: false,
    });
    Ok(caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splice(pos: usize, deleted: &str, inserted: &str) -> TextSplice {
        TextSplice {
            pos,
            deleted: deleted.into(),
            inserted: inserted.into(),
        }
    }

    #[test]
    fn a_local_edit_is_placed_at_the_caret() {
        assert_eq!(local_edit("aa", "aaa", 1), Some(splice(0, "", "a")));
        assert_eq!(local_edit("aa", "aaa", 3), Some(splice(2, "", "a")));
        // Backspace in a run of the same letter.
        assert_eq!(local_edit("aaaa", "aaa", 1), Some(splice(1, "a", "")));
        // Forward delete keeps the caret.
        assert_eq!(local_edit("abc", "ac", 1), Some(splice(1, "b", "")));
        // A paste over a selection.
        assert_eq!(
            local_edit("the old text", "the new text", 7),
            Some(splice(4, "old", "new"))
        );
        assert_eq!(local_edit("é😀", "é😀!", 3), Some(splice(2, "", "!")));
        assert_eq!(local_edit("same", "same", 2), None);
    }

    #[test]
    fn utf16_offsets_convert_to_code_points_and_back() {
        let text = "a😀é";
        assert_eq!(utf16_to_chars(text, 0), 0);
        assert_eq!(utf16_to_chars(text, 1), 1);
        assert_eq!(utf16_to_chars(text, 3), 2);
        assert_eq!(utf16_to_chars(text, 4), 3);
        assert_eq!(utf16_to_chars(text, 99), 3);
        assert_eq!(chars_to_utf16(text, 2), 3);
        assert_eq!(chars_to_utf16(text, 3), 4);
        // Without characters outside the BMP (the quick path), units are code points.
        let text = "aé€ü";
        assert_eq!(utf16_to_chars(text, 3), 3);
        assert_eq!(utf16_to_chars(text, 99), 4);
        assert_eq!(chars_to_utf16(text, 2), 2);
        assert_eq!(chars_to_utf16(text, 99), 4);
        assert_eq!(utf16_to_chars("", 5), 0);
    }

    #[test]
    fn runs_group_consecutive_positions() {
        assert_eq!(runs(&[1, 2, 3, 7, 9, 10]), vec![(1, 3), (7, 1), (9, 2)]);
        assert!(runs(&[]).is_empty());
    }
}
