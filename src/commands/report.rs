//! `lextrack report`: builds the static HTML site from the store.

use std::path::PathBuf;

use crate::catalog::model::Lang;
use crate::cli::Global;
use crate::commands::{progress_bar, with_store};
use crate::error::{Error, ExitCode, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    En,
    Ru,
    Kk,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write the site into. lextrack keeps a manifest there
    /// and only ever replaces or removes files it wrote.
    #[arg(long, default_value = "site", value_name = "DIR")]
    pub out: PathBuf,
    /// The language for titles and names; where a text is missing in it,
    /// another language is shown and marked.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// The address the site will be published at (http or https), for
    /// canonical links and the 404 page.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Write into a non-empty folder that lextrack did not create (nothing
    /// there is deleted or replaced: a file at one of the site's paths is
    /// refused).
    #[arg(long)]
    pub force: bool,
}

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    if let Some(url) = &args.base_url
        && crate::site::safe_base_url(url).is_none()
    {
        return Err(Error::Usage(format!(
            "--base-url `{url}` is not an http or https address with a host and without a query or fragment (e.g. `https://example.org/lextrack/`)"
        )));
    }
    super::refuse_out_under_a_file(&args.out, "write the site into")?;
    let lang = match args.lang {
        LangArg::En => Lang::En,
        LangArg::Ru => Lang::Ru,
        LangArg::Kk => Lang::Kk,
    };
    let options = crate::site::Options {
        out: args.out.clone(),
        lang,
        base_url: args.base_url,
        force: args.force,
        today: global.today(),
    };
    let stats = with_store(global, async |store| {
        crate::site::build(store, &options, &progress_bar("rendering")).await
    })
    .await?;
    eprintln!(
        "site: {} files in `{}` ({} written, {} unchanged, {} removed); open {}",
        stats.files,
        args.out.display(),
        stats.written,
        stats.unchanged,
        stats.removed,
        args.out.join("index.html").display()
    );
    Ok(ExitCode::Ok)
}
