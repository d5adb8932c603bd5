//! People and roles (clause 5.3): who is in the organisation, the ISMS roles
//! with their responsibilities and authorities, who holds which role, and the
//! RACI matrix of ISMS activities against roles.

use std::collections::BTreeMap;

use automerge::ROOT;
use automerge::transaction::Transactable;
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use crate::workspace::model::sort_list;
use crate::workspace::model::{Archived, Workspace};
use crate::workspace::validate::{Field, MAX_LONG, MAX_SHORT, ValidationErrors, check_length};
use crate::workspace::{CommandError, Millis, WorkspaceDoc};

/// A person in the organisation.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Person {
    /// Full name.
    #[autosurgeon(missing = "Default::default")]
    pub name: String,
    /// Job title.
    #[autosurgeon(missing = "Default::default")]
    pub title: String,
    /// E-mail address, if known.
    #[autosurgeon(missing = "Default::default")]
    pub email: Option<String>,
    /// When the person was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Set when the person left: kept as evidence, out of the current lists.
    #[autosurgeon(missing = "Default::default")]
    pub archived: Option<Archived>,
}

/// A person as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonDraft {
    /// Name as typed.
    pub name: String,
    /// Job title as typed.
    pub title: String,
    /// E-mail as typed (may be empty).
    pub email: String,
}

impl PersonDraft {
    /// Checks every field and returns the clean person (without its time).
    pub fn validate(&self) -> Result<Person, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(Field::PersonName, "Enter the person's name.");
        } else {
            check_length(&mut errors, Field::PersonName, name, MAX_SHORT);
        }
        check_length(&mut errors, Field::JobTitle, self.title.trim(), MAX_SHORT);
        let email = self.email.trim();
        let email = if email.is_empty() {
            None
        } else if looks_like_email(email) {
            Some(email.to_owned())
        } else {
            errors.push(
                Field::Email,
                "Enter an e-mail address such as name@example.com, or leave it empty.",
            );
            None
        };
        errors.into_result(Person {
            name: name.to_owned(),
            title: self.title.trim().to_owned(),
            email,
            created_at: 0,
            archived: None,
        })
    }
}

/// A loose check: one "@" with text before it and a dotted domain after it.
pub fn looks_like_email(input: &str) -> bool {
    let Some((local, domain)) = input.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !input.chars().any(char::is_whitespace)
        && input.chars().count() <= MAX_SHORT
        && domain
            .split_once('.')
            .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty() && !tld.ends_with('.'))
}

/// What kind of ISMS role a role is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub enum RoleKind {
    /// Top management: the person or group who directs and controls the
    /// organisation (or the unit the ISMS covers) at the highest level.
    #[default]
    TopManagement,
    /// Chief information security officer.
    Ciso,
    /// Information security officer.
    SecurityOfficer,
    /// Owner of one or more risks.
    RiskOwner,
    /// Head of a department.
    DepartmentHead,
    /// Internal auditor.
    InternalAuditor,
    /// External consultant.
    Consultant,
    /// Any other role, with its name.
    Custom(String),
}

impl RoleKind {
    /// The role's name as a person reads it.
    pub fn label(&self) -> &str {
        match self {
            RoleKind::TopManagement => "Top management",
            RoleKind::Ciso => "CISO",
            RoleKind::SecurityOfficer => "Security officer",
            RoleKind::RiskOwner => "Risk owner",
            RoleKind::DepartmentHead => "Department head",
            RoleKind::InternalAuditor => "Internal auditor",
            RoleKind::Consultant => "Consultant",
            RoleKind::Custom(name) => name,
        }
    }
}

/// An ISMS role.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Role {
    /// What kind of role, and its name when custom.
    #[autosurgeon(missing = "Default::default")]
    pub kind: RoleKind,
    /// What the role is responsible for.
    #[autosurgeon(missing = "Default::default")]
    pub responsibilities: String,
    /// What the role may decide.
    #[autosurgeon(missing = "Default::default")]
    pub authorities: String,
    /// The competence the role needs (clause 7.2 a): education, training,
    /// experience or certifications.
    #[autosurgeon(missing = "Default::default")]
    pub competence: String,
    /// Person id → when they were given the role; a map so concurrent
    /// assignments merge.
    #[autosurgeon(missing = "Default::default")]
    pub holders: BTreeMap<String, Millis>,
    /// When the role was added.
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
    /// Who held the role before, with since and until, keyed by
    /// "person id@since": the role's history, which signatures are checked
    /// against.
    #[autosurgeon(missing = "Default::default")]
    pub former: BTreeMap<String, Holding>,
    /// Set when the role was archived: kept as evidence, out of the matrix.
    #[autosurgeon(missing = "Default::default")]
    pub archived: Option<Archived>,
}

