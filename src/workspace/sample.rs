//! "Open a sample workspace": a realistic example organisation for demos and
//! tests — eight objectives with a year of monthly measurements, twelve
//! people in ten roles with a RACI matrix, six policies, four training
//! programmes, a budget with people time, the 5.1 checklist half done, two
//! past management reviews whose open actions carry into the next one, the
//! context with its interested parties, a register of twenty-five risks with
//! their treatment, a Statement of Applicability with every status, the
//! implementation plan, an internal audit with its findings and
//! nonconformities, and the improvement log.
//!
//! Everything is written through the ordinary commands, so the sample is
//! validated, merged and synced like any workspace. Dates are relative to
//! the day it is opened, so it always looks current.

use std::collections::BTreeSet;

use crate::workspace::assessment::{ClosingDraft, ObjectiveStatus};
use crate::workspace::audits::{AuditDraft, AuditProgramme, FindingDraft, FindingKind};
use crate::workspace::commitment::Duty;
use crate::workspace::communication::{Channel, CommunicationDraft};
use crate::workspace::competence::{CompetenceDraft, CompetenceKind};
use crate::workspace::context::{IssueDraft, IssueKind, RequirementKind, ScopeDraft};
use crate::workspace::measurements::{
    Direction, MeasurementDraft, ObjectivePlanDraft, date_of, day_of,
};
use crate::workspace::nonconformities::{
    EffectivenessCheck, ImprovementDraft, ImprovementStatus, NonconformityDraft, Source,
};
use crate::workspace::plan::{PLAN_TEMPLATE, StageDraft, StageStatus, template_schedule};
use crate::workspace::planned_changes::ChangeDraft;
use crate::workspace::policies::{PolicyDraft, PolicyKind, PolicyStatus};
use crate::workspace::resources::{BudgetApprovalDraft, BudgetLineDraft, FteDraft};
use crate::workspace::reviews::{
    ActionDraft, ActionStatus, ActionUpdateDraft, Conclusion, DecisionDraft, DecisionKind, Input,
    ReviewDraft, summarise_inputs,
};
use crate::workspace::risks::{
    CriteriaDraft, Property, RiskDraft, TreatmentActionDraft, TreatmentOption,
};
use crate::workspace::roles::{PersonDraft, Raci, RoleDraft, RoleKind};
use crate::workspace::soa::{Implementation, Reason, SoaDraft, Theme, annex_a};
use crate::workspace::training::{Audience, ProgrammeDraft, SessionDraft};
use crate::workspace::{CommandError, Millis, ObjectiveDraft, Workspace, WorkspaceDoc};

/// The sample organisation's name, shown as the workspace's title.
pub const SAMPLE_ORGANISATION: &str = "Alder & Finch Logistics (sample)";

const SAMPLE_SCOPE: &str = "The freight booking platform, customer and shipment data, and the \
     Hamburg and Rotterdam offices, including the people and suppliers who run them.";

const DAY: Millis = 86_400_000;
const HOUR: Millis = 3_600_000;

/// Twelve people: name, job title, e-mail.
const PEOPLE: [(&str, &str, &str); 12] = [
    (
        "Claire Hoffmann",
        "Chief Executive Officer",
        "claire.hoffmann@alderfinch.example",
    ),
    (
        "Martin Kessler",
        "Chief Financial Officer",
        "martin.kessler@alderfinch.example",
    ),
    (
        "Aisha Okafor",
        "Chief Operating Officer",
        "aisha.okafor@alderfinch.example",
    ),
    (
        "Jonas Weber",
        "Chief Information Security Officer",
        "jonas.weber@alderfinch.example",
    ),
    (
        "Priya Raman",
        "Information Security Officer",
        "priya.raman@alderfinch.example",
    ),
    (
        "Lukas Brandt",
        "Head of IT Operations",
        "lukas.brandt@alderfinch.example",
    ),
    (
        "Sofia Marquez",
        "Head of People",
        "sofia.marquez@alderfinch.example",
    ),
    (
        "Daniel Novak",
        "Head of Software Development",
        "daniel.novak@alderfinch.example",
    ),
    (
        "Emma Lindqvist",
        "Head of Customer Service",
        "emma.lindqvist@alderfinch.example",
    ),
    (
        "Tomasz Zieliński",
        "Internal Auditor",
        "tomasz.zielinski@alderfinch.example",
    ),
    (
        "Hannah Vogel",
        "Data Protection Officer",
        "hannah.vogel@alderfinch.example",
    ),
    ("Oliver Grant", "ISMS Consultant (external)", ""),
];

/// Ten roles: kind, responsibilities, authorities, holders (indexes into PEOPLE).
fn roles() -> [(RoleKind, &'static str, &'static str, &'static [usize]); 10] {
    [
        (
            RoleKind::TopManagement,
            "Sets the security policy and objectives, provides resources, runs management reviews.",
            "Approves policies, budgets and the risk acceptance criteria.",
            &[0, 1, 2],
        ),
        (
            RoleKind::Ciso,
            "Runs the ISMS day to day and reports on its performance to top management.",
            "Stops changes that put information at unacceptable risk.",
            &[3],
        ),
        (
            RoleKind::SecurityOfficer,
            "Keeps the risk register, the Statement of Applicability and awareness running.",
            "Requests evidence from any department.",
            &[4],
        ),
        (
            RoleKind::RiskOwner,
            "Accepts and treats the risks of their area.",
            "Decides on treatment within the approved budget.",
            &[5, 7],
        ),
        (
            RoleKind::DepartmentHead,
            "Makes sure their teams follow the policies and complete training.",
            "Assigns security tasks within the department.",
            &[5, 6, 7, 8],
        ),
        (
            RoleKind::InternalAuditor,
            "Plans and carries out internal audits of the ISMS.",
            "Reads any record needed for an audit.",
            &[9],
        ),
        (
            RoleKind::Consultant,
            "Advises on ISO/IEC 27001 and prepares the certification audit.",
            "None beyond advice.",
            &[11],
        ),
        (
            RoleKind::Custom("Data protection officer".to_owned()),
            "Oversees the protection of personal data and advises on privacy impact.",
            "Reports directly to the CEO.",
            &[10],
        ),
        (
            RoleKind::Custom("Incident manager".to_owned()),
            "Leads the response to security incidents and the lessons learnt.",
            "Isolates systems during an incident.",
            &[5],
        ),
        (
            RoleKind::Custom("Business continuity manager".to_owned()),
            "Keeps continuity plans current and tested.",
            "Invokes the continuity plan.",
            &[2],
        ),
    ]
}

/// RACI letters per standard activity: (activity, [(role index, letter)]).
const RACI: [(&str, &[(usize, Raci)]); 10] = [
    (
        "conformity",
        &[
            (0, Raci::Accountable),
            (1, Raci::Responsible),
            (6, Raci::Consulted),
        ],
    ),
    (
        "performance-reporting",
        &[
            (1, Raci::Accountable),
            (2, Raci::Responsible),
            (0, Raci::Informed),
        ],
    ),
    (
        "policy",
        &[
            (0, Raci::Accountable),
            (1, Raci::Responsible),
            (4, Raci::Informed),
        ],
    ),
    (
        "risk-assessment",
        &[
            (1, Raci::Accountable),
            (2, Raci::Responsible),
            (3, Raci::Consulted),
        ],
    ),
    (
        "soa",
        &[
            (1, Raci::Accountable),
            (2, Raci::Responsible),
            (6, Raci::Consulted),
        ],
    ),
    (
        "risk-treatment",
        &[
            (3, Raci::Accountable),
            (1, Raci::Consulted),
            (4, Raci::Responsible),
        ],
    ),
    (
        "awareness",
        &[
            (1, Raci::Accountable),
            (2, Raci::Responsible),
            (4, Raci::Informed),
        ],
    ),
    (
        "incident-management",
        &[
            (8, Raci::Accountable),
            (1, Raci::Consulted),
            (7, Raci::Informed),
        ],
    ),
    (
        "internal-audit",
        &[(0, Raci::Accountable), (5, Raci::Responsible)],
    ),
    (
        "management-review",
        &[
            (0, Raci::Accountable),
            (1, Raci::Responsible),
            (6, Raci::Consulted),
        ],
    ),
];

/// An objective of the sample: its fields, plan, and a year of values.
struct SampleObjective {
    title: &'static str,
    description: &'static str,
    target: &'static str,
    unit: &'static str,
    owner: &'static str,
    /// Days from today to the due date (negative: already past).
    due_in: i64,
    evaluation: &'static str,
    plan: &'static str,
    resources: &'static str,
    direction: Direction,
    /// Twelve monthly values, oldest first; the last is this month's.
    values: [f64; 12],
}

/// Runs `act` as the sample person called `name`, on a device of their own
/// (an actor id of theirs), so the sample's requests, approvals and
/// confirmations name real people of its organisation rather than whoever
/// opened it. They carry no signature: no browser of theirs holds a key.
fn as_person<T>(
    doc: &mut WorkspaceDoc,
    name: &str,
    act: impl FnOnce(&mut WorkspaceDoc) -> Result<T, CommandError>,
) -> Result<T, CommandError> {
    let own = doc.automerge().get_actor().clone();
    let author = doc.author().to_owned();
    let index = person_named(name) as u8;
    doc.automerge()
        .set_actor(automerge::ActorId::from(&[0xA1, index, 0x5A, 0x3E][..]));
    doc.set_author(name);
    let result = act(doc);
    doc.automerge().set_actor(own);
    doc.set_author(&author);
    result
}

/// The index in [`PEOPLE`] of the person called `name`.
fn person_named(name: &str) -> usize {
    PEOPLE.iter().position(|(n, _, _)| *n == name).unwrap_or(0)
}

/// The function an objective owned by `owner` belongs to.
fn function_of(owner: &str) -> &'static str {
    match owner {
        "Lukas Brandt" => "IT operations",
        "Sofia Marquez" => "People",
        "Martin Kessler" => "Finance and purchasing",
        _ => "Information security",
    }
}

