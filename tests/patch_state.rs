//! Patch-driven state: after any command, merge or deletion, reading only the
//! records the patches name into the previous state gives exactly what a
//! whole read of the document gives. Also: the generated three-year
//! workspace is deterministic.
#![cfg(not(target_arch = "wasm32"))]

use automerge::ActorId;
use charter::workspace::assessment::{ClosingDraft, ObjectiveStatus};
use charter::workspace::audits::{AuditDraft, AuditProgramme, FindingDraft, FindingKind};
use charter::workspace::certification::CertificateDraft;
use charter::workspace::changes::{Area, Touched};
use charter::workspace::commitment::Duty;
use charter::workspace::communication::{Channel, CommunicationDraft};
use charter::workspace::competence::{CompetenceDraft, CompetenceKind};
use charter::workspace::context::{IssueDraft, IssueKind, RequirementKind};
use charter::workspace::generate::{Size, three_year_workspace_of};
use charter::workspace::measurements::{Direction, MeasurementDraft, ObjectivePlanDraft};
use charter::workspace::nonconformities::{
    EffectivenessCheck, ImprovementDraft, ImprovementStatus, NonconformityDraft,
};
use charter::workspace::plan::{StageDraft, StageStatus};
use charter::workspace::planned_changes::ChangeDraft;
use charter::workspace::policies::{PolicyDraft, PolicyKind, PolicyStatus};
use charter::workspace::resources::{BudgetApprovalDraft, BudgetLineDraft, FteDraft};
use charter::workspace::reviews::{
    ActionDraft, ActionStatus, ActionUpdateDraft, Conclusion, DecisionDraft, DecisionKind, Input,
    REVIEW_TEXTS, ReviewDraft, summarise_inputs,
};
use charter::workspace::risks::{
    CriteriaDraft, Property, RiskDraft, TreatmentActionDraft, TreatmentOption,
};
use charter::workspace::roles::{PersonDraft, Raci, RoleDraft, RoleKind};
use charter::workspace::signing::DeviceKey;
use charter::workspace::soa::{Implementation, Reason, SoaDraft, Theme, soa_rows};
use charter::workspace::training::{Audience, ProgrammeDraft, SessionDraft};
use charter::workspace::{Health, ObjectiveDraft, Workspace, WorkspaceDoc};
use proptest::prelude::*;

const NOW: i64 = 1_780_000_000_000;

/// One participant: their document and the state kept up to date by patches.
struct Peer {
    doc: WorkspaceDoc,
    state: Workspace,
}

impl Peer {
    fn new(doc: WorkspaceDoc) -> Peer {
        let mut doc = doc;
        let state = doc.read().unwrap();
        doc.track_changes();
        Peer { doc, state }
    }

    /// Applies what changed and checks the state against a whole read.
    fn refresh_and_check(&mut self) -> Touched {
        let touched = self.doc.take_changes();
        self.doc.read_touched(&mut self.state, &touched).unwrap();
        assert_eq!(self.state, self.doc.read().unwrap(), "after {touched:?}");
        touched
    }
}

fn fork(peer: &mut Peer, author: &str, actor: u8) -> Peer {
    let copy = peer.doc.automerge().fork();
    Peer::new(WorkspaceDoc::with_actor(
        copy,
        ActorId::from([actor; 16]),
        author,
    ))
}

/// A command on a peer's document, chosen by the strategy; ids pick among
/// what exists at the time (modulo the count), so every sequence is valid
/// input, and commands on records that are gone fail cleanly.
#[derive(Debug, Clone)]
enum Step {
    AddObjective(u8),
    EditObjective(u8, u8),
    DeleteObjective(u8),
    CloseObjective(u8),
    Measure(u8, u8),
    Plan(u8),
    AddPerson(u8),
    DeletePerson(u8),
    AddRole(u8),
    Hold(u8, u8),
    Raci(u8, u8),
    AddPolicy(u8),
    Type(u8, u8),
    Review(u8),
    Approve(u8),
    AddBudget(u8),
    ApproveBudget(u8),
    AddProgramme(u8),
    Session(u8, u8),
    Fte(u8),
    Duty(u8),
    Rename(u8),
    /// Records the peer's device key for a person.
    Key(u8),
    /// Confirms a recorded key.
    ConfirmKey(u8),
    /// Records a competence record for a person, meeting a role.
    Competence(u8, u8),
    /// Archives or restores a competence record.
    ArchiveCompetence(u8),
    /// Records a communication linked to a policy and a role.
    Communicate(u8, u8),
    /// Says whether a policy is available to interested parties.
    Availability(u8),
    /// Plans a management review chaired by a person.
    PlanReview(u8),
    /// Types into a review's minutes or an input's notes.
    ReviewText(u8, u8),
    /// Records a decision citing an input.
    Decide(u8, u8),
    /// Raises an action, or records progress on one.
    Action(u8, u8),
    /// Prepares, concludes, signs or reopens a review.
    SignReview(u8),
    /// Records an issue, or a requirement of a new party.
    Context(u8),
    /// Plans a change to the ISMS.
    PlanChange(u8),
    /// Adds a stage to the plan (waiting for another), or the template.
    AddStage(u8, u8),
    /// Changes what a stage waits for, its status or its place; or deletes it.
    EditStage(u8, u8),
    /// Adds a risk owned by a person.
    AddRisk(u8),
    /// Changes a risk's ratings and treatment, or adds a treatment action
    /// or marks one done.
    RateRisk(u8, u8),
    /// Drafts or approves a version of the risk criteria, or accepts a risk.
    AcceptRisk(u8),
    /// Decides a row of the Statement of Applicability, or adds a control.
    Soa(u8, u8),
    /// Approves the Statement of Applicability, first doing the next thing
    /// an approval needs (a Top management role, this browser's key
    /// recorded for a person, that person holding the role).
    ApproveSoa(u8),
    /// Records an internal audit, a finding of one, its report, or sets the
    /// programme.
    Audit(u8, u8),
    /// Raises a nonconformity (from a finding when there is one), checks
    /// or closes one, or proposes or moves on an improvement.
    Nonconformity(u8, u8),
    /// Records a certificate, or moves one of its audits.
    Certificate(u8, u8),
    /// The two peers exchange everything they have.
    Sync,
}

