//! The executive dashboard's figures, computed from the workspace in one
//! place so that the screen only draws them and each one is tested.

use crate::workspace::assessment::{assessed_health, measurement_due};
use crate::workspace::commitment::{CommitmentProgress, commitment_progress};
use crate::workspace::competence::{Standing, competence_gaps};
use crate::workspace::measurements::{day_number, overdue_objectives};
use crate::workspace::model::{Health, Workspace};
use crate::workspace::policies::{
    PolicyInForce, PolicyStatus, policies_due_for_review, policy_in_force,
};
use crate::workspace::resources::{BudgetTotal, budget_totals};
use crate::workspace::roles::raci_warnings;
use crate::workspace::training::overall_completion;

/// Everything the dashboard shows, as of one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Open objectives in all.
    pub objectives: usize,
    /// Open objectives not assessed, on track, at risk and off track, in
    /// [`Health::ALL`] order, by the health they show ([`assessed_health`]).
    pub by_health: [usize; 4],
    /// Open objectives past their due date without meeting the target.
    pub overdue: usize,
    /// Open objectives whose monitoring plan wants a measurement now.
    pub measurements_due: usize,
    /// Policies in each status, in [`PolicyStatus::ALL`] order.
    pub policies_by_status: [usize; 5],
    /// Policies whose review date has passed.
    pub policies_due: usize,
    /// The information security policy in force, if exactly one is.
    pub policy_in_force: PolicyInForce,
    /// RACI activities without exactly one Accountable role.
    pub raci_warnings: usize,
    /// Role holders with no record of the competence their role needs (7.2).
    pub competence_gaps: usize,
    /// Budget lines not yet approved.
    pub awaiting_approval: usize,
    /// This year's budget, one total per currency.
    pub budget: Vec<BudgetTotal>,
    /// The budget year shown.
    pub year: i64,
    /// Training completion over every mandatory programme, in %, if anyone is due.
    pub training: Option<f64>,
    /// Training programmes in all.
    pub programmes: usize,
    /// The 5.1 checklist's progress.
    pub commitment: CommitmentProgress,
    /// The management review schedule (9.3): when the next review is due.
    pub review: crate::workspace::reviews::Schedule,
    /// Open actions from management reviews.
    pub actions_open: usize,
    /// Open actions from management reviews past their due date.
    pub actions_overdue: usize,
    /// Risks whose residual level is above the acceptance threshold.
    pub risks_above: usize,
    /// The highest of those, at most [`TOP_RISKS`], highest first.
    pub top_risks: Vec<TopRisk>,
    /// Risks in the register.
    pub risks: usize,
    /// Risk treatment actions past their due date and not done.
    pub treatment_overdue: usize,
    /// Nonconformities whose corrective action is late.
    pub corrective_overdue: usize,
    /// Controls in the Statement of Applicability (Annex A and added).
    pub controls: usize,
    /// Of those, how many are decided (applicable or excluded).
    pub controls_decided: usize,
    /// Of the applicable ones, how many are implemented.
    pub controls_implemented: usize,
    /// The certificate's next milestone to close with nothing held or
    /// planned for it, and how urgent it is; `None` without a certificate.
    pub certification: Option<CertificationFigure>,
}

/// The certification tile's figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificationFigure {
    /// The next milestone, if any window is still open.
    pub next: Option<crate::workspace::certification::Milestone>,
    /// How urgent it is.
    pub urgency: Option<crate::workspace::certification::Urgency>,
}

/// How many of the risks above the threshold the overview names.
pub const TOP_RISKS: usize = 5;

/// A risk above the acceptance threshold, as the overview names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopRisk {
    /// Its id, for the link to it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its residual level.
    pub level: u32,
    /// Its owner's name.
    pub owner: String,
}