/// A past holding of a role.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Holding {
    /// The person (a People record id).
    #[autosurgeon(missing = "Default::default")]
    pub person: String,
    /// When they were given the role.
    #[autosurgeon(missing = "Default::default")]
    pub since: Millis,
    /// When it was taken from them.
    #[autosurgeon(missing = "Default::default")]
    pub until: Millis,
}

impl Role {
    /// Whether `person` held this role at `at`: now (since then or earlier),
    /// or in a past holding that covers `at`.
    pub fn held_by_at(&self, person: &str, at: Millis) -> bool {
        // An archived role gives no authority from then on.
        if self.archived.as_ref().is_some_and(|a| at >= a.at) {
            return false;
        }
        self.holders.get(person).is_some_and(|since| *since <= at)
            || self
                .former
                .values()
                .any(|h| h.person == person && h.since <= at && at < h.until)
    }

    /// The past holdings, oldest first.
    pub fn former_in_order(&self) -> Vec<&Holding> {
        let mut list: Vec<&Holding> = self.former.values().collect();
        sort_list(&mut list, |a, b| {
            (a.since, &a.person).cmp(&(b.since, &b.person))
        });
        list
    }
}

/// A role as typed into the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleDraft {
    /// The chosen kind; a custom kind carries the name as typed.
    pub kind: RoleKind,
    /// Responsibilities as typed.
    pub responsibilities: String,
    /// Authorities as typed.
    pub authorities: String,
    /// The competence needed, as typed.
    pub competence: String,
}

/// A role's fields as checked by [`RoleDraft::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct RoleFields {
    /// The kind, with a custom role's name trimmed.
    pub kind: RoleKind,
    /// Responsibilities, trimmed.
    pub responsibilities: String,
    /// Authorities, trimmed.
    pub authorities: String,
    /// The competence needed, trimmed.
    pub competence: String,
}

impl RoleDraft {
    /// Checks every field and returns them clean.
    pub fn validate(&self) -> Result<RoleFields, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = match &self.kind {
            RoleKind::Custom(name) => {
                let name = name.trim();
                if name.is_empty() {
                    errors.push(Field::RoleName, "Enter the role's name.");
                } else {
                    check_length(&mut errors, Field::RoleName, name, MAX_SHORT);
                }
                RoleKind::Custom(name.to_owned())
            }
            kind => kind.clone(),
        };
        let responsibilities = self.responsibilities.trim();
        let authorities = self.authorities.trim();
        check_length(
            &mut errors,
            Field::Responsibilities,
            responsibilities,
            MAX_LONG,
        );
        check_length(&mut errors, Field::Authorities, authorities, MAX_LONG);
        let competence = self.competence.trim();
        check_length(&mut errors, Field::RoleCompetence, competence, MAX_LONG);
        errors.into_result(RoleFields {
            kind,
            responsibilities: responsibilities.to_owned(),
            authorities: authorities.to_owned(),
            competence: competence.to_owned(),
        })
    }
}

/// Responsible, Accountable, Consulted or Informed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate)]
pub enum Raci {
    /// Does the work.
    Responsible,
    /// Answers for it; exactly one role per activity.
    Accountable,
    /// Asked before.
    Consulted,
    /// Told after.
    Informed,
}

impl Raci {
    /// The one-letter code shown in the matrix.
    pub fn letter(self) -> char {
        match self {
            Raci::Responsible => 'R',
            Raci::Accountable => 'A',
            Raci::Consulted => 'C',
            Raci::Informed => 'I',
        }
    }
}