const OBJECTIVES: [SampleObjective; 8] = [
    SampleObjective {
        title: "Phishing click rate below 5%",
        description: "Fewer employees fall for simulated phishing e-mails.",
        target: "5",
        unit: "%",
        owner: "Priya Raman",
        due_in: 120,
        evaluation: "Monthly phishing simulation across all staff.",
        plan: "Monthly simulations, a two-minute lesson for everyone who clicks, and a report button in every mail client.",
        resources: "Simulation platform licence; two hours a month of the security officer.",
        direction: Direction::AtMost,
        values: [
            14.2, 13.1, 12.5, 11.0, 10.4, 9.1, 8.3, 7.6, 6.9, 6.1, 5.2, 4.6,
        ],
    },
    SampleObjective {
        title: "Critical patches applied within 14 days",
        description: "Share of critical security patches installed within two weeks of release.",
        target: "95",
        unit: "%",
        owner: "Lukas Brandt",
        due_in: 60,
        evaluation: "Patch report from the endpoint management tool, first Monday of each month.",
        plan: "Automatic patch rings for laptops and servers; a monthly exception review.",
        resources: "Endpoint management licences; 0.2 FTE in IT operations.",
        direction: Direction::AtLeast,
        values: [
            71.0, 74.0, 73.0, 78.0, 80.0, 82.0, 81.0, 84.0, 86.0, 87.0, 88.0, 89.0,
        ],
    },
    SampleObjective {
        title: "Security awareness training completed",
        description: "Everyone in scope has completed this year's awareness training.",
        target: "100",
        unit: "%",
        owner: "Sofia Marquez",
        due_in: 90,
        evaluation: "Training records per department, reviewed quarterly.",
        plan: "A 30-minute online course for all staff and a live session for managers.",
        resources: "E-learning platform; one hour per employee.",
        direction: Direction::AtLeast,
        values: [
            12.0, 20.0, 31.0, 40.0, 48.0, 55.0, 63.0, 70.0, 76.0, 82.0, 86.0, 90.0,
        ],
    },
    SampleObjective {
        title: "Security incidents resolved within 48 hours",
        description: "Mean time to resolve security incidents of medium or high severity.",
        target: "48",
        unit: "hours",
        owner: "Lukas Brandt",
        due_in: 150,
        evaluation: "Incident tickets closed in the month, mean time from report to resolution.",
        plan: "On-call rota for security incidents and playbooks for the five most common cases.",
        resources: "On-call allowance; playbook writing time of the incident manager.",
        direction: Direction::AtMost,
        values: [
            74.0, 70.0, 66.0, 69.0, 61.0, 58.0, 55.0, 52.0, 50.0, 47.0, 45.0, 42.0,
        ],
    },
    SampleObjective {
        title: "Suppliers with a signed security agreement",
        description: "Share of critical suppliers that signed our security requirements.",
        target: "90",
        unit: "%",
        owner: "Martin Kessler",
        due_in: 45,
        evaluation: "Supplier register, reviewed at each management review.",
        plan: "Add the security annex to every renewal; chase the remaining critical suppliers.",
        resources: "Procurement time; legal review of the annex.",
        direction: Direction::AtLeast,
        values: [
            52.0, 55.0, 55.0, 58.0, 60.0, 60.0, 61.0, 60.0, 62.0, 61.0, 60.0, 60.0,
        ],
    },
    SampleObjective {
        title: "Backups restored successfully in tests",
        description: "Monthly restore tests of the booking platform succeed.",
        target: "100",
        unit: "%",
        owner: "Lukas Brandt",
        due_in: 200,
        evaluation: "Restore test log, signed off by IT operations.",
        plan: "A restore test of one system every month, rotating through all critical systems.",
        resources: "Test environment; four hours a month.",
        direction: Direction::AtLeast,
        values: [
            90.0, 100.0, 100.0, 95.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0,
        ],
    },
    SampleObjective {
        title: "Privileged accounts reviewed every quarter",
        description: "Administrator accounts confirmed by their owners each quarter.",
        target: "100",
        unit: "%",
        owner: "Jonas Weber",
        due_in: 75,
        evaluation: "Quarterly access review report.",
        plan: "Quarterly review with each system owner; remove accounts not confirmed within a week.",
        resources: "Identity management reports; one day per quarter.",
        direction: Direction::AtLeast,
        values: [
            60.0, 62.0, 75.0, 75.0, 78.0, 85.0, 85.0, 88.0, 92.0, 92.0, 94.0, 96.0,
        ],
    },
    SampleObjective {
        title: "Risk treatment actions closed on time",
        description: "Share of risk treatment actions closed by their due date.",
        target: "85",
        unit: "%",
        owner: "Jonas Weber",
        due_in: -20,
        evaluation: "Risk treatment plan status at each month's end.",
        plan: "Weekly follow-up of open actions with their owners; escalation to the COO after two missed dates.",
        resources: "Security officer time; risk owners' time.",
        direction: Direction::AtLeast,
        values: [
            58.0, 60.0, 63.0, 61.0, 65.0, 66.0, 68.0, 67.0, 70.0, 71.0, 70.0, 72.0,
        ],
    },
];

/// Six policies: title, kind, owner, status, review due (days from today), text.
const POLICIES: [(&str, PolicyKind, &str, PolicyStatus, i64, &str); 6] = [
    (
        "Information security policy",
        PolicyKind::InformationSecurity,
        "Claire Hoffmann",
        PolicyStatus::Published,
        200,
        "# Information security policy\n\nAlder & Finch moves other people's goods and data. Our customers trust us with both, and **protecting that information is part of every job here**.\n\n## Our commitments\n\n- We protect the confidentiality, integrity and availability of the information we hold.\n- We meet the legal, contractual and regulatory requirements that apply to us.\n- We set security objectives every year and review them at each management review.\n- We give the ISMS the people, time and budget it needs.\n\n## Responsibilities\n\nTop management owns this policy. The CISO runs the ISMS and reports on it. Every employee follows the policies that apply to their work and reports incidents at once.\n\n## Continual improvement\n\nWe learn from incidents, audits and reviews, and improve the ISMS continually.",
    ),
    (
        "Access control policy",
        PolicyKind::TopicSpecific,
        "Jonas Weber",
        PolicyStatus::Approved,
        -15,
        "# Access control policy\n\nAccess to information is granted on a **need-to-know** basis and removed when it is no longer needed.\n\n## Rules\n\n1. Every account belongs to one named person.\n2. Administrator rights are requested, approved by the system owner, and reviewed every quarter.\n3. Multi-factor authentication is required for e-mail, remote access and every administrator account.\n4. Leavers lose all access on their last working day.",
    ),
    (
        "Acceptable use policy",
        PolicyKind::TopicSpecific,
        "Sofia Marquez",
        PolicyStatus::Published,
        120,
        "# Acceptable use policy\n\nCompany devices and accounts are provided for work. Reasonable personal use is allowed when it does not put company information at risk.\n\n- Lock your screen when you leave your desk.\n- Do not install software that IT has not approved.\n- Report lost or stolen devices to the service desk *immediately*.",
    ),
    (
        "Supplier security policy",
        PolicyKind::TopicSpecific,
        "Martin Kessler",
        PolicyStatus::InReview,
        300,
        "# Supplier security policy\n\nSuppliers that handle our information or run our systems must protect it at least as well as we do.\n\n## Before signing\n\nCritical suppliers complete our security questionnaire and sign the security annex.\n\n## During the contract\n\nWe review critical suppliers every year and after any incident that affects us.",
    ),
    (
        "Backup and restore policy",
        PolicyKind::TopicSpecific,
        "Lukas Brandt",
        PolicyStatus::Draft,
        365,
        "# Backup and restore policy\n\nBackups of the booking platform are taken every night, kept for 35 days, and stored in a second region.\n\nA restore of one critical system is tested every month.",
    ),
    (
        "Incident response policy",
        PolicyKind::TopicSpecific,
        "Lukas Brandt",
        PolicyStatus::Published,
        -40,
        "# Incident response policy\n\nEvery suspected security incident is reported to the service desk at once, by phone or with the report button.\n\n## Severity\n\n- **High**: customer data exposed or the booking platform unavailable. The incident manager informs the CEO within one hour.\n- **Medium**: one system or team affected.\n- **Low**: no impact on customers.\n\nAfter every high-severity incident we hold a review and record the lessons learnt.",
    ),
];

/// Four training programmes: topic, audience role indexes (empty: everyone),
/// recurrence in months, mandatory, target %, sessions (days ago, attendee indexes).
type SampleProgramme = (
    &'static str,
    &'static [usize],
    &'static str,
    bool,
    &'static str,
    &'static [(i64, &'static [usize])],
);

const PROGRAMMES: [SampleProgramme; 4] = [
    (
        "Security awareness essentials",
        &[],
        "12",
        true,
        "95",
        &[(200, &[0, 1, 2, 3, 4, 5, 6]), (90, &[7, 8, 9, 10])],
    ),
    (
        "Phishing: how to spot and report it",
        &[],
        "6",
        true,
        "90",
        &[(60, &[0, 2, 3, 4, 5, 7, 8, 9])],
    ),
    (
        "Leadership in the ISMS",
        &[0],
        "",
        true,
        "100",
        &[(150, &[0, 1])],
    ),
    (
        "Incident response drill",
        &[1, 8],
        "12",
        false,
        "",
        &[(30, &[3, 5])],
    ),
];

/// The competence each kind of role needs (clause 7.2 a).
fn role_competence(kind: &RoleKind) -> &'static str {
    match kind {
        RoleKind::TopManagement => {
            "Understands the ISMS and its obligations; has completed the leadership programme."
        }
        RoleKind::Ciso => {
            "A security management qualification (CISSP, CISM or ISO/IEC 27001 Lead Implementer) and five years in security."
        }
        RoleKind::SecurityOfficer => {
            "ISO/IEC 27001 foundation or equivalent; risk assessment experience."
        }
        RoleKind::InternalAuditor => {
            "ISO/IEC 27001 internal or lead auditor training; independent of the audited areas."
        }
        _ => "",
    }
}

/// Which points of clause 7.3 a sample programme covers, and how its
/// effectiveness is evaluated, by topic.
fn programme_awareness(topic: &str, date: &dyn Fn(i64) -> String) -> ProgrammeDraft {
    match topic {
        "Security awareness essentials" => ProgrammeDraft {
            covers_policy: true,
            covers_contribution: true,
            covers_consequences: true,
            effectiveness_method: "A ten-question quiz at the end; pass mark 80%.".to_owned(),
            effectiveness_result: "Average score 88%; two people retook it and passed.".to_owned(),
            effectiveness_checked: date(-85),
            ..ProgrammeDraft::default()
        },
        "Phishing: how to spot and report it" => ProgrammeDraft {
            covers_contribution: true,
            effectiveness_method: "Quarterly phishing simulation: click and report rates."
                .to_owned(),
            effectiveness_result: "Click rate fell from 14% to 6%; reports rose to 41%.".to_owned(),
            effectiveness_checked: date(-20),
            ..ProgrammeDraft::default()
        },
        "Leadership in the ISMS" => ProgrammeDraft {
            covers_policy: true,
            covers_consequences: true,
            effectiveness_method:
                "Reviewed at the next management review: were decisions taken on evidence?"
                    .to_owned(),
            ..ProgrammeDraft::default()
        },
        _ => ProgrammeDraft::default(),
    }
}

/// Competence records: person, kind, what, evidence, days ago, verified by, role met.
type SampleCompetence = (
    usize,
    CompetenceKind,
    &'static str,
    &'static str,
    i64,
    Option<usize>,
    usize,
);

const COMPETENCE: [SampleCompetence; 4] = [
    (
        3,
        CompetenceKind::Certification,
        "CISSP",
        "Certificate no. 604 118, in the HR file",
        900,
        Some(6),
        1,
    ),
    (
        4,
        CompetenceKind::Training,
        "ISO/IEC 27001 Foundation",
        "Course certificate, in the HR file",
        400,
        Some(3),
        2,
    ),
    (
        0,
        CompetenceKind::Training,
        "Leadership in the ISMS",
        "Attendance list of the session",
        150,
        Some(3),
        0,
    ),
    (
        9,
        CompetenceKind::Training,
        "ISO/IEC 27001 Internal Auditor course",
        "Course certificate, to be filed",
        60,
        None,
        5,
    ),
];

/// Communications: subject, audience, channel, by, days from today, and
/// the policy, role and objective it is about.
type SampleCommunication = (
    &'static str,
    &'static str,
    Channel,
    usize,
    i64,
    Option<usize>,
    Option<usize>,
    Option<usize>,
);