impl Overview {
    /// The figures of `ws` on `today` (YYYY-MM-DD).
    pub fn of(ws: &Workspace, today: &str) -> Overview {
        let day = day_number(today).unwrap_or_default();
        let year = today
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or_default();
        let open = ws.open_objectives();
        let shown: Vec<Health> = open
            .iter()
            .map(|(_, o)| assessed_health(o, day).0)
            .collect();
        let by_health = Health::ALL.map(|h| shown.iter().filter(|s| **s == h).count());
        let soa = crate::workspace::soa::progress(ws);
        let above = crate::workspace::risks::top_risks(ws, today);
        let top_risks = above
            .iter()
            .take(TOP_RISKS)
            .map(|(id, risk)| TopRisk {
                id: (*id).clone(),
                title: risk.title.clone(),
                level: risk.residual.level(),
                owner: ws
                    .people
                    .get(&risk.owner)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let policies_by_status =
            PolicyStatus::ALL.map(|s| ws.policies.values().filter(|p| p.status == s).count());
        Overview {
            objectives: open.len(),
            by_health,
            overdue: overdue_objectives(ws, day).len(),
            measurements_due: open.iter().filter(|(_, o)| measurement_due(o, day)).count(),
            policies_by_status,
            policies_due: policies_due_for_review(&ws.policies, today).len(),
            policy_in_force: policy_in_force(&ws.policies),
            raci_warnings: raci_warnings(ws).len(),
            competence_gaps: competence_gaps(ws)
                .iter()
                .filter(|g| g.standing == Standing::Gap)
                .count(),
            awaiting_approval: ws.budget.values().filter(|l| l.approval.is_none()).count(),
            budget: budget_totals(&ws.budget)
                .into_iter()
                .filter(|t| t.year == year)
                .collect(),
            year,
            training: overall_completion(ws, today),
            programmes: ws
                .trainings
                .values()
                .filter(|p| p.archived.is_none())
                .count(),
            commitment: commitment_progress(ws),
            review: crate::workspace::reviews::schedule(ws, today),
            actions_open: ws.actions.values().filter(|a| a.status.is_open()).count(),
            actions_overdue: ws.actions.values().filter(|a| a.overdue(today)).count(),
            risks_above: above.len(),
            top_risks,
            risks: ws.risks.len(),
            treatment_overdue: crate::workspace::risks::overdue_treatment_actions(ws, today),
            corrective_overdue: crate::workspace::nonconformities::overdue_corrective_actions(
                ws, today,
            ),
            controls: soa.iter().map(|p| p.total).sum(),
            controls_decided: soa.iter().map(|p| p.total - p.undecided).sum(),
            controls_implemented: soa.iter().map(|p| p.implemented).sum(),
            certification: crate::workspace::certification::current_certificate(ws).map(
                |(_, c)| {
                    let next = c.cycle().next_milestone(today);
                    let urgency = next
                        .as_ref()
                        .and_then(|m| crate::workspace::certification::urgency(m, today));
                    CertificationFigure { next, urgency }
                },
            ),
        }
    }

    /// Objectives with `health`.
    pub fn with_health(&self, health: Health) -> usize {
        let index = Health::ALL.iter().position(|h| *h == health).unwrap_or(0);
        self.by_health[index]
    }

    /// Policies in `status`.
    pub fn in_status(&self, status: PolicyStatus) -> usize {
        let index = PolicyStatus::ALL
            .iter()
            .position(|s| *s == status)
            .unwrap_or(0);
        self.policies_by_status[index]
    }

    /// Whether anything asks for top management's attention.
    pub fn needs_attention(&self) -> bool {
        self.overdue
            + self.measurements_due
            + self.policies_due
            + self.raci_warnings
            + self.competence_gaps
            + self.awaiting_approval
            + self.actions_overdue
            + self.risks_above
            + self.treatment_overdue
            + self.corrective_overdue
            > 0
            || self.policy_in_force.needs_attention()
            || self.review.overdue
    }
}

/// Spent as a whole percentage of approved; `None` when nothing is approved.
pub fn spent_percent(total: &BudgetTotal) -> Option<i64> {
    (total.approved > 0).then(|| {
        let percent = total.spent as f64 * 100.0 / total.approved as f64;
        percent.round() as i64
    })
}

/// A percentage as the dashboard prints it: 74.6 → "75%".
pub fn percent_label(percent: f64) -> String {
    format!("{percent:.0}%")
}
