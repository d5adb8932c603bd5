//! The workspace as the pages read it: the whole state in memory, kept up to
//! date by patches ([`crate::workspace::changes`]), with one reactive trigger
//! per area and one per record. A reader says what it reads — some areas, or
//! one record — and re-runs only when that changed: one edited measurement
//! re-runs its objective's row and the figures that read objectives, nothing
//! else.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::workspace::Workspace;
use crate::workspace::changes::{Area, Touched};

/// The reactive state of an open workspace.
#[derive(Clone, Copy)]
pub struct WorkspaceState {
    data: StoredValue<Workspace, LocalStorage>,
    areas: StoredValue<Vec<ArcTrigger>, LocalStorage>,
    records: StoredValue<HashMap<(Area, String), ArcTrigger>, LocalStorage>,
}

impl WorkspaceState {
    /// State that starts as `workspace`.
    pub fn new(workspace: Workspace) -> WorkspaceState {
        WorkspaceState {
            data: StoredValue::new_local(workspace),
            areas: StoredValue::new_local(Area::ALL.iter().map(|_| ArcTrigger::new()).collect()),
            records: StoredValue::new_local(HashMap::new()),
        }
    }

    /// Reads the workspace; the caller re-runs when any record of `areas` changes.
    pub fn read<R>(&self, areas: &[Area], read: impl FnOnce(&Workspace) -> R) -> R {
        self.areas.with_value(|triggers| {
            for &area in areas {
                triggers[area as usize].track();
            }
        });
        self.data.with_value(read)
    }

    /// Reads one record of `area`; the caller re-runs only when that record
    /// changes (or its whole area is read again).
    pub fn record<R>(&self, area: Area, id: &str, read: impl FnOnce(&Workspace) -> R) -> R {
        let trigger = self.records.try_update_value(|records| {
            records
                .entry((area, id.to_owned()))
                .or_insert_with(ArcTrigger::new)
                .clone()
        });
        if let Some(trigger) = trigger {
            trigger.track();
        }
        self.data.with_value(read)
    }

    /// Reads the workspace without subscribing to anything.
    pub fn untracked<R>(&self, read: impl FnOnce(&Workspace) -> R) -> R {
        self.data.with_value(read)
    }

    /// Changes the data in place (the caller then calls [`WorkspaceState::notify`]).
    pub(crate) fn update<R>(&self, change: impl FnOnce(&mut Workspace) -> R) -> Option<R> {
        self.data.try_update_value(change)
    }

    /// Tells the readers of what `touched` names that it changed.
    pub(crate) fn notify(&self, touched: &Touched) {
        let mut due = Vec::new();
        self.areas.with_value(|triggers| {
            due.extend(
                touched
                    .areas()
                    .into_iter()
                    .map(|a| triggers[a as usize].clone()),
            );
        });
        self.records.with_value(|records| {
            for (&area, ids) in &touched.records {
                for id in ids {
                    due.extend(records.get(&(area, id.clone())).cloned());
                }
            }
            if !touched.whole.is_empty() {
                due.extend(
                    records
                        .iter()
                        .filter(|((area, _), _)| touched.whole.contains(area))
                        .map(|(_, trigger)| trigger.clone()),
                );
            }
        });
        for trigger in due {
            trigger.notify();
        }
    }
}
