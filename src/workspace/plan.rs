//! The implementation plan: the stages of bringing the ISMS to
//! certification, with owner, start, deadline, status and dependencies
//! (never a cycle), each linked to the record it produces and done only
//! when that record is approved.

use autosurgeon::{Hydrate, Reconcile};

use crate::workspace::Millis;

/// Where a stage stands, as its owner reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum StageStatus {
    /// Not started.
    #[default]
    NotStarted,
    /// Under way.
    InProgress,
    /// Finished (counts as done only when the record it produces is approved).
    Finished,
}

/// One stage of the implementation plan.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Stage {
    /// What it is ("Risk assessment").
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// Who owns it (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub owner: String,
    /// When it starts (YYYY-MM-DD).
    #[autosurgeon(missing = "Default::default")]
    pub start: String,
    /// When it must be finished (YYYY-MM-DD), not before the start.
    #[autosurgeon(missing = "Default::default")]
    pub deadline: String,
    /// Its status.
    #[autosurgeon(missing = "Default::default")]
    pub status: StageStatus,
    /// The stages (ids) that must finish first.
    #[autosurgeon(missing = "Default::default")]
    pub depends_on: Vec<String>,
    /// The record it produces, as "<area>:<id>" ("policies:01H…",
    /// "soa:version", "criteria:01H…", "reviews:01H…"), or "".
    #[autosurgeon(missing = "Default::default")]
    pub produces: String,
    /// Its place in the plan (for ordering).
    #[autosurgeon(missing = "Default::default")]
    pub order: u32,
    /// When it was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}
