//! What a change touched, and reading only that again.
//!
//! The rule every part of Charter follows: a change costs what the change is,
//! never what the workspace holds. After a local command, a change from
//! another tab or one from the relay, Automerge's patches (from its indexed
//! patch log, so computing them costs the size of the change) say which
//! records changed; [`Touched`] names them, and
//! [`WorkspaceDoc::read_touched`] reads exactly those records again into the
//! in-memory [`Workspace`]. The UI then notifies only the areas and records
//! named, so one edited measurement re-renders its row and the figures that
//! depend on its objective, nothing else.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{Patch, PatchAction, Prop, ROOT, ReadDoc, TextEncoding};
use autosurgeon::Hydrate;

use crate::workspace::{CommandError, Workspace, WorkspaceDoc};

/// A top-level part of the workspace: its meta record, or one of its record maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// Organisation name, scope and creation time (one record).
    Meta,
    /// Actor ids and the names behind them.
    Members,
    /// Security objectives with their plans and measurements.
    Objectives,
    /// People.
    People,
    /// ISMS roles and their holders.
    Roles,
    /// The RACI activities and their letters.
    Raci,
    /// Policies with their text, approvals and acknowledgements.
    Policies,
    /// Training programmes with sessions and attendance.
    Trainings,
    /// The eight duties of clause 5.1.
    Commitment,
    /// Budget lines.
    Budget,
    /// People time per role.
    Fte,
    /// Device signing keys and their confirmations.
    Keys,
    /// Competence records.
    Competence,
    /// Communications.
    Communications,
    /// Management reviews.
    Reviews,
    /// Actions from management reviews.
    Actions,
    /// Risk criteria versions.
    Criteria,
    /// The risk register.
    Risks,
    /// The Statement of Applicability's rows.
    Soa,
    /// Approved versions of the Statement of Applicability.
    SoaVersions,
    /// The implementation plan's stages.
    Stages,
    /// Internal and external issues.
    Issues,
    /// Interested parties and their requirements.
    Parties,
    /// Versions of the ISMS scope.
    Scopes,
    /// Planned changes to the ISMS.
    PlannedChanges,
    /// Internal audits and their findings.
    Audits,
    /// Nonconformities and corrective actions.
    Nonconformities,
    /// The improvement log.
    Improvements,
    /// Certificates and their certification cycles.
    Certificates,
}

impl Area {
    /// Every area, in the order of the document's root map.
    pub const ALL: [Area; 29] = [
        Area::Meta,
        Area::Members,
        Area::Objectives,
        Area::People,
        Area::Roles,
        Area::Raci,
        Area::Policies,
        Area::Trainings,
        Area::Commitment,
        Area::Budget,
        Area::Fte,
        Area::Keys,
        Area::Competence,
        Area::Communications,
        Area::Reviews,
        Area::Actions,
        Area::Criteria,
        Area::Risks,
        Area::Soa,
        Area::SoaVersions,
        Area::Stages,
        Area::Issues,
        Area::Parties,
        Area::Scopes,
        Area::PlannedChanges,
        Area::Audits,
        Area::Nonconformities,
        Area::Improvements,
        Area::Certificates,
    ];

    /// The area's key in the document's root map.
    pub fn key(self) -> &'static str {
        match self {
            Area::Meta => "meta",
            Area::Members => "members",
            Area::Objectives => "objectives",
            Area::People => "people",
            Area::Roles => "roles",
            Area::Raci => "raci",
            Area::Policies => "policies",
            Area::Trainings => "trainings",
            Area::Commitment => "commitment",
            Area::Budget => "budget",
            Area::Fte => "fte",
            Area::Keys => "keys",
            Area::Competence => "competence",
            Area::Communications => "communications",
            Area::Reviews => "reviews",
            Area::Actions => "actions",
            Area::Criteria => "criteria",
            Area::Risks => "risks",
            Area::Soa => "soa",
            Area::SoaVersions => "soa_versions",
            Area::Stages => "stages",
            Area::Issues => "issues",
            Area::Parties => "parties",
            Area::Scopes => "scopes",
            Area::PlannedChanges => "planned_changes",
            Area::Audits => "audits",
            Area::Nonconformities => "nonconformities",
            Area::Improvements => "improvements",
            Area::Certificates => "certificates",
        }
    }

    /// The area stored under `key` in the root map, if Charter knows it.
    pub fn from_key(key: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.key() == key)
    }

    /// Whether the area is a map of records by id (everything but meta).
    pub fn is_keyed(self) -> bool {
        self != Area::Meta
    }
}

