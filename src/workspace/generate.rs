//! The generated "three-year workspace": what three years of real use leave
//! behind, built deterministically from a seed, to measure Charter at
//! realistic size and to let anyone feel the app at that size ("Open a
//! three-year sample").
//!
//! At size ×1: 60 objectives with 36 monthly measurements each, 40 people in
//! 25 roles with a RACI matrix, 20 policies whose texts four authors typed
//! keystroke by keystroke (partly at the same time, in forked copies that
//! were merged) and approved three times, 150 budget lines, 12 training
//! programmes with sessions and attendance — about a quarter of a million
//! operations. Sizes scale every count (×0.1, ×1, ×5); three years stay three.
//!
//! Everything goes through the ordinary commands. Set-up steps that a person
//! would make one by one in a form (people, roles, RACI letters, a session's
//! attendance) use [`WorkspaceDoc::batch`], which writes what the commands
//! write in one change.

use automerge::ActorId;

use crate::workspace::commitment::Duty;
use crate::workspace::id::SplitMix;
use crate::workspace::measurements::{Direction, MeasurementDraft, ObjectivePlanDraft, date_of};
use crate::workspace::policies::{PolicyDraft, PolicyKind, PolicyStatus};
use crate::workspace::resources::{BudgetApprovalDraft, BudgetLineDraft, FteDraft};
use crate::workspace::reviews::{
    ActionDraft, ActionStatus, ActionUpdateDraft, Conclusion, DecisionDraft, DecisionKind, Input,
    ReviewDraft,
};
use crate::workspace::roles::{PersonDraft, Raci, RoleDraft, RoleKind, STANDARD_ACTIVITIES};
use crate::workspace::training::{Audience, ProgrammeDraft, SessionDraft};
use crate::workspace::{CommandError, Millis, ObjectiveDraft, WorkspaceDoc};

/// The generated organisation's name.
pub const ORGANISATION: &str = "Northwind Freight Group (three-year sample)";

const SCOPE: &str = "Freight booking, fleet telematics and customer data for the group's \
     European operations, with the Hamburg head office, three regional hubs, and the \
     people and suppliers who run them.";

const DAY: Millis = 86_400_000;
const YEARS: i64 = 3;
const MONTHS: i64 = 36;
/// Time between two keystrokes of someone typing steadily.
const KEYSTROKE_MS: Millis = 190;

/// How much a generated workspace holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    /// Security objectives, each measured monthly for three years.
    pub objectives: usize,
    /// People.
    pub people: usize,
    /// ISMS roles.
    pub roles: usize,
    /// Policies, each approved once a year.
    pub policies: usize,
    /// Characters in each policy's first draft.
    pub policy_chars: usize,
    /// Budget lines over the three years.
    pub budget_lines: usize,
    /// Training programmes.
    pub programmes: usize,
}

impl Size {
    /// The counts at `scale` (1.0 is three years of a mid-sized organisation).
    pub fn scaled(scale: f64) -> Size {
        let n = |base: f64, least: usize| ((base * scale).round() as usize).max(least);
        Size {
            objectives: n(60.0, 2),
            people: n(40.0, 6),
            roles: n(25.0, 4),
            policies: n(20.0, 2),
            policy_chars: 9_000,
            budget_lines: n(150.0, 6),
            programmes: n(12.0, 2),
        }
    }
}

/// The four people who write the policies and run the ISMS, with the actor
/// ids their devices edit under.
const AUTHORS: [&str; 4] = [
    "Jonas Weber",
    "Priya Raman",
    "Claire Hoffmann",
    "Martin Kessler",
];

/// Builds the three-year workspace of `scale` from `seed`, ending at `now`.
/// The same seed, scale and `now` always give the same document (the same heads).
pub fn three_year_workspace(
    seed: u64,
    scale: f64,
    now: Millis,
) -> Result<WorkspaceDoc, CommandError> {
    three_year_workspace_of(seed, Size::scaled(scale), now)
}

/// Builds a three-year workspace holding `size`, from `seed`, ending at `now`.
pub fn three_year_workspace_of(
    seed: u64,
    size: Size,
    now: Millis,
) -> Result<WorkspaceDoc, CommandError> {
    Generator::new(seed, size, now)?.run()
}

/// The generator's state: the document, the clock and what was made so far.
struct Generator {
    doc: WorkspaceDoc,
    rng: SplitMix,
    size: Size,
    start: Millis,
    clock: Millis,
    actors: Vec<ActorId>,
    people: Vec<String>,
    roles: Vec<String>,
    policies: Vec<String>,
    objectives: Vec<String>,
    programmes: Vec<String>,
    budget: Vec<String>,
}

