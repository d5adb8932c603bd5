//! The implementation plan: the stages of bringing the ISMS to
//! certification, with owner, start, deadline, status and dependencies
//! (never a cycle), each linked to the record it produces and done only
//! when that record is approved.

use std::collections::{BTreeMap, VecDeque};

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop, reconcile_prop};

use crate::workspace::measurements::{add_days, date_of, day_number};
use crate::workspace::model::{Workspace, sort_list};
use crate::workspace::validate::{Field, MAX_TITLE, ValidationErrors, check_length, parse_date};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

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
    /// "soa:version", "criteria:01H…", "reviews:01H…", "scopes:01H…"), or "".
    #[autosurgeon(missing = "Default::default")]
    pub produces: String,
    /// Its place in the plan (for ordering).
    #[autosurgeon(missing = "Default::default")]
    pub order: u32,
    /// When it was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

impl StageStatus {
    /// Every status, in the order the form offers them.
    pub const ALL: [StageStatus; 3] = [
        StageStatus::NotStarted,
        StageStatus::InProgress,
        StageStatus::Finished,
    ];

    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            StageStatus::NotStarted => "Not started",
            StageStatus::InProgress => "In progress",
            StageStatus::Finished => "Finished",
        }
    }

    /// A stable name for forms and CSS.
    pub fn slug(self) -> &'static str {
        match self {
            StageStatus::NotStarted => "not-started",
            StageStatus::InProgress => "in-progress",
            StageStatus::Finished => "finished",
        }
    }

    /// The status named `slug`.
    pub fn from_slug(slug: &str) -> Option<StageStatus> {
        StageStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// The record a stage produces, read from [`Stage::produces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Produces<'a> {
    /// Nothing to approve: the stage is done when it is finished.
    Nothing,
    /// A policy (by id; "" until one is linked), done once approved.
    Policy(&'a str),
    /// A version of the risk criteria (by id; "" until linked), done once approved.
    Criteria(&'a str),
    /// The Statement of Applicability, done once a version is approved.
    Soa,
    /// A management review (by id; "" until linked), done once signed.
    Review(&'a str),
    /// The risk register, done once every risk is accepted by its owner.
    Risks,
    /// A version of the ISMS scope (by id; "" until linked), done once approved.
    Scope(&'a str),
    /// A kind of record this version of Charter does not know: the stage
    /// counts as done when it is finished.
    Unknown,
}

impl<'a> Produces<'a> {
    /// Reads "<area>:<id>".
    pub fn parse(produces: &'a str) -> Produces<'a> {
        let produces = produces.trim();
        if produces.is_empty() {
            return Produces::Nothing;
        }
        let Some((area, id)) = produces.split_once(':') else {
            return Produces::Unknown;
        };
        match area {
            "policies" => Produces::Policy(id),
            "criteria" => Produces::Criteria(id),
            "soa" => Produces::Soa,
            "reviews" => Produces::Review(id),
            "risks" => Produces::Risks,
            "scopes" => Produces::Scope(id),
            _ => Produces::Unknown,
        }
    }

    /// What it is, in words.
    pub fn label(self) -> &'static str {
        match self {
            Produces::Nothing => "Nothing to approve",
            Produces::Policy(_) => "A policy (done once approved)",
            Produces::Criteria(_) => "The risk criteria (done once approved)",
            Produces::Soa => "The Statement of Applicability (done once a version is approved)",
            Produces::Review(_) => "A management review (done once signed)",
            Produces::Risks => "The risk register (done once every risk is accepted)",
            Produces::Scope(_) => "The ISMS scope (done once the version is approved)",
            Produces::Unknown => "A record this version of Charter does not know",
        }
    }
}

/// The kinds of record a stage can produce, as the form offers them: the
/// prefix of [`Stage::produces`] (the id follows it, or is linked later);
/// [`Produces::label`] says each in words.
pub const PRODUCES_KINDS: [&str; 7] = [
    "",
    "scopes:",
    "policies:",
    "criteria:",
    "soa:",
    "reviews:",
    "risks:",
];

/// A stage as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageDraft {
    /// What it is.
    pub title: String,
    /// Who owns it (person id).
    pub owner: String,
    /// When it starts, as typed.
    pub start: String,
    /// When it must be finished, as typed.
    pub deadline: String,
    /// Where it stands.
    pub status: StageStatus,
    /// The stages (ids) that must finish first.
    pub depends_on: Vec<String>,
    /// The record it produces ("<area>:<id>"), or "".
    pub produces: String,
}

/// A stage's fields once they are known to be valid.
#[derive(Debug, Clone, PartialEq)]
pub struct StageFields {
    /// Trimmed, non-empty title.
    pub title: String,
    /// A current person's id.
    pub owner: String,
    /// YYYY-MM-DD.
    pub start: String,
    /// YYYY-MM-DD, not before the start.
    pub deadline: String,
    /// Where it stands.
    pub status: StageStatus,
    /// Stages of the plan, each once, never the stage itself, never a circle.
    pub depends_on: Vec<String>,
    /// The record it produces, or "".
    pub produces: String,
}

impl StageDraft {
    /// Checks the draft against the workspace: `ws` needs the owner in
    /// `people`, every stage of the plan in `stages`, and the record the
    /// draft links to (if any) in its area. `id` is the stage being edited,
    /// `None` for a new one (which nothing waits for yet, so it cannot
    /// close a circle).
    pub fn validate(
        &self,
        ws: &Workspace,
        id: Option<&str>,
    ) -> Result<StageFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(Field::StageTitle, "Enter the stage's title.");
        } else {
            check_length(&mut errors, Field::StageTitle, title, MAX_TITLE);
        }
        if ws
            .people
            .get(&self.owner)
            .is_none_or(|p| p.archived.is_some())
        {
            errors.push(Field::StageOwner, "Choose who owns this stage from People.");
        }
        let start = self.start.trim();
        let deadline = self.deadline.trim();
        let start_ok = parse_date(start).is_some();
        if !start_ok {
            errors.push(Field::StageStart, "Enter the start as YYYY-MM-DD.");
        }
        if parse_date(deadline).is_none() {
            errors.push(Field::StageDeadline, "Enter the deadline as YYYY-MM-DD.");
        } else if start_ok && deadline < start {
            errors.push(
                Field::StageDeadline,
                "The deadline cannot be before the start.",
            );
        }
        let mut depends_on: Vec<String> = Vec::new();
        for dep in &self.depends_on {
            if !depends_on.contains(dep) {
                depends_on.push(dep.clone());
            }
        }
        if id.is_some_and(|id| depends_on.iter().any(|d| d == id)) {
            errors.push(Field::StageDependsOn, "A stage cannot wait for itself.");
        } else if depends_on.iter().any(|d| !ws.stages.contains_key(d)) {
            errors.push(
                Field::StageDependsOn,
                "A stage it waits for is no longer in the plan; choose again.",
            );
        } else if let Some(id) = id
            && let Some(circle) = find_cycle(&ws.stages, id, &depends_on)
        {
            let name = |stage: &str| {
                if stage == id && !title.is_empty() {
                    title.to_owned()
                } else {
                    ws.stages
                        .get(stage)
                        .map_or_else(String::new, |s| s.title.clone())
                }
            };
            errors.push(Field::StageDependsOn, &circle_message(&circle, name));
        }
        let produces = self.produces.trim();
        let unchanged = id
            .and_then(|id| ws.stages.get(id))
            .is_some_and(|old| old.produces == produces);
        if !unchanged {
            let exists = match Produces::parse(produces) {
                Produces::Unknown => {
                    errors.push(
                        Field::StageProduces,
                        "Choose what the stage produces from the list.",
                    );
                    true
                }
                Produces::Policy(record) => record.is_empty() || ws.policies.contains_key(record),
                Produces::Criteria(record) => record.is_empty() || ws.criteria.contains_key(record),
                Produces::Review(record) => record.is_empty() || ws.reviews.contains_key(record),
                Produces::Scope(record) => record.is_empty() || ws.scopes.contains_key(record),
                Produces::Nothing | Produces::Soa | Produces::Risks => true,
            };
            if !exists {
                errors.push(
                    Field::StageProduces,
                    "The record this stage produces no longer exists: choose another, or link \
                     one later.",
                );
            }
        }
        errors.into_result(StageFields {
            title: title.to_owned(),
            owner: self.owner.clone(),
            start: start.to_owned(),
            deadline: deadline.to_owned(),
            status: self.status,
            depends_on,
            produces: produces.to_owned(),
        })
    }
}

/// The circle that stage `id` would close if it waited for `depends_on`:
/// the stages' ids from `id` along what each waits for back to `id`
/// (`[id, …, id]`), the shortest such; `None` when there is none. Reads
/// the stages alone.
pub fn find_cycle(
    stages: &BTreeMap<String, Stage>,
    id: &str,
    depends_on: &[String],
) -> Option<Vec<String>> {
    // Breadth first from what `id` would wait for; `came_from[b] = a`
    // when `a` waits for `b` on the way found first.
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue: VecDeque<&str> = VecDeque::new();
    for dep in depends_on {
        if dep == id {
            return Some(vec![id.to_owned(), id.to_owned()]);
        }
        if !came_from.contains_key(dep.as_str()) {
            came_from.insert(dep, id);
            queue.push_back(dep);
        }
    }
    while let Some(at) = queue.pop_front() {
        let Some(stage) = stages.get(at) else {
            continue;
        };
        for next in &stage.depends_on {
            if next == id {
                let mut circle = vec![id.to_owned()];
                let mut back = at;
                while back != id {
                    circle.push(back.to_owned());
                    back = came_from.get(back).copied().unwrap_or(id);
                }
                circle.push(id.to_owned());
                circle.reverse();
                return Some(circle);
            }
            if !came_from.contains_key(next.as_str()) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

/// A circle already in the plan (two people each made a stage wait for
/// the other, offline), as [`find_cycle`] gives it; `None` when there is none.
pub fn plan_circle(stages: &BTreeMap<String, Stage>) -> Option<Vec<String>> {
    stages_in_order(stages)
        .into_iter()
        .find_map(|(id, stage)| find_cycle(stages, id, &stage.depends_on))
}

/// "This would make a circle: “A” waits for “B”, which waits for “A”."
fn circle_message(circle: &[String], name: impl Fn(&str) -> String) -> String {
    let mut text = String::from("This would make a circle: ");
    for (i, id) in circle.iter().enumerate() {
        match i {
            0 => text.push_str(&format!("“{}”", name(id))),
            1 => text.push_str(&format!(" waits for “{}”", name(id))),
            _ => text.push_str(&format!(", which waits for “{}”", name(id))),
        }
    }
    text.push('.');
    text
}

/// "“A”", "“A” and “B”", "“A”, “B” and “C”".
fn names_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("“{n}”")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The stages in the plan's order (then by when they were added).
pub fn stages_in_order(stages: &BTreeMap<String, Stage>) -> Vec<(&String, &Stage)> {
    let mut list: Vec<_> = stages.iter().collect();
    sort_list(&mut list, |(a_id, a), (b_id, b)| {
        (a.order, a.created_at, a_id.as_str()).cmp(&(b.order, b.created_at, b_id.as_str()))
    });
    list
}

// ---------------------------------------------------------------------------
// The template.

/// One stage of [`PLAN_TEMPLATE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateStage {
    /// Its title, with the clauses it meets.
    pub title: &'static str,
    /// How many days it takes, the deadline included.
    pub days: i64,
    /// The stages (indices into the template) it waits for.
    pub after: &'static [usize],
    /// The record it produces ([`Stage::produces`]), its id to be linked later.
    pub produces: &'static str,
}

/// A typical ISO/IEC 27001 implementation, in order, about nine months
/// from the gap analysis to the certificate.
pub const PLAN_TEMPLATE: [TemplateStage; 11] = [
    TemplateStage {
        title: "Gap analysis",
        days: 21,
        after: &[],
        produces: "",
    },
    TemplateStage {
        title: "ISMS scope (4.3)",
        days: 14,
        after: &[0],
        produces: "scopes:",
    },
    TemplateStage {
        title: "Information security policy (5.2)",
        days: 21,
        after: &[1],
        produces: "policies:",
    },
    TemplateStage {
        title: "Risk assessment (6.1.2)",
        days: 42,
        after: &[1],
        produces: "criteria:",
    },
    TemplateStage {
        title: "Statement of Applicability (6.1.3 d)",
        days: 21,
        after: &[3],
        produces: "soa:",
    },
    TemplateStage {
        title: "Risk treatment and controls (6.1.3, 8.3)",
        days: 90,
        after: &[4],
        produces: "risks:",
    },
    TemplateStage {
        title: "Awareness and training (7.2, 7.3)",
        days: 60,
        after: &[2],
        produces: "",
    },
    TemplateStage {
        title: "Internal audit (9.2)",
        days: 21,
        after: &[5, 6],
        produces: "",
    },
    TemplateStage {
        title: "Management review (9.3)",
        days: 14,
        after: &[7],
        produces: "reviews:",
    },
    TemplateStage {
        title: "Certification audit stage 1",
        days: 14,
        after: &[8],
        produces: "",
    },
    TemplateStage {
        title: "Certification audit stage 2",
        days: 30,
        after: &[9],
        produces: "",
    },
];

/// The template's start and deadline of each stage for a plan starting on
/// `start`: each stage starts the day after the last of those it waits for
/// ends.
pub fn template_schedule(start: &str) -> Option<Vec<(String, String)>> {
    let mut dates: Vec<(String, String)> = Vec::new();
    for stage in PLAN_TEMPLATE {
        let begins = match stage
            .after
            .iter()
            .filter_map(|i| dates.get(*i))
            .max_by(|a, b| a.1.cmp(&b.1))
        {
            Some((_, deadline)) => add_days(deadline, 1)?,
            None => start.to_owned(),
        };
        let ends = add_days(&begins, stage.days - 1)?;
        dates.push((begins, ends));
    }
    Some(dates)
}

// ---------------------------------------------------------------------------
// Where the stages stand.

/// Whether the record `produces` names is approved: a policy with an
/// approval, an approved criteria version, an approved version of the
/// Statement of Applicability, a signed review, an approved version of the
/// scope, or a register whose every risk is accepted. A stage producing nothing (or a kind this version does
/// not know) needs no approval; one whose record is not linked yet is not
/// approved.
pub fn record_approved(ws: &Workspace, produces: &str) -> bool {
    match Produces::parse(produces) {
        Produces::Nothing | Produces::Unknown => true,
        Produces::Policy(id) => ws.policies.get(id).is_some_and(|p| !p.approvals.is_empty()),
        Produces::Criteria(id) => ws.criteria.get(id).is_some_and(|c| c.approval.is_some()),
        Produces::Soa => !ws.soa_versions.is_empty(),
        Produces::Review(id) => ws.reviews.get(id).is_some_and(|r| r.signoff.is_some()),
        Produces::Scope(id) => ws.scopes.get(id).is_some_and(|s| s.approval.is_some()),
        Produces::Risks => {
            !ws.risks.is_empty() && ws.risks.values().all(|r| r.acceptance.is_some())
        }
    }
}

/// The record `produces` names, in words ("Policy “Access control”",
/// "ISMS scope version 2"); what is still to be linked says so.
pub fn produced_name(ws: &Workspace, produces: &str) -> String {
    match Produces::parse(produces) {
        Produces::Nothing => "Nothing to approve".to_owned(),
        Produces::Unknown => produces.to_owned(),
        Produces::Soa => "The Statement of Applicability".to_owned(),
        Produces::Risks => "The risk register".to_owned(),
        Produces::Policy("") => "A policy, not linked yet".to_owned(),
        Produces::Policy(id) => ws.policies.get(id).map_or_else(
            || "A policy that was deleted".to_owned(),
            |p| format!("Policy “{}”", p.title),
        ),
        Produces::Criteria("") => "The risk criteria, not linked yet".to_owned(),
        Produces::Criteria(id) => ws.criteria.get(id).map_or_else(
            || "Risk criteria that were deleted".to_owned(),
            |c| format!("Risk criteria version {}", c.number),
        ),
        Produces::Review("") => "A management review, not linked yet".to_owned(),
        Produces::Review(id) => ws.reviews.get(id).map_or_else(
            || "A management review that was deleted".to_owned(),
            |r| format!("Management review {}", r.reference),
        ),
        Produces::Scope("") => "The ISMS scope, not linked yet".to_owned(),
        Produces::Scope(id) => ws.scopes.get(id).map_or_else(
            || "A scope version that was deleted".to_owned(),
            |v| format!("ISMS scope version {}", v.number),
        ),
    }
}

/// The records a stage producing `kind` (a [`PRODUCES_KINDS`] prefix) can
/// link to, as (id, words), in the order a person looks for them: scope
/// and criteria versions newest first, policies by title, reviews newest
/// first. Empty for a kind that links no single record.
pub fn produced_options(ws: &Workspace, kind: &str) -> Vec<(String, String)> {
    let approved = |yes: bool| if yes { "approved" } else { "not approved yet" };
    let mut list: Vec<(String, String, String)> = match kind {
        "scopes:" => ws
            .scopes
            .iter()
            .map(|(id, v)| {
                (
                    format!("{:010}", u32::MAX - v.number),
                    id.clone(),
                    format!("Version {} ({})", v.number, approved(v.approval.is_some())),
                )
            })
            .collect(),
        "criteria:" => ws
            .criteria
            .iter()
            .map(|(id, c)| {
                (
                    format!("{:010}", u32::MAX - c.number),
                    id.clone(),
                    format!("Version {} ({})", c.number, approved(c.approval.is_some())),
                )
            })
            .collect(),
        "policies:" => ws
            .policies
            .iter()
            .map(|(id, p)| {
                (
                    p.title.to_lowercase(),
                    id.clone(),
                    format!("{} ({})", p.title, approved(!p.approvals.is_empty())),
                )
            })
            .collect(),
        "reviews:" => ws
            .reviews
            .iter()
            .map(|(id, r)| {
                (
                    format!("{:020}", i64::MAX.saturating_sub(r.created_at.max(0))),
                    id.clone(),
                    format!(
                        "{} ({})",
                        r.reference,
                        if r.signoff.is_some() {
                            "signed"
                        } else {
                            "not signed yet"
                        }
                    ),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    sort_list(&mut list, |a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    list.into_iter().map(|(_, id, words)| (id, words)).collect()
}

/// Whether `stage` is done: finished, and the record it produces approved.
pub fn stage_done(ws: &Workspace, stage: &Stage) -> bool {
    stage.status == StageStatus::Finished && record_approved(ws, &stage.produces)
}

/// What the record `stage` produces still needs before the stage can count
/// as done, in words; `None` when nothing.
pub fn waiting_for(ws: &Workspace, stage: &Stage) -> Option<String> {
    if record_approved(ws, &stage.produces) {
        return None;
    }
    Some(match Produces::parse(&stage.produces) {
        Produces::Policy("") => "Link the policy this stage produces.".to_owned(),
        Produces::Policy(id) => match ws.policies.get(id) {
            Some(policy) => format!("The policy “{}” is not approved yet.", policy.title),
            None => "The policy this stage produced was deleted: link another.".to_owned(),
        },
        Produces::Criteria("") => "Link the risk criteria this stage produces.".to_owned(),
        Produces::Criteria(id) => match ws.criteria.get(id) {
            Some(version) => format!(
                "Version {} of the risk criteria is not approved yet.",
                version.number
            ),
            None => "The risk criteria this stage produced were deleted: link others.".to_owned(),
        },
        Produces::Soa => "No version of the Statement of Applicability is approved yet.".to_owned(),
        Produces::Review("") => "Link the management review this stage produces.".to_owned(),
        Produces::Review(id) => match ws.reviews.get(id) {
            Some(review) => format!("Management review {} is not signed yet.", review.reference),
            None => {
                "The management review this stage produced was deleted: link another.".to_owned()
            }
        },
        Produces::Scope("") => "Link the version of the ISMS scope this stage produces.".to_owned(),
        Produces::Scope(id) => match ws.scopes.get(id) {
            Some(version) => format!(
                "Version {} of the ISMS scope is not approved yet.",
                version.number
            ),
            None => "The scope version this stage produced was deleted: link another.".to_owned(),
        },
        Produces::Risks if ws.risks.is_empty() => "The risk register is empty.".to_owned(),
        Produces::Risks => {
            let open = ws.risks.values().filter(|r| r.acceptance.is_none()).count();
            if open == 1 {
                "1 risk is not accepted by its owner yet.".to_owned()
            } else {
                format!("{open} risks are not accepted by their owners yet.")
            }
        }
        Produces::Nothing | Produces::Unknown => return None,
    })
}

/// Where a stage stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageState {
    /// Finished, and its record approved.
    Done,
    /// Under way, on time.
    InProgress,
    /// Not started, on time.
    NotStarted,
    /// Its deadline has passed and it is not done.
    Overdue,
    /// Finished on time, its record not approved yet.
    WaitingForApproval,
}

impl StageState {
    /// The state in words.
    pub fn label(self) -> &'static str {
        match self {
            StageState::Done => "Done",
            StageState::InProgress => "In progress",
            StageState::NotStarted => "Not started",
            StageState::Overdue => "Overdue",
            StageState::WaitingForApproval => "Waiting for approval",
        }
    }

    /// A stable name for CSS.
    pub fn slug(self) -> &'static str {
        match self {
            StageState::Done => "done",
            StageState::InProgress => "in-progress",
            StageState::NotStarted => "not-started",
            StageState::Overdue => "overdue",
            StageState::WaitingForApproval => "waiting-for-approval",
        }
    }
}

/// Where `stage` stands on `today` (YYYY-MM-DD). Past its deadline and not
/// done it is overdue, even when finished and waiting for approval
/// ([`waiting_for`] says what it waits for).
pub fn state_of(ws: &Workspace, stage: &Stage, today: &str) -> StageState {
    if stage_done(ws, stage) {
        StageState::Done
    } else if !stage.deadline.is_empty() && stage.deadline.as_str() < today {
        StageState::Overdue
    } else {
        match stage.status {
            StageStatus::Finished => StageState::WaitingForApproval,
            StageStatus::InProgress => StageState::InProgress,
            StageStatus::NotStarted => StageState::NotStarted,
        }
    }
}

/// Where stage `id` stands on `today`; a stage that is not in the plan
/// counts as not started.
pub fn stage_state(ws: &Workspace, id: &str, today: &str) -> StageState {
    ws.stages
        .get(id)
        .map_or(StageState::NotStarted, |stage| state_of(ws, stage, today))
}

/// How many days the latest deadline among the stages `id` waits for runs
/// past its start (a dependency due the day before the start is on time);
/// `None` when none does. Stages already done hold nothing up.
pub fn slippage(ws: &Workspace, id: &str) -> Option<i64> {
    let stage = ws.stages.get(id)?;
    let start = day_number(&stage.start)?;
    stage
        .depends_on
        .iter()
        .filter_map(|dep| ws.stages.get(dep))
        .filter(|dep| !stage_done(ws, dep))
        .filter_map(|dep| day_number(&dep.deadline))
        .map(|deadline| deadline - start + 1)
        .filter(|days| *days > 0)
        .max()
}

// ---------------------------------------------------------------------------
// The timeline.

/// The plan drawn over time: the geometry the page's SVG draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The earliest start (YYYY-MM-DD), "" for an empty plan.
    pub from: String,
    /// The latest deadline (YYYY-MM-DD), "" for an empty plan.
    pub to: String,
    /// Where the start of today falls, as a share of the span from the
    /// start of `from` to the end of `to`: below 0 before the plan, above
    /// 1 after it.
    pub today_x: f64,
    /// A row per stage with real dates, in the plan's order.
    pub rows: Vec<TimelineRow>,
}

/// One stage on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    /// The stage's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Where its start falls, 0 to 1.
    pub x: f64,
    /// How long it runs, start to the end of its deadline, as a share of the span.
    pub width: f64,
    /// Where it stands today.
    pub state: StageState,
}

/// The timeline of the plan on `today`.
pub fn timeline(ws: &Workspace, today: &str) -> Timeline {
    let dated: Vec<(&String, &Stage, i64, i64)> = stages_in_order(&ws.stages)
        .into_iter()
        .filter_map(|(id, stage)| {
            let start = day_number(&stage.start)?;
            let deadline = day_number(&stage.deadline)?;
            Some((id, stage, start, deadline.max(start)))
        })
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|d| d.2).min(),
        dated.iter().map(|d| d.3).max(),
    ) else {
        return Timeline {
            from: String::new(),
            to: String::new(),
            today_x: 0.0,
            rows: Vec::new(),
        };
    };
    // The deadline's day is part of the stage: the span ends at its end.
    let span = (last + 1 - first) as f64;
    let at = |day: i64| (day - first) as f64 / span;
    let day_ms = |day: i64| day * 86_400_000;
    Timeline {
        from: date_of(day_ms(first)),
        to: date_of(day_ms(last)),
        today_x: day_number(today).map_or(0.0, at),
        rows: dated
            .into_iter()
            .map(|(id, stage, start, deadline)| TimelineRow {
                id: id.clone(),
                title: stage.title.clone(),
                x: at(start),
                width: (deadline + 1 - start) as f64 / span,
                state: state_of(ws, stage, today),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// Commands.

const NOT_FOUND: CommandError = CommandError::NotFound("stage");

impl WorkspaceDoc {
    /// One stage, if it exists.
    pub fn stage(&self, id: &str) -> Result<Option<Stage>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "stages") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// Every stage of the plan: the stages area alone.
    fn plan_stages(&self) -> Result<BTreeMap<String, Stage>, CommandError> {
        match self.existing_map(ROOT, "stages") {
            Some(_) => Ok(hydrate_prop(&self.doc, ROOT, "stages")?),
            None => Ok(BTreeMap::new()),
        }
    }

    fn stage_obj(&self, id: &str) -> Result<automerge::ObjId, CommandError> {
        let map = self.existing_map(ROOT, "stages").ok_or(NOT_FOUND)?;
        self.existing_map(map, id).ok_or(NOT_FOUND)
    }

    fn has_record(&self, area: &str, id: &str) -> bool {
        self.existing_map(ROOT, area)
            .and_then(|map| self.existing_map(map, id))
            .is_some()
    }

    /// What validating `draft` needs: the stages, the owner, and whether
    /// the record it links to exists (an empty placeholder stands for it).
    fn stage_context(&self, draft: &StageDraft) -> Result<Workspace, CommandError> {
        let mut ws = Workspace {
            stages: self.plan_stages()?,
            ..Default::default()
        };
        if let Some(person) = self.person(&draft.owner)? {
            ws.people.insert(draft.owner.clone(), person);
        }
        match Produces::parse(&draft.produces) {
            Produces::Policy(id) if !id.is_empty() && self.has_record("policies", id) => {
                ws.policies.insert(id.to_owned(), Default::default());
            }
            Produces::Criteria(id) if !id.is_empty() && self.has_record("criteria", id) => {
                ws.criteria.insert(id.to_owned(), Default::default());
            }
            Produces::Review(id) if !id.is_empty() && self.has_record("reviews", id) => {
                ws.reviews.insert(id.to_owned(), Default::default());
            }
            Produces::Scope(id) if !id.is_empty() && self.has_record("scopes", id) => {
                ws.scopes.insert(id.to_owned(), Default::default());
            }
            _ => {}
        }
        Ok(ws)
    }

    /// Adds a stage at the end of the plan; returns its id.
    pub fn add_stage(&mut self, draft: &StageDraft, now: Millis) -> Result<String, CommandError> {
        let ws = self.stage_context(draft)?;
        let fields = draft.validate(&ws, None)?;
        let order = ws
            .stages
            .values()
            .map(|s| s.order)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let stage = Stage {
            title: fields.title,
            owner: fields.owner,
            start: fields.start,
            deadline: fields.deadline,
            status: fields.status,
            depends_on: fields.depends_on,
            produces: fields.produces,
            order,
            created_at: now,
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "stages")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &stage)?)
        })?;
        self.commit(
            format!(
                "Added stage “{}” to the plan ({} to {})",
                stage.title, stage.start, stage.deadline
            ),
            now,
        )?;
        Ok(id)
    }

    /// Changes a stage; only the fields that differ are written, so
    /// concurrent edits of other fields merge. A circle of dependencies is
    /// refused.
    pub fn edit_stage(
        &mut self,
        id: &str,
        draft: &StageDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let ws = self.stage_context(draft)?;
        let old = ws.stages.get(id).cloned().ok_or(NOT_FOUND)?;
        let fields = draft.validate(&ws, Some(id))?;
        let new = Stage {
            title: fields.title,
            owner: fields.owner,
            start: fields.start,
            deadline: fields.deadline,
            status: fields.status,
            depends_on: fields.depends_on,
            produces: fields.produces,
            ..old.clone()
        };
        if new == old {
            return Ok(());
        }
        let obj = self.stage_obj(id)?;
        self.guard(|doc| {
            macro_rules! write {
                ($($field:ident),*) => {
                    $(if old.$field != new.$field {
                        reconcile_prop(&mut doc.doc, &obj, stringify!($field), &new.$field)?;
                    })*
                };
            }
            write!(title, owner, start, deadline, status, depends_on, produces);
            Ok(())
        })?;
        let mut changes = Vec::new();
        if new.title != old.title {
            changes.push(format!("title → “{}”", new.title));
        }
        if new.owner != old.owner {
            changes.push("owner".to_owned());
        }
        if new.start != old.start {
            changes.push(format!("start {} → {}", old.start, new.start));
        }
        if new.deadline != old.deadline {
            changes.push(format!("deadline {} → {}", old.deadline, new.deadline));
        }
        if new.status != old.status {
            changes.push(format!(
                "status {} → {}",
                old.status.label(),
                new.status.label()
            ));
        }
        if new.depends_on != old.depends_on {
            let names: Vec<&str> = new
                .depends_on
                .iter()
                .filter_map(|d| ws.stages.get(d).map(|s| s.title.as_str()))
                .collect();
            changes.push(if names.is_empty() {
                "waits for nothing".to_owned()
            } else {
                format!("waits for {}", names_list(&names))
            });
        }
        if new.produces != old.produces {
            changes.push("what it produces".to_owned());
        }
        self.commit(
            format!("Changed stage “{}”: {}", old.title, changes.join(", ")),
            now,
        )
    }

    /// Records where a stage stands.
    pub fn set_stage_status(
        &mut self,
        id: &str,
        status: StageStatus,
        now: Millis,
    ) -> Result<(), CommandError> {
        let obj = self.stage_obj(id)?;
        let title: String = hydrate_prop(&self.doc, &obj, "title")?;
        let old: StageStatus = self.hydrate_entry(&obj, "status")?.unwrap_or_default();
        if old == status {
            return Ok(());
        }
        self.guard(|doc| Ok(reconcile_prop(&mut doc.doc, &obj, "status", status)?))?;
        self.commit(
            format!("Stage “{title}”: {} → {}", old.label(), status.label()),
            now,
        )
    }

    /// Deletes a stage nothing waits for (the history keeps it).
    pub fn delete_stage(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let stages = self.plan_stages()?;
        let old = stages.get(id).ok_or(NOT_FOUND)?;
        let waiting: Vec<&str> = stages_in_order(&stages)
            .into_iter()
            .filter(|(other, s)| other.as_str() != id && s.depends_on.iter().any(|d| d == id))
            .map(|(_, s)| s.title.as_str())
            .collect();
        if !waiting.is_empty() {
            let (verb, pronoun) = if waiting.len() == 1 {
                ("waits", "it waits")
            } else {
                ("wait", "they wait")
            };
            return Err(CommandError::NotAllowed(format!(
                "“{}” cannot be deleted while {} {verb} for it. Change what {pronoun} for first.",
                old.title,
                names_list(&waiting)
            )));
        }
        self.guard(|doc| {
            let map = doc.existing_map(ROOT, "stages").ok_or(NOT_FOUND)?;
            Ok(doc.doc.delete(&map, id)?)
        })?;
        self.commit(format!("Deleted stage “{}” from the plan", old.title), now)
    }

    /// Moves a stage one place up (earlier) or down in the plan; nothing
    /// happens at either end.
    pub fn move_stage(&mut self, id: &str, up: bool, now: Millis) -> Result<(), CommandError> {
        let stages = self.plan_stages()?;
        let list = stages_in_order(&stages);
        let at = list
            .iter()
            .position(|(other, _)| other.as_str() == id)
            .ok_or(NOT_FOUND)?;
        let to = if up {
            at.checked_sub(1)
        } else {
            (at + 1 < list.len()).then_some(at + 1)
        };
        let Some(to) = to else {
            return Ok(());
        };
        let mut ids: Vec<&String> = list.iter().map(|(other, _)| *other).collect();
        ids.swap(at, to);
        // Numbered afresh from 1, writing only the places that change (two
        // stages added concurrently may share a number).
        let writes: Vec<(String, u32)> = ids
            .iter()
            .enumerate()
            .filter_map(|(place, other)| {
                let order = u32::try_from(place + 1).unwrap_or(u32::MAX);
                (stages[*other].order != order).then(|| ((*other).clone(), order))
            })
            .collect();
        self.guard(|doc| {
            for (other, order) in &writes {
                let obj = doc.stage_obj(other)?;
                reconcile_prop(&mut doc.doc, &obj, "order", *order)?;
            }
            Ok(())
        })?;
        self.commit(
            format!(
                "Moved stage “{}” {} in the plan",
                stages[id].title,
                if up { "up" } else { "down" }
            ),
            now,
        )
    }

    /// Writes [`PLAN_TEMPLATE`] as the plan, starting on `start`, every
    /// stage owned by `owner`, in one change; refused when the plan
    /// already has stages.
    pub fn add_plan_template(
        &mut self,
        start: &str,
        owner: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        if let Some(map) = self.existing_map(ROOT, "stages")
            && self.doc.keys(&map).next().is_some()
        {
            return Err(CommandError::NotAllowed(
                "The plan already has stages; add the ones you need.".to_owned(),
            ));
        }
        let mut errors = ValidationErrors::default();
        let start = start.trim();
        let schedule = template_schedule(start);
        if schedule.is_none() {
            errors.push(
                Field::StageStart,
                "Enter the day the plan starts as YYYY-MM-DD.",
            );
        }
        if self.person(owner)?.is_none_or(|p| p.archived.is_some()) {
            errors.push(Field::StageOwner, "Choose who owns the stages from People.");
        }
        let Some(schedule) = schedule.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let ids: Vec<String> = PLAN_TEMPLATE.iter().map(|_| self.next_id(now)).collect();
        let stages: Vec<Stage> = PLAN_TEMPLATE
            .iter()
            .zip(&schedule)
            .enumerate()
            .map(|(i, (template, (begins, ends)))| Stage {
                title: template.title.to_owned(),
                owner: owner.to_owned(),
                start: begins.clone(),
                deadline: ends.clone(),
                status: StageStatus::NotStarted,
                depends_on: template.after.iter().map(|a| ids[*a].clone()).collect(),
                produces: template.produces.to_owned(),
                order: u32::try_from(i + 1).unwrap_or(u32::MAX),
                created_at: now,
            })
            .collect();
        self.guard(|doc| {
            let map = doc.map(ROOT, "stages")?;
            for (id, stage) in ids.iter().zip(&stages) {
                reconcile_prop(&mut doc.doc, &map, id.as_str(), stage)?;
            }
            Ok(())
        })?;
        let end = schedule.last().map_or("", |(_, ends)| ends.as_str());
        self.commit(
            format!(
                "Planned the ISO 27001 implementation from the template: {} stages, {start} to {end}",
                PLAN_TEMPLATE.len()
            ),
            now,
        )
    }
}