/// The ISMS activities every matrix has, keyed by a fixed id: the two
/// assignments clause 5.3 names (a and b) first, then the usual eight.
pub const STANDARD_ACTIVITIES: [(&str, &str); 10] = [
    (
        "conformity",
        "Ensuring the ISMS conforms to ISO/IEC 27001 (5.3 a)",
    ),
    (
        "performance-reporting",
        "Reporting on the ISMS's performance to top management (5.3 b)",
    ),
    ("policy", "Information security policy"),
    ("risk-assessment", "Risk assessment"),
    ("soa", "Statement of Applicability"),
    ("risk-treatment", "Risk treatment"),
    ("awareness", "Awareness and training"),
    ("incident-management", "Incident management"),
    ("internal-audit", "Internal audit"),
    ("management-review", "Management review"),
];

/// A row of the RACI matrix.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Activity {
    /// The activity's name.
    #[autosurgeon(missing = "Default::default")]
    pub name: String,
    /// Role id → its letter for this activity.
    #[autosurgeon(missing = "Default::default")]
    pub assignments: BTreeMap<String, Raci>,
    /// When the activity was added (0 for the standard ones).
    #[autosurgeon(missing = "Default::default")]
    pub created_at: Millis,
}

/// Every RACI row: the standard activities first (whether or not they
/// have been stored yet), then custom ones in the order they were added.
pub fn raci_activities(ws: &Workspace) -> Vec<(String, Activity)> {
    let mut rows: Vec<(String, Activity)> = STANDARD_ACTIVITIES
        .iter()
        .map(|(id, name)| {
            let stored = ws.raci.get(*id).cloned().unwrap_or_default();
            let activity = Activity {
                name: (*name).to_owned(),
                ..stored
            };
            ((*id).to_owned(), activity)
        })
        .collect();
    let mut custom: Vec<_> = ws
        .raci
        .iter()
        .filter(|(id, _)| !is_standard(id))
        .map(|(id, a)| (id.clone(), a.clone()))
        .collect();
    sort_list(&mut custom, |(a_id, a), (b_id, b)| {
        a.created_at.cmp(&b.created_at).then(a_id.cmp(b_id))
    });
    rows.extend(custom);
    rows
}

/// The activities clause 5.3 itself requires to be assigned.
pub const CLAUSE_5_3_ACTIVITIES: [&str; 2] = ["conformity", "performance-reporting"];

/// Whether `id` is one of the assignments clause 5.3 requires.
pub fn required_by_5_3(id: &str) -> bool {
    CLAUSE_5_3_ACTIVITIES.contains(&id)
}

fn is_standard(id: &str) -> bool {
    STANDARD_ACTIVITIES.iter().any(|(key, _)| *key == id)
}

/// A problem in the RACI matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RaciWarning {
    /// The activity (id) has no Accountable role.
    NoAccountable(String),
    /// The activity (id) has more than one Accountable role (role ids).
    SeveralAccountable(String, Vec<String>),
}

/// Every activity without exactly one Accountable role. Assignments to roles
/// that were deleted or archived meanwhile do not count.
pub fn raci_warnings(ws: &Workspace) -> Vec<RaciWarning> {
    raci_activities(ws)
        .into_iter()
        .filter_map(|(id, activity)| {
            let accountable: Vec<String> = activity
                .assignments
                .iter()
                .filter(|(role, letter)| {
                    **letter == Raci::Accountable
                        && ws.roles.get(*role).is_some_and(|r| r.archived.is_none())
                })
                .map(|(role, _)| role.clone())
                .collect();
            match accountable.len() {
                0 => Some(RaciWarning::NoAccountable(id)),
                1 => None,
                _ => Some(RaciWarning::SeveralAccountable(id, accountable)),
            }
        })
        .collect()
}

/// The people holding `role_id` (ids of people that still exist).
pub fn role_holders<'a>(ws: &'a Workspace, role_id: &str) -> Vec<(&'a String, &'a Person)> {
    ws.roles
        .get(role_id)
        .map(|role| {
            role.holders
                .keys()
                .filter_map(|id| ws.people.get_key_value(id))
                .filter(|(_, p)| p.archived.is_none())
                .collect()
        })
        .unwrap_or_default()
}

impl WorkspaceDoc {
    /// One person, if they exist.
    pub fn person(&self, id: &str) -> Result<Option<Person>, CommandError> {
        let Some(people) = self.existing_map(ROOT, "people") else {
            return Ok(None);
        };
        self.hydrate_entry(&people, id)
    }

