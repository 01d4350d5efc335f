//! `lextrack report`: not built yet (placeholder so the command table is
//! fixed; replace this module whole).

use crate::cli::Global;
use crate::error::{Error, ExitCode, Result};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(_global: &Global, _args: Args) -> Result<ExitCode> {
    Err(Error::Usage("`report` is not available yet".into()))
}