impl Generator {
    fn new(seed: u64, size: Size, now: Millis) -> Result<Generator, CommandError> {
        let mut rng = SplitMix::new(seed);
        let actors: Vec<ActorId> = AUTHORS
            .iter()
            .map(|_| ActorId::from(rng.next_u64().to_be_bytes().repeat(2)))
            .collect();
        let start = now - YEARS * 365 * DAY;
        let mut doc =
            WorkspaceDoc::create_as(actors[0].clone(), ORGANISATION, SCOPE, AUTHORS[0], start)?;
        doc.seed_ids(rng.next_u64());
        Ok(Generator {
            doc,
            rng,
            size,
            start,
            clock: start,
            actors,
            people: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            objectives: Vec::new(),
            programmes: Vec::new(),
            budget: Vec::new(),
        })
    }

    fn run(mut self) -> Result<WorkspaceDoc, CommandError> {
        self.people_and_roles()?;
        for year in 0..YEARS {
            self.policies_of_year(year)?;
            if year == 0 {
                self.add_objectives()?;
                self.add_programmes()?;
            }
            self.measurements_of_year(year)?;
            self.budget_of_year(year)?;
            self.training_of_year(year)?;
        }
        self.commitment()?;
        self.reviews()?;
        // The generator's own actor id stays in the document's history; the
        // workspace is handed over editing under a fresh one.
        let author = AUTHORS[0];
        Ok(WorkspaceDoc::from_automerge(
            self.doc.into_automerge(),
            author,
        ))
    }

    /// The time `days` into the three years, a little after the last event.
    fn at_day(&mut self, days: i64) -> Millis {
        let at = self.start + days * DAY + (self.rng.below(8 * 3_600_000) as Millis);
        self.clock = self.clock.max(at) + 1;
        self.clock
    }

    fn tick(&mut self, ms: Millis) -> Millis {
        self.clock += ms;
        self.clock
    }

    /// The day `days` into the three years, as YYYY-MM-DD.
    fn date(&self, days: i64) -> String {
        date_of(self.start + days * DAY)
    }

    /// Makes author `index` the one editing from now on.
    fn as_author(&mut self, index: usize) {
        self.doc
            .automerge()
            .set_actor(self.actors[index % AUTHORS.len()].clone());
        self.doc.set_author(AUTHORS[index % AUTHORS.len()]);
    }

    fn people_and_roles(&mut self) -> Result<(), CommandError> {
        let now = self.at_day(2);
        let size = self.size;
        let mut rng = self.rng.clone();
        let (people, roles) = self.doc.batch("Set up people and roles", now, |doc| {
            let mut people = Vec::new();
            for i in 0..size.people {
                let (name, title) = person(i);
                let email = format!(
                    "{}@northwind.example",
                    name.to_lowercase().replace(' ', ".")
                );
                let draft = PersonDraft { name, title, email };
                people.push(doc.add_person(&draft, now)?);
            }
            let mut roles = Vec::new();
            for i in 0..size.roles {
                let draft = RoleDraft {
                    kind: role_kind(i),
                    responsibilities: format!(
                        "{} for the group's information security management system.",
                        RESPONSIBILITIES[i % RESPONSIBILITIES.len()]
                    ),
                    authorities: AUTHORITIES[i % AUTHORITIES.len()].to_owned(),
                    competence:
                        "Relevant training or certification, and two years in a similar role."
                            .to_owned(),
                };
                let role = doc.add_role(&draft, now)?;
                let holders = 1 + rng.below(3) as usize;
                for h in 0..holders {
                    let person = &people[(i * 3 + h) % people.len()];
                    doc.set_role_holder(&role, person, true, now)?;
                }
                roles.push(role);
            }
            let mut activities: Vec<String> = STANDARD_ACTIVITIES
                .iter()
                .map(|(id, _)| (*id).to_owned())
                .collect();
            for name in [
                "Supplier security reviews",
                "Penetration testing",
                "Access reviews",
            ] {
                activities.push(doc.add_activity(name, now)?);
            }
            for (a, activity) in activities.iter().enumerate() {
                doc.set_raci(
                    activity,
                    &roles[a % roles.len()],
                    Some(Raci::Accountable),
                    now,
                )?;
                for r in 1..4 {
                    let letter = [Raci::Responsible, Raci::Consulted, Raci::Informed][r - 1];
                    doc.set_raci(
                        activity,
                        &roles[(a + r * 2) % roles.len()],
                        Some(letter),
                        now,
                    )?;
                }
            }
            Ok((people, roles))
        })?;
        self.rng = rng;
        self.people = people;
        self.roles = roles;
        Ok(())
    }

