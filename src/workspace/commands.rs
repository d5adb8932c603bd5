//! Every change to a workspace goes through a command here: one Automerge
//! commit each, with a message a person can read in the history and the time
//! it was made.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjId, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{hydrate, hydrate_prop, reconcile_prop};

use crate::workspace::id::new_id;
use crate::workspace::model::{Health, Member, Meta, Objective, Workspace};
use crate::workspace::policies::text_splices;
use crate::workspace::validate::{Field, ObjectiveDraft, ObjectiveFields, ValidationErrors};
use crate::workspace::{Millis, validate};

/// The name changes are recorded under until a person gives theirs; nothing
/// that names who approved or confirmed it is accepted under it.
pub const UNNAMED: &str = "Unnamed participant";

/// Why a command could not be carried out.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CommandError {
    /// The input was not valid; the form shows each field's message.
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    /// The record is gone, most likely deleted by someone else meanwhile.
    #[error("This objective no longer exists; someone may have deleted it.")]
    ObjectiveNotFound,
    /// The document holds data this version of Charter cannot read.
    #[error("Part of this workspace could not be read ({0}). Nothing was changed.")]
    Unreadable(String),
    /// A joined workspace whose contents have not come from the relay yet:
    /// writing now would create a second, conflicting workspace root.
    #[error("This workspace has not arrived from the relay yet. Try again in a moment.")]
    NotArrived,
    /// This participant opened the workspace through a read-only link.
    #[error("You opened this workspace with a read-only link, so it cannot be changed here.")]
    ReadOnly,
    /// Automerge refused the change.
    #[error("The change could not be recorded ({0}). Nothing was changed.")]
    Document(String),
    /// A record other than an objective is gone (the text names what it was).
    #[error("This {0} no longer exists; someone may have deleted it.")]
    NotFound(&'static str),
    /// The record is in a state that does not allow this (the text says why).
    #[error("{0}")]
    NotAllowed(String),
}

impl From<autosurgeon::HydrateError> for CommandError {
    fn from(e: autosurgeon::HydrateError) -> Self {
        CommandError::Unreadable(e.to_string())
    }
}

impl From<autosurgeon::ReconcileError> for CommandError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        CommandError::Document(e.to_string())
    }
}

impl From<automerge::AutomergeError> for CommandError {
    fn from(e: automerge::AutomergeError) -> Self {
        CommandError::Document(e.to_string())
    }
}

/// A workspace document and the person editing it on this device.
#[derive(Debug)]
pub struct WorkspaceDoc {
    pub(crate) doc: AutoCommit,
    author: String,
    /// Where new record ids come from.
    ids: IdSource,
    /// Inside [`WorkspaceDoc::batch`]: commands write, and the batch commits once.
    in_batch: bool,
    /// The name this session's member entry is known to hold, so a commit
    /// (a keystroke) need not read it again.
    recorded_author: Option<String>,
    /// This browser's signing key for the workspace, if it has one: signs
    /// approvals and confirmations ([`crate::workspace::signing`]).
    pub(crate) device: Option<crate::workspace::signing::DeviceKey>,
}

/// Where new record ids come from: fresh randomness in the app, a seeded
/// sequence for the generated workspaces, so they come out the same each time.
#[derive(Debug, Clone)]
enum IdSource {
    Random,
    Seeded(crate::workspace::id::SplitMix),
}

impl WorkspaceDoc {
    /// Starts a new workspace for `organisation`, authored by `author`.
    pub fn create(
        organisation: &str,
        scope: &str,
        author: &str,
        now: Millis,
    ) -> Result<WorkspaceDoc, CommandError> {
        WorkspaceDoc::create_as(ActorId::random(), organisation, scope, author, now)
    }