    /// One role, if it exists.
    pub fn role(&self, id: &str) -> Result<Option<Role>, CommandError> {
        let Some(roles) = self.existing_map(ROOT, "roles") else {
            return Ok(None);
        };
        self.hydrate_entry(&roles, id)
    }

    /// Adds a person and returns their id.
    pub fn add_person(&mut self, draft: &PersonDraft, now: Millis) -> Result<String, CommandError> {
        let person = Person {
            created_at: now,
            ..draft.validate()?
        };
        let id = self.next_id(now);
        self.guard(|ws| {
            let people = ws.map(ROOT, "people")?;
            Ok(reconcile_prop(&mut ws.doc, &people, id.as_str(), &person)?)
        })?;
        self.commit(format!("Added person {}", person.name), now)?;
        Ok(id)
    }

    /// Changes a person's name, title and e-mail.
    pub fn edit_person(
        &mut self,
        id: &str,
        draft: &PersonDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let old = self.person(id)?.ok_or(CommandError::NotFound("person"))?;
        let person = Person {
            created_at: old.created_at,
            archived: old.archived.clone(),
            ..draft.validate()?
        };
        if person == old {
            return Ok(());
        }
        self.guard(|ws| {
            let people = ws.map(ROOT, "people")?;
            Ok(reconcile_prop(&mut ws.doc, &people, id, &person)?)
        })?;
        self.commit(format!("Changed the details of {}", old.name), now)
    }

    /// Deletes a person and removes them from every role they held.
    pub fn delete_person(&mut self, id: &str, now: Millis) -> Result<Person, CommandError> {
        let old = self.person(id)?.ok_or(CommandError::NotFound("person"))?;
        let roles: BTreeMap<String, Role> = self.hydrate_entry(&ROOT, "roles")?.unwrap_or_default();
        self.guard(|ws| {
            let people = ws.map(ROOT, "people")?;
            ws.doc.delete(&people, id)?;
            let role_map = ws.map(ROOT, "roles")?;
            for (role_id, role) in &roles {
                if role.holders.contains_key(id) {
                    let role_obj = ws.map(role_map.clone(), role_id)?;
                    let holders = ws.map(role_obj, "holders")?;
                    ws.doc.delete(&holders, id)?;
                }
            }
            Ok(())
        })?;
        self.commit(format!("Removed person {}", old.name), now)?;
        Ok(old)
    }

    /// Archives a person who left: kept with their history as evidence, out
    /// of the current lists and pickers; the roles they held end now (kept
    /// in each role's history, so what they signed while holding one still
    /// verifies).
    pub fn archive_person(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.person(id)?.ok_or(CommandError::NotFound("person"))?;
        if old.archived.is_some() {
            return Ok(());
        }
        let roles: BTreeMap<String, Role> = self.hydrate_entry(&ROOT, "roles")?.unwrap_or_default();
        self.mark_archived("people", id, true, now)?;
        let mut ended = Vec::new();
        self.guard(|ws| {
            let role_map = ws.map(ROOT, "roles")?;
            for (role_id, role) in &roles {
                if let Some(since) = role.holders.get(id) {
                    let role_obj = ws.map(role_map.clone(), role_id)?;
                    ws.end_holding(&role_obj, id, *since, now)?;
                    let holders = ws.map(role_obj, "holders")?;
                    ws.doc.delete(&holders, id)?;
                    ended.push(role.kind.label().to_owned());
                }
            }
            Ok(())
        })?;
        sort_list(&mut ended, Ord::cmp);
        let message = if ended.is_empty() {
            format!("Archived person {}", old.name)
        } else {
            format!(
                "Archived person {} (no longer holds: {})",
                old.name,
                ended.join(", ")
            )
        };
        self.commit(message, now)
    }

    /// Brings an archived person back into the current lists; the roles
    /// they held are not given back (give them again if they apply).
    pub fn restore_person(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.person(id)?.ok_or(CommandError::NotFound("person"))?;
        if old.archived.is_none() {
            return Ok(());
        }
        self.mark_archived("people", id, false, now)?;
        self.commit(format!("Restored person {}", old.name), now)
    }