const COMMUNICATIONS: [SampleCommunication; 4] = [
    (
        "The new information security policy",
        "All staff",
        Channel::Email,
        0,
        -170,
        Some(0),
        None,
        None,
    ),
    (
        "This year's security objectives",
        "Department heads",
        Channel::Meeting,
        3,
        -120,
        None,
        Some(4),
        Some(0),
    ),
    (
        "How to report a security incident",
        "All staff",
        Channel::Intranet,
        4,
        -45,
        Some(1),
        None,
        None,
    ),
    (
        "Security results for the quarter",
        "Top management",
        Channel::Meeting,
        3,
        14,
        None,
        Some(0),
        None,
    ),
];

/// Budget lines: category, description, requested, spent, approved amount.
const BUDGET: [(&str, &str, &str, &str, Option<&str>); 5] = [
    (
        "Tools and licences",
        "Endpoint detection and patch management",
        "48000",
        "31200",
        Some("45000"),
    ),
    (
        "Training",
        "Awareness platform and manager sessions",
        "12000",
        "7450",
        Some("12000"),
    ),
    (
        "Certification",
        "Stage 1 and stage 2 audits",
        "18500",
        "0",
        Some("18500"),
    ),
    (
        "Consulting",
        "ISO/IEC 27001 implementation support",
        "25000",
        "16800",
        Some("20000"),
    ),
    (
        "Testing",
        "Penetration test of the booking platform",
        "15000",
        "0",
        None,
    ),
];

/// People time per role index: FTE, note.
const FTE: [(usize, &str, &str); 4] = [
    (1, "1", "Full time"),
    (2, "1", "Full time"),
    (5, "0.2", "One day a week"),
    (8, "0.3", "On-call rota shared with IT operations"),
];