    /// [`WorkspaceDoc::create`] under a given actor id (for generated workspaces).
    pub fn create_as(
        actor: ActorId,
        organisation: &str,
        scope: &str,
        author: &str,
        now: Millis,
    ) -> Result<WorkspaceDoc, CommandError> {
        let (organisation, scope) = validate::workspace_meta(organisation, scope)?;
        let mut ws = WorkspaceDoc::with_actor(AutoCommit::new(), actor, author);
        let meta = Meta {
            organisation: organisation.clone(),
            scope,
            created_at: now,
            founder: String::new(),
            review_every_months: None,
            climate: Default::default(),
            audit_programme: Default::default(),
        };
        reconcile_prop(&mut ws.doc, ROOT, "meta", &meta)?;
        ws.map(ROOT, "members")?;
        ws.map(ROOT, "objectives")?;
        // Created up front: two peers creating a missing map concurrently
        // would each make their own, and one map's records would be hidden.
        ws.map(ROOT, "budget")?;
        ws.map(ROOT, "fte")?;
        for key in [
            "people",
            "roles",
            "policies",
            "trainings",
            "keys",
            "competence",
            "communications",
            "reviews",
            "actions",
            "criteria",
            "risks",
            "soa",
            "soa_versions",
            "stages",
            "issues",
            "parties",
            "scopes",
            "planned_changes",
            "audits",
            "nonconformities",
            "improvements",
            "certificates",
        ] {
            ws.map(ROOT, key)?;
        }
        // The fixed rows (the ten ISMS activities, the eight duties of 5.1)
        // are created here too, for the same reason, down to their inner maps.
        let raci = ws.map(ROOT, "raci")?;
        for (id, name) in crate::workspace::roles::STANDARD_ACTIVITIES {
            let activity = ws.map(raci.clone(), id)?;
            reconcile_prop(&mut ws.doc, &activity, "name", name)?;
            ws.map(activity, "assignments")?;
        }
        let commitment = ws.map(ROOT, "commitment")?;
        for duty in crate::workspace::commitment::Duty::ALL {
            let record = ws.map(commitment.clone(), duty.letter())?;
            ws.map(record, "evidence")?;
        }
        ws.commit(format!("Created the workspace of {organisation}"), now)?;
        Ok(ws)
    }

    /// Wraps a document loaded from storage or the network. Each session
    /// edits under a fresh actor id, so two tabs never reuse a sequence number.
    pub fn from_automerge(doc: AutoCommit, author: &str) -> WorkspaceDoc {
        WorkspaceDoc::with_actor(doc, ActorId::random(), author)
    }

    /// Wraps a document that edits under a given actor id (for generated
    /// workspaces and tests that must come out the same every time).
    pub fn with_actor(doc: AutoCommit, actor: ActorId, author: &str) -> WorkspaceDoc {
        WorkspaceDoc {
            doc: doc.with_actor(actor),
            author: author.to_owned(),
            ids: IdSource::Random,
            in_batch: false,
            recorded_author: None,
            device: None,
        }
    }

    /// Makes later record ids come from a sequence seeded with `seed`.
    pub fn seed_ids(&mut self, seed: u64) {
        self.ids = IdSource::Seeded(crate::workspace::id::SplitMix::new(seed));
    }