/// The areas and records a change touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Areas to read again whole: their map itself was replaced, or this is
    /// the first read.
    pub whole: BTreeSet<Area>,
    /// Records to read again, by area (created, changed or deleted).
    pub records: BTreeMap<Area, BTreeSet<String>>,
    /// Of those records, the ones where less than the whole record changed:
    /// entries of a growing nested map (an objective's measurements, a
    /// programme's sessions), splices of a long text, or some fields of an
    /// objective, policy or programme. The rest are read whole.
    parts: BTreeMap<(Area, String), Parts>,
}

/// The nested maps whose entries are read one by one: a new measurement
/// costs one measurement, however many the objective has.
const NESTED_MAPS: [(Area, &str); 2] = [
    (Area::Objectives, "measurements"),
    (Area::Trainings, "sessions"),
];

/// The long texts whose splices are applied to the state as they are: a
/// keystroke costs one keystroke, however long the text.
const TEXTS: [(Area, &str); 10] = [
    (Area::Policies, "body"),
    (Area::Objectives, "description"),
    (Area::Reviews, "minutes"),
    (Area::Reviews, "notes_a"),
    (Area::Reviews, "notes_b"),
    (Area::Reviews, "notes_c"),
    (Area::Reviews, "notes_d"),
    (Area::Reviews, "notes_e"),
    (Area::Reviews, "notes_f"),
    (Area::Reviews, "notes_g"),
];

/// What changed inside one record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Parts {
    /// Nested map entries (field, key) to read again.
    entries: BTreeSet<(String, String)>,
    /// Text edits (field, edit), in the order they happened.
    splices: Vec<(String, TextEdit)>,
    /// Fields to read again whole (their entries and splices are then moot).
    fields: BTreeSet<String>,
}

/// One edit of a long text, at a position in Automerge's text encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TextEdit {
    Insert { index: usize, text: String },
    Delete { index: usize, length: usize },
}

/// One step of what changed inside a record.
enum Part {
    Entry(String, String),
    Splice(String, TextEdit),
    Field(String),
}

impl Parts {
    fn with(mut self, part: Part) -> Parts {
        match part {
            Part::Entry(field, key) => {
                self.entries.insert((field, key));
            }
            Part::Splice(field, edit) => self.splices.push((field, edit)),
            Part::Field(field) => {
                self.fields.insert(field);
            }
        }
        self
    }
}

/// What a patch changed inside a record, when that is less than the whole
/// record; `steps` are the path below the record, `keyed` whether the
/// patch's own key is the last of them.
fn part_of(area: Area, steps: &[&Prop], action: &PatchAction, keyed: bool) -> Option<Part> {
    let Some(Prop::Map(field)) = steps.first() else {
        return None;
    };
    if NESTED_MAPS.contains(&(area, field.as_str())) {
        return match steps.get(1) {
            Some(Prop::Map(key)) => Some(Part::Entry(field.clone(), key.clone())),
            _ => None,
        };
    }
    if TEXTS.contains(&(area, field.as_str())) && steps.len() == 1 && !keyed {
        let edit = match action {
            PatchAction::SpliceText { index, value, .. } => TextEdit::Insert {
                index: *index,
                text: value.make_string(),
            },
            PatchAction::DeleteSeq { index, length } => TextEdit::Delete {
                index: *index,
                length: *length,
            },
            _ => return None,
        };
        return Some(Part::Splice(field.clone(), edit));
    }
    // The records that carry growing parts are also read field by field, so
    // that editing an objective's title does not read its measurements.
    FIELD_READ
        .contains(&area)
        .then(|| Part::Field(field.clone()))
}