    /// Archives a role: kept with its holders' history as evidence, out of
    /// the matrix and the lists (its RACI letters no longer count).
    pub fn archive_role(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.role(id)?.ok_or(CommandError::NotFound("role"))?;
        if old.archived.is_some() {
            return Ok(());
        }
        self.mark_archived("roles", id, true, now)?;
        self.commit(format!("Archived role {}", old.kind.label()), now)
    }

    /// Brings an archived role back, with its holders and RACI letters.
    pub fn restore_role(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self.role(id)?.ok_or(CommandError::NotFound("role"))?;
        if old.archived.is_none() {
            return Ok(());
        }
        self.mark_archived("roles", id, false, now)?;
        self.commit(format!("Restored role {}", old.kind.label()), now)
    }

    /// Records in the role at `role` that `person` held it from `since` until `until`.
    fn end_holding(
        &mut self,
        role: &automerge::ObjId,
        person: &str,
        since: Millis,
        until: Millis,
    ) -> Result<(), CommandError> {
        let former = self.map(role.clone(), "former")?;
        let holding = Holding {
            person: person.to_owned(),
            since,
            until,
        };
        reconcile_prop(
            &mut self.doc,
            &former,
            format!("{person}@{since}").as_str(),
            &holding,
        )?;
        Ok(())
    }

    /// Adds a role and returns its id.
    pub fn add_role(&mut self, draft: &RoleDraft, now: Millis) -> Result<String, CommandError> {
        let RoleFields {
            kind,
            responsibilities,
            authorities,
            competence,
        } = draft.validate()?;
        let role = Role {
            kind,
            responsibilities,
            authorities,
            competence,
            holders: BTreeMap::new(),
            created_at: now,
            former: BTreeMap::new(),
            archived: None,
        };
        let id = self.next_id(now);
        self.guard(|ws| {
            let roles = ws.map(ROOT, "roles")?;
            Ok(reconcile_prop(&mut ws.doc, &roles, id.as_str(), &role)?)
        })?;
        self.commit(format!("Added role {}", role.kind.label()), now)?;
        Ok(id)
    }

    /// Changes a role's kind, responsibilities and authorities (not holders).
    pub fn edit_role(
        &mut self,
        id: &str,
        draft: &RoleDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let RoleFields {
            kind,
            responsibilities,
            authorities,
            competence,
        } = draft.validate()?;
        let old = self.role(id)?.ok_or(CommandError::NotFound("role"))?;
        let role = Role {
            kind,
            responsibilities,
            authorities,
            competence,
            ..old.clone()
        };
        if role == old {
            return Ok(());
        }
        self.guard(|ws| {
            let roles = ws.map(ROOT, "roles")?;
            let obj = ws.map(roles, id)?;
            reconcile_prop(&mut ws.doc, &obj, "kind", &role.kind)?;
            reconcile_prop(
                &mut ws.doc,
                &obj,
                "responsibilities",
                &role.responsibilities,
            )?;
            reconcile_prop(&mut ws.doc, &obj, "authorities", &role.authorities)?;
            reconcile_prop(&mut ws.doc, &obj, "competence", &role.competence)?;
            Ok(())
        })?;
        self.commit(format!("Changed role {}", old.kind.label()), now)
    }

    /// Deletes a role; its RACI letters stop counting.
    pub fn delete_role(&mut self, id: &str, now: Millis) -> Result<Role, CommandError> {
        let old = self.role(id)?.ok_or(CommandError::NotFound("role"))?;
        self.guard(|ws| {
            let roles = ws.map(ROOT, "roles")?;
            Ok(ws.doc.delete(&roles, id)?)
        })?;
        self.commit(format!("Deleted role {}", old.kind.label()), now)?;
        Ok(old)
    }

