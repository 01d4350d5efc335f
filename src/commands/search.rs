//! `lextrack search`: full-text search over titles, provision text, notes,
//! obligations and names, in English, Russian and Kazakh, best first.

use super::with_store;
use crate::cli::Global;
use crate::error::{ExitCode, Result};
use crate::output::{Format, Tabular, opt, print_rows};
use crate::queries::{SearchHit, SearchKind, SearchQuery};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words to find, all of them; `word*` matches words starting so.
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Only hits in this document (ID): the document, its provisions and
    /// obligations.
    #[arg(long)]
    pub document: Option<String>,
    /// Only hits of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<SearchKind>,
    /// At most this many hits (at least 1).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    let q = SearchQuery {
        text: args.text.join(" "),
        document: args.document,
        kind: args.kind,
        limit: args.limit as usize,
        highlight: ("**".into(), "**".into()),
    };
    let hits = with_store(global, async |store| store.search(&q).await).await?;
    print_rows(&hits, args.format, "nothing matches")?;
    Ok(ExitCode::Ok)
}

impl Tabular for SearchHit {
    const COLUMNS: &'static [&'static str] =
        &["kind", "id", "document", "title", "snippet", "rank"];
    const TABLE: &'static [&'static str] = &["kind", "id", "title", "snippet"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.kind.as_str().to_owned(),
            self.id.clone(),
            opt(&self.document),
            self.title.clone(),
            self.snippet.clone(),
            format!("{:.3}", self.rank),
        ]
    }
}