/// The areas whose records are read again field by field.
const FIELD_READ: [Area; 3] = [Area::Objectives, Area::Policies, Area::Trainings];

/// Reads `$name` of a record into `$target` when it is one of the listed
/// fields; evaluates to whether it was.
macro_rules! read_field {
    ($doc:expr, $obj:expr, $target:expr, $name:expr, [$($field:ident),* $(,)?]) => {
        match $name {
            $(stringify!($field) => {
                $target.$field = $doc.hydrate_entry($obj, stringify!($field))?.unwrap_or_default();
                true
            })*
            _ => false,
        }
    };
}

impl Touched {
    /// Everything: what the first read of a document touches.
    pub fn everything() -> Touched {
        Touched {
            whole: Area::ALL.into_iter().collect(),
            ..Touched::default()
        }
    }

    /// What `patches` touched. Each patch's path from the root names the
    /// area (first step) and the record (second step).
    pub fn of(patches: &[Patch]) -> Touched {
        let mut touched = Touched::default();
        for patch in patches {
            let own_key = match &patch.action {
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => {
                    Some(Prop::Map(key.clone()))
                }
                PatchAction::Increment { prop, .. } | PatchAction::Conflict { prop } => {
                    Some(prop.clone())
                }
                _ => None,
            };
            let steps: Vec<&Prop> = patch
                .path
                .iter()
                .map(|(_, prop)| prop)
                .chain(own_key.as_ref())
                .collect();
            let Some(Prop::Map(area)) = steps.first() else {
                continue;
            };
            let Some(area) = Area::from_key(area) else {
                // A part of the document this version of Charter does not read.
                continue;
            };
            match steps.get(1) {
                Some(Prop::Map(record)) if area.is_keyed() => {
                    let part = part_of(area, &steps[2..], &patch.action, own_key.is_some());
                    touched.record(area, record, part);
                }
                _ => {
                    touched.whole.insert(area);
                }
            }
        }
        let whole = &touched.whole;
        touched.records.retain(|area, _| !whole.contains(area));
        touched.parts.retain(|(area, _), _| !whole.contains(area));
        touched
    }

    /// Notes that `id` in `area` changed: in `part` only, or whole (`None`).
    fn record(&mut self, area: Area, id: &str, part: Option<Part>) {
        if self.whole.contains(&area) {
            return;
        }
        let new = self.records.entry(area).or_default().insert(id.to_owned());
        let key = (area, id.to_owned());
        match part {
            Some(part) if new => {
                self.parts.insert(key, Parts::default().with(part));
            }
            Some(part) => {
                if let Some(parts) = self.parts.remove(&key) {
                    self.parts.insert(key, parts.with(part));
                }
            }
            // Read whole: from now on it has no parts.
            None => {
                self.parts.remove(&key);
            }
        }
    }

    /// Whether nothing was touched.
    pub fn is_empty(&self) -> bool {
        self.whole.is_empty() && self.records.is_empty()
    }

    /// Every area touched, whole or in part.
    pub fn areas(&self) -> BTreeSet<Area> {
        self.whole
            .iter()
            .chain(self.records.keys())
            .copied()
            .collect()
    }

    /// How many records were touched (areas read whole not counted).
    pub fn record_count(&self) -> usize {
        self.records.values().map(BTreeSet::len).sum()
    }
}

impl WorkspaceDoc {
    /// Starts recording what later changes touch (Automerge's indexed patch
    /// log); call it right after reading the whole workspace once.
    pub fn track_changes(&mut self) {
        self.doc.update_diff_cursor();
    }

    /// What changed since the last call (or since [`WorkspaceDoc::track_changes`]).
    /// Costs what the changes are: the patches come from the indexed patch log.
    pub fn take_changes(&mut self) -> Touched {
        Touched::of(&self.doc.diff_incremental())
    }