fn step() -> impl Strategy<Value = Step> {
    let n = any::<u8>;
    prop_oneof![
        n().prop_map(Step::AddObjective),
        (n(), n()).prop_map(|(a, b)| Step::EditObjective(a, b)),
        n().prop_map(Step::DeleteObjective),
        n().prop_map(Step::CloseObjective),
        (n(), n()).prop_map(|(a, b)| Step::Measure(a, b)),
        n().prop_map(Step::Plan),
        n().prop_map(Step::AddPerson),
        n().prop_map(Step::DeletePerson),
        n().prop_map(Step::AddRole),
        (n(), n()).prop_map(|(a, b)| Step::Hold(a, b)),
        (n(), n()).prop_map(|(a, b)| Step::Raci(a, b)),
        n().prop_map(Step::AddPolicy),
        (n(), n()).prop_map(|(a, b)| Step::Type(a, b)),
        n().prop_map(Step::Review),
        n().prop_map(Step::Approve),
        n().prop_map(Step::AddBudget),
        n().prop_map(Step::ApproveBudget),
        n().prop_map(Step::AddProgramme),
        (n(), n()).prop_map(|(a, b)| Step::Session(a, b)),
        n().prop_map(Step::Fte),
        n().prop_map(Step::Duty),
        n().prop_map(Step::Rename),
        n().prop_map(Step::Key),
        n().prop_map(Step::ConfirmKey),
        (n(), n()).prop_map(|(a, b)| Step::Competence(a, b)),
        n().prop_map(Step::ArchiveCompetence),
        (n(), n()).prop_map(|(a, b)| Step::Communicate(a, b)),
        n().prop_map(Step::Availability),
        n().prop_map(Step::PlanReview),
        (n(), n()).prop_map(|(a, b)| Step::ReviewText(a, b)),
        (n(), n()).prop_map(|(a, b)| Step::Decide(a, b)),
        (n(), n()).prop_map(|(a, b)| Step::Action(a, b)),
        n().prop_map(Step::SignReview),
        n().prop_map(Step::Context),
        n().prop_map(Step::PlanChange),
        (n(), n()).prop_map(|(a, b)| Step::AddStage(a, b)),
        (n(), n()).prop_map(|(a, b)| Step::EditStage(a, b)),
        n().prop_map(Step::AddRisk),
        (n(), n()).prop_map(|(a, b)| Step::RateRisk(a, b)),
        n().prop_map(Step::AcceptRisk),
        (n(), n()).prop_map(|(a, b)| Step::Soa(a, b)),
        n().prop_map(Step::ApproveSoa),
        n().prop_map(Step::ApproveSoa),
        (n(), n()).prop_map(|(a, b)| Step::Audit(a, b)),
        (n(), n()).prop_map(|(a, b)| Step::Nonconformity(a, b)),
        (n(), n()).prop_map(|(a, b)| Step::Certificate(a, b)),
        Just(Step::Sync),
        Just(Step::Sync),
    ]
}

fn nth(ids: Vec<String>, n: u8) -> Option<String> {
    (!ids.is_empty()).then(|| ids[n as usize % ids.len()].clone())
}

fn keys<T>(map: &std::collections::BTreeMap<String, T>) -> Vec<String> {
    map.keys().cloned().collect()
}