    /// A new record id made at `now`.
    pub(crate) fn next_id(&mut self, now: Millis) -> String {
        match &mut self.ids {
            IdSource::Random => new_id(now),
            IdSource::Seeded(rng) => {
                let random = u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64());
                crate::workspace::id::id_from_parts(now, random)
            }
        }
    }

    /// Runs several commands as one change with `message` — the bulk path of
    /// the workspace generator. Each command validates and writes exactly as
    /// on its own; if one fails, the whole batch is rolled back.
    pub fn batch<T>(
        &mut self,
        message: impl Into<String>,
        now: Millis,
        commands: impl FnOnce(&mut WorkspaceDoc) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        if self.in_batch {
            return commands(self);
        }
        self.in_batch = true;
        let result = commands(self);
        self.in_batch = false;
        match result {
            Ok(value) => {
                if self.doc.pending_ops() > 0 {
                    self.commit(message.into(), now)?;
                }
                Ok(value)
            }
            Err(e) => {
                self.doc.rollback();
                Err(e)
            }
        }
    }

    /// The underlying Automerge document, for storage and sync.
    pub fn automerge(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// Gives up the wrapper and returns the Automerge document.
    pub fn into_automerge(self) -> AutoCommit {
        self.doc
    }

    /// The display name recorded against this session's changes.
    pub fn author(&self) -> &str {
        &self.author
    }

    /// Marks the record `area[id]` archived, now and by this session
    /// (`archive`), or takes the mark away; the caller commits.
    pub(crate) fn mark_archived(
        &mut self,
        area: &str,
        id: &str,
        archive: bool,
        now: Millis,
    ) -> Result<(), CommandError> {
        let archived = archive.then(|| crate::workspace::model::Archived {
            at: now,
            by: self.author.clone(),
        });
        self.guard(|ws| {
            let record = ws
                .existing_map(ROOT, area)
                .and_then(|map| ws.existing_map(map, id))
                .ok_or(CommandError::NotFound("record"))?;
            Ok(reconcile_prop(&mut ws.doc, &record, "archived", &archived)?)
        })
    }

    /// Refuses `what` (an approval, a confirmation) while this session has
    /// no name of its own: such a record names who gave it.
    pub(crate) fn require_name(&self, what: &str) -> Result<(), CommandError> {
        let name = self.author.trim();
        if name.is_empty() || name == UNNAMED {
            return Err(CommandError::NotAllowed(format!(
                "Add your name in your profile first: {what} names who gave it."
            )));
        }
        Ok(())
    }

    /// Changes the display name recorded against later changes.
    pub fn set_author(&mut self, author: &str) {
        author.clone_into(&mut self.author);
    }

    /// This session's actor id, as the hex key of the members map.
    pub fn actor(&self) -> String {
        self.doc.get_actor().to_hex_string()
    }

    /// The current state of the whole workspace.
    pub fn read(&self) -> Result<Workspace, CommandError> {
        Ok(hydrate(&self.doc)?)
    }

    /// The organisation name, scope and creation time.
    pub fn meta(&self) -> Result<Meta, CommandError> {
        Ok(self.hydrate_entry(&ROOT, "meta")?.unwrap_or_default())
    }

    /// One objective, if it exists.
    pub fn objective(&self, id: &str) -> Result<Option<Objective>, CommandError> {
        let Some(objectives) = self.existing_map(ROOT, "objectives") else {
            return Ok(None);
        };
        self.hydrate_entry(&objectives, id)
    }

    /// One objective with every field but its measurements (left empty): what
    /// commands on the objective itself need, at a cost that does not grow
    /// with the measurements it has collected over the years.
    pub(crate) fn objective_head(&self, id: &str) -> Result<Option<Objective>, CommandError> {
        let Some(record) = self.objective_obj(id) else {
            return Ok(None);
        };
        let mut objective = Objective::default();
        for field in OBJECTIVE_FIELDS {
            self.read_objective_field(&record, &mut objective, field)?;
        }
        Ok(Some(objective))
    }

    /// One objective with only the named `fields` read (the others left at
    /// their defaults): for a command that only names the objective in its
    /// message, at two reads rather than [`WorkspaceDoc::objective_head`]'s
    /// twenty-two.
    pub(crate) fn objective_fields(
        &self,
        id: &str,
        fields: &[&str],
    ) -> Result<Option<Objective>, CommandError> {
        let Some(record) = self.objective_obj(id) else {
            return Ok(None);
        };
        let mut objective = Objective::default();
        for field in fields {
            self.read_objective_field(&record, &mut objective, field)?;
        }
        Ok(Some(objective))
    }

    /// The map of objective `id`, if it exists.
    pub(crate) fn objective_obj(&self, id: &str) -> Option<ObjId> {
        self.existing_map(ROOT, "objectives")
            .and_then(|objectives| self.existing_map(objectives, id))
    }

    /// Writes the objective's fields that differ between `old` and `new`:
    /// not its measurements, nor its description, which has its own splices.
    pub(crate) fn write_objective_fields(
        &mut self,
        id: &str,
        old: &Objective,
        new: &Objective,
    ) -> Result<(), CommandError> {
        let record = self
            .objective_obj(id)
            .ok_or(CommandError::ObjectiveNotFound)?;
        macro_rules! write {
            ($($field:ident),*) => {
                $(if old.$field != new.$field {
                    reconcile_prop(&mut self.doc, &record, stringify!($field), &new.$field)?;
                })*
            };
        }
        write!(
            title,
            target,
            unit,
            owner,
            owner_id,
            function,
            due,
            health,
            health_reason,
            evaluation,
            plan,
            resources,
            policy_id,
            risk_ids,
            direction,
            monitor_months,
            measured_by,
            analysed_by,
            status,
            closing
        );
        Ok(())
    }

    /// The record at `map[key]`, or `None` when there is none. Never inlined:
    /// one copy per record kind keeps the app small.
    #[inline(never)]
    pub(crate) fn hydrate_entry<T: autosurgeon::Hydrate>(
        &self,
        map: &ObjId,
        key: &str,
    ) -> Result<Option<T>, CommandError> {
        match self.doc.get(map, key)? {
            Some(_) => Ok(Some(hydrate_prop(&self.doc, map, key)?)),
            None => Ok(None),
        }
    }

    /// Changes the organisation name and scope statement.
    pub fn edit_meta(
        &mut self,
        organisation: &str,
        scope: &str,
        now: Millis,
    ) -> Result<(), CommandError> {
        let (organisation, scope) = validate::workspace_meta(organisation, scope)?;
        let old = self.meta()?;
        let meta = Meta {
            organisation,
            scope,
            created_at: old.created_at,
            founder: old.founder.clone(),
            review_every_months: old.review_every_months,
            climate: old.climate.clone(),
            audit_programme: old.audit_programme.clone(),
        };
        if meta == old {
            return Ok(());
        }
        let mut changed = Vec::new();
        if meta.organisation != old.organisation {
            changed.push(format!(
                "name “{}” → “{}”",
                old.organisation, meta.organisation
            ));
        }
        if meta.scope != old.scope {
            changed.push("scope".to_owned());
        }
        self.guard(|ws| reconcile_prop(&mut ws.doc, ROOT, "meta", &meta).map_err(Into::into))?;
        self.commit(
            format!("Changed the workspace's {}", changed.join(", ")),
            now,
        )
    }

    /// Adds an objective and returns its new id.
    pub fn add_objective(
        &mut self,
        draft: &ObjectiveDraft,
        now: Millis,
    ) -> Result<String, CommandError> {
        let fields = draft.validate()?;
        let id = self.next_id(now);
        let mut objective = Objective {
            created_at: now,
            ..Default::default()
        };
        apply_fields(&mut objective, &fields);
        self.check_objective(&objective, None, now)?;
        self.guard(|ws| {
            let objectives = ws.map(ROOT, "objectives")?;
            Ok(reconcile_prop(
                &mut ws.doc,
                &objectives,
                id.as_str(),
                &objective,
            )?)
        })?;
        self.commit(format!("Added objective “{}”", fields.title), now)?;
        Ok(id)
    }

    /// Changes an objective's fields; only the fields that differ are written,
    /// so concurrent edits of other fields merge.
    pub fn edit_objective(
        &mut self,
        id: &str,
        draft: &ObjectiveDraft,
        now: Millis,
    ) -> Result<(), CommandError> {
        let fields = draft.validate()?;
        let old = self
            .objective_head(id)?
            .ok_or(CommandError::ObjectiveNotFound)?;
        let mut objective = old.clone();
        apply_fields(&mut objective, &fields);
        self.check_objective(&objective, Some(id), now)?;
        let changes = describe_changes(&old, &objective);
        if changes.is_empty() {
            return Ok(());
        }
        // The description is written as splices against the stored text, so
        // concurrent edits of it interleave; the other fields that changed are
        // written one by one, so concurrent edits of other fields merge.
        let description = objective.description.as_str().to_owned();
        self.guard(|ws| {
            ws.write_objective_fields(id, &old, &objective)?;
            if description != old.description.as_str() {
                let record = ws
                    .objective_obj(id)
                    .ok_or(CommandError::ObjectiveNotFound)?;
                let text = match ws.doc.get(&record, "description")? {
                    Some((Value::Object(ObjType::Text), text)) => text,
                    _ => ws.doc.put_object(&record, "description", ObjType::Text)?,
                };
                let encoding = ws.doc.text_encoding();
                for splice in text_splices(old.description.as_str(), &description, encoding) {
                    let del = isize::try_from(splice.del)
                        .map_err(|e| CommandError::Document(e.to_string()))?;
                    ws.doc.splice_text(&text, splice.pos, del, &splice.insert)?;
                }
            }
            Ok(())
        })?;
        self.commit(
            format!("Changed objective “{}”: {}", old.title, changes.join("; ")),
            now,
        )
    }

    /// The checks that need the document: the owner is someone in People, and
    /// an assessed health that the measurements do not support has a reason
    /// (read with the objective's own measurements, when it has an `id`).
    fn check_objective(
        &self,
        objective: &Objective,
        id: Option<&str>,
        now: Millis,
    ) -> Result<(), CommandError> {
        let mut errors = ValidationErrors::default();
        if let Some(owner) = &objective.owner_id
            && self.person(owner)?.is_none()
        {
            errors.push(Field::Owner, "Choose the owner from People.");
        }
        let measured;
        let judged = match id {
            Some(id) if objective.health != Health::NotAssessed => {
                measured = Objective {
                    measurements: self
                        .objective(id)?
                        .map(|o| o.measurements)
                        .unwrap_or_default(),
                    ..objective.clone()
                };
                &measured
            }
            _ => objective,
        };
        crate::workspace::assessment::check_judgement(
            judged,
            crate::workspace::measurements::day_of(now),
            &mut errors,
        );
        errors.into_result(()).map_err(Into::into)
    }

    /// Drops a person's assessment of an objective's health and its reason,
    /// so the health shown is again the one the measurements support.
    pub fn follow_measurements(&mut self, id: &str, now: Millis) -> Result<(), CommandError> {
        let old = self
            .objective_head(id)?
            .ok_or(CommandError::ObjectiveNotFound)?;
        if old.health == Health::NotAssessed && old.health_reason.is_empty() {
            return Ok(());
        }
        let new = Objective {
            health: Health::NotAssessed,
            health_reason: String::new(),
            ..old.clone()
        };
        self.guard(|ws| ws.write_objective_fields(id, &old, &new))?;
        self.commit(
            format!(
                "“{}” follows its measurements again (was assessed {})",
                old.title,
                old.health.label().to_lowercase()
            ),
            now,
        )
    }

    /// Deletes an objective and returns it, so the UI can offer to undo.
    pub fn delete_objective(&mut self, id: &str, now: Millis) -> Result<Objective, CommandError> {
        let old = self.objective(id)?.ok_or(CommandError::ObjectiveNotFound)?;
        self.guard(|ws| {
            let objectives = ws.map(ROOT, "objectives")?;
            Ok(ws.doc.delete(&objectives, id)?)
        })?;
        self.commit(format!("Deleted objective “{}”", old.title), now)?;
        Ok(old)
    }

    /// Puts back an objective deleted earlier, under its old id.
    pub fn restore_objective(
        &mut self,
        id: &str,
        objective: &Objective,
        now: Millis,
    ) -> Result<(), CommandError> {
        // A hydrated text remembers the document state it came from; a fresh
        // copy is written as new text instead of as edits to the deleted one.
        let fresh = Objective {
            description: autosurgeon::Text::with_value(objective.description.as_str()),
            ..objective.clone()
        };
        self.guard(|ws| {
            let objectives = ws.map(ROOT, "objectives")?;
            Ok(reconcile_prop(&mut ws.doc, &objectives, id, &fresh)?)
        })?;
        self.commit(format!("Restored objective “{}”", objective.title), now)
    }

    /// Runs `change`; if it fails, rolls back whatever it had started so a
    /// failed command leaves the document exactly as it was.
    pub(crate) fn guard(
        &mut self,
        change: impl FnOnce(&mut WorkspaceDoc) -> Result<(), CommandError>,
    ) -> Result<(), CommandError> {
        let result = change(self);
        if result.is_err() {
            self.doc.rollback();
        }
        result
    }

    /// Records the author in the members map and commits the pending
    /// operations as one change.
    pub(crate) fn commit(&mut self, message: String, now: Millis) -> Result<(), CommandError> {
        if self.in_batch {
            return Ok(());
        }
        if self.recorded_author.as_deref() != Some(self.author.as_str()) {
            let actor = self.actor();
            let members = self.map(ROOT, "members")?;
            let known: Option<Member> = self.hydrate_entry(&members, &actor)?;
            if known.as_ref().map(|m| m.name.as_str()) != Some(self.author.as_str()) {
                let member = Member {
                    name: self.author.clone(),
                };
                reconcile_prop(&mut self.doc, &members, actor.as_str(), &member)?;
            }
        }
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(message)
                .with_time(now),
        );
        // Only this session writes its own member entry: it now holds the name.
        self.recorded_author = Some(self.author.clone());
        Ok(())
    }

    /// The map at `parent[key]`, created when it is missing.
    pub(crate) fn map(&mut self, parent: ObjId, key: &str) -> Result<ObjId, CommandError> {
        match self.existing_map(parent.clone(), key) {
            Some(id) => Ok(id),
            None => Ok(self.doc.put_object(parent, key, ObjType::Map)?),
        }
    }

    pub(crate) fn existing_map(&self, parent: ObjId, key: &str) -> Option<ObjId> {
        match self.doc.get(parent, key) {
            Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
            _ => None,
        }
    }
}

