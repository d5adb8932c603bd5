//! Communication (clause 7.4): what was (or will be) communicated, when, to
//! whom, how and by whom, linked to the policies, roles and objectives it is
//! about.

use automerge::ROOT;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::model::{Archived, Workspace};
use crate::workspace::validate::{
    Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length, parse_date,
};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// How something is communicated (7.4 e asks for the process; this is its means).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Channel {
    /// Said in a meeting or a briefing.
    #[default]
    Meeting,
    /// Sent by e-mail.
    Email,
    /// Published on the intranet.
    Intranet,
    /// A letter, poster or printed notice.
    Notice,
    /// Part of a training session.
    Training,
    /// Published on the organisation's website, for outside parties.
    Website,
}

impl Channel {
    /// Every channel, in the order the form offers them.
    pub const ALL: [Channel; 6] = [
        Channel::Meeting,
        Channel::Email,
        Channel::Intranet,
        Channel::Notice,
        Channel::Training,
        Channel::Website,
    ];

    /// The channel in words.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Meeting => "Meeting or briefing",
            Channel::Email => "E-mail",
            Channel::Intranet => "Intranet",
            Channel::Notice => "Letter or notice",
            Channel::Training => "Training session",
            Channel::Website => "Website",
        }
    }

    /// A stable name for forms.
    pub fn slug(self) -> &'static str {
        match self {
            Channel::Meeting => "meeting",
            Channel::Email => "email",
            Channel::Intranet => "intranet",
            Channel::Notice => "notice",
            Channel::Training => "training",
            Channel::Website => "website",
        }
    }

    /// The channel named `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

/// One communication about the ISMS.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Communication {
    /// What it is about, in a line (7.4 a).
    #[autosurgeon(missing = "Default::default")]
    pub subject: String,
    /// What was said, or where the message is.
    #[autosurgeon(missing = "Default::default")]
    pub message: String,
    /// The day it went out, or is planned for (YYYY-MM-DD) (7.4 b).
    #[autosurgeon(missing = "Default::default")]
    pub date: String,
    /// Who it is for: staff, a team, suppliers, customers… (7.4 c).
    #[autosurgeon(missing = "Default::default")]
    pub audience: String,
    /// How it is communicated (7.4 e).
    #[autosurgeon(missing = "Default::default")]
    pub channel: Channel,
    /// Who communicates it (a People record id) (7.4 d).
    #[autosurgeon(missing = "Default::default")]
    pub by: String,
    /// The policies (ids) it is about.
    #[autosurgeon(missing = "Default::default")]
    pub policies: Vec<String>,
    /// The roles (ids) it is about.
    #[autosurgeon(missing = "Default::default")]
    pub roles: Vec<String>,
    /// The objectives (ids) it is about.
    #[autosurgeon(missing = "Default::default")]
    pub objectives: Vec<String>,
    /// When it was recorded.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Set when it was archived: kept as evidence, out of the list.
    #[autosurgeon(missing = "Default::default")]
    pub archived: Option<Archived>,
}

impl Communication {
    /// Whether it is still to happen on `today` (YYYY-MM-DD).
    pub fn planned(&self, today: &str) -> bool {
        self.date.as_str() > today
    }
}

/// A communication as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommunicationDraft {
    /// Subject as typed.
    pub subject: String,
    /// Message as typed.
    pub message: String,
    /// Date as typed (YYYY-MM-DD).
    pub date: String,
    /// Audience as typed.
    pub audience: String,
    /// The chosen channel.
    pub channel: Channel,
    /// Who communicates (a person id).
    pub by: String,
    /// Linked policies (ids).
    pub policies: Vec<String>,
    /// Linked roles (ids).
    pub roles: Vec<String>,
    /// Linked objectives (ids).
    pub objectives: Vec<String>,
}

