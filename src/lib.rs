//! lextrack: a policy-document and legal-provision tracker.
//!
//! Data flows one way: catalog files ([`catalog`]) are validated and written
//! to the SQLite [`store`], whose queries feed the terminal
//! ([`commands`]) and the static site. `main` only calls [`run`].

pub mod catalog;
pub mod cli;
pub mod commands;
pub mod date;
pub mod diagnostics;
pub mod error;
pub mod output;
pub mod queries;
pub mod site;
pub mod store;

pub use error::{Error, ExitCode, Result};