    /// Reads exactly what `touched` names again into `state`, so that it
    /// equals a whole read of the document.
    pub fn read_touched(
        &self,
        state: &mut Workspace,
        touched: &Touched,
    ) -> Result<(), CommandError> {
        // A record that cannot be read stays as it was; every other record is
        // still read, and the first problem is reported.
        let mut problem = None;
        for &area in &touched.whole {
            if let Err(e) = self.read_area(state, area) {
                problem.get_or_insert(e);
            }
        }
        for (&area, ids) in &touched.records {
            for id in ids {
                let read = match touched.parts.get(&(area, id.clone())) {
                    Some(parts) => self.read_parts(state, area, id, parts).unwrap_or(false),
                    None => false,
                };
                if !read && let Err(e) = self.read_record(state, area, id) {
                    problem.get_or_insert(e);
                }
            }
        }
        problem.map_or(Ok(()), Err)
    }

    /// Reads only the changed parts of a record into `state`; false when the
    /// record has to be read whole instead (it is not in the state yet, or a
    /// text edit does not fit the text the state has).
    fn read_parts(
        &self,
        state: &mut Workspace,
        area: Area,
        id: &str,
        parts: &Parts,
    ) -> Result<bool, CommandError> {
        let record = self
            .existing_map(ROOT, area.key())
            .and_then(|map| self.existing_map(map, id));
        let Some(record) = record else {
            return Ok(false);
        };
        for field in &parts.fields {
            let read = match area {
                Area::Objectives => match state.objectives.get_mut(id) {
                    Some(o) if field == "measurements" => {
                        read_field!(self, &record, o, field.as_str(), [measurements])
                    }
                    Some(o) => self.read_objective_field(&record, o, field)?,
                    None => false,
                },
                Area::Policies => match state.policies.get_mut(id) {
                    Some(p) => read_field!(
                        self,
                        &record,
                        p,
                        field.as_str(),
                        [
                            title,
                            kind,
                            owner,
                            review_due,
                            body,
                            status,
                            approvals,
                            created_at,
                            availability,
                        ]
                    ),
                    None => false,
                },
                Area::Trainings => match state.trainings.get_mut(id) {
                    Some(t) => read_field!(
                        self,
                        &record,
                        t,
                        field.as_str(),
                        [
                            topic,
                            audience,
                            recurrence_months,
                            mandatory,
                            completion_target,
                            sessions,
                            evidence,
                            created_at,
                            archived,
                            covers_policy,
                            covers_contribution,
                            covers_consequences,
                            effectiveness_method,
                            effectiveness_result,
                            effectiveness_checked,
                        ]
                    ),
                    None => false,
                },
                _ => false,
            };
            if !read {
                // A field this version does not know: read the record whole.
                return Ok(false);
            }
        }
        for (field, key) in &parts.entries {
            if parts.fields.contains(field) {
                continue;
            }
            let Some(map) = self.existing_map(record.clone(), field) else {
                return Ok(false);
            };
            let entries = match (area, field.as_str()) {
                (Area::Objectives, "measurements") => {
                    state.objectives.get_mut(id).map(|o| &mut o.measurements)
                }
                _ => None,
            };
            let sessions = match (area, field.as_str()) {
                (Area::Trainings, "sessions") => {
                    state.trainings.get_mut(id).map(|t| &mut t.sessions)
                }
                _ => None,
            };
            if let Some(entries) = entries {
                put_entry(self, entries, &map, key)?;
            } else if let Some(sessions) = sessions {
                put_entry(self, sessions, &map, key)?;
            } else {
                return Ok(false);
            }
        }
        // Each text's edits are applied to one string, which becomes the
        // state's text once: a merge of thousands of keystrokes copies the
        // text once per text, not once per keystroke.
        let encoding = self.doc.text_encoding();
        for field in TEXTS
            .iter()
            .filter(|(a, _)| *a == area)
            .map(|(_, field)| *field)
        {
            let mut edits = parts
                .splices
                .iter()
                .filter(|(f, _)| f == field && !parts.fields.contains(f))
                .map(|(_, edit)| edit)
                .peekable();
            if edits.peek().is_none() {
                continue;
            }
            let text = match (area, field) {
                (Area::Policies, "body") => state.policies.get_mut(id).map(|p| &mut p.body),
                (Area::Objectives, "description") => {
                    state.objectives.get_mut(id).map(|o| &mut o.description)
                }
                (Area::Reviews, field) => state.reviews.get_mut(id).and_then(|r| r.text_mut(field)),
                _ => None,
            };
            let Some(text) = text else {
                return Ok(false);
            };
            let mut edited = text.as_str().to_owned();
            for edit in edits {
                if !apply_edit(&mut edited, edit, encoding) {
                    return Ok(false);
                }
            }
            *text = autosurgeon::Text::with_value(edited);
        }
        Ok(true)
    }

