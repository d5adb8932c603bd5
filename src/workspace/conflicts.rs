//! Concurrent edits of one field. When two people change the same field
//! without seeing each other's change (two offline renames), Automerge keeps
//! both values and picks one to show. Here that is made visible: which
//! fields of an objective hold more than one value, whose each one is, and a
//! command that keeps the one a person chooses.

use automerge::{ObjId, ReadDoc, ScalarValue, Value};

use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// The objective fields whose concurrent edits are shown: the short ones a
/// person types or picks. Text (the description) merges instead.
pub const OBJECTIVE_CONFLICT_FIELDS: [(&str, &str); 8] = [
    ("title", "title"),
    ("target", "target"),
    ("unit", "unit"),
    ("direction", "direction"),
    ("due", "due date"),
    ("owner_id", "owner"),
    ("function", "function or level"),
    ("health", "assessed health"),
];

/// One of the values a field holds after concurrent edits.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictValue {
    /// The value as stored: text, a number, or `None` for "not set".
    pub value: Option<String>,
    /// The actor id (hex) that wrote it.
    pub actor: String,
}

/// A field that two or more people changed at the same time.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    /// The field's key in the record.
    pub field: &'static str,
    /// What a person calls the field.
    pub label: &'static str,
    /// Every value it holds; the first is the one shown until someone chooses.
    pub values: Vec<ConflictValue>,
}

/// A stored scalar as text; `None` for null.
fn scalar_text(value: &ScalarValue) -> Option<String> {
    match value {
        ScalarValue::Null => None,
        ScalarValue::Str(s) => Some(s.to_string()),
        ScalarValue::F64(f) => Some(crate::workspace::model::format_number(*f)),
        ScalarValue::Int(i) => Some(i.to_string()),
        ScalarValue::Uint(u) => Some(u.to_string()),
        ScalarValue::Boolean(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

impl WorkspaceDoc {
    /// The fields of objective `id` that hold more than one value, with
    /// each value and who wrote it. Reads that one record's fields only.
    pub fn objective_conflicts(&self, id: &str) -> Result<Vec<FieldConflict>, CommandError> {
        let Some(record) = self.objective_obj(id) else {
            return Ok(Vec::new());
        };
        let mut conflicts = Vec::new();
        for (field, label) in OBJECTIVE_CONFLICT_FIELDS {
            let all = self.doc.get_all(&record, field)?;
            if all.len() < 2 {
                continue;
            }
            // Automerge shows the last of them; list that one first.
            let values: Vec<ConflictValue> = all
                .iter()
                .rev()
                .filter_map(|(value, op)| {
                    let Value::Scalar(scalar) = value else {
                        return None;
                    };
                    let actor = match op {
                        ObjId::Id(_, actor, _) => actor.to_hex_string(),
                        ObjId::Root => String::new(),
                    };
                    Some(ConflictValue {
                        value: scalar_text(scalar),
                        actor,
                    })
                })
                .collect();
            if values.len() >= 2 {
                conflicts.push(FieldConflict {
                    field,
                    label,
                    values,
                });
            }
        }
        Ok(conflicts)
    }

    /// Keeps value number `choice` (in [`WorkspaceDoc::objective_conflicts`]
    /// order) of `field` of objective `id`: written again, it supersedes the
    /// others. Does nothing when the field no longer holds several values.
    pub fn resolve_objective_conflict(
        &mut self,
        id: &str,
        field: &str,
        choice: usize,
        now: Millis,
    ) -> Result<(), CommandError> {
        let (field, label) = OBJECTIVE_CONFLICT_FIELDS
            .into_iter()
            .find(|(f, _)| *f == field)
            .ok_or(CommandError::NotFound("field"))?;
        let record = self
            .objective_obj(id)
            .ok_or(CommandError::ObjectiveNotFound)?;
        let chosen: ScalarValue = {
            let mut all = self.doc.get_all(&record, field)?;
            if all.len() < 2 {
                return Ok(());
            }
            all.reverse();
            match all.get(choice) {
                Some((Value::Scalar(scalar), _)) => scalar.clone().into_owned(),
                _ => return Err(CommandError::NotFound("value")),
            }
        };
        let title = self
            .objective_head(id)?
            .map(|o| o.title)
            .unwrap_or_default();
        let shown = scalar_text(&chosen).unwrap_or_else(|| "none".to_owned());
        self.guard(|ws| {
            automerge::transaction::Transactable::put(&mut ws.doc, &record, field, chosen)?;
            Ok(())
        })?;
        self.commit(
            format!(
                "Kept “{shown}” as the {label} of objective “{title}” (it had been changed at the same time by more than one person)"
            ),
            now,
        )
    }
}
