//! The workspace: the Automerge document that holds an organisation's ISMS, its
//! schema, the commands that change it and the rules that validate input.
//!
//! Nothing here touches the browser, so it is built and tested natively.

pub mod assessment;
pub mod audits;
pub mod certification;
pub mod changes;
pub mod commands;
pub mod commitment;
pub mod communication;
pub mod competence;
pub mod conflicts;
pub mod context;
pub mod csv;
pub mod diff;
pub mod dossier;
pub mod generate;
pub mod history;
pub mod id;
pub mod measurements;
pub mod model;
pub mod nonconformities;
pub mod overview;
pub mod plan;
pub mod planned_changes;
pub mod policies;
pub mod resources;
pub mod reviews;
pub mod risks;
pub mod roles;
pub mod sample;
pub mod signing;
pub mod soa;
pub mod text;
pub mod training;
pub mod validate;

pub use commands::{CommandError, WorkspaceDoc};
pub use model::{Health, Member, Meta, Objective, Workspace};
pub use validate::{Field, FieldError, ObjectiveDraft, ValidationErrors};

/// Milliseconds since the Unix epoch; taken by the caller, so commands stay pure.
pub type Millis = i64;