    fn read_area(&self, state: &mut Workspace, area: Area) -> Result<(), CommandError> {
        // Records are read one by one with the same code as a single record:
        // one copy of each record kind's reading code in the app, not two.
        let ids: Vec<String> = match self.existing_map(ROOT, area.key()) {
            Some(map) => self.doc.keys(&map).collect(),
            None => Vec::new(),
        };
        match area {
            Area::Meta => state.meta = self.meta()?,
            Area::Members => state.members.clear(),
            Area::Objectives => state.objectives.clear(),
            Area::People => state.people.clear(),
            Area::Roles => state.roles.clear(),
            Area::Raci => state.raci.clear(),
            Area::Policies => state.policies.clear(),
            Area::Trainings => state.trainings.clear(),
            Area::Commitment => state.commitment.clear(),
            Area::Budget => state.budget.clear(),
            Area::Fte => state.fte.clear(),
            Area::Keys => state.keys.clear(),
            Area::Competence => state.competence.clear(),
            Area::Communications => state.communications.clear(),
            Area::Reviews => state.reviews.clear(),
            Area::Actions => state.actions.clear(),
            Area::Criteria => state.criteria.clear(),
            Area::Risks => state.risks.clear(),
            Area::Soa => state.soa.clear(),
            Area::SoaVersions => state.soa_versions.clear(),
            Area::Stages => state.stages.clear(),
            Area::Issues => state.issues.clear(),
            Area::Parties => state.parties.clear(),
            Area::Scopes => state.scopes.clear(),
            Area::PlannedChanges => state.planned_changes.clear(),
            Area::Audits => state.audits.clear(),
            Area::Nonconformities => state.nonconformities.clear(),
            Area::Improvements => state.improvements.clear(),
            Area::Certificates => state.certificates.clear(),
        }
        let mut problem = None;
        if area.is_keyed() {
            for id in &ids {
                if let Err(e) = self.read_record(state, area, id) {
                    problem.get_or_insert(e);
                }
            }
        }
        problem.map_or(Ok(()), Err)
    }

    fn read_record(&self, state: &mut Workspace, area: Area, id: &str) -> Result<(), CommandError> {
        #[inline(never)]
        fn put<T: Hydrate>(
            doc: &WorkspaceDoc,
            records: &mut BTreeMap<String, T>,
            area: Area,
            id: &str,
        ) -> Result<(), CommandError> {
            let record = match doc.existing_map(ROOT, area.key()) {
                Some(map) => doc.hydrate_entry(&map, id)?,
                None => None,
            };
            match record {
                Some(record) => records.insert(id.to_owned(), record),
                None => records.remove(id),
            };
            Ok(())
        }
        match area {
            Area::Meta => self.read_area(state, area),
            Area::Members => put(self, &mut state.members, area, id),
            Area::Objectives => put(self, &mut state.objectives, area, id),
            Area::People => put(self, &mut state.people, area, id),
            Area::Roles => put(self, &mut state.roles, area, id),
            Area::Raci => put(self, &mut state.raci, area, id),
            Area::Policies => put(self, &mut state.policies, area, id),
            Area::Trainings => put(self, &mut state.trainings, area, id),
            Area::Commitment => put(self, &mut state.commitment, area, id),
            Area::Budget => put(self, &mut state.budget, area, id),
            Area::Fte => put(self, &mut state.fte, area, id),
            Area::Keys => put(self, &mut state.keys, area, id),
            Area::Competence => put(self, &mut state.competence, area, id),
            Area::Communications => put(self, &mut state.communications, area, id),
            Area::Reviews => put(self, &mut state.reviews, area, id),
            Area::Actions => put(self, &mut state.actions, area, id),
            Area::Criteria => put(self, &mut state.criteria, area, id),
            Area::Risks => put(self, &mut state.risks, area, id),
            Area::Soa => put(self, &mut state.soa, area, id),
            Area::SoaVersions => put(self, &mut state.soa_versions, area, id),
            Area::Stages => put(self, &mut state.stages, area, id),
            Area::Issues => put(self, &mut state.issues, area, id),
            Area::Parties => put(self, &mut state.parties, area, id),
            Area::Scopes => put(self, &mut state.scopes, area, id),
            Area::PlannedChanges => put(self, &mut state.planned_changes, area, id),
            Area::Audits => put(self, &mut state.audits, area, id),
            Area::Nonconformities => put(self, &mut state.nonconformities, area, id),
            Area::Improvements => put(self, &mut state.improvements, area, id),
            Area::Certificates => put(self, &mut state.certificates, area, id),
        }
    }
}

