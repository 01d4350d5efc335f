//! The catalog format: the files people edit and review in git.
//!
//! `model` defines the records, `load` reads files (TOML or JSON, on disk or
//! bundled), `validate` checks a batch before anything is written, `history`
//! states the order an agreement's events must keep (which the store holds
//! an import and `record` to, against the history it has), and `write`
//! turns records back into files for `export`.

pub mod history;
pub mod load;
mod maps_only;
pub mod model;
pub mod validate;
pub mod write;

pub use load::{Catalog, Format, LoadedFile};