    /// Gives `person_id` the role `role_id` (`holds`) or takes it away.
    pub fn set_role_holder(
        &mut self,
        role_id: &str,
        person_id: &str,
        holds: bool,
        now: Millis,
    ) -> Result<(), CommandError> {
        let role = self.role(role_id)?.ok_or(CommandError::NotFound("role"))?;
        let person = self
            .person(person_id)?
            .ok_or(CommandError::NotFound("person"))?;
        if role.holders.contains_key(person_id) == holds {
            return Ok(());
        }
        self.guard(|ws| {
            let roles = ws.map(ROOT, "roles")?;
            let obj = ws.map(roles, role_id)?;
            let holders = ws.map(obj.clone(), "holders")?;
            if holds {
                Ok(reconcile_prop(&mut ws.doc, &holders, person_id, now)?)
            } else {
                let since = role.holders.get(person_id).copied().unwrap_or_default();
                ws.end_holding(&obj, person_id, since, now)?;
                Ok(ws.doc.delete(&holders, person_id)?)
            }
        })?;
        let message = if holds {
            format!("Gave {} the role {}", person.name, role.kind.label())
        } else {
            format!("Took the role {} from {}", role.kind.label(), person.name)
        };
        self.commit(message, now)
    }

    /// One RACI activity: a standard one (stored or not yet), or a custom one.
    fn activity(&self, id: &str) -> Result<Option<Activity>, CommandError> {
        let stored: Option<Activity> = match self.existing_map(ROOT, "raci") {
            Some(raci) => self.hydrate_entry(&raci, id)?,
            None => None,
        };
        let standard = STANDARD_ACTIVITIES.iter().find(|(key, _)| *key == id);
        Ok(match (standard, stored) {
            (Some((_, name)), stored) => Some(Activity {
                name: (*name).to_owned(),
                ..stored.unwrap_or_default()
            }),
            (None, stored) => stored,
        })
    }

    /// Adds a custom RACI activity and returns its id.
    pub fn add_activity(&mut self, name: &str, now: Millis) -> Result<String, CommandError> {
        let name = name.trim();
        let mut errors = ValidationErrors::default();
        if name.is_empty() {
            errors.push(Field::ActivityName, "Enter the activity's name.");
        } else {
            check_length(&mut errors, Field::ActivityName, name, MAX_SHORT);
        }
        errors.into_result(())?;
        let id = self.next_id(now);
        let activity = Activity {
            name: name.to_owned(),
            assignments: BTreeMap::new(),
            created_at: now,
        };
        self.guard(|ws| {
            let raci = ws.map(ROOT, "raci")?;
            Ok(reconcile_prop(&mut ws.doc, &raci, id.as_str(), &activity)?)
        })?;
        self.commit(format!("Added RACI activity “{name}”"), now)?;
        Ok(id)
    }

    /// Deletes a custom RACI activity; the standard ones cannot be deleted.
    pub fn delete_activity(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        if is_standard(id) {
            return Err(CommandError::NotAllowed(
                "The standard ISMS activities stay in the matrix.".to_owned(),
            ));
        }
        let old = self
            .activity(id)?
            .ok_or(CommandError::NotFound("activity"))?;
        self.guard(|ws| {
            let raci = ws.map(ROOT, "raci")?;
            Ok(ws.doc.delete(&raci, id)?)
        })?;
        self.commit(format!("Deleted RACI activity “{}”", old.name), now)
    }

    /// Sets (or with `None` clears) the letter of `role_id` for an activity.
    pub fn set_raci(
        &mut self,
        activity_id: &str,
        role_id: &str,
        letter: Option<Raci>,
        now: Millis,
    ) -> Result<(), CommandError> {
        let role = self.role(role_id)?.ok_or(CommandError::NotFound("role"))?;
        let activity = self
            .activity(activity_id)?
            .ok_or(CommandError::NotFound("activity"))?;
        if activity.assignments.get(role_id).copied() == letter {
            return Ok(());
        }
        self.guard(|ws| {
            let raci = ws.map(ROOT, "raci")?;
            let obj = ws.map(raci, activity_id)?;
            if is_standard(activity_id) {
                reconcile_prop(&mut ws.doc, &obj, "name", &activity.name)?;
            }
            let assignments = ws.map(obj, "assignments")?;
            match letter {
                Some(letter) => reconcile_prop(&mut ws.doc, &assignments, role_id, letter)?,
                None => ws.doc.delete(&assignments, role_id)?,
            }
            Ok(())
        })?;
        let what = letter.map_or_else(|| "no letter".to_owned(), |l| l.letter().to_string());
        self.commit(
            format!(
                "Set {} to {what} for “{}”",
                role.kind.label(),
                activity.name
            ),
            now,
        )
    }
}