/// An objective's own fields, in the document, one by one: every field but
/// its measurements. One list, for [`WorkspaceDoc::objective_head`] and for
/// the state's field-by-field reads.
macro_rules! objective_fields {
    ($($field:ident),* $(,)?) => {
        /// The keys of an objective's own fields (all but its measurements).
        pub(crate) const OBJECTIVE_FIELDS: &[&str] = &[$(stringify!($field)),*];

        impl WorkspaceDoc {
            /// Reads the field `name` of the objective at `record` into
            /// `objective`; false when `name` is not one of its own fields.
            pub(crate) fn read_objective_field(
                &self,
                record: &ObjId,
                objective: &mut Objective,
                name: &str,
            ) -> Result<bool, CommandError> {
                match name {
                    $(stringify!($field) => {
                        objective.$field = self.hydrate_entry(record, name)?.unwrap_or_default();
                    })*
                    _ => return Ok(false),
                }
                Ok(true)
            }
        }
    };
}

objective_fields!(
    title,
    description,
    target,
    unit,
    owner,
    owner_id,
    function,
    due,
    health,
    health_reason,
    evaluation,
    created_at,
    plan,
    resources,
    policy_id,
    risk_ids,
    direction,
    monitor_months,
    measured_by,
    analysed_by,
    status,
    closing,
);