    /// Year 0: each policy is drafted keystroke by keystroke, part of it by
    /// two authors at once; later years revise a part. Each year ends in
    /// review, approval, publication and acknowledgements.
    fn policies_of_year(&mut self, year: i64) -> Result<(), CommandError> {
        for p in 0..self.size.policies {
            let day = year * 365 + 20 + (p as i64 * 9) % 200;
            if year == 0 {
                self.as_author(p);
                let now = self.at_day(day);
                let draft = PolicyDraft {
                    title: policy_title(p),
                    kind: if p == 0 {
                        PolicyKind::InformationSecurity
                    } else {
                        PolicyKind::TopicSpecific
                    },
                    owner: AUTHORS[p % AUTHORS.len()].to_owned(),
                    review_due: self.date(day + 365),
                };
                let id = self.doc.add_policy(&draft, "", now)?;
                self.policies.push(id.clone());
                let text = policy_text(&mut self.rng, p, self.size.policy_chars);
                // The first two thirds by one author, then two sections typed
                // at the same time by two others in their own copies.
                let split = split_at_paragraph(&text, text.len() * 2 / 3);
                let (first, rest) = text.split_at(split);
                self.type_into(&id, 0, first)?;
                let middle = split_at_paragraph(rest, rest.len() / 2);
                let (second, third) = rest.split_at(middle);
                let end = first.chars().count();
                self.type_concurrently(&id, (p + 1, end, second), (p + 2, end, third))?;
            } else {
                self.revise(p, year)?;
            }
            let id = self.policies[p].clone();
            self.as_author(p);
            let now = self.at_day(day + 14);
            self.doc
                .set_policy_status(&id, PolicyStatus::InReview, now)?;
            // Approved by top management (the third and fourth authors).
            self.as_author(2 + p % 2);
            let now = self.at_day(day + 21);
            let version =
                self.doc
                    .approve_policy(&id, &crate::workspace::policies::ATTESTS_5_2, now)?;
            let now = self.at_day(day + 22);
            self.doc
                .set_policy_status(&id, PolicyStatus::Published, now)?;
            let readers: Vec<String> = self
                .people
                .iter()
                .filter(|_| self.rng.chance(70))
                .cloned()
                .collect();
            let now = self.at_day(day + 30);
            self.doc.batch("Recorded acknowledgements", now, |doc| {
                for person in &readers {
                    doc.acknowledge_policy(&id, version, person, now)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Types `text` into a policy at `pos`, one keystroke per change, with
    /// the odd typo corrected by Backspace.
    fn type_into(&mut self, id: &str, mut pos: usize, text: &str) -> Result<(), CommandError> {
        type_text(
            &mut self.doc,
            &mut self.rng,
            &mut self.clock,
            id,
            &mut pos,
            text,
        )
    }

    /// Two authors type at the same time in their own copies (offline, or
    /// live before their changes crossed); the copies are then merged.
    fn type_concurrently(
        &mut self,
        id: &str,
        (a, a_pos, a_text): (usize, usize, &str),
        (b, b_pos, b_text): (usize, usize, &str),
    ) -> Result<(), CommandError> {
        let mut copies = Vec::new();
        let start = self.clock;
        for (author, mut pos, text) in [(a, a_pos, a_text), (b, b_pos, b_text)] {
            let fork = self.doc.automerge().fork();
            let actor = self.actors[author % AUTHORS.len()].clone();
            let mut copy = WorkspaceDoc::with_actor(fork, actor, AUTHORS[author % AUTHORS.len()]);
            let mut clock = start;
            type_text(&mut copy, &mut self.rng, &mut clock, id, &mut pos, text)?;
            self.clock = self.clock.max(clock);
            copies.push(copy);
        }
        for mut copy in copies {
            self.doc.automerge().merge(copy.automerge())?;
        }
        Ok(())
    }

    /// A yearly revision: a sentence or two replaced in a few places, by
    /// selecting it and typing the new wording.
    fn revise(&mut self, p: usize, year: i64) -> Result<(), CommandError> {
        let id = self.policies[p].clone();
        self.as_author(p + year as usize);
        let edits = 4 + self.rng.below(4) as usize;
        for _ in 0..edits {
            let text = self
                .doc
                .policy(&id)?
                .map(|policy| policy.body.as_str().to_owned())
                .unwrap_or_default();
            let chars: Vec<char> = text.chars().collect();
            if chars.len() < 200 {
                break;
            }
            let from = self.rng.below(chars.len() as u64 - 150) as usize;
            let sentence_start = chars[..from]
                .iter()
                .rposition(|&c| c == '.')
                .map_or(0, |i| i + 2)
                .min(chars.len());
            let sentence_end = chars[sentence_start..]
                .iter()
                .position(|&c| c == '.')
                .map_or(chars.len(), |i| sentence_start + i + 1);
            let now = self.at_day(year * 365 + 10);
            self.doc.splice_policy_body(
                &id,
                sentence_start,
                sentence_end - sentence_start,
                "",
                now,
            )?;
            let mut pos = sentence_start;
            let replacement = sentence(&mut self.rng, p);
            type_text(
                &mut self.doc,
                &mut self.rng,
                &mut self.clock,
                &id,
                &mut pos,
                replacement.trim_end(),
            )?;
        }
        Ok(())
    }

    fn add_objectives(&mut self) -> Result<(), CommandError> {
        for o in 0..self.size.objectives {
            self.as_author(o);
            let template = &OBJECTIVES[o % OBJECTIVES.len()];
            let unit_name = UNITS[(o / OBJECTIVES.len()) % UNITS.len()];
            let now = self.at_day(30 + o as i64 % 60);
            let draft = ObjectiveDraft {
                title: format!("{} — {unit_name}", template.title),
                description: format!(
                    "{} Measured for {unit_name} and reported monthly to top management.",
                    template.why
                ),
                target: crate::workspace::model::format_number(template.target),
                unit: template.unit.to_owned(),
                direction: Some(template.direction),
                owner_id: self
                    .people
                    .get(o % self.people.len().max(1))
                    .cloned()
                    .unwrap_or_default(),
                function: unit_name.to_owned(),
                due: self.date(YEARS * 365 + 30 + (o as i64 * 37) % 300 - 200),
                evaluation: "Monthly figures reviewed at the ISMS steering meeting; \
                             yearly at the management review."
                    .to_owned(),
                ..Default::default()
            };
            let id = self.doc.add_objective(&draft, now)?;
            let plan = ObjectivePlanDraft {
                plan: template.plan.to_owned(),
                resources: "Security team time and the approved tooling budget.".to_owned(),
                policy_id: self.policies.first().cloned().unwrap_or_default(),
                monitor_months: "1".to_owned(),
                ..Default::default()
            };
            let now = self.tick(60_000);
            self.doc.edit_objective_plan(&id, &plan, now)?;
            self.objectives.push(id);
        }
        Ok(())
    }

    fn measurements_of_year(&mut self, year: i64) -> Result<(), CommandError> {
        for month in year * 12..(year + 1) * 12 {
            for o in 0..self.objectives.len() {
                let template = &OBJECTIVES[o % OBJECTIVES.len()];
                let progress = month as f64 / MONTHS as f64;
                // Start well away from the target and drift towards it, with
                // noise; every fifth objective stalls.
                let stalled = o % 5 == 4;
                let reach = if stalled { progress * 0.3 } else { progress };
                let value = template.start
                    + (template.target - template.start) * reach * 1.1
                    + (self.rng.below(1_000) as f64 / 1_000.0 - 0.5) * template.noise;
                let value = (value * 10.0).round() / 10.0;
                self.as_author(o + month as usize);
                let now = self.at_day(month * 365 / 12 + 3);
                let draft = MeasurementDraft {
                    date: date_of(now),
                    value: crate::workspace::model::format_number(value),
                    note: if self.rng.chance(10) {
                        "Figure confirmed with the system owner.".to_owned()
                    } else {
                        String::new()
                    },
                };
                self.doc.add_measurement(&self.objectives[o], &draft, now)?;
            }
        }
        Ok(())
    }

    fn budget_of_year(&mut self, year: i64) -> Result<(), CommandError> {
        let per_year = self.size.budget_lines / YEARS as usize
            + usize::from(year < (self.size.budget_lines % YEARS as usize) as i64);
        let calendar_year = &self.date(year * 365 + 40)[..4].to_owned();
        for b in 0..per_year {
            let (category, description) = BUDGET[(b + year as usize) % BUDGET.len()];
            let requested = 2_000 + self.rng.below(80) * 1_000;
            self.as_author(3);
            let now = self.at_day(year * 365 + 40 + b as i64 % 30);
            let draft = BudgetLineDraft {
                category: category.to_owned(),
                description: format!("{description} ({})", b + 1),
                year: calendar_year.clone(),
                currency: if b % 7 == 6 { "GBP" } else { "EUR" }.to_owned(),
                requested: requested.to_string(),
                spent: "0".to_owned(),
            };
            let id = self.doc.add_budget_line(&draft, now)?;
            if !self.rng.chance(10) {
                self.as_author(2);
                let approved = requested - requested % 3_000;
                let now = self.at_day(year * 365 + 75 + b as i64 % 20);
                let approval = BudgetApprovalDraft {
                    amount: approved.max(1_000).to_string(),
                    date: date_of(now),
                };
                self.doc.approve_budget_line(&id, &approval, now)?;
                let spent = approved * (40 + self.rng.below(70)) / 100;
                self.as_author(3);
                let now = self.at_day(year * 365 + 300 + b as i64 % 40);
                let draft = BudgetLineDraft {
                    spent: spent.to_string(),
                    ..draft
                };
                self.doc.edit_budget_line(&id, &draft, now)?;
            }
            self.budget.push(id);
        }
        if year == 0 {
            for r in 0..self.roles.len().min(10) {
                let now = self.at_day(50);
                let name = self
                    .doc
                    .role(&self.roles[r])?
                    .map(|role| role.kind.label().to_owned())
                    .unwrap_or_default();
                let draft = FteDraft {
                    fte: ["1", "0.5", "0.2", "0.1"][r % 4].to_owned(),
                    note: "Agreed in the resource plan".to_owned(),
                };
                let role = self.roles[r].clone();
                self.doc.set_fte(&role, &name, &draft, now)?;
            }
        }
        Ok(())
    }

    fn add_programmes(&mut self) -> Result<(), CommandError> {
        for t in 0..self.size.programmes {
            self.as_author(1);
            let now = self.at_day(45 + t as i64);
            let (topic, recurrence) = PROGRAMMES[t % PROGRAMMES.len()];
            let audience = if t % 3 == 0 {
                Audience::Everyone
            } else {
                Audience::Roles(vec![
                    self.roles[t % self.roles.len()].clone(),
                    self.roles[(t + 5) % self.roles.len()].clone(),
                ])
            };
            let draft = ProgrammeDraft {
                topic: if t < PROGRAMMES.len() {
                    topic.to_owned()
                } else {
                    format!("{topic} ({})", t / PROGRAMMES.len() + 1)
                },
                audience,
                recurrence_months: recurrence.to_string(),
                mandatory: t % 4 != 3,
                completion_target: "90".to_owned(),
                covers_policy: t % 3 == 0,
                covers_contribution: t % 3 != 2,
                covers_consequences: t % 2 == 0,
                effectiveness_method: "A short test at the end of each session.".to_owned(),
                ..ProgrammeDraft::default()
            };
            let id = self.doc.add_programme(&draft, now)?;
            self.programmes.push(id);
        }
        Ok(())
    }

    fn training_of_year(&mut self, year: i64) -> Result<(), CommandError> {
        for t in 0..self.programmes.len() {
            let (_, recurrence) = PROGRAMMES[t % PROGRAMMES.len()];
            let sessions = (12 / recurrence).max(1);
            for s in 0..sessions {
                self.as_author(1);
                let now =
                    self.at_day(year * 365 + 60 + s as i64 * 30 * recurrence as i64 + t as i64);
                let attendees: Vec<String> = self
                    .people
                    .iter()
                    .filter(|_| self.rng.chance(55))
                    .cloned()
                    .collect();
                let draft = SessionDraft {
                    date: date_of(now),
                    end: String::new(),
                    attendees,
                };
                let programme = self.programmes[t].clone();
                self.doc.add_session(&programme, &draft, now)?;
            }
            if year == YEARS - 1 {
                let now = self.tick(60_000);
                let programme = self.programmes[t].clone();
                let person = self.people[t % self.people.len()].clone();
                self.doc.set_competence_evidence(
                    &programme,
                    &person,
                    "Certificate of completion on file with People.",
                    now,
                )?;
            }
        }
        Ok(())
    }

    fn commitment(&mut self) -> Result<(), CommandError> {
        let evidence: Vec<(Duty, String)> = vec![
            (Duty::A, self.policies[0].clone()),
            (Duty::A, self.objectives[0].clone()),
            (Duty::B, self.policies[1 % self.policies.len()].clone()),
            (Duty::C, self.budget[0].clone()),
            (Duty::D, self.programmes[0].clone()),
            (Duty::E, self.objectives[1 % self.objectives.len()].clone()),
            (Duty::F, self.roles[1].clone()),
            (Duty::G, self.objectives[0].clone()),
            (Duty::H, self.roles[2].clone()),
        ];
        self.as_author(0);
        for (duty, record) in evidence {
            let now = self.at_day(YEARS * 365 - 20);
            self.doc.set_duty_evidence(duty, &record, true, now)?;
        }
        self.as_author(2);
        for duty in [Duty::A, Duty::B, Duty::C, Duty::D, Duty::E, Duty::F] {
            let now = self.at_day(YEARS * 365 - 10);
            self.doc.confirm_duty(duty, true, now)?;
        }
        Ok(())
    }
}

impl Generator {
    /// A management review near the end of each year, chaired by the first
    /// person, with a note on every input, a decision and three actions;
    /// the actions of earlier years are mostly done by the next review, one
    /// each year stays open, so input (a) carries them forward.
    fn reviews(&mut self) -> Result<(), CommandError> {
        self.as_author(0);
        let people = self.people.len();
        let mut raised: Vec<(String, i64)> = Vec::new();
        for year in 0..YEARS {
            let day = year * 365 + 330;
            // Progress on earlier actions, before this review: all but the
            // last of each year are done.
            for (i, (action, due_day)) in raised.iter().enumerate() {
                if i % 3 != 2 && *due_day < day {
                    let now = self.at_day(*due_day - 5);
                    let update = ActionUpdateDraft {
                        status: ActionStatus::Done,
                        note: "Done and checked by the security officer.".to_owned(),
                        date: self.date(*due_day - 5),
                    };
                    let today = self.date(day);
                    let _ = self.doc.update_action(action, &update, &today, now);
                }
            }
            let now = self.at_day(day);
            let draft = ReviewDraft {
                date: self.date(day),
                chair: self.people[0].clone(),
                attendees: self.people[1..people.min(5)].to_vec(),
            };
            let id = self.doc.plan_review(&draft, now)?;
            for input in Input::ALL {
                let now = self.tick(60_000);
                self.doc.splice_review_text(
                    &id,
                    input.notes_field(),
                    0,
                    0,
                    &format!("Considered at the review of year {}.", year + 1),
                    now,
                )?;
            }
            let now = self.tick(60_000);
            let decision = self.doc.add_decision(
                &id,
                &DecisionDraft {
                    text: format!("Priorities for year {} agreed", year + 2),
                    kind: DecisionKind::Improvement,
                    inputs: vec!["d".to_owned(), "g".to_owned()],
                },
                now,
            )?;
            for a in 0..3 {
                let due_day = day + 90 * (a + 1);
                let now = self.tick(60_000);
                let action = self.doc.add_action(
                    &id,
                    &ActionDraft {
                        title: format!("Year {} action {}", year + 2, a + 1),
                        owner: self.people[(1 + a as usize) % people].clone(),
                        due: self.date(due_day),
                        decision: decision.clone(),
                    },
                    now,
                )?;
                raised.push((action, due_day));
            }
            let now = self.tick(60_000);
            self.doc.set_conclusion(
                &id,
                &Conclusion {
                    suitable: Some(true),
                    adequate: Some(true),
                    effective: Some(year > 0),
                    statement: "The ISMS remains suitable and adequate.".to_owned(),
                },
                now,
            )?;
        }
        Ok(())
    }
}

/// Types `text` at `*pos` (in characters), one keystroke per change; about
/// one keystroke in fifty is a typo, corrected at once with Backspace.
fn type_text(
    doc: &mut WorkspaceDoc,
    rng: &mut SplitMix,
    clock: &mut Millis,
    id: &str,
    pos: &mut usize,
    text: &str,
) -> Result<(), CommandError> {
    let mut buffer = [0u8; 4];
    for c in text.chars() {
        if c.is_alphabetic() && rng.chance(2) {
            *clock += KEYSTROKE_MS;
            let typo = (b'a' + rng.below(26) as u8) as char;
            doc.splice_policy_body(id, *pos, 0, typo.encode_utf8(&mut buffer), *clock)?;
            *clock += KEYSTROKE_MS * 2;
            doc.splice_policy_body(id, *pos, 1, "", *clock)?;
        }
        *clock += KEYSTROKE_MS / 2 + rng.below(KEYSTROKE_MS as u64) as Millis;
        doc.splice_policy_body(id, *pos, 0, c.encode_utf8(&mut buffer), *clock)?;
        *pos += 1;
    }
    Ok(())
}

/// A byte index near `near` where a paragraph starts (or the end).
fn split_at_paragraph(text: &str, near: usize) -> usize {
    text[near.min(text.len())..]
        .find("\n\n")
        .map_or(text.len(), |i| near + i + 2)
}

fn person(i: usize) -> (String, String) {
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i * 7 + i / FIRST_NAMES.len()) % LAST_NAMES.len()];
    let name = if i < FIRST_NAMES.len() * LAST_NAMES.len() / 7 {
        format!("{first} {last}")
    } else {
        format!("{first} {last} {}", i / FIRST_NAMES.len())
    };
    (name, TITLES[i % TITLES.len()].to_owned())
}

fn role_kind(i: usize) -> RoleKind {
    match i {
        0 => RoleKind::TopManagement,
        1 => RoleKind::Ciso,
        2 => RoleKind::SecurityOfficer,
        3 => RoleKind::InternalAuditor,
        4 => RoleKind::Consultant,
        5..=9 => RoleKind::DepartmentHead,
        _ if i.is_multiple_of(2) => RoleKind::RiskOwner,
        _ => RoleKind::Custom(format!(
            "{} lead",
            CUSTOM_ROLES[(i / 2) % CUSTOM_ROLES.len()]
        )),
    }
}

fn policy_title(p: usize) -> String {
    let topic = POLICY_TOPICS[p % POLICY_TOPICS.len()];
    if p < POLICY_TOPICS.len() {
        topic.to_owned()
    } else {
        format!(
            "{topic} — {}",
            UNITS[(p / POLICY_TOPICS.len()) % UNITS.len()]
        )
    }
}

/// A policy text in Markdown of about `chars` characters.
fn policy_text(rng: &mut SplitMix, p: usize, chars: usize) -> String {
    let title = policy_title(p);
    let subject = SUBJECTS[p % SUBJECTS.len()];
    let mut text = format!(
        "# {title}\n\n## Purpose\n\nThis policy sets out how Northwind Freight Group protects {subject}. {}\n\n",
        sentence(rng, p)
    );
    let mut section = 0;
    while text.len() < chars {
        text.push_str(&format!("## {}\n\n", SECTIONS[section % SECTIONS.len()]));
        for _ in 0..2 {
            for _ in 0..3 {
                text.push_str(&sentence(rng, p));
            }
            text.push_str("\n\n");
        }
        for _ in 0..3 {
            text.push_str("- ");
            text.push_str(sentence(rng, p).trim_end());
            text.push('\n');
        }
        text.push('\n');
        section += 1;
    }
    text
}

/// One sentence about the policy's subject, ending in a space.
fn sentence(rng: &mut SplitMix, p: usize) -> String {
    let subject = SUBJECTS[p % SUBJECTS.len()];
    let who = rng.pick(&WHO);
    let how = rng.pick(&HOW);
    let when = rng.pick(&WHEN);
    format!("{who} {how} {subject} {when}. ")
}

struct ObjectiveTemplate {
    title: &'static str,
    why: &'static str,
    plan: &'static str,
    unit: &'static str,
    start: f64,
    target: f64,
    noise: f64,
    direction: Direction,
}

const OBJECTIVES: [ObjectiveTemplate; 10] = [
    ObjectiveTemplate {
        title: "Phishing click rate",
        why: "Fewer people fall for phishing, so fewer accounts are taken over.",
        plan: "Monthly simulated phishing with instant feedback; targeted coaching for repeat clickers.",
        unit: "%",
        start: 14.0,
        target: 3.0,
        noise: 2.0,
        direction: Direction::AtMost,
    },
    ObjectiveTemplate {
        title: "Critical patches applied within 14 days",
        why: "Known vulnerabilities are closed before they are exploited.",
        plan: "Automated patch rollout with a weekly exceptions review.",
        unit: "%",
        start: 62.0,
        target: 95.0,
        noise: 4.0,
        direction: Direction::AtLeast,
    },
    ObjectiveTemplate {
        title: "Mandatory awareness training completed",
        why: "Everyone knows their part in keeping information safe.",
        plan: "E-learning at onboarding and yearly, with reminders from line managers.",
        unit: "%",
        start: 55.0,
        target: 98.0,
        noise: 3.0,
        direction: Direction::AtLeast,
    },
    ObjectiveTemplate {
        title: "Mean time to contain incidents",
        why: "Incidents are contained before they become breaches.",
        plan: "On-call rota, playbooks for the top ten incident types, quarterly drills.",
        unit: "hours",
        start: 30.0,
        target: 8.0,
        noise: 4.0,
        direction: Direction::AtMost,
    },
    ObjectiveTemplate {
        title: "Suppliers with a current security assessment",
        why: "Critical suppliers meet our security requirements.",
        plan: "Tiered supplier questionnaires and yearly reviews for tier 1.",
        unit: "%",
        start: 40.0,
        target: 90.0,
        noise: 5.0,
        direction: Direction::AtLeast,
    },
    ObjectiveTemplate {
        title: "Accounts reviewed on time",
        why: "Access matches people's current jobs.",
        plan: "Quarterly access reviews signed off by system owners.",
        unit: "%",
        start: 70.0,
        target: 100.0,
        noise: 3.0,
        direction: Direction::AtLeast,
    },
    ObjectiveTemplate {
        title: "Backups restored successfully in tests",
        why: "Data can be recovered when it matters.",
        plan: "Monthly restore tests of a rotating sample of systems.",
        unit: "%",
        start: 80.0,
        target: 100.0,
        noise: 3.0,
        direction: Direction::AtLeast,
    },
    ObjectiveTemplate {
        title: "High-risk findings open past due date",
        why: "Audit and test findings are fixed when promised.",
        plan: "Findings tracked weekly by the CISO; escalation after 30 days.",
        unit: "findings",
        start: 18.0,
        target: 2.0,
        noise: 2.0,
        direction: Direction::AtMost,
    },
    ObjectiveTemplate {
        title: "Laptops with full-disk encryption",
        why: "A lost laptop does not become a data breach.",
        plan: "Encryption enforced by device management; non-compliant devices blocked.",
        unit: "%",
        start: 85.0,
        target: 100.0,
        noise: 2.0,
        direction: Direction::AtLeast,
    },
    ObjectiveTemplate {
        title: "Systems covered by central logging",
        why: "Attacks are detected and can be investigated.",
        plan: "Log shipping for every production system, checked monthly.",
        unit: "%",
        start: 50.0,
        target: 95.0,
        noise: 4.0,
        direction: Direction::AtLeast,
    },
];

const UNITS: [&str; 6] = [
    "Group IT",
    "Hamburg hub",
    "Rotterdam hub",
    "Gdańsk hub",
    "Customer service",
    "Fleet telematics",
];

const POLICY_TOPICS: [&str; 20] = [
    "Information security policy",
    "Access control",
    "Acceptable use of information and assets",
    "Backup and restore",
    "Cryptography and key management",
    "Supplier relationships",
    "Information security incident management",
    "Business continuity",
    "Secure development",
    "Asset management",
    "Information classification and handling",
    "Remote working",
    "Physical and environmental security",
    "Logging and monitoring",
    "Technical vulnerability management",
    "Change management",
    "Human resources security",
    "Privacy and protection of personal data",
    "Use of cloud services",
    "Mobile devices",
];

const SUBJECTS: [&str; 10] = [
    "customer and shipment data",
    "access to systems and data",
    "the group's information and devices",
    "backups of business-critical systems",
    "encryption keys and certificates",
    "information shared with suppliers",
    "the handling of security incidents",
    "critical freight operations",
    "the software it builds and runs",
    "the information assets of every hub",
];

const SECTIONS: [&str; 8] = [
    "Scope",
    "Policy statements",
    "Roles and responsibilities",
    "Requirements",
    "Exceptions",
    "Monitoring and compliance",
    "Related documents",
    "Review",
];

const WHO: [&str; 8] = [
    "Every employee and contractor",
    "The CISO",
    "System owners",
    "Line managers",
    "The security team",
    "Department heads",
    "Top management",
    "The IT operations team",
];

const HOW: [&str; 8] = [
    "must protect",
    "review at least quarterly the measures around",
    "report any weakness affecting",
    "keep a current record of",
    "approve every exception concerning",
    "make sure that only authorised people can change",
    "check the effectiveness of the controls for",
    "train their teams on the rules for",
];

const WHEN: [&str; 8] = [
    "in line with the risk assessment",
    "as described in the related procedures",
    "whenever a significant change is planned",
    "within the deadlines agreed with top management",
    "and keep evidence of it for three years",
    "using the tools approved by the CISO",
    "without delay after an incident",
    "according to the classification of the information",
];

const FIRST_NAMES: [&str; 20] = [
    "Anna", "Ben", "Chiara", "David", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jakob", "Kira",
    "Leon", "Maja", "Nils", "Olga", "Pavel", "Rosa", "Sven", "Tara", "Yusuf",
];

const LAST_NAMES: [&str; 14] = [
    "Becker",
    "Costa",
    "Dąbrowski",
    "Eriksen",
    "Fischer",
    "Groot",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kowalczyk",
    "Larsen",
    "Meyer",
    "Nowak",
    "Okafor",
];

const TITLES: [&str; 10] = [
    "Operations manager",
    "Software engineer",
    "Dispatcher",
    "Finance controller",
    "HR partner",
    "Customer service lead",
    "Network engineer",
    "Fleet manager",
    "Data analyst",
    "Procurement officer",
];

const CUSTOM_ROLES: [&str; 6] = [
    "Business continuity",
    "Data protection",
    "Supplier security",
    "Cloud platform",
    "Physical security",
    "Awareness",
];

const RESPONSIBILITIES: [&str; 5] = [
    "Plans, runs and reports the controls of its area",
    "Owns the risks of its area and their treatment",
    "Keeps procedures and records up to date",
    "Checks that the controls work as intended",
    "Advises the business on security requirements",
];

const AUTHORITIES: [&str; 4] = [
    "Approves exceptions within its area.",
    "Stops changes that put information at unacceptable risk.",
    "Requests evidence from any department.",
    "Decides on treatment within the approved budget.",
];

const BUDGET: [(&str, &str); 8] = [
    ("Tooling", "Endpoint detection and response licences"),
    ("Training", "Awareness platform and phishing simulation"),
    (
        "External services",
        "Penetration test of the booking platform",
    ),
    ("Certification", "Certification body audit days"),
    ("Staff", "Security analyst contractor"),
    ("Tooling", "Central log management"),
    ("External services", "Supplier assessment service"),
    ("Infrastructure", "Backup storage and restore tests"),
];

/// Training programmes: topic, recurrence in months.
const PROGRAMMES: [(&str, u32); 6] = [
    ("Security awareness for everyone", 12),
    ("Phishing and social engineering", 3),
    ("Secure development", 6),
    ("Incident response drill", 6),
    ("Privacy and personal data", 12),
    ("Leadership briefing on cyber risk", 12),
];