impl CommunicationDraft {
    /// Checks every field; links to records that do not exist are dropped.
    pub fn validate(&self, ws: &Workspace) -> Result<Communication, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let subject = self.subject.trim();
        if subject.is_empty() {
            errors.push(Field::Subject, "Say what it is about.");
        } else {
            check_length(&mut errors, Field::Subject, subject, MAX_SHORT);
        }
        let message = self.message.trim();
        check_length(&mut errors, Field::Message, message, MAX_LONG);
        let date = self.date.trim();
        if parse_date(date).is_none() {
            errors.push(Field::CommunicationDate, "Enter the date as YYYY-MM-DD.");
        }
        let audience = self.audience.trim();
        if audience.is_empty() {
            errors.push(
                Field::CommunicationAudience,
                "Say who it is for, such as all staff or suppliers.",
            );
        } else {
            check_length(
                &mut errors,
                Field::CommunicationAudience,
                audience,
                MAX_SHORT,
            );
        }
        if ws.people.get(&self.by).is_none_or(|p| p.archived.is_some()) {
            errors.push(
                Field::CommunicatedBy,
                "Choose who communicates it from People.",
            );
        }
        let keep = |ids: &[String], exists: &dyn Fn(&str) -> bool| {
            let mut kept: Vec<String> = Vec::new();
            for id in ids {
                if exists(id) && !kept.contains(id) {
                    kept.push(id.clone());
                }
            }
            kept
        };
        errors.into_result(Communication {
            subject: subject.to_owned(),
            message: message.to_owned(),
            date: date.to_owned(),
            audience: audience.to_owned(),
            channel: self.channel,
            by: self.by.clone(),
            policies: keep(&self.policies, &|id| ws.policies.contains_key(id)),
            roles: keep(&self.roles, &|id| ws.roles.contains_key(id)),
            objectives: keep(&self.objectives, &|id| ws.objectives.contains_key(id)),
            ..Default::default()
        })
    }
}

const NOT_FOUND: CommandError = CommandError::NotFound("communication");

impl WorkspaceDoc {
    /// One communication, if it exists.
    pub fn communication(&self, id: &str) -> Result<Option<Communication>, CommandError> {
        let Some(map) = self.existing_map(ROOT, "communications") else {
            return Ok(None);
        };
        self.hydrate_entry(&map, id)
    }

    /// Records a communication and returns its id.
    pub fn add_communication(
        &mut self,
        draft: &CommunicationDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let record = Communication {
            created_at: now,
            ..draft.validate(&self.read_for_communication(draft)?)?
        };
        let id = self.next_id(now);
        self.guard(|doc| {
            let map = doc.map(ROOT, "communications")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id.as_str(), &record)?)
        })?;
        self.commit(format!("Recorded communication “{}”", record.subject), now)?;
        Ok(id)
    }

    /// Changes a communication; its creation and archive mark stay.
    pub fn edit_communication(
        &mut self,
        id: &str,
        draft: &CommunicationDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.communication(id)?.ok_or(NOT_FOUND)?;
        let record = Communication {
            created_at: old.created_at,
            archived: old.archived.clone(),
            ..draft.validate(&self.read_for_communication(draft)?)?
        };
        if record == old {
            return Ok(());
        }
        self.guard(|doc| {
            let map = doc.map(ROOT, "communications")?;
            Ok(reconcile_prop(&mut doc.doc, &map, id, &record)?)
        })?;
        self.commit(format!("Changed communication “{}”", old.subject), now)
    }

    /// Archives a communication: kept as evidence, out of the list.
    pub fn archive_communication(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.communication(id)?.ok_or(NOT_FOUND)?;
        if old.archived.is_some() {
            return Ok(());
        }
        self.mark_archived("communications", id, true, now)?;
        self.commit(format!("Archived communication “{}”", old.subject), now)
    }

    /// Brings an archived communication back.
    pub fn restore_communication(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.communication(id)?.ok_or(NOT_FOUND)?;
        if old.archived.is_none() {
            return Ok(());
        }
        self.mark_archived("communications", id, false, now)?;
        self.commit(format!("Restored communication “{}”", old.subject), now)
    }

    /// The records a draft names, read one by one: checking it costs the
    /// draft, not the workspace.
    fn read_for_communication(
        &self,
        draft: &CommunicationDraft,
    ) -> Result<Workspace, CommandError> {
        let mut ws = Workspace::default();
        if let Some(person) = self.person(&draft.by)? {
            ws.people.insert(draft.by.clone(), person);
        }
        for id in &draft.policies {
            if let Some(policy) = self.policy(id)? {
                ws.policies.insert(id.clone(), policy);
            }
        }
        for id in &draft.roles {
            if let Some(role) = self.role(id)? {
                ws.roles.insert(id.clone(), role);
            }
        }
        for id in &draft.objectives {
            if let Some(objective) = self.objective(id)? {
                ws.objectives.insert(id.clone(), objective);
            }
        }
        Ok(ws)
    }
}
