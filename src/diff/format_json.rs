//! The machine format: one JSON document with the same content as the
//! others (already redacted), plus totals. `--stat` leaves out the hunks.

use super::Report;

pub fn render(report: &Report, stat: bool) -> String {
    let mut value = serde_json::json!({
        "version": 1,
        "changes": report.has_changes(),
        "old": report.old,
        "new": report.new,
        "totals": report.totals(),
        "summary": report.summary,
        "actions": report.actions,
        "files": report.files,
    });
    if stat && let Some(files) = value.get_mut("files").and_then(|f| f.as_array_mut()) {
        for file in files {
            if let Some(diff) = file.get_mut("diff").and_then(|d| d.as_object_mut()) {
                diff.remove("hunks");
            }
        }
    }
    let mut text =
        serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
