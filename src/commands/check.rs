//! `lextrack check`: the integrity report, as text or JSON. Exits 1 when
//! it finds errors; warnings alone exit 0.

use serde::Serialize;

use super::{stdout_line, with_store};
use crate::cli::{Global, ReportFormat};
use crate::error::{Error, ExitCode, Result};
use crate::store::{Finding, Severity};

#[derive(Serialize)]
struct Report<'a> {
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

pub async fn run(global: &Global, format: ReportFormat) -> Result<ExitCode> {
    let findings = with_store(global, async |store| store.check(global.today()).await).await?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let mut out = std::io::stdout().lock();
    match format {
        ReportFormat::Json => {
            let report = Report {
                errors,
                warnings,
                findings: &findings,
            };
            let text = serde_json::to_string_pretty(&report).map_err(|e| Error::Encode {
                what: "the check report".into(),
                source: Box::new(e),
            })?;
            stdout_line(&mut out, text)?;
        }
        ReportFormat::Text => {
            for f in &findings {
                stdout_line(
                    &mut out,
                    format_args!(
                        "{}[{}] {}: {}",
                        f.severity.as_str(),
                        f.code,
                        f.subject,
                        f.message
                    ),
                )?;
            }
            stdout_line(
                &mut out,
                format_args!(
                    "{errors} error{}, {warnings} warning{}",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" }
                ),
            )?;
        }
    }
    Ok(if errors > 0 {
        ExitCode::Problems
    } else {
        ExitCode::Ok
    })
}