/// Copies the fields onto `objective`. A changed description is only copied
/// into a detached text here: `edit_objective` writes it as splices, because
/// autosurgeon 0.14's `Text::update` uses byte offsets where Automerge counts
/// code points, which corrupts non-ASCII text.
fn apply_fields(objective: &mut Objective, fields: &ObjectiveFields) {
    objective.title.clone_from(&fields.title);
    if objective.description.as_str() != fields.description {
        objective.description = autosurgeon::Text::with_value(&fields.description);
    }
    objective.target = fields.target;
    objective.unit.clone_from(&fields.unit);
    if let Some(direction) = fields.direction {
        objective.direction = direction;
    }
    // Choosing a person replaces an owner typed in before owners were People.
    if fields.owner_id.is_some() {
        objective.owner.clear();
    }
    objective.owner_id.clone_from(&fields.owner_id);
    objective.function.clone_from(&fields.function);
    objective.due.clone_from(&fields.due);
    objective.health = fields.health;
    objective.health_reason = if fields.health == Health::NotAssessed {
        String::new()
    } else {
        fields.health_reason.clone()
    };
    objective.evaluation.clone_from(&fields.evaluation);
}

/// "target 5 % → 3 %"-style phrases for each field that changed.
fn describe_changes(old: &Objective, new: &Objective) -> Vec<String> {
    let show = |value: Option<String>| value.unwrap_or_else(|| "none".to_owned());
    let mut changes = Vec::new();
    if old.title != new.title {
        changes.push(format!("title “{}” → “{}”", old.title, new.title));
    }
    if old.target != new.target || old.unit != new.unit {
        changes.push(format!(
            "target {} → {}",
            show(old.target_label()),
            show(new.target_label())
        ));
    }
    if old.due != new.due {
        changes.push(format!(
            "due date {} → {}",
            show(old.due.clone()),
            show(new.due.clone())
        ));
    }
    if old.direction != new.direction {
        changes.push(format!(
            "direction {} → {}",
            old.direction.slug(),
            new.direction.slug()
        ));
    }
    if old.health != new.health {
        changes.push(format!(
            "assessed health {} → {}",
            old.health.label(),
            new.health.label()
        ));
    }
    if old.health_reason != new.health_reason {
        changes.push("reason for the assessment".to_owned());
    }
    if old.owner != new.owner || old.owner_id != new.owner_id {
        changes.push("owner".to_owned());
    }
    if old.function != new.function {
        changes.push(format!("function “{}” → “{}”", old.function, new.function));
    }
    if old.description.as_str() != new.description.as_str() {
        changes.push("description".to_owned());
    }
    if old.evaluation != new.evaluation {
        changes.push("how results are evaluated".to_owned());
    }
    changes
}
