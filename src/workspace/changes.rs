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

use automerge::{Patch, PatchAction, Prop, ROOT};
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
}

impl Area {
    /// Every area, in the order of the document's root map.
    pub const ALL: [Area; 11] = [
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
}

impl Touched {
    /// Everything: what the first read of a document touches.
    pub fn everything() -> Touched {
        Touched {
            whole: Area::ALL.into_iter().collect(),
            records: BTreeMap::new(),
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
            let mut steps = patch
                .path
                .iter()
                .map(|(_, prop)| prop)
                .chain(own_key.as_ref());
            let Some(Prop::Map(area)) = steps.next() else {
                continue;
            };
            let Some(area) = Area::from_key(area) else {
                // A part of the document this version of Charter does not read.
                continue;
            };
            match steps.next() {
                Some(Prop::Map(record)) if area.is_keyed() => touched.record(area, record),
                _ => {
                    touched.whole.insert(area);
                }
            }
        }
        touched
            .records
            .retain(|area, _| !touched.whole.contains(area));
        touched
    }

    fn record(&mut self, area: Area, id: &str) {
        if !self.whole.contains(&area) {
            self.records.entry(area).or_default().insert(id.to_owned());
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

    /// Adds what `other` touched.
    pub fn extend(&mut self, other: Touched) {
        self.whole.extend(other.whole);
        for (area, ids) in other.records {
            self.records.entry(area).or_default().extend(ids);
        }
        let whole = &self.whole;
        self.records.retain(|area, _| !whole.contains(area));
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
        for &area in &touched.whole {
            self.read_area(state, area)?;
        }
        for (&area, ids) in &touched.records {
            for id in ids {
                self.read_record(state, area, id)?;
            }
        }
        Ok(())
    }

    fn read_area(&self, state: &mut Workspace, area: Area) -> Result<(), CommandError> {
        fn whole<T: Hydrate + Default>(doc: &WorkspaceDoc, area: Area) -> Result<T, CommandError> {
            Ok(doc.hydrate_entry(&ROOT, area.key())?.unwrap_or_default())
        }
        match area {
            Area::Meta => state.meta = whole(self, area)?,
            Area::Members => state.members = whole(self, area)?,
            Area::Objectives => state.objectives = whole(self, area)?,
            Area::People => state.people = whole(self, area)?,
            Area::Roles => state.roles = whole(self, area)?,
            Area::Raci => state.raci = whole(self, area)?,
            Area::Policies => state.policies = whole(self, area)?,
            Area::Trainings => state.trainings = whole(self, area)?,
            Area::Commitment => state.commitment = whole(self, area)?,
            Area::Budget => state.budget = whole(self, area)?,
            Area::Fte => state.fte = whole(self, area)?,
        }
        Ok(())
    }

    fn read_record(&self, state: &mut Workspace, area: Area, id: &str) -> Result<(), CommandError> {
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
        }
    }
}