/// A past management review of the sample, chaired by the chief executive:
/// its day, minutes, a note on each input (a) to (g), its decisions and
/// the actions it raised.
struct SampleReview {
    /// Days from today (negative: in the past).
    days: i64,
    minutes: &'static str,
    /// The notes on inputs (a) to (g), in order.
    notes: [&'static str; 7],
    /// Kind, what was decided, and the inputs it answers.
    decisions: [(DecisionKind, &'static str, &'static [&'static str]); 2],
    /// Title, owner, due (days from today), and the decision it carries out
    /// (an index into `decisions`).
    actions: [(&'static str, &'static str, i64, usize); 3],
    /// Suitable, adequate, effective, and the conclusion in words.
    conclusion: (bool, bool, bool, &'static str),
}

/// Who attends the reviews besides the chair: the other two members of top
/// management, the CISO and the information security officer, who prepares
/// the pack and takes the minutes.
const REVIEW_ATTENDEES: [&str; 4] = [
    "Martin Kessler",
    "Aisha Okafor",
    "Jonas Weber",
    "Priya Raman",
];

/// The two past reviews: the first about thirteen months ago, when the
/// certification was decided; the second about five months ago, after the
/// move of the booking platform to the cloud. Their figures are the
/// objectives' measurements of the time.
const REVIEWS: [SampleReview; 2] = [
    SampleReview {
        days: -395,
        minutes: "Management review in the Hamburg office, 10:00 to 12:00: the first since the ISMS project started. Chair: Claire Hoffmann. Present: Martin Kessler, Aisha Okafor, Jonas Weber, Priya Raman. Minutes: Priya Raman.\n\nJonas Weber presented the gap assessment made with Oliver Grant (ISMS consultant) and the first risk assessment. Claire Hoffmann asked whether the gaps can be closed within a year. Jonas Weber: multi-factor sign-in and the supplier annex can; the continuity plan depends on the move of the booking platform to the cloud.\n\nMartin Kessler confirmed that the budget for tools and training can be found this year if the certification is decided now. Aisha Okafor asked for few objectives, measured monthly, so that the next review can see progress.\n\nThe review went through the seven inputs (notes on each), took two decisions and raised three actions. Next review after the move to the cloud, in about six months.",
        notes: [
            "The first management review of the ISMS: there are no actions from earlier reviews. The findings of the gap assessment are tracked in the risk treatment plan (input f).",
            "External: two large customers (a retailer and a pharmaceutical distributor) will require ISO/IEC 27001 certification in their tenders from next year, and the NIS2 transposition is expected to bring freight forwarders of our size into scope. Internal: the booking platform moves from the Hamburg server room to a cloud region within the year; the Rotterdam office has grown from 9 to 15 people.",
            "Customers now send a security questionnaire with every tender and ask to be told of a breach within 24 hours. The cyber insurer will require multi-factor sign-in on all remote access at the next renewal. The works council asked to be consulted before any monitoring of staff devices.",
            "No internal audit yet, and no objectives measured yet. Four security incidents in six months, two of medium severity (a lost laptop; a shipping manifest sent to the wrong customer), resolved in 74 hours on average. Phishing simulation baseline: 14% clicked. Critical patches installed within 14 days: about 70%. One of six restore tests of the booking database failed (retention set wrongly).",
            "Two customer questionnaires passed with remarks on supplier management. The insurer's assessment flagged remote access without a second factor. In the staff survey the password rules were the most named burden.",
            "First risk assessment done: 38 risks, 9 above the acceptance criteria. Highest: ransomware on the booking platform, a supplier compromised through the customs broker interface, phishing of the finance team. The risk owners approved the treatment plan; 3 of its 14 actions are done.",
            "Automatic patch rings for laptops; a report button for phishing e-mails; a security annex for supplier contracts; one identity provider for multi-factor sign-in on every system.",
        ],
        decisions: [
            (
                DecisionKind::Change,
                "Seek ISO/IEC 27001 certification for the booking platform, customer and shipment data, and the Hamburg and Rotterdam offices, with the stage 1 audit within eighteen months. Close first the gaps that customers and the cyber insurer named.",
                &["b", "c", "e", "f"],
            ),
            (
                DecisionKind::Improvement,
                "Adopt eight information security objectives for the coming year (phishing, patching, awareness, incident resolution, supplier agreements, restore tests, privileged access, risk treatment), measured monthly and reported to each management review.",
                &["d", "g"],
            ),
        ],
        actions: [
            (
                "Enforce multi-factor sign-in for all remote access",
                "Lukas Brandt",
                -200,
                0,
            ),
            (
                "Add the security annex to the supplier contract and send it to the twenty critical suppliers",
                "Martin Kessler",
                -270,
                1,
            ),
            (
                "Write and test a continuity plan for the booking platform",
                "Aisha Okafor",
                -250,
                0,
            ),
        ],
        conclusion: (
            true,
            false,
            false,
            "The ISMS is suitable for the scope the certification will cover. It is not yet adequate or effective: multi-factor sign-in, supplier agreements and a continuity plan are missing, and no objective is measured yet. The decisions and actions above address these gaps; the next review checks them.",
        ),
    },
    SampleReview {
        days: -160,
        minutes: "Management review in the Rotterdam office and online, 14:00 to 16:30; held seven weeks later than planned, after the move of the booking platform to the cloud region. Chair: Claire Hoffmann. Present: Martin Kessler, Aisha Okafor, Jonas Weber, Priya Raman. Minutes: Priya Raman.\n\nPriya Raman presented the pack: the actions of the last review, the first months of measurements, and the internal audit of clauses 4 to 7. Tomasz Zieliński's two minor findings were discussed; both have a corrective action.\n\nMartin Kessler reported that eight critical suppliers have not signed the annex, two of them because of its liability clause. Claire Hoffmann asked for a shorter annex rather than exceptions. Aisha Okafor explained the continuity plan's delay: the failover could only be tested after the move.\n\nThe review agreed to meet every six months until the certification audit.",
        notes: [
            "Multi-factor sign-in is enforced for all remote access, ten days early, and the supplier annex went to all twenty critical suppliers, twelve of whom signed. The continuity plan is late: it is drafted, but its failover test had to wait for the move to the cloud region. Aisha Okafor asks for a new due date after the test.",
            "The booking platform now runs in the cloud region and the Hamburg server room is being emptied. Under the draft national NIS2 law Alder & Finch would be an important entity; registration is expected next year. A new customs data partner was connected.",
            "Both large customers confirmed certification as a condition of renewal. The cyber insurer accepted the multi-factor evidence and lowered the premium. The works council agreed the notice on device monitoring.",
            "Phishing clicks fell from 14% to 9%; critical patches within 14 days rose to 82% (target 95%); incidents took 58 hours on average to resolve (target 48); supplier agreements are stuck at 60% (target 90%); restore tests fully succeeded in four of the six months measured. First internal audit (Tomasz Zieliński, clauses 4 to 7): two minor nonconformities, the risk owners' acceptance of residual risks not recorded, and awareness records incomplete.",
            "One customer complained that we told them late of a manifest sent to the wrong address (no personal data in it). The insurer's assessor found no major gaps. Staff like the phishing report button: a third of the simulated e-mails are now reported.",
            "Risk assessment repeated after the move: 41 risks, 6 above the acceptance criteria (9 at the last review). Immutable backups lowered the ransomware risk; a compromised supplier is now the highest risk. Risk treatment actions closed on time: 66% (target 85%).",
            "Run the quarterly access review through the identity provider; replace the supplier questionnaire with a supplier portal; join the logistics sector's information-sharing group.",
        ],
        decisions: [
            (
                DecisionKind::Change,
                "Hold management reviews every six months until the certification audit. Give the continuity plan a new due date after its failover test in the cloud region, and escalate risk treatment actions to the COO after two missed dates.",
                &["a", "b", "f"],
            ),
            (
                DecisionKind::Resources,
                "Fund a penetration test of the booking platform in this year's budget, and give procurement and the people team the time to close the supplier and awareness gaps before the stage 1 audit.",
                &["c", "d", "e", "g"],
            ),
        ],
        actions: [
            (
                "Record the risk owners' acceptance of residual risks (internal audit finding 1)",
                "Jonas Weber",
                -120,
                0,
            ),
            (
                "Get the security annex signed by the eight critical suppliers still missing",
                "Martin Kessler",
                -30,
                1,
            ),
            (
                "Complete the awareness training records for everyone in scope (internal audit finding 2)",
                "Sofia Marquez",
                45,
                1,
            ),
        ],
        conclusion: (
            true,
            true,
            false,
            "The ISMS remains suitable and, with the funding decided, adequate. It is not yet fully effective: supplier agreements are stuck at 60% and risk treatment actions close late. The two internal audit findings are being corrected. The ISMS can go to the stage 1 audit once the open actions are closed.",
        ),
    },
];

/// Progress on the reviews' actions, oldest first, recorded by their
/// owners: review index, action index, days from today, status, note.
const ACTION_UPDATES: [(usize, usize, i64, ActionStatus, &str); 8] = [
    (
        0,
        1,
        -330,
        ActionStatus::InProgress,
        "Legal approved the annex; the contract template includes it.",
    ),
    (
        0,
        1,
        -285,
        ActionStatus::Done,
        "Annex sent to all twenty critical suppliers; twelve have signed. The rest are followed up under the suppliers objective.",
    ),
    (
        0,
        0,
        -260,
        ActionStatus::InProgress,
        "Identity provider chosen; pilot with IT operations and finance.",
    ),
    (
        0,
        2,
        -240,
        ActionStatus::InProgress,
        "Plan drafted with IT operations. The failover test waits for the move to the cloud region.",
    ),
    (
        0,
        0,
        -210,
        ActionStatus::Done,
        "Every remote sign-in asks for a second factor (identity provider report); the last two service accounts use keys.",
    ),
    (
        1,
        0,
        -130,
        ActionStatus::Done,
        "Acceptance recorded and signed by the risk owners for all 41 risks in the register.",
    ),
    (
        1,
        1,
        -75,
        ActionStatus::InProgress,
        "Still twelve of twenty signed: two suppliers refuse the liability clause. Legal is drafting a shorter annex.",
    ),
    (
        0,
        2,
        -50,
        ActionStatus::InProgress,
        "Failover test in the cloud region passed: the platform was back in 3 h 40 min against a 4-hour target. The plan is being revised with the test's findings.",
    ),
];

/// The continuity plan's new due date, days from today, given by the
/// second review (its first decision): after the failover test.
const CONTINUITY_PLAN_DUE: i64 = 14;

/// The next review, planned this many days ahead and not held yet.
const NEXT_REVIEW_IN: i64 = 21;

/// Creates the sample workspace as `author`, with dates relative to `now`,
/// in one go ([`SampleBuild`] takes it step by step).
pub fn sample_workspace(author: &str, now: Millis) -> Result<WorkspaceDoc, CommandError> {
    let mut build = SampleBuild::start(author, now)?;
    while !build.is_done() {
        build.advance()?;
    }
    Ok(build.finish())
}

/// The sample being built, one step at a time, so a page can show how far
/// it has got between steps.
///
/// The policies, each objective, the training and the budget are written by
/// the ordinary commands into their own copies of the small starting
/// document (the workspace with its people and roles), and the copies are
/// merged at the end. Automerge's cost of writing one value grows with the
/// size of the document: written into one document in turn, each area paid
/// for the policy texts and measurements before it, and the sample took
/// 1.5 s to open in the browser (issue 11, point 16); merging is a bulk
/// operation and cheap. Each copy edits under an actor of its own, all
/// named `author`; each of the sample's people acts in one copy only (or
/// after the merge), so their sequence numbers never clash.
pub struct SampleBuild {
    /// The workspace with its people and roles; the areas are merged into it.
    doc: WorkspaceDoc,
    /// The areas (and objectives) built so far, each in its own copy of `doc`.
    parts: Vec<WorkspaceDoc>,
    author: String,
    /// The time the next change is made at; one millisecond per change.
    clock: Millis,
    today: i64,
    people: Vec<String>,
    roles: Vec<String>,
    policies: Vec<String>,
    objectives: Vec<String>,
    closed: String,
    programmes: Vec<String>,
    budget: Vec<String>,
    /// The draft version of the risk criteria.
    criteria: String,
    /// The scope version, not approved yet.
    scope_version: String,
    /// The review planned next.
    next_review: String,
    /// How many of [`SampleBuild::STEPS`] are done.
    done: usize,
}

impl SampleBuild {
    /// What each step writes, in plain words for a progress indicator; the
    /// first is done by [`SampleBuild::start`].
    pub const STEPS: [&'static str; 9] = [
        "People and roles",
        "Policies",
        "Objectives and a year of measurements",
        "Training",
        "Budget",
        "Context, risks, controls and audits",
        "Leadership commitment",
        "Management reviews",
        "Implementation plan",
    ];

    /// Creates the workspace with its people, roles and responsibilities:
    /// the first step.
    pub fn start(author: &str, now: Millis) -> Result<SampleBuild, CommandError> {
        let mut build = SampleBuild {
            doc: WorkspaceDoc::create(SAMPLE_ORGANISATION, SAMPLE_SCOPE, author, now - 1_000)?,
            parts: Vec::new(),
            author: author.to_owned(),
            clock: now - 1_000,
            today: day_of(now),
            people: Vec::new(),
            roles: Vec::new(),
            policies: Vec::new(),
            objectives: Vec::new(),
            closed: String::new(),
            programmes: Vec::new(),
            budget: Vec::new(),
            criteria: String::new(),
            scope_version: String::new(),
            next_review: String::new(),
            done: 0,
        };
        build.people_and_roles()?;
        build.done = 1;
        Ok(build)
    }

    /// How many steps are done, out of [`SampleBuild::STEPS`]'s length.
    pub fn steps_done(&self) -> usize {
        self.done
    }

    /// What the next step writes, if there is one left.
    pub fn next_step(&self) -> Option<&'static str> {
        Self::STEPS.get(self.done).copied()
    }

    /// Whether every step is done.
    pub fn is_done(&self) -> bool {
        self.done == Self::STEPS.len()
    }

    /// Runs the next step; does nothing once all are done.
    pub fn advance(&mut self) -> Result<(), CommandError> {
        match self.done {
            1 => self.in_own_copy(Self::policies)?,
            2 => self.in_own_copy(Self::objectives)?,
            3 => self.in_own_copy(Self::training)?,
            4 => self.in_own_copy(Self::budget)?,
            5 => self.in_own_copy(Self::context_risks_and_soa)?,
            6 => self.commitment()?,
            7 => self.reviews()?,
            8 => self.plan()?,
            _ => return Ok(()),
        }
        self.done += 1;
        Ok(())
    }

    /// The finished sample (or as much of it as is built).
    pub fn finish(self) -> WorkspaceDoc {
        self.doc
    }

    /// The time of the next change.
    fn tick(&mut self) -> Millis {
        self.clock += 1;
        self.clock
    }

    /// A date `days_from_today` away, as the forms write it.
    fn date(&self, days_from_today: i64) -> String {
        date_of((self.today + days_from_today) * DAY)
    }

    /// Runs `area` on a copy of the workspace as it was after the first
    /// step, and keeps the copy to merge at the end.
    fn in_own_copy(
        &mut self,
        area: fn(&mut SampleBuild, &mut WorkspaceDoc) -> Result<(), CommandError>,
    ) -> Result<(), CommandError> {
        let mut part = self.copy();
        area(self, &mut part)?;
        self.parts.push(part);
        Ok(())
    }

    /// A copy of the workspace as it is, editing under an actor of its own.
    fn copy(&mut self) -> WorkspaceDoc {
        WorkspaceDoc::from_automerge(self.doc.automerge().fork(), &self.author)
    }

    /// Twelve people, ten roles with their holders, and the RACI matrix.
    fn people_and_roles(&mut self) -> Result<(), CommandError> {
        for (name, title, email) in PEOPLE {
            let draft = PersonDraft {
                name: name.to_owned(),
                title: title.to_owned(),
                email: email.to_owned(),
            };
            let now = self.tick();
            let person = self.doc.add_person(&draft, now)?;
            self.people.push(person);
        }
        for (kind, responsibilities, authorities, holders) in roles() {
            let draft = RoleDraft {
                competence: role_competence(&kind).to_owned(),
                kind,
                responsibilities: responsibilities.to_owned(),
                authorities: authorities.to_owned(),
            };
            let now = self.tick();
            let role = self.doc.add_role(&draft, now)?;
            for &person in holders {
                let now = self.tick();
                self.doc
                    .set_role_holder(&role, &self.people[person], true, now)?;
            }
            self.roles.push(role);
        }
        for (activity, letters) in RACI {
            for &(role, letter) in letters {
                let now = self.tick();
                self.doc
                    .set_raci(activity, &self.roles[role], Some(letter), now)?;
            }
        }
        let now = self.tick();
        let suppliers = self.doc.add_activity("Supplier security reviews", now)?;
        let now = self.tick();
        self.doc
            .set_raci(&suppliers, &self.roles[4], Some(Raci::Responsible), now)?;
        Ok(())
    }

    /// Six policies; the approved ones approved by the chief executive and
    /// their readers recorded by the security officer.
    fn policies(&mut self, doc: &mut WorkspaceDoc) -> Result<(), CommandError> {
        for (title, kind, owner, status, review_in, text) in POLICIES {
            let draft = PolicyDraft {
                title: title.to_owned(),
                kind,
                owner: owner.to_owned(),
                review_due: self.date(review_in),
            };
            let id = doc.add_policy(&draft, text, self.tick())?;
            if status != PolicyStatus::Draft {
                doc.set_policy_status(&id, PolicyStatus::InReview, self.tick())?;
            }
            if matches!(status, PolicyStatus::Approved | PolicyStatus::Published) {
                let now = self.tick();
                as_person(doc, "Claire Hoffmann", |doc| {
                    doc.approve_policy(&id, &crate::workspace::policies::ATTESTS_5_2, now)
                })?;
                // The security officer records who has read it (the newest
                // joiner too, who has not been on the awareness course yet).
                let readers: Vec<(String, Millis)> = (0..6)
                    .chain(11..12)
                    .map(|person| (self.people[person].clone(), self.tick()))
                    .collect();
                as_person(doc, "Priya Raman", |doc| {
                    for (person, now) in &readers {
                        doc.acknowledge_policy(&id, 0, person, *now)?;
                    }
                    Ok(())
                })?;
            }
            if status == PolicyStatus::Published {
                doc.set_policy_status(&id, PolicyStatus::Published, self.tick())?;
            }
            self.policies.push(id);
        }
        Ok(())
    }

    /// Eight objectives with a year of monthly measurements, each in a copy
    /// of its own, and last year's, closed by its owner. Their plans name a
    /// policy, so they are written once the policies are merged
    /// ([`SampleBuild::commitment`]).
    fn objectives(&mut self, doc: &mut WorkspaceDoc) -> Result<(), CommandError> {
        for sample in &OBJECTIVES {
            let mut own = self.copy();
            let doc = &mut own;
            let owner = person_named(sample.owner);
            let draft = ObjectiveDraft {
                title: sample.title.to_owned(),
                description: sample.description.to_owned(),
                target: sample.target.to_owned(),
                unit: sample.unit.to_owned(),
                direction: Some(sample.direction),
                owner_id: self.people[owner].clone(),
                function: function_of(sample.owner).to_owned(),
                due: self.date(sample.due_in),
                evaluation: sample.evaluation.to_owned(),
                ..Default::default()
            };
            let id = doc.add_objective(&draft, self.tick())?;
            for (month, value) in sample.values.iter().enumerate() {
                let measurement = MeasurementDraft {
                    date: self.date(-30 * (11 - month as i64) - 2),
                    value: value.to_string(),
                    note: String::new(),
                };
                doc.add_measurement(&id, &measurement, self.tick())?;
            }
            self.objectives.push(id);
            self.parts.push(own);
        }
        // Last year's objective, closed with its evaluation: kept as evidence.
        let draft = ObjectiveDraft {
            title: "Multi-factor sign-in for all remote access".to_owned(),
            description: "Every remote sign-in asks for a second factor.".to_owned(),
            target: "100".to_owned(),
            unit: "%".to_owned(),
            direction: Some(Direction::AtLeast),
            owner_id: self.people[person_named("Lukas Brandt")].clone(),
            function: function_of("Lukas Brandt").to_owned(),
            due: self.date(-200),
            evaluation:
                "Share of remote sign-ins with a second factor, from the identity provider."
                    .to_owned(),
            ..Default::default()
        };
        let closed = doc.add_objective(&draft, self.tick())?;
        let measurement = MeasurementDraft {
            date: self.date(-210),
            value: "100".to_owned(),
            note: "Identity provider report".to_owned(),
        };
        doc.add_measurement(&closed, &measurement, self.tick())?;
        // Its owner closes it with the evaluation.
        let now = self.tick();
        as_person(doc, "Lukas Brandt", |doc| {
            doc.close_objective(
                &closed,
                &ClosingDraft {
                    status: Some(ObjectiveStatus::Achieved),
                    evaluation: "Reached ten days early. The last exceptions (two service accounts) were replaced by keys; kept under the quarterly access review.".to_owned(),
                },
                now,
            )
        })?;
        self.closed = closed;
        Ok(())
    }

    /// Four training programmes with their sessions and one person's
    /// evidence of competence.
    fn training(&mut self, doc: &mut WorkspaceDoc) -> Result<(), CommandError> {
        for (topic, audience, recurrence, mandatory, target, sessions) in PROGRAMMES {
            let draft = ProgrammeDraft {
                topic: topic.to_owned(),
                audience: if audience.is_empty() {
                    Audience::Everyone
                } else {
                    Audience::Roles(audience.iter().map(|&r| self.roles[r].clone()).collect())
                },
                recurrence_months: recurrence.to_owned(),
                mandatory,
                completion_target: target.to_owned(),
                ..programme_awareness(topic, &|days| self.date(days))
            };
            let id = doc.add_programme(&draft, self.tick())?;
            for &(days_ago, attendees) in sessions {
                let session = SessionDraft {
                    date: self.date(-days_ago),
                    end: String::new(),
                    attendees: attendees.iter().map(|&p| self.people[p].clone()).collect(),
                };
                doc.add_session(&id, &session, self.tick())?;
            }
            self.programmes.push(id);
        }
        let now = self.tick();
        doc.set_competence_evidence(
            &self.programmes[3],
            &self.people[3],
            "CISSP certificate; led the drill's debrief.",
            now,
        )
    }

    /// The budget lines, asked for by the CISO and approved by the chief
    /// financial officer, and the people time of four roles.
    fn budget(&mut self, doc: &mut WorkspaceDoc) -> Result<(), CommandError> {
        let year = self.date(0)[..4].to_owned();
        for (category, description, requested, spent, approved) in BUDGET {
            let draft = BudgetLineDraft {
                category: category.to_owned(),
                description: description.to_owned(),
                year: year.clone(),
                currency: "EUR".to_owned(),
                requested: requested.to_owned(),
                spent: spent.to_owned(),
            };
            let now = self.tick();
            let id = as_person(doc, "Jonas Weber", |doc| doc.add_budget_line(&draft, now))?;
            if let Some(amount) = approved {
                let approval = BudgetApprovalDraft {
                    amount: amount.to_owned(),
                    date: self.date(-100),
                };
                let now = self.tick();
                as_person(doc, "Martin Kessler", |doc| {
                    doc.approve_budget_line(&id, &approval, now)
                })?;
            }
            self.budget.push(id);
        }
        for (role, fte, note) in FTE {
            let draft = FteDraft {
                fte: fte.to_owned(),
                note: note.to_owned(),
            };
            let name = doc
                .role(&self.roles[role])?
                .map(|r| r.kind.label().to_owned())
                .unwrap_or_default();
            let now = self.tick();
            doc.set_fte(&self.roles[role], &name, &draft, now)?;
        }
        Ok(())
    }

    /// Merges the areas, gives each objective its plan (which names a
    /// policy), and records the evidence and confirmations of clause 5.1.
    /// Competence records (verified by the CISO or the head of people; the
    /// internal auditor's not yet), communications, and where the policy
    /// may be read; after the merge, as they name records of every area.
    fn competence_and_communication(&mut self) -> Result<(), CommandError> {
        for (person, kind, summary, evidence, days_ago, verifier, role) in COMPETENCE {
            let draft = CompetenceDraft {
                person: self.people[person].clone(),
                kind,
                summary: summary.to_owned(),
                evidence: evidence.to_owned(),
                date: self.date(-days_ago),
                verified_by: verifier.map(|v| self.people[v].clone()).unwrap_or_default(),
                roles: vec![self.roles[role].clone()],
            };
            let now = self.tick();
            as_person(&mut self.doc, "Sofia Marquez", |doc| {
                doc.add_competence(&draft, now)
            })?;
        }
        for (subject, audience, channel, by, days, policy, role, objective) in COMMUNICATIONS {
            let draft = CommunicationDraft {
                subject: subject.to_owned(),
                message: String::new(),
                date: self.date(days),
                audience: audience.to_owned(),
                channel,
                by: self.people[by].clone(),
                policies: policy
                    .map(|p| self.policies[p].clone())
                    .into_iter()
                    .collect(),
                roles: role.map(|r| self.roles[r].clone()).into_iter().collect(),
                objectives: objective
                    .map(|o| self.objectives[o].clone())
                    .into_iter()
                    .collect(),
            };
            let now = self.tick();
            self.doc.add_communication(&draft, now)?;
        }
        let now = self.tick();
        self.doc.set_policy_availability(
            &self.policies[0].clone(),
            true,
            "Published on the website and sent to customers on request",
            now,
        )
    }

    fn commitment(&mut self) -> Result<(), CommandError> {
        // Each copy's own changes, all applied in one batch: cheaper than
        // merging the copies one by one, which compares whole histories.
        let base = self.doc.automerge().get_heads();
        let changes: Vec<automerge::Change> = std::mem::take(&mut self.parts)
            .iter_mut()
            .flat_map(|part| part.automerge().get_changes(&base))
            .collect();
        self.doc.automerge().apply_changes(changes)?;
        self.competence_and_communication()?;
        let analyst = self.people[person_named("Jonas Weber")].clone();
        for (sample, id) in OBJECTIVES.iter().zip(self.objectives.clone()) {
            let owner = person_named(sample.owner);
            let plan = ObjectivePlanDraft {
                plan: sample.plan.to_owned(),
                resources: sample.resources.to_owned(),
                policy_id: self.policies[0].clone(),
                monitor_months: "1".to_owned(),
                measured_by: self.people[owner].clone(),
                analysed_by: analyst.clone(),
            };
            let now = self.tick();
            self.doc.edit_objective_plan(&id, &plan, now)?;
        }
        let evidence: [(Duty, &str); 8] = [
            (Duty::A, &self.policies[0]),
            (Duty::A, &self.objectives[0]),
            (Duty::B, &self.policies[1]),
            (Duty::C, &self.budget[0]),
            (Duty::D, &self.programmes[2]),
            (Duty::E, &self.objectives[3]),
            (Duty::F, &self.roles[1]),
            (Duty::G, &self.objectives[7]),
        ];
        let evidence: Vec<(Duty, String)> = evidence
            .into_iter()
            .map(|(duty, record)| (duty, record.to_owned()))
            .collect();
        for (duty, record) in evidence {
            let now = self.tick();
            self.doc.set_duty_evidence(duty, &record, true, now)?;
        }
        let confirmed: Vec<(Duty, Millis)> = [Duty::A, Duty::B, Duty::C, Duty::D, Duty::F]
            .into_iter()
            .map(|duty| (duty, self.tick()))
            .collect();
        as_person(&mut self.doc, "Claire Hoffmann", |doc| {
            for (duty, now) in confirmed {
                doc.confirm_duty(duty, true, now)?;
            }
            Ok(())
        })
    }

    /// Runs `command` as the sample person called `name`, at the time of the
    /// next change.
    fn act<T>(
        &mut self,
        name: &str,
        command: impl FnOnce(&mut WorkspaceDoc, Millis) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let now = self.tick();
        as_person(&mut self.doc, name, |doc| command(doc, now))
    }

    /// Two past management reviews, chaired by the chief executive, with
    /// their packs, notes, decisions and actions, the actions' progress
    /// since, the six-monthly interval the second one decided, and the next
    /// review planned three weeks ahead, whose input (a) carries the open
    /// actions of both. The past ones are not signed: no browser of the
    /// chair holds a key. Written after the merge, as the chair and the
    /// security officer act in the policies' copy and after the merge too.
    fn reviews(&mut self) -> Result<(), CommandError> {
        const CHAIR: &str = "Claire Hoffmann";
        const SECRETARY: &str = "Priya Raman";
        // The workspace as merged, read once for the packs' summaries; the
        // reviews and actions written here are added to it as they change.
        let mut ws = self.doc.read()?;
        let draft = ReviewDraft {
            date: String::new(),
            chair: self.people[person_named(CHAIR)].clone(),
            attendees: REVIEW_ATTENDEES
                .iter()
                .map(|name| self.people[person_named(name)].clone())
                .collect(),
        };
        let mut raised: Vec<Vec<String>> = Vec::new();
        let mut held: Vec<String> = Vec::new();
        let mut updates = ACTION_UPDATES.iter().peekable();
        for sample in &REVIEWS {
            // The progress on earlier actions made before this review.
            while let Some(update) = updates.next_if(|u| u.2 < sample.days) {
                self.update_action(&raised, update)?;
            }
            let date = self.date(sample.days);
            let planned = ReviewDraft {
                date: date.clone(),
                ..draft.clone()
            };
            let id = self.act(CHAIR, |doc, now| doc.plan_review(&planned, now))?;
            // The meeting's decisions, actions and conclusion, recorded by
            // the chair.
            let mut decisions = Vec::new();
            for (kind, text, inputs) in sample.decisions {
                let decided = DecisionDraft {
                    text: text.to_owned(),
                    kind,
                    inputs: inputs.iter().map(|l| (*l).to_owned()).collect(),
                };
                decisions.push(self.act(CHAIR, |doc, now| doc.add_decision(&id, &decided, now))?);
            }
            let mut actions = Vec::new();
            for (title, owner, due, decision) in sample.actions {
                let action = ActionDraft {
                    title: title.to_owned(),
                    owner: self.people[person_named(owner)].clone(),
                    due: self.date(due),
                    decision: decisions[decision].clone(),
                };
                actions.push(self.act(CHAIR, |doc, now| doc.add_action(&id, &action, now))?);
            }
            let (suitable, adequate, effective, statement) = sample.conclusion;
            let conclusion = Conclusion {
                suitable: Some(suitable),
                adequate: Some(adequate),
                effective: Some(effective),
                statement: statement.to_owned(),
            };
            self.act(CHAIR, |doc, now| doc.set_conclusion(&id, &conclusion, now))?;
            // The pack, from the workspace as it stood on the day (the
            // measurements taken by then, the earlier actions' states), and
            // the notes and minutes, by the security officer. Written after
            // the chair's records because every command on a review reads it
            // whole: with the pack and texts already in it, the chair's
            // commands made this step about 15 ms slower natively.
            if let Some(review) = self.doc.review(&id)? {
                ws.reviews.insert(id.clone(), review);
            }
            for action in raised.iter().flatten() {
                if let Some(record) = self.doc.action(action)? {
                    ws.actions.insert(action.clone(), record);
                }
            }
            let summaries = summarise_inputs(&as_of(&ws, &date), &id, &date);
            self.act(SECRETARY, |doc, now| {
                doc.prepare_review(&id, summaries, now)
            })?;
            for (input, note) in Input::ALL.into_iter().zip(sample.notes) {
                self.act(SECRETARY, |doc, now| {
                    doc.splice_review_text(&id, input.notes_field(), 0, 0, note, now)
                })?;
            }
            self.act(SECRETARY, |doc, now| {
                doc.splice_review_text(&id, "minutes", 0, 0, sample.minutes, now)
            })?;
            raised.push(actions);
            held.push(id);
        }
        // Two ideas of the second review's input (g), in the improvement
        // log with the review they came from.
        if let Some(review) = held.last() {
            let ideas = [
                (
                    "Replace the supplier questionnaire with a supplier portal.",
                    ImprovementStatus::Proposed,
                ),
                (
                    "Join the logistics sector's information-sharing group.",
                    ImprovementStatus::UnderWay,
                ),
            ];
            for (text, status) in ideas {
                let idea = ImprovementDraft {
                    text: text.to_owned(),
                    source: Source::Review(review).field(),
                    suggested_by: String::new(),
                };
                // Proposed at the review itself, not when the sample is built.
                let at = (self.today + REVIEWS[REVIEWS.len() - 1].days) * DAY + 15 * HOUR;
                let logged = as_person(&mut self.doc, SECRETARY, |doc| {
                    doc.add_improvement(&idea, at)
                })?;
                if status != ImprovementStatus::Proposed {
                    self.act(SECRETARY, |doc, now| {
                        doc.set_improvement_status(&logged, status, "", now)
                    })?;
                }
            }
        }
        // What the second review decided: the continuity plan's new due
        // date, and a review every six months.
        let (title, owner, _, _) = REVIEWS[0].actions[2];
        let replanned = ActionDraft {
            title: title.to_owned(),
            owner: self.people[person_named(owner)].clone(),
            due: self.date(CONTINUITY_PLAN_DUE),
            decision: String::new(),
        };
        let continuity = raised[0][2].clone();
        self.act(CHAIR, |doc, now| {
            doc.edit_action(&continuity, &replanned, now)
        })?;
        self.act(CHAIR, |doc, now| doc.set_review_interval(Some(6), now))?;
        for update in updates {
            self.update_action(&raised, update)?;
        }
        // The next review, with the same chair and attendees.
        let next = ReviewDraft {
            date: self.date(NEXT_REVIEW_IN),
            ..draft
        };
        self.next_review = self.act(CHAIR, |doc, now| doc.plan_review(&next, now))?;
        Ok(())
    }

    /// Records one of [`ACTION_UPDATES`] as the action's owner; `raised`
    /// holds the actions' ids by review.
    fn update_action(
        &mut self,
        raised: &[Vec<String>],
        &(review, action, days, status, note): &(usize, usize, i64, ActionStatus, &str),
    ) -> Result<(), CommandError> {
        let update = ActionUpdateDraft {
            status,
            note: note.to_owned(),
            date: self.date(days),
        };
        let today = self.date(0);
        let id = &raised[review][action];
        let owner = REVIEWS[review].actions[action].1;
        self.act(owner, |doc, now| {
            doc.update_action(id, &update, &today, now)
        })
    }
}

/// `ws` as it stood on `date`, for a review's pack: without the
/// measurements taken after it, so the figures are those of the day. (The
/// other records keep their state of today: the sample writes them all now.)
fn as_of(ws: &Workspace, date: &str) -> Workspace {
    let mut then = ws.clone();
    for objective in then.objectives.values_mut() {
        objective
            .measurements
            .retain(|_, m| m.date.as_str() <= date);
    }
    then
}

// ---------------------------------------------------------------------------
// Context, risks and the Statement of Applicability (issue 13).

/// Issues of the organisation's context (4.1): internal or external, the
/// issue, its effect on the ISMS, days ago it was reviewed.
const ISSUES: [(IssueKind, &str, &str, i64); 5] = [
    (
        IssueKind::External,
        "Large customers require ISO/IEC 27001 certification in their tenders.",
        "Certification is a condition of renewing the two largest contracts: the ISMS must be certified within eighteen months.",
        40,
    ),
    (
        IssueKind::External,
        "The national NIS2 law will make Alder & Finch an important entity.",
        "Registration, incident reporting within 24 hours and management's accountability for security measures.",
        40,
    ),
    (
        IssueKind::Internal,
        "The booking platform moved from the Hamburg server room to a cloud region.",
        "Availability now depends on the cloud provider; the continuity plan and supplier controls must cover it.",
        160,
    ),
    (
        IssueKind::Internal,
        "The Rotterdam office grew from 9 to 15 people in a year.",
        "Awareness training and access management must keep pace with new joiners.",
        160,
    ),
    (
        IssueKind::External,
        "Ransomware attacks on logistics companies in the region.",
        "Backups, network segmentation and incident response are tested before the peak season.",
        20,
    ),
];

/// A requirement of an interested party: text, kind, where the ISMS
/// addresses it (`None`: not yet).
type SampleRequirement = (&'static str, RequirementKind, Option<&'static str>);

/// Interested parties (4.2), each with its requirements.
const PARTIES: [(&str, &[SampleRequirement]); 4] = [
    (
        "Customers (retail and pharmaceutical distribution)",
        &[
            (
                "ISO/IEC 27001 certification of the booking platform and the offices.",
                RequirementKind::Contractual,
                Some("The implementation plan and the Statement of Applicability"),
            ),
            (
                "Notice of a security breach affecting their shipments within 24 hours.",
                RequirementKind::Contractual,
                Some("Incident management procedure, control 5.24"),
            ),
        ],
    ),
    (
        "Data protection authority",
        &[(
            "Personal data breaches notified within 72 hours (GDPR article 33).",
            RequirementKind::Legal,
            Some("Incident management procedure and the data protection officer's on-call rota"),
        )],
    ),
    (
        "Customs authority",
        &[(
            "Shipment declarations kept complete and unaltered for ten years.",
            RequirementKind::Regulatory,
            None,
        )],
    ),
    (
        "Cyber insurer",
        &[(
            "Multi-factor sign-in on all remote access; tested offline backups.",
            RequirementKind::Contractual,
            Some("Access control policy; controls 8.5 and 8.13"),
        )],
    ),
];

/// A treatment action of a sample risk: title, owner, resources, due (days
/// from today), done.
type SampleTreatment = (&'static str, &'static str, &'static str, i64, bool);

/// A risk of the sample register.
struct SampleRisk {
    title: &'static str,
    asset: &'static str,
    threat: &'static str,
    vulnerability: &'static str,
    /// Which of C, I, A it threatens, as letters.
    properties: &'static str,
    owner: &'static str,
    inherent: (u32, u32),
    residual: (u32, u32),
    treatment: TreatmentOption,
    controls: &'static [&'static str],
    /// Days from today it is to be assessed again.
    reassess_in: i64,
    actions: &'static [SampleTreatment],
}

/// Twenty-five risks: five residual levels above the threshold (6), one
/// not decided yet, some treatment actions done, some overdue, two
/// reassessments overdue.
const RISKS: [SampleRisk; 25] = [
    SampleRisk {
        title: "Ransomware encrypts the booking platform",
        asset: "Freight booking platform",
        threat: "Ransomware through a phishing e-mail or an exposed service",
        vulnerability: "Flat internal network; backups reachable from the office domain",
        properties: "IA",
        owner: "Lukas Brandt",
        inherent: (4, 5),
        residual: (2, 4),
        treatment: TreatmentOption::Modify,
        controls: &["8.7", "8.13", "8.22", "5.30"],
        reassess_in: 120,
        actions: &[
            (
                "Move the backups to immutable storage",
                "Lukas Brandt",
                "Storage subscription",
                -40,
                true,
            ),
            (
                "Separate the platform network from the office network",
                "Lukas Brandt",
                "Two weeks of the network engineer; firewall licences",
                -10,
                false,
            ),
        ],
    },
    SampleRisk {
        title: "Customer data exposed by a misconfigured cloud storage bucket",
        asset: "Customer and shipment data in the cloud",
        threat: "Public exposure through a configuration mistake",
        vulnerability: "No automated configuration checks",
        properties: "C",
        owner: "Daniel Novak",
        inherent: (3, 4),
        residual: (2, 3),
        treatment: TreatmentOption::Modify,
        controls: &["8.9", "5.23", "8.16"],
        reassess_in: 150,
        actions: &[(
            "Turn on the cloud provider's configuration scanner",
            "Daniel Novak",
            "Included in the cloud contract",
            30,
            false,
        )],
    },
    SampleRisk {
        title: "Stolen mailbox credentials after a phishing e-mail",
        asset: "E-mail and office accounts",
        threat: "Credential phishing",
        vulnerability: "Older mail clients sign in without a second factor",
        properties: "CI",
        owner: "Lukas Brandt",
        inherent: (4, 3),
        residual: (2, 3),
        treatment: TreatmentOption::Modify,
        controls: &["5.17", "8.5", "6.3"],
        reassess_in: 90,
        actions: &[(
            "Block the legacy mail protocols",
            "Lukas Brandt",
            "",
            -5,
            true,
        )],
    },
    SampleRisk {
        title: "Booking platform down after an outage of the cloud region",
        asset: "Freight booking platform",
        threat: "Loss of the hosting region",
        vulnerability: "The platform runs in a single region",
        properties: "A",
        owner: "Aisha Okafor",
        inherent: (3, 5),
        residual: (2, 5),
        treatment: TreatmentOption::Modify,
        controls: &["5.29", "5.30", "8.14"],
        reassess_in: 60,
        actions: &[(
            "Test the failover to the second region",
            "Lukas Brandt",
            "A weekend of the platform team",
            20,
            false,
        )],
    },
    SampleRisk {
        title: "Former employees keep their access",
        asset: "Accounts on every system",
        threat: "Misuse of access after leaving",
        vulnerability: "The leaver process depends on manual tickets",
        properties: "CI",
        owner: "Sofia Marquez",
        inherent: (3, 3),
        residual: (1, 3),
        treatment: TreatmentOption::Modify,
        controls: &["5.15", "5.18", "6.5"],
        reassess_in: 200,
        actions: &[(
            "Connect the HR system to the identity provider for leavers",
            "Lukas Brandt",
            "Integration licence",
            -20,
            false,
        )],
    },
    SampleRisk {
        title: "Breach at the customs broker exposes shipment data",
        asset: "Shipment data shared with the customs broker",
        threat: "Compromise of the supplier",
        vulnerability: "The older contract has no security clauses",
        properties: "C",
        owner: "Aisha Okafor",
        inherent: (3, 4),
        residual: (2, 3),
        treatment: TreatmentOption::Share,
        controls: &["5.19", "5.20", "5.22"],
        reassess_in: 90,
        actions: &[(
            "Add the security annex at the contract's renewal",
            "Martin Kessler",
            "",
            90,
            false,
        )],
    },
    SampleRisk {
        title: "Laptop lost or stolen while travelling",
        asset: "Staff laptops",
        threat: "Theft or loss",
        vulnerability: "Laptops are taken to customers and trade fairs",
        properties: "C",
        owner: "Lukas Brandt",
        inherent: (4, 2),
        residual: (4, 1),
        treatment: TreatmentOption::Modify,
        controls: &["8.1", "8.24", "7.9"],
        reassess_in: 250,
        actions: &[],
    },
    SampleRisk {
        title: "Known vulnerability in the booking platform exploited",
        asset: "Freight booking platform",
        threat: "Exploit of a published vulnerability",
        vulnerability: "Third-party libraries are updated once a quarter",
        properties: "CIA",
        owner: "Daniel Novak",
        inherent: (4, 4),
        residual: (3, 3),
        treatment: TreatmentOption::Modify,
        controls: &["8.8", "8.25", "8.28"],
        reassess_in: 45,
        actions: &[(
            "Update libraries weekly in the build pipeline",
            "Daniel Novak",
            "Two days of a developer",
            14,
            false,
        )],
    },
    SampleRisk {
        title: "Payment to a fraudster after a fake supplier invoice",
        asset: "Supplier payments",
        threat: "Invoice fraud by e-mail",
        vulnerability: "Changes of bank details were confirmed by e-mail only",
        properties: "I",
        owner: "Martin Kessler",
        inherent: (3, 4),
        residual: (1, 4),
        treatment: TreatmentOption::Modify,
        controls: &["5.14", "6.3"],
        reassess_in: 300,
        actions: &[(
            "Confirm every change of bank details by phone to a known number",
            "Martin Kessler",
            "",
            -60,
            true,
        )],
    },
    SampleRisk {
        title: "Personal data used beyond its purpose",
        asset: "Customer contact data",
        threat: "Use for marketing without a legal basis",
        vulnerability: "The marketing tool has no record of processing",
        properties: "C",
        owner: "Hannah Vogel",
        inherent: (2, 4),
        residual: (1, 4),
        treatment: TreatmentOption::Modify,
        controls: &["5.31", "5.34"],
        reassess_in: 180,
        actions: &[(
            "Complete the record of processing activities",
            "Hannah Vogel",
            "",
            45,
            false,
        )],
    },
    SampleRisk {
        title: "Fire or flooding at the Hamburg office",
        asset: "Hamburg office",
        threat: "Fire or water damage",
        vulnerability: "The remaining network equipment is in the basement",
        properties: "A",
        owner: "Aisha Okafor",
        inherent: (1, 4),
        residual: (1, 3),
        treatment: TreatmentOption::Retain,
        controls: &["7.5", "7.11"],
        reassess_in: 330,
        actions: &[],
    },
    SampleRisk {
        title: "A leaver copies the customer lists",
        asset: "Customer lists in the CRM",
        threat: "Data theft by an insider",
        vulnerability: "Exports from the CRM are not logged",
        properties: "C",
        owner: "Emma Lindqvist",
        inherent: (2, 4),
        residual: (2, 3),
        treatment: TreatmentOption::Modify,
        controls: &["8.12", "8.15"],
        reassess_in: 120,
        actions: &[(
            "Log and alert on bulk exports from the CRM",
            "Daniel Novak",
            "Three days of a developer",
            60,
            false,
        )],
    },
    SampleRisk {
        title: "Customer portal overwhelmed by a traffic flood",
        asset: "Customer portal",
        threat: "Distributed denial of service",
        vulnerability: "No filtering upstream of the portal",
        properties: "A",
        owner: "Lukas Brandt",
        inherent: (3, 3),
        residual: (2, 2),
        treatment: TreatmentOption::Share,
        controls: &["8.6", "8.20"],
        reassess_in: 200,
        actions: &[],
    },
    SampleRisk {
        title: "Backups cannot be restored in time",
        asset: "Backups of the booking platform",
        threat: "A failed restore during an incident",
        vulnerability: "Restores are not tested end to end",
        properties: "IA",
        owner: "Lukas Brandt",
        inherent: (3, 4),
        residual: (3, 4),
        treatment: TreatmentOption::Modify,
        controls: &["8.13"],
        reassess_in: 30,
        actions: &[(
            "Run a full restore test each quarter",
            "Lukas Brandt",
            "A day of the operations team each quarter",
            -3,
            false,
        )],
    },
    SampleRisk {
        title: "Malware on outdated warehouse scanners",
        asset: "Handheld scanners in the warehouses",
        threat: "Malware on devices without updates",
        vulnerability: "The vendor stopped updating the scanners",
        properties: "IA",
        owner: "Aisha Okafor",
        inherent: (3, 3),
        residual: (3, 2),
        treatment: TreatmentOption::Modify,
        controls: &["8.1", "8.19"],
        reassess_in: 150,
        actions: &[(
            "Replace the scanners out of support",
            "Aisha Okafor",
            "Capital budget for 40 devices",
            150,
            false,
        )],
    },
    SampleRisk {
        title: "Secrets published in a public code repository",
        asset: "Source code",
        threat: "Passwords or keys exposed publicly",
        vulnerability: "Commits were not scanned for secrets",
        properties: "C",
        owner: "Daniel Novak",
        inherent: (3, 4),
        residual: (1, 4),
        treatment: TreatmentOption::Modify,
        controls: &["8.4", "8.28"],
        reassess_in: 240,
        actions: &[(
            "Scan every commit for secrets",
            "Daniel Novak",
            "",
            -90,
            true,
        )],
    },
    SampleRisk {
        title: "Shipment documents shared through unapproved services",
        asset: "Shipment documents",
        threat: "Data kept outside the approved services",
        vulnerability: "No approved way to send large files",
        properties: "C",
        owner: "Jonas Weber",
        inherent: (4, 2),
        residual: (2, 2),
        treatment: TreatmentOption::Modify,
        controls: &["5.10", "5.14"],
        reassess_in: 180,
        actions: &[],
    },
    SampleRisk {
        title: "Account taken over by a caller posing as a customer",
        asset: "Customer accounts",
        threat: "Impersonation at the service desk",
        vulnerability: "Identity checks depend on the agent",
        properties: "CI",
        owner: "Emma Lindqvist",
        inherent: (3, 3),
        residual: (2, 3),
        treatment: TreatmentOption::Modify,
        controls: &["5.16", "6.3"],
        reassess_in: 120,
        actions: &[(
            "Script the identity checks for account changes",
            "Emma Lindqvist",
            "",
            10,
            false,
        )],
    },
    SampleRisk {
        title: "Platform know-how lost when key engineers leave",
        asset: "IT operations know-how",
        threat: "Departure of the two platform engineers",
        vulnerability: "Procedures are not written down",
        properties: "A",
        owner: "Lukas Brandt",
        inherent: (3, 3),
        residual: (2, 3),
        treatment: TreatmentOption::Modify,
        controls: &["5.37"],
        reassess_in: 200,
        actions: &[(
            "Write the operating procedures of the platform",
            "Lukas Brandt",
            "",
            75,
            false,
        )],
    },
    SampleRisk {
        title: "Logs deleted to hide an intrusion",
        asset: "Security logs",
        threat: "An intruder deletes the logs",
        vulnerability: "Logs are kept on the servers they describe",
        properties: "I",
        owner: "Jonas Weber",
        inherent: (2, 4),
        residual: (1, 4),
        treatment: TreatmentOption::Modify,
        controls: &["8.15", "8.16"],
        reassess_in: 160,
        actions: &[],
    },
    SampleRisk {
        title: "Intruder in the Rotterdam office",
        asset: "Rotterdam office",
        threat: "Unauthorised entry",
        vulnerability: "The building's entrance is shared",
        properties: "CA",
        owner: "Aisha Okafor",
        inherent: (2, 3),
        residual: (2, 2),
        treatment: TreatmentOption::Modify,
        controls: &["7.1", "7.2"],
        reassess_in: 270,
        actions: &[],
    },
    SampleRisk {
        title: "Fine for notifying a personal data breach late",
        asset: "Incident handling",
        threat: "Notification to the authority after 72 hours",
        vulnerability: "No on-call rota for the data protection officer",
        properties: "C",
        owner: "Hannah Vogel",
        inherent: (2, 4),
        residual: (1, 4),
        treatment: TreatmentOption::Modify,
        controls: &["5.24", "5.26", "6.8"],
        reassess_in: 100,
        actions: &[(
            "Set up an on-call rota for breach notifications",
            "Hannah Vogel",
            "",
            -15,
            true,
        )],
    },
    SampleRisk {
        title: "Signing keys of the platform stolen",
        asset: "Platform signing keys",
        threat: "Theft of the keys",
        vulnerability: "Keys are stored in configuration files",
        properties: "CI",
        owner: "Daniel Novak",
        inherent: (2, 5),
        residual: (2, 5),
        treatment: TreatmentOption::Undecided,
        controls: &[],
        reassess_in: 14,
        actions: &[],
    },
    SampleRisk {
        title: "Power failure in the Hamburg data room",
        asset: "Hamburg data room",
        threat: "Power failure",
        vulnerability: "The UPS lasts ten minutes",
        properties: "A",
        owner: "Lukas Brandt",
        inherent: (2, 2),
        residual: (2, 2),
        treatment: TreatmentOption::Retain,
        controls: &[],
        reassess_in: -30,
        actions: &[],
    },
    SampleRisk {
        title: "Traffic intercepted on home and public networks",
        asset: "Remote work",
        threat: "Interception of traffic",
        vulnerability: "The VPN is not always on",
        properties: "C",
        owner: "Jonas Weber",
        inherent: (3, 3),
        residual: (2, 2),
        treatment: TreatmentOption::Modify,
        controls: &["6.7", "8.20"],
        reassess_in: -15,
        actions: &[],
    },
];

/// The controls the sample excludes, with the justification.
const EXCLUDED: [(&str, &str); 2] = [
    (
        "8.30",
        "All software is developed in-house: no development is outsourced.",
    ),
    (
        "7.10",
        "No removable storage media are used: USB storage is blocked on every device and backups are kept in the cloud.",
    ),
];

/// The controls the sample has not decided yet.
const UNDECIDED: [&str; 4] = ["5.7", "7.14", "8.11", "8.33"];

/// Who owns the sample's controls, by theme key.
fn control_owner(theme: &str) -> &'static str {
    match theme {
        "people" => "Sofia Marquez",
        "physical" => "Aisha Okafor",
        "technological" => "Lukas Brandt",
        _ => "Jonas Weber",
    }
}

impl SampleBuild {
    /// The context (issues, climate, parties and their requirements, a
    /// scope version), a draft of the risk criteria, the risk register with
    /// its treatment actions, and the Statement of Applicability with every
    /// status: each control a treatment cites applies for that reason, two
    /// are excluded with a justification, four are not decided yet, and a
    /// sector control is added. Nothing here is approved: approvals are
    /// signed, and no browser of the sample's people holds a key.
    fn context_risks_and_soa(&mut self, doc: &mut WorkspaceDoc) -> Result<(), CommandError> {
        let today = self.date(0);
        for (kind, text, effect, reviewed) in ISSUES {
            let draft = IssueDraft {
                kind,
                text: text.to_owned(),
                effect: effect.to_owned(),
                reviewed: self.date(-reviewed),
            };
            doc.add_issue(&draft, &today, self.tick())?;
        }
        doc.set_climate(
            true,
            "Storm surges closed the Hamburg port terminals twice last winter: the continuity \
             plan covers working from Rotterdam and from home.",
            self.tick(),
        )?;
        for (name, requirements) in PARTIES {
            let party = doc.add_party(name, self.tick())?;
            for &(text, kind, addressed_in) in requirements {
                doc.add_requirement(&party, text, kind, addressed_in, self.tick())?;
            }
        }
        let scope = ScopeDraft {
            statement: SAMPLE_SCOPE.to_owned(),
            boundaries: "The Hamburg and Rotterdam offices and the cloud region that runs the \
                         booking platform; not the warehouses, run by a logistics partner."
                .to_owned(),
            interfaces: "The customs authority's declaration service, the customs broker's \
                         interface, customers' ordering systems."
                .to_owned(),
            dependencies: "The cloud provider, the identity provider, the customs broker."
                .to_owned(),
        };
        self.scope_version = doc.add_scope_version(&scope, self.tick())?;
        self.criteria = doc.add_criteria_version(&CriteriaDraft::defaults(), self.tick())?;
        for sample in &RISKS {
            let draft = RiskDraft {
                title: sample.title.to_owned(),
                asset: sample.asset.to_owned(),
                threat: sample.threat.to_owned(),
                vulnerability: sample.vulnerability.to_owned(),
                properties: Property::ALL
                    .into_iter()
                    .filter(|p| sample.properties.contains(p.letter()))
                    .collect(),
                owner: self.people[person_named(sample.owner)].clone(),
                inherent_likelihood: sample.inherent.0.to_string(),
                inherent_consequence: sample.inherent.1.to_string(),
                residual_likelihood: sample.residual.0.to_string(),
                residual_consequence: sample.residual.1.to_string(),
                treatment: sample.treatment,
                controls: sample.controls.iter().map(|c| (*c).to_owned()).collect(),
                reassess_by: self.date(sample.reassess_in),
            };
            let risk = doc.add_risk(&draft, self.tick())?;
            for &(title, owner, resources, due, done) in sample.actions {
                let action = TreatmentActionDraft {
                    title: title.to_owned(),
                    owner: self.people[person_named(owner)].clone(),
                    resources: resources.to_owned(),
                    due: self.date(due),
                };
                let id = doc.add_treatment_action(&risk, &action, self.tick())?;
                if done {
                    doc.set_treatment_action_done(&risk, &id, true, self.tick())?;
                }
            }
        }
        let cited: BTreeSet<&str> = RISKS
            .iter()
            .flat_map(|r| r.controls.iter().copied())
            .collect();
        let added = doc.add_control(
            "Secure exchange of customs declarations",
            "organizational",
            self.tick(),
        )?;
        let controls = annex_a()
            .into_iter()
            .map(|c| (c.id.to_owned(), c.theme))
            .chain([(added, Theme::Organizational)]);
        for (index, (id, theme)) in controls.enumerate() {
            let id = id.as_str();
            if UNDECIDED.contains(&id) {
                continue;
            }
            let owner = self.people[person_named(control_owner(theme.key()))].clone();
            let draft = if let Some((_, why)) = EXCLUDED.iter().find(|(c, _)| *c == id) {
                SoaDraft {
                    applicable: Some(false),
                    justification: (*why).to_owned(),
                    ..SoaDraft::default()
                }
            } else {
                let reason = if cited.contains(id) {
                    Reason::RiskTreatment
                } else if matches!(id, "5.31" | "5.32" | "5.33" | "5.34" | "5.36")
                    || id.starts_with("A-")
                {
                    Reason::Legal
                } else if matches!(id, "5.19" | "5.20" | "5.21" | "5.22" | "5.23") {
                    Reason::Contractual
                } else {
                    Reason::Business
                };
                // Most implemented, the rest partly, planned or not started.
                let status = match index % 7 {
                    0..=3 => Implementation::Implemented,
                    4 => Implementation::Partial,
                    5 => Implementation::Planned,
                    _ => Implementation::NotStarted,
                };
                SoaDraft {
                    applicable: Some(true),
                    reasons: vec![reason],
                    justification: String::new(),
                    status,
                    evidence: if status == Implementation::Implemented {
                        format!("ISMS folder › Controls › {id}")
                    } else {
                        String::new()
                    },
                    owner,
                }
            };
            doc.set_soa_entry(id, &draft, self.tick())?;
        }
        self.audits(doc)
    }

    /// The audit programme, the internal audit of clauses 4 to 7 that the
    /// second management review discussed (two minor findings, each with a
    /// nonconformity: one closed after an effective check, one open), the
    /// next audit planned by the consultant, and the improvement log.
    fn audits(&mut self, doc: &mut WorkspaceDoc) -> Result<(), CommandError> {
        let today = self.date(0);
        let person = |b: &SampleBuild, name: &str| b.people[person_named(name)].clone();
        let programme = AuditProgramme {
            frequency: "Clauses 4 to 10 every year, in two audits; the applicable controls over \
                        three years."
                .to_owned(),
            methods: "Interviews, samples of records, observation in the offices.".to_owned(),
            responsibilities: "Tomasz Zieliński plans the programme and audits; Oliver Grant \
                               audits the internal audit itself; the CISO follows up the \
                               corrective actions."
                .to_owned(),
            reporting: "A written report to the management team within two weeks, and a summary \
                        at the next management review."
                .to_owned(),
        };
        doc.set_audit_programme(&programme, self.tick())?;
        let held = AuditDraft {
            title: "Internal audit of clauses 4 to 7".to_owned(),
            criteria: "ISO/IEC 27001:2022 clauses 4 to 7; the information security policy."
                .to_owned(),
            scope: "The Hamburg and Rotterdam offices.".to_owned(),
            auditor: person(self, "Tomasz Zieliński"),
            start: self.date(-175),
            end: self.date(-174),
            clauses: ["4", "5", "6", "7"].map(str::to_owned).to_vec(),
            controls: "5.1 5.2 6.3".to_owned(),
        };
        let audit = doc.add_audit(&held, self.tick())?;
        let findings = [
            (
                FindingKind::Minor,
                "The risk owners' acceptance of residual risks is not recorded for 9 of the 41 \
                 risks.",
                "6.1.3",
            ),
            (
                FindingKind::Minor,
                "Awareness training records are incomplete: 6 of the 15 people in Rotterdam have \
                 none.",
                "7.2",
            ),
            (
                FindingKind::Opportunity,
                "Keep the risk register and the owners' acceptances in one place.",
                "",
            ),
        ];
        let mut raised = Vec::new();
        for (kind, text, clause) in findings {
            let draft = FindingDraft {
                kind,
                text: text.to_owned(),
                clause: clause.to_owned(),
                control: String::new(),
            };
            raised.push(doc.add_finding(&audit, &draft, self.tick())?);
        }
        doc.report_audit(
            &audit,
            &self.date(-168),
            "the management team",
            &today,
            self.tick(),
        )?;
        let acceptance = NonconformityDraft {
            title: "Residual risks accepted without a record".to_owned(),
            raised: self.date(-170),
            major: false,
            source: format!("finding:{audit}/{}", raised[0]),
            what_happened: "For 9 of 41 risks the owner's acceptance of the residual risk was \
                            not recorded (6.1.3 f)."
                .to_owned(),
            correction: "The nine owners were asked to review and accept their risks.".to_owned(),
            consequences: "None known: the risks were treated, only the record was missing."
                .to_owned(),
            root_cause: "Acceptances were given by e-mail and not copied to the register."
                .to_owned(),
            similar: "Policy approvals were checked: all are recorded.".to_owned(),
            action: "Acceptances are given in the register itself, signed by the owner.".to_owned(),
            owner: person(self, "Jonas Weber"),
            due: self.date(-120),
        };
        let first = doc.add_nonconformity(&acceptance, &today, self.tick())?;
        let check = EffectivenessCheck {
            date: self.date(-110),
            by: person(self, "Tomasz Zieliński"),
            effective: true,
            evidence: "Sampled 10 risks changed since: each acceptance is in the register."
                .to_owned(),
        };
        doc.check_effectiveness(&first, &check, &today, self.tick())?;
        doc.close_nonconformity(&first, &self.date(-105), &today, self.tick())?;
        let awareness = NonconformityDraft {
            title: "Awareness records incomplete in Rotterdam".to_owned(),
            raised: self.date(-170),
            major: false,
            source: format!("finding:{audit}/{}", raised[1]),
            what_happened: "6 of the 15 people in Rotterdam have no record of the awareness \
                            training (7.2 d, 7.3)."
                .to_owned(),
            correction: "The six were booked on the next session.".to_owned(),
            consequences: "They may not know how to report an incident.".to_owned(),
            root_cause: "Joiners in Rotterdam were onboarded locally, outside the training plan."
                .to_owned(),
            similar: "Hamburg joiners were checked: all trained.".to_owned(),
            action: "Onboarding in both offices books the awareness course on the first day."
                .to_owned(),
            owner: person(self, "Sofia Marquez"),
            due: self.date(45),
        };
        doc.add_nonconformity(&awareness, &today, self.tick())?;
        let next = AuditDraft {
            title: "Internal audit of clauses 8 to 10 and the technological controls".to_owned(),
            criteria: "ISO/IEC 27001:2022 clauses 8 to 10; the access control and backup \
                       policies."
                .to_owned(),
            scope: "The booking platform and IT operations.".to_owned(),
            auditor: person(self, "Oliver Grant"),
            start: self.date(30),
            end: self.date(31),
            clauses: ["8", "9", "10"].map(str::to_owned).to_vec(),
            controls: "8.5 8.7 8.8 8.13 8.15 8.16".to_owned(),
        };
        doc.add_audit(&next, self.tick())?;
        // Each proposed on its day: the service desk's idea in the spring,
        // the audit's when its report reached the management team.
        let improvements = [
            (
                -300,
                "A report button for phishing e-mails in the mail client.",
                Source::None,
                "The service desk",
                "Since spring a third of the simulated phishing e-mails are reported.",
            ),
            (
                -168,
                "Keep the risk register and the owners' acceptances in one place.",
                Source::Finding {
                    audit: &audit,
                    finding: &raised[2],
                },
                "",
                "Owners now accept their risks in the register itself, with their signature \
                 (the corrective action of the nonconformity on residual risks).",
            ),
        ];
        for (days, text, source, suggested_by, outcome) in improvements {
            let idea = ImprovementDraft {
                text: text.to_owned(),
                source: source.field(),
                suggested_by: suggested_by.to_owned(),
            };
            let id = doc.add_improvement(&idea, (self.today + days) * DAY + 10 * HOUR)?;
            doc.set_improvement_status(&id, ImprovementStatus::Done, outcome, self.tick())?;
        }
        Ok(())
    }

    /// The implementation plan, from the gap analysis about seven months ago
    /// to the stage 2 audit in about two months, with the stages' records
    /// linked (the policy, the criteria, the register, the next review), and
    /// a planned change awaiting approval. Written after the merge, as the
    /// stages link records of every area.
    fn plan(&mut self) -> Result<(), CommandError> {
        let owner = self.people[person_named("Jonas Weber")].clone();
        let schedule = template_schedule(&self.date(-200)).unwrap_or_default();
        let mut stages: Vec<String> = Vec::new();
        for (index, (stage, (start, deadline))) in PLAN_TEMPLATE.iter().zip(schedule).enumerate() {
            let produces = match stage.produces {
                "policies:" => format!("policies:{}", self.policies[0]),
                "criteria:" => format!("criteria:{}", self.criteria),
                "scopes:" => format!("scopes:{}", self.scope_version),
                "reviews:" => format!("reviews:{}", self.next_review),
                other => other.to_owned(),
            };
            let status = match index {
                0..=3 | 6 => StageStatus::Finished,
                4 | 5 | 7 => StageStatus::InProgress,
                _ => StageStatus::NotStarted,
            };
            let draft = StageDraft {
                title: stage.title.to_owned(),
                owner: owner.clone(),
                start,
                deadline,
                status,
                depends_on: stage.after.iter().map(|i| stages[*i].clone()).collect(),
                produces,
            };
            let now = self.tick();
            stages.push(self.doc.add_stage(&draft, now)?);
        }
        let change = ChangeDraft {
            title: "Move the customer portal's sign-in to the company identity provider".to_owned(),
            purpose: "One sign-in with a second factor for customers and staff, and leavers' \
                      access removed in one place."
                .to_owned(),
            consequences: "Customers must enrol a second factor; the portal is unavailable for \
                           an hour on the night of the switch."
                .to_owned(),
            integrity: "The access control policy and controls 5.15–5.18 and 8.5 now cover the \
                        portal; the old accounts are kept read-only for a month."
                .to_owned(),
            resources: "Six weeks of a developer; identity provider licences for 2,000 customer \
                        accounts."
                .to_owned(),
            responsible: self.people[person_named("Daniel Novak")].clone(),
            from_decision: String::new(),
        };
        let now = self.tick();
        self.doc.add_planned_change(&change, now)?;
        Ok(())
    }
}
