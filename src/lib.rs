//! Charter: the workspace in which top management runs its ISO/IEC 27001 ISMS.
pub mod storage;
pub mod workspace;