/// Runs one step on `peer`; the result is ignored (a failed command changes nothing).
fn run(peer: &mut Peer, step: &Step, now: i64) {
    let s = peer.state.clone();
    let doc = &mut peer.doc;
    let objective = |n| nth(keys(&s.objectives), n);
    let person = |n| nth(keys(&s.people), n);
    let role = |n| nth(keys(&s.roles), n);
    let policy = |n| nth(keys(&s.policies), n);
    let _ = match *step {
        Step::AddObjective(n) => doc
            .add_objective(
                &ObjectiveDraft {
                    title: format!("Objective {n}"),
                    description: "Ünïcode ☃ text".into(),
                    target: "5".into(),
                    unit: "%".into(),
                    direction: Some(Direction::AtMost),
                    owner_id: person(n).unwrap_or_default(),
                    function: "IT".into(),
                    due: "2027-01-31".into(),
                    ..Default::default()
                },
                now,
            )
            .map(drop),
        Step::EditObjective(n, v) => match objective(n) {
            Some(id) => doc.edit_objective(
                &id,
                &ObjectiveDraft {
                    title: format!("Objective {n} v{v}"),
                    description: format!("Ünïcode ☃ text, edit {v}"),
                    target: v.to_string(),
                    unit: "%".into(),
                    direction: Some(Direction::AtLeast),
                    owner_id: person(v).unwrap_or_default(),
                    function: format!("Unit {v}"),
                    due: String::new(),
                    health: Health::AtRisk,
                    health_reason: "judged".into(),
                    evaluation: "yearly".into(),
                },
                now,
            ),
            None => Ok(()),
        },
        Step::DeleteObjective(n) => match objective(n) {
            Some(id) => doc.delete_objective(&id, now).map(drop),
            None => Ok(()),
        },
        Step::CloseObjective(n) => match objective(n) {
            Some(id) if n % 3 == 0 => doc.reopen_objective(&id, now),
            Some(id) => doc.close_objective(
                &id,
                &ClosingDraft {
                    status: Some(ObjectiveStatus::Withdrawn),
                    evaluation: format!("closed at step {n}"),
                },
                now,
            ),
            None => Ok(()),
        },
        Step::Measure(n, v) => match objective(n) {
            Some(id) => doc
                .add_measurement(
                    &id,
                    &MeasurementDraft {
                        date: format!("2026-0{}-1{}", 1 + v % 9, v % 10),
                        value: v.to_string(),
                        note: String::new(),
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        Step::Plan(n) => match objective(n) {
            Some(id) => doc.edit_objective_plan(
                &id,
                &ObjectivePlanDraft {
                    plan: format!("plan {n}"),
                    resources: "time".into(),
                    policy_id: policy(n).unwrap_or_default(),
                    monitor_months: (1 + n % 12).to_string(),
                    measured_by: person(n).unwrap_or_default(),
                    analysed_by: person(n.wrapping_add(1)).unwrap_or_default(),
                },
                now,
            ),
            None => Ok(()),
        },
        Step::AddPerson(n) => doc
            .add_person(
                &PersonDraft {
                    name: format!("Person {n}"),
                    title: "Engineer".into(),
                    email: String::new(),
                },
                now,
            )
            .map(drop),
        Step::DeletePerson(n) => match person(n) {
            Some(id) => doc.delete_person(&id, now).map(drop),
            None => Ok(()),
        },
        Step::AddRole(n) => doc
            .add_role(
                &RoleDraft {
                    kind: if n % 2 == 0 {
                        RoleKind::Ciso
                    } else {
                        RoleKind::Custom(format!("Role {n}"))
                    },
                    responsibilities: "runs it".into(),
                    authorities: "decides".into(),
                    competence: format!("Skill {n}"),
                },
                now,
            )
            .map(drop),
        Step::Hold(r, p) => match (role(r), person(p)) {
            (Some(r), Some(p)) => doc.set_role_holder(&r, &p, p.len() % 2 == 0 || r > p, now),
            _ => Ok(()),
        },
        Step::Raci(r, a) => match role(r) {
            Some(r) => doc.set_raci(
                ["policy", "soa", "internal-audit"][a as usize % 3],
                &r,
                [Some(Raci::Accountable), Some(Raci::Informed), None][a as usize % 3],
                now,
            ),
            None => Ok(()),
        },
        Step::AddPolicy(n) => doc
            .add_policy(
                &PolicyDraft {
                    title: format!("Policy {n}"),
                    kind: PolicyKind::TopicSpecific,
                    owner: String::new(),
                    review_due: String::new(),
                },
                "# Text\n\nFirst paragraph.",
                now,
            )
            .map(drop),
        Step::Type(n, c) => match policy(n) {
            Some(id) => {
                let length = s.policies[&id].body.as_str().chars().count();
                let pos = c as usize % (length + 1);
                if c % 3 == 0 && pos < length {
                    doc.splice_policy_body(&id, pos, 1, "", now)
                } else {
                    doc.splice_policy_body(&id, pos, 0, "é", now)
                }
            }
            None => Ok(()),
        },
        Step::Review(n) => match policy(n) {
            Some(id) => doc.set_policy_status(&id, PolicyStatus::InReview, now),
            None => Ok(()),
        },
        Step::Approve(n) => match policy(n) {
            Some(id) => doc
                .approve_policy(&id, &charter::workspace::policies::ATTESTS_5_2, now)
                .map(drop),
            None => Ok(()),
        },
        Step::AddBudget(n) => doc
            .add_budget_line(
                &BudgetLineDraft {
                    category: "Tooling".into(),
                    description: format!("Line {n}"),
                    year: "2026".into(),
                    currency: "EUR".into(),
                    requested: (1_000 + u32::from(n)).to_string(),
                    spent: "0".into(),
                },
                now,
            )
            .map(drop),
        Step::ApproveBudget(n) => match nth(keys(&s.budget), n) {
            Some(id) => doc.approve_budget_line(
                &id,
                &BudgetApprovalDraft {
                    amount: "500".into(),
                    date: "2026-03-01".into(),
                },
                now,
            ),
            None => Ok(()),
        },
        Step::AddProgramme(n) => doc
            .add_programme(
                &ProgrammeDraft {
                    topic: format!("Programme {n}"),
                    audience: Audience::Everyone,
                    recurrence_months: "12".into(),
                    mandatory: true,
                    completion_target: "90".into(),
                    covers_policy: n % 2 == 0,
                    effectiveness_method: "A quiz".into(),
                    ..ProgrammeDraft::default()
                },
                now,
            )
            .map(drop),
        Step::Session(t, p) => match nth(keys(&s.trainings), t) {
            Some(id) => doc
                .add_session(
                    &id,
                    &SessionDraft {
                        date: "2026-02-02".into(),
                        end: String::new(),
                        attendees: person(p).into_iter().collect(),
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        Step::Fte(r) => match role(r) {
            Some(id) => doc.set_fte(
                &id,
                "Role",
                &FteDraft {
                    fte: "0.5".into(),
                    note: String::new(),
                },
                now,
            ),
            None => Ok(()),
        },
        Step::Duty(d) => {
            let duty = Duty::ALL[d as usize % 8];
            match (d % 3, objective(d)) {
                (0, Some(id)) => doc.set_duty_evidence(duty, &id, true, now),
                _ => doc.confirm_duty(duty, d % 2 == 0, now),
            }
        }
        Step::Rename(n) => doc.edit_meta(&format!("Org {n}"), "scope", now),
        Step::Key(n) => match person(n) {
            Some(id) => doc.put_forward_key(&id, "Laptop", now),
            None => Ok(()),
        },
        Step::ConfirmKey(n) => match nth(keys(&s.keys), n) {
            Some(key) => doc.confirm_key(&key, now),
            None => Ok(()),
        },
        Step::Competence(p, r) => match person(p) {
            Some(id) => doc
                .add_competence(
                    &CompetenceDraft {
                        person: id,
                        kind: CompetenceKind::Training,
                        summary: format!("Course {p}"),
                        evidence: "Certificate".into(),
                        date: "2025-05-05".into(),
                        verified_by: person(r).unwrap_or_default(),
                        roles: role(r).into_iter().collect(),
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        Step::ArchiveCompetence(n) => match nth(keys(&s.competence), n) {
            Some(id) if n % 2 == 0 => doc.archive_competence(&id, now),
            Some(id) => doc.restore_competence(&id, now),
            None => Ok(()),
        },
        Step::Communicate(p, r) => match person(p) {
            Some(by) => doc
                .add_communication(
                    &CommunicationDraft {
                        subject: format!("News {p}"),
                        message: "Ünïcode ☃".into(),
                        date: "2026-03-03".into(),
                        audience: "All staff".into(),
                        channel: Channel::Email,
                        by,
                        policies: policy(r).into_iter().collect(),
                        roles: role(r).into_iter().collect(),
                        objectives: objective(r).into_iter().collect(),
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        Step::Availability(n) => match policy(n) {
            Some(id) => doc.set_policy_availability(&id, n % 2 == 0, &format!("Note {n}"), now),
            None => Ok(()),
        },
        Step::PlanReview(p) => match person(p) {
            Some(chair) => doc
                .plan_review(
                    &ReviewDraft {
                        date: format!("2026-0{}-1{}", 1 + p % 9, p % 10),
                        chair,
                        attendees: person(p.wrapping_add(1)).into_iter().collect(),
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        Step::ReviewText(n, c) => match nth(keys(&s.reviews), n) {
            Some(id) => {
                let field = REVIEW_TEXTS[c as usize % REVIEW_TEXTS.len()];
                let length = s.reviews[&id]
                    .clone()
                    .text_mut(field)
                    .unwrap()
                    .as_str()
                    .chars()
                    .count();
                if c % 3 == 0 && length > 0 {
                    doc.splice_review_text(&id, field, (c as usize) % length, 1, "", now)
                } else {
                    doc.splice_review_text(&id, field, (c as usize) % (length + 1), 0, "é☃ ", now)
                }
            }
            None => Ok(()),
        },
        Step::Decide(n, i) => match nth(keys(&s.reviews), n) {
            Some(id) => doc
                .add_decision(
                    &id,
                    &DecisionDraft {
                        text: format!("Decision {i}"),
                        kind: DecisionKind::ALL[i as usize % 3],
                        inputs: vec![Input::ALL[i as usize % 7].letter().to_owned()],
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        Step::Action(n, p) => match (nth(keys(&s.actions), n), nth(keys(&s.reviews), n)) {
            (Some(action), _) if p % 2 == 0 => doc.update_action(
                &action,
                &ActionUpdateDraft {
                    status: ActionStatus::ALL[p as usize % 4],
                    note: format!("Progress {p}"),
                    date: "2026-01-01".into(),
                },
                "2026-06-01",
                now,
            ),
            (_, Some(review)) => match person(p) {
                Some(owner) => doc
                    .add_action(
                        &review,
                        &ActionDraft {
                            title: format!("Action {p}"),
                            owner,
                            due: "2026-09-30".into(),
                            decision: String::new(),
                        },
                        now,
                    )
                    .map(drop),
                None => Ok(()),
            },
            _ => Ok(()),
        },
        Step::SignReview(n) => match nth(keys(&s.reviews), n) {
            Some(id) => match n % 4 {
                0 => doc.prepare_review(&id, summarise_inputs(&s, &id, "2026-06-01"), now),
                1 => doc.set_conclusion(
                    &id,
                    &Conclusion {
                        suitable: Some(true),
                        adequate: Some(n % 3 == 0),
                        effective: Some(true),
                        statement: "Fit for purpose".into(),
                    },
                    now,
                ),
                2 => doc.sign_off_review(&id, now),
                _ => doc.open_revision(&id, now),
            },
            None => Ok(()),
        },
        Step::Context(n) if n % 2 == 0 => doc
            .add_issue(
                &IssueDraft {
                    kind: IssueKind::External,
                    text: format!("Issue {n} ☃"),
                    effect: "Effect".into(),
                    reviewed: "2026-01-01".into(),
                },
                "2026-06-01",
                now,
            )
            .map(drop),
        Step::Context(n) => doc.add_party(&format!("Party {n}"), now).and_then(|party| {
            doc.add_requirement(&party, "A requirement", RequirementKind::Legal, None, now)
                .map(drop)
        }),
        Step::PlanChange(p) => match person(p) {
            Some(responsible) => doc
                .add_planned_change(
                    &ChangeDraft {
                        title: format!("Change {p}"),
                        purpose: "Why".into(),
                        consequences: "What".into(),
                        integrity: "How".into(),
                        resources: String::new(),
                        responsible,
                        from_decision: String::new(),
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        // A plan needs an owner: the first stage brings one along.
        Step::AddStage(p, d) => match person(p).or_else(|| {
            doc.add_person(
                &PersonDraft {
                    name: "Planner".into(),
                    title: String::new(),
                    email: String::new(),
                },
                now,
            )
            .ok()
        }) {
            Some(owner) if p % 8 == 0 => doc.add_plan_template("2026-01-05", &owner, now),
            Some(owner) => doc
                .add_stage(
                    &StageDraft {
                        title: format!("Stage {p}"),
                        owner,
                        start: format!("2026-0{}-01", 1 + p % 9),
                        deadline: format!("2026-0{}-1{}", 1 + p % 9, d % 10),
                        status: StageStatus::ALL[d as usize % 3],
                        depends_on: nth(keys(&s.stages), d).into_iter().collect(),
                        produces: policy(d)
                            .map(|id| format!("policies:{id}"))
                            .unwrap_or_default(),
                    },
                    now,
                )
                .map(drop),
            None => Ok(()),
        },
        Step::EditStage(n, d) => match nth(keys(&s.stages), n) {
            Some(id) => match d % 4 {
                0 => {
                    let old = &s.stages[&id];
                    doc.edit_stage(
                        &id,
                        &StageDraft {
                            title: format!("{} v{d}", old.title),
                            owner: old.owner.clone(),
                            start: old.start.clone(),
                            deadline: old.deadline.clone(),
                            status: old.status,
                            depends_on: nth(keys(&s.stages), d).into_iter().collect(),
                            produces: old.produces.clone(),
                        },
                        now,
                    )
                }
                1 => doc.set_stage_status(&id, StageStatus::ALL[n as usize % 3], now),
                2 => doc.move_stage(&id, n % 2 == 0, now),
                _ => doc.delete_stage(&id, now),
            },
            None => Ok(()),
        },
        Step::AddRisk(n) => match person(n) {
            Some(owner) => doc
                .add_risk(&risk_draft(owner, n, n / 2, n % 4), now)
                .map(drop),
            None => Ok(()),
        },
        Step::RateRisk(n, v) => match nth(keys(&s.risks), n) {
            Some(id) => {
                let risk = &s.risks[&id];
                match v % 5 {
                    0 => match person(v) {
                        Some(owner) => doc
                            .add_treatment_action(
                                &id,
                                &TreatmentActionDraft {
                                    title: format!("Action {v}"),
                                    owner,
                                    resources: "Ünïcode ☃".into(),
                                    due: "2026-04-30".into(),
                                },
                                now,
                            )
                            .map(drop),
                        None => Ok(()),
                    },
                    1 => match nth(keys(&risk.actions), v) {
                        Some(action) => {
                            doc.set_treatment_action_done(&id, &action, v % 2 == 1, now)
                        }
                        None => Ok(()),
                    },
                    _ => doc.edit_risk(&id, &risk_draft(risk.owner.clone(), n, v, v % 4), now),
                }
            }
            None => Ok(()),
        },
        Step::AcceptRisk(n) => match n % 4 {
            0 => doc
                .add_criteria_version(
                    &CriteriaDraft {
                        threshold: (4 + n % 8).to_string(),
                        authority: role(n)
                            .map(|r| vec![(r, "20".to_owned())])
                            .unwrap_or_default(),
                        ..CriteriaDraft::defaults()
                    },
                    now,
                )
                .map(drop),
            1 => match nth(keys(&s.criteria), n) {
                Some(id) => doc.approve_criteria(&id, now),
                None => Ok(()),
            },
            _ => match nth(keys(&s.risks), n) {
                Some(id) => doc.accept_risk(&id, now),
                None => Ok(()),
            },
        },
        Step::Soa(c, v) => {
            let rows = soa_rows(&s);
            let control = rows[c as usize % rows.len()].id.clone();
            let draft = |applicable, reasons: &[Reason], justification: &str| SoaDraft {
                applicable,
                reasons: reasons.to_vec(),
                justification: justification.into(),
                status: Implementation::ALL[v as usize % 4],
                owner: person(v).unwrap_or_default(),
                evidence: format!("Evidence ☃ {v}"),
            };
            match v % 5 {
                0 => doc
                    .add_control(
                        &format!("Control {c}"),
                        Theme::ALL[c as usize % 4].key(),
                        now,
                    )
                    .map(drop),
                1 => doc.set_soa_entry(&control, &draft(Some(true), &[Reason::Business], ""), now),
                2 => doc.set_soa_entry(
                    &control,
                    &draft(Some(false), &[], &format!("Not needed, é {v}")),
                    now,
                ),
                3 => doc.set_soa_entry(&control, &draft(None, &[], ""), now),
                _ => doc.set_soa_entry(
                    &control,
                    &draft(Some(true), &[Reason::Legal, Reason::Contractual], "GDPR"),
                    now,
                ),
            }
        }
        Step::ApproveSoa(n) => {
            let top = s
                .roles
                .iter()
                .find(|(_, r)| r.kind == RoleKind::TopManagement && r.archived.is_none())
                .map(|(id, _)| id.clone());
            let mine = doc
                .device_public()
                .and_then(|key| s.keys.get(&key))
                .map(|k| k.person.clone())
                .filter(|p| s.people.contains_key(p));
            match (top, mine) {
                (None, _) => doc
                    .add_role(
                        &RoleDraft {
                            kind: RoleKind::TopManagement,
                            ..Default::default()
                        },
                        now,
                    )
                    .map(drop),
                (Some(_), None) => match person(n) {
                    Some(id) => doc.put_forward_key(&id, "Laptop", now),
                    None => Ok(()),
                },
                (Some(role), Some(me)) if !s.roles[&role].holders.contains_key(&me) => {
                    doc.set_role_holder(&role, &me, true, now)
                }
                _ => doc.approve_soa(now).map(drop),
            }
        }
        Step::Audit(n, v) => match (v % 4, nth(keys(&s.audits), n)) {
            (1, Some(audit)) => doc
                .add_finding(
                    &audit,
                    &FindingDraft {
                        kind: FindingKind::ALL[n as usize % 4],
                        text: format!("Finding ☃ {v}"),
                        clause: format!("{}.{}", 4 + n % 7, 1 + v % 3),
                        control: String::new(),
                    },
                    now,
                )
                .map(drop),
            (2, Some(audit)) => {
                let end = s.audits[&audit].end.clone();
                doc.report_audit(&audit, &end, "the management team", "2030-01-01", now)
            }
            (3, _) => doc.set_audit_programme(
                &AuditProgramme {
                    frequency: format!("Every {} months", 1 + v % 12),
                    methods: "Interviews".into(),
                    responsibilities: "The internal auditor".into(),
                    reporting: String::new(),
                },
                now,
            ),
            _ => match person(n) {
                Some(auditor) => doc
                    .add_audit(
                        &AuditDraft {
                            title: format!("Audit {n}"),
                            criteria: "ISO/IEC 27001".into(),
                            scope: String::new(),
                            auditor,
                            start: format!("2026-0{}-1{}", 1 + v % 9, v % 10),
                            end: String::new(),
                            clauses: vec![(4 + n % 7).to_string()],
                            controls: if v % 2 == 0 {
                                "5.15".into()
                            } else {
                                String::new()
                            },
                        },
                        now,
                    )
                    .map(drop),
                None => Ok(()),
            },
        },
        Step::Nonconformity(n, v) => match v % 7 {
            0 => match person(n) {
                Some(owner) => {
                    let source = s
                        .audits
                        .iter()
                        .flat_map(|(a, audit)| {
                            audit
                                .findings
                                .keys()
                                .map(move |f| format!("finding:{a}/{f}"))
                        })
                        .nth(n as usize)
                        .unwrap_or_default();
                    doc.add_nonconformity(
                        &NonconformityDraft {
                            title: format!("Nonconformity {n}"),
                            raised: "2026-03-01".into(),
                            major: n % 2 == 0,
                            source,
                            what_happened: "What happened ☃".into(),
                            correction: "Corrected".into(),
                            consequences: String::new(),
                            root_cause: "Cause".into(),
                            similar: "None".into(),
                            action: "Action".into(),
                            owner,
                            due: "2026-04-01".into(),
                        },
                        "2026-06-01",
                        now,
                    )
                    .map(drop)
                }
                None => Ok(()),
            },
            1 => match (nth(keys(&s.nonconformities), n), person(v)) {
                (Some(id), Some(by)) => doc.check_effectiveness(
                    &id,
                    &EffectivenessCheck {
                        date: "2026-05-01".into(),
                        by,
                        effective: n % 3 != 0,
                        evidence: format!("Checked {v}"),
                    },
                    "2026-06-01",
                    now,
                ),
                _ => Ok(()),
            },
            2 => match nth(keys(&s.nonconformities), n) {
                Some(id) => doc.close_nonconformity(&id, "2026-05-02", "2026-06-01", now),
                None => Ok(()),
            },
            3 => doc
                .add_improvement(
                    &ImprovementDraft {
                        text: format!("Improvement ☃ {n}"),
                        ..ImprovementDraft::default()
                    },
                    now,
                )
                .map(drop),
            5 => match nth(keys(&s.nonconformities), n) {
                Some(id) => {
                    let mut draft = NonconformityDraft::of(&s.nonconformities[&id]);
                    draft.root_cause = format!("Cause ☃ {v}");
                    if n % 2 == 1 {
                        draft.action = format!("Action {v}");
                    }
                    doc.update_nonconformity(&id, &draft, "2026-06-01", now)
                }
                None => Ok(()),
            },
            6 => match nth(keys(&s.improvements), n) {
                Some(id) => doc.update_improvement(
                    &id,
                    &ImprovementDraft {
                        text: format!("Improvement ☃ changed {v}"),
                        ..ImprovementDraft::of(&s.improvements[&id])
                    },
                    now,
                ),
                None => Ok(()),
            },
            _ => match nth(keys(&s.improvements), n) {
                Some(id) => doc.set_improvement_status(
                    &id,
                    ImprovementStatus::ALL[v as usize % 4],
                    "Outcome",
                    now,
                ),
                None => Ok(()),
            },
        },
        Step::Certificate(n, v) => {
            let draft = |surveillance: Vec<String>| CertificateDraft {
                body: "Certification body".into(),
                number: format!("CERT-{n}"),
                scope: "All offices".into(),
                soa_version: String::new(),
                decision: "2026-01-15".into(),
                issued: "2026-01-20".into(),
                expiry: String::new(),
                stage1: String::new(),
                stage2: String::new(),
                stage2_majors: false,
                majors_verified: String::new(),
                surveillance,
                recert_audit: String::new(),
                recert_decision: String::new(),
            };
            match nth(keys(&s.certificates), n) {
                Some(id) if v % 2 == 1 => doc.edit_certificate(
                    &id,
                    &draft(vec![format!("2026-{:02}-10", 2 + v % 10)]),
                    now,
                ),
                _ => doc.add_certificate(&draft(Vec::new()), now).map(drop),
            }
        }
        Step::Sync => Ok(()),
    };
}

/// A risk owned by `owner`, rated from `a` and `b` (the residual never
/// above the inherent), with a treatment from `t`.
fn risk_draft(owner: String, a: u8, b: u8, t: u8) -> RiskDraft {
    let inherent = (2 + a % 4, 2 + b % 4);
    let residual = (1 + a % 2, 1 + b % 2);
    RiskDraft {
        title: format!("Risk {a}"),
        asset: "Ünïcode ☃ asset".into(),
        threat: "Ransomware".into(),
        vulnerability: String::new(),
        properties: vec![Property::ALL[a as usize % 3]],
        owner,
        inherent_likelihood: inherent.0.to_string(),
        inherent_consequence: inherent.1.to_string(),
        residual_likelihood: residual.0.to_string(),
        residual_consequence: residual.1.to_string(),
        treatment: TreatmentOption::ALL[1 + t as usize % 4],
        controls: vec![["5.15", "8.7", "8.13"][b as usize % 3].to_owned()],
        reassess_by: String::new(),
    }
}

fn exchange(a: &mut Peer, b: &mut Peer) {
    a.doc.automerge().merge(b.doc.automerge()).unwrap();
    b.doc.automerge().merge(a.doc.automerge()).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn state_from_patches_equals_a_whole_read(
        steps in proptest::collection::vec((any::<bool>(), step()), 1..40)
    ) {
        let mut created = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
        created.set_device_key(Some(DeviceKey::from_seed([1; 32])));
        created.claim_founder(NOW).unwrap();
        let mut ada = Peer::new(created);
        let mut bob = fork(&mut ada, "Bob", 2);
        bob.doc.set_device_key(Some(DeviceKey::from_seed([2; 32])));
        for (i, (on_ada, step)) in steps.iter().enumerate() {
            let now = NOW + i as i64;
            if matches!(step, Step::Sync) {
                exchange(&mut ada, &mut bob);
                ada.refresh_and_check();
                bob.refresh_and_check();
                continue;
            }
            let peer = if *on_ada { &mut ada } else { &mut bob };
            run(peer, step, now);
            peer.refresh_and_check();
        }
        exchange(&mut ada, &mut bob);
        ada.refresh_and_check();
        bob.refresh_and_check();
        prop_assert_eq!(&ada.state, &bob.state);
    }
}

#[test]
fn one_measurement_touches_one_objective_and_nothing_else() {
    let created = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    let mut ada = Peer::new(created);
    run(&mut ada, &Step::AddObjective(1), NOW);
    run(&mut ada, &Step::AddObjective(2), NOW);
    run(&mut ada, &Step::AddPolicy(1), NOW);
    ada.refresh_and_check();
    run(&mut ada, &Step::Measure(0, 7), NOW + 1);
    let touched = ada.refresh_and_check();
    assert!(touched.whole.is_empty(), "{touched:?}");
    assert_eq!(
        touched.areas().into_iter().collect::<Vec<_>>(),
        [Area::Objectives]
    );
    assert_eq!(touched.record_count(), 1);
    // A keystroke in a policy touches that policy alone.
    run(&mut ada, &Step::Type(0, 4), NOW + 2);
    let touched = ada.refresh_and_check();
    assert_eq!(
        touched.areas().into_iter().collect::<Vec<_>>(),
        [Area::Policies]
    );
    assert_eq!(touched.record_count(), 1);
}

#[test]
fn audits_nonconformities_improvements_and_certificates_touch_one_record_each() {
    let created = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    let mut ada = Peer::new(created);
    run(&mut ada, &Step::AddPerson(0), NOW);
    ada.refresh_and_check();
    // Each step, the one area it changes, and how many records it touches.
    let steps = [
        (Step::Audit(0, 0), Area::Audits),
        (Step::Audit(0, 1), Area::Audits),
        (Step::Audit(0, 2), Area::Audits),
        (Step::Nonconformity(0, 0), Area::Nonconformities),
        (Step::Nonconformity(1, 1), Area::Nonconformities),
        (Step::Nonconformity(0, 5), Area::Nonconformities),
        (Step::Nonconformity(0, 2), Area::Nonconformities),
        (Step::Nonconformity(0, 3), Area::Improvements),
        (Step::Nonconformity(0, 6), Area::Improvements),
        (Step::Nonconformity(0, 4), Area::Improvements),
        (Step::Certificate(0, 0), Area::Certificates),
        (Step::Certificate(0, 1), Area::Certificates),
    ];
    for (i, (step, area)) in steps.iter().enumerate() {
        run(&mut ada, step, NOW + 1 + i as i64);
        let touched = ada.refresh_and_check();
        assert!(touched.whole.is_empty(), "{step:?}: {touched:?}");
        assert_eq!(
            touched.areas().into_iter().collect::<Vec<_>>(),
            [*area],
            "{step:?}"
        );
        assert_eq!(touched.record_count(), 1, "{step:?}");
    }
    let state = &ada.state;
    let audit = state.audits.values().next().unwrap();
    assert_eq!(audit.findings.len(), 1);
    assert!(audit.reported.is_some());
    let nc = state.nonconformities.values().next().unwrap();
    assert!(nc.source.starts_with("finding:"), "{nc:?}");
    assert!(nc.closed.is_some(), "checked effective, then closed");
    assert_eq!(state.improvements.len(), 1);
    assert_eq!(
        state
            .certificates
            .values()
            .next()
            .unwrap()
            .surveillance
            .len(),
        1
    );
    // The programme lives in the workspace's own record.
    run(&mut ada, &Step::Audit(0, 3), NOW + 20);
    let touched = ada.refresh_and_check();
    assert_eq!(
        touched.areas().into_iter().collect::<Vec<_>>(),
        [Area::Meta]
    );
}

#[test]
fn a_first_read_after_joining_touches_everything() {
    // A joined workspace starts empty and fills from the relay in one go.
    let mut source = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    let mut joined = Peer::new(WorkspaceDoc::from_automerge(
        automerge::AutoCommit::new(),
        "Bob",
    ));
    joined.doc.automerge().merge(source.automerge()).unwrap();
    let touched = joined.refresh_and_check();
    assert!(touched.whole.contains(&Area::Meta), "{touched:?}");
    assert_eq!(joined.state.meta.organisation, "Acme");
}

#[test]
fn the_generated_workspace_is_the_same_for_the_same_seed() {
    let size = Size {
        objectives: 3,
        people: 6,
        roles: 4,
        policies: 2,
        policy_chars: 300,
        budget_lines: 6,
        programmes: 2,
    };
    let mut a = three_year_workspace_of(11, size, NOW).unwrap();
    let mut b = three_year_workspace_of(11, size, NOW).unwrap();
    let mut c = three_year_workspace_of(12, size, NOW).unwrap();
    assert_eq!(a.automerge().get_heads(), b.automerge().get_heads());
    assert_ne!(a.automerge().get_heads(), c.automerge().get_heads());
    let state = a.read().unwrap();
    assert_eq!(state.objectives.len(), 3);
    assert_eq!(state.people.len(), 6);
    assert_eq!(state.policies.len(), 2);
    assert!(state.policies.values().all(|p| p.approvals.len() == 3));
    assert!(
        state
            .objectives
            .values()
            .all(|o| o.measurements.len() == 36),
        "three years of monthly measurements"
    );
    // Four authors appear in the history; the typing was done keystroke by keystroke.
    let changes = a.automerge().get_changes(&[]);
    let actors: std::collections::BTreeSet<_> =
        changes.iter().map(|c| c.actor_id().clone()).collect();
    assert!(actors.len() >= 4, "{} actors", actors.len());
    let single_op = changes.iter().filter(|c| c.len() == 1).count();
    assert!(single_op > 600, "{single_op} one-keystroke changes");
}

#[test]
fn a_record_that_cannot_be_read_is_reported_and_the_others_are_still_read() {
    use automerge::transaction::Transactable;
    use automerge::{ROOT, ReadDoc};
    let created = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    let mut ada = Peer::new(created);
    run(&mut ada, &Step::AddObjective(1), NOW);
    ada.refresh_and_check();
    // Another version (or a hostile editor) writes a number where an
    // objective belongs, in the same change as a readable new person.
    let doc = ada.doc.automerge();
    let (_, objectives) = doc.get(ROOT, "objectives").unwrap().unwrap();
    doc.put(&objectives, "01BROKEN", 5).unwrap();
    let (_, people) = doc.get(ROOT, "people").unwrap().unwrap();
    let person = doc
        .put_object(&people, "01PERSON", automerge::ObjType::Map)
        .unwrap();
    doc.put(&person, "name", "Grace Hopper").unwrap();
    doc.commit();
    let touched = ada.doc.take_changes();
    let result = ada.doc.read_touched(&mut ada.state, &touched);
    assert!(result.is_err(), "the broken objective is reported");
    assert_eq!(ada.state.people["01PERSON"].name, "Grace Hopper");
    assert_eq!(
        ada.state.objectives.len(),
        1,
        "the readable objective stays"
    );
}

#[test]
fn a_risk_its_actions_and_its_acceptance_are_kept_by_patches() {
    let mut created = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    created.set_device_key(Some(DeviceKey::from_seed([1; 32])));
    created.claim_founder(NOW).unwrap();
    let mut ada = Peer::new(created);
    for (i, step) in [
        Step::AddPerson(0),
        Step::Key(0),
        Step::AddRisk(0),
        Step::RateRisk(0, 0),
        Step::RateRisk(0, 1),
        Step::RateRisk(0, 2),
        Step::AcceptRisk(4),
        Step::AcceptRisk(2),
    ]
    .iter()
    .enumerate()
    {
        run(&mut ada, step, NOW + i as i64);
        ada.refresh_and_check();
    }
    assert_eq!(
        ada.state.criteria.len(),
        1,
        "a criteria version was drafted"
    );
    let risk = ada.state.risks.values().next().unwrap();
    assert_eq!(risk.actions.len(), 1);
    assert!(risk.actions.values().all(|a| a.done));
    assert_eq!(risk.inherent.consequence, 4, "the rating was changed");
    assert!(risk.acceptance.is_some(), "the owner accepted it");
}

#[test]
fn an_soa_approval_is_reached_and_read_from_patches() {
    let mut created = WorkspaceDoc::create("Acme", "", "Ada", NOW).unwrap();
    created.set_device_key(Some(DeviceKey::from_seed([1; 32])));
    created.claim_founder(NOW).unwrap();
    let mut ada = Peer::new(created);
    let steps = [
        Step::AddPerson(1),
        Step::Soa(14, 1),
        Step::Soa(3, 2),
        Step::Soa(0, 0),
        Step::ApproveSoa(0),
        Step::ApproveSoa(0),
        Step::ApproveSoa(0),
        Step::ApproveSoa(0),
        Step::Soa(14, 3),
        Step::ApproveSoa(0),
    ];
    for (i, step) in steps.iter().enumerate() {
        run(&mut ada, step, NOW + i as i64);
        ada.refresh_and_check();
    }
    assert_eq!(ada.state.soa_versions.len(), 2);
    assert_eq!(
        ada.state.soa["A-1"].added.as_ref().unwrap().title,
        "Control 0"
    );
    assert_eq!(ada.state.soa["5.15"].applicable, None);
}