/// Reads `map[key]` into `entries`, or removes it when it is gone.
#[inline(never)]
fn put_entry<T: Hydrate>(
    doc: &WorkspaceDoc,
    entries: &mut BTreeMap<String, T>,
    map: &automerge::ObjId,
    key: &str,
) -> Result<(), CommandError> {
    match doc.hydrate_entry(map, key)? {
        Some(entry) => entries.insert(key.to_owned(), entry),
        None => entries.remove(key),
    };
    Ok(())
}

/// Applies `edit` to `text`, positions counted in `encoding`; false (and
/// `text` unchanged) when the edit does not fit the text (the record is then
/// read whole).
fn apply_edit(text: &mut String, edit: &TextEdit, encoding: TextEncoding) -> bool {
    let width: fn(char) -> usize = match encoding {
        TextEncoding::Utf8CodeUnit => char::len_utf8,
        TextEncoding::Utf16CodeUnit => char::len_utf16,
        _ => |_| 1,
    };
    // The byte offset of position `index`, if it falls between characters.
    let byte = |index: usize| -> Option<usize> {
        let mut units = 0;
        for (offset, c) in text.char_indices() {
            if units == index {
                return Some(offset);
            }
            units += width(c);
        }
        (units == index).then_some(text.len())
    };
    let range = match edit {
        TextEdit::Insert { index, .. } => byte(*index).map(|at| (at, at)),
        TextEdit::Delete { index, length } => byte(*index).zip(byte(index + length)),
    };
    let Some((start, end)) = range else {
        return false;
    };
    let insert = match edit {
        TextEdit::Insert { text, .. } => text.as_str(),
        TextEdit::Delete { .. } => "",
    };
    text.replace_range(start..end, insert);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_edits_apply_at_positions_of_the_encoding() {
        let insert = |index, text: &str| TextEdit::Insert {
            index,
            text: text.to_owned(),
        };
        let applied = |text: &str, edit: &TextEdit, encoding| {
            let mut text = text.to_owned();
            apply_edit(&mut text, edit, encoding).then_some(text)
        };
        let code_points = TextEncoding::UnicodeCodePoint;
        assert_eq!(
            applied("a☃b", &insert(2, "é"), code_points).as_deref(),
            Some("a☃éb")
        );
        let delete = TextEdit::Delete {
            index: 1,
            length: 1,
        };
        assert_eq!(applied("a☃b", &delete, code_points).as_deref(), Some("ab"));
        // "𝄞" is two UTF-16 units: position 2 falls inside it, 3 after it.
        let utf16 = TextEncoding::Utf16CodeUnit;
        assert_eq!(applied("a𝄞b", &insert(2, "x"), utf16), None);
        assert_eq!(
            applied("a𝄞b", &insert(3, "x"), utf16).as_deref(),
            Some("a𝄞xb")
        );
        assert_eq!(
            applied("ab", &insert(3, "x"), code_points),
            None,
            "past the end"
        );
    }
}
