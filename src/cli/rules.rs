use super::EXIT_OK;
use crate::diagnostic::Severity;
use crate::lint::RULES;

pub fn run() -> i32 {
    println!("{:<8} {:<30} {:<8} summary", "code", "name", "level");
    for rule in RULES {
        let level = match rule.level {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        println!(
            "{:<8} {:<30} {:<8} {}",
            rule.code, rule.name, level, rule.summary
        );
    }
    println!(
        "\n`topo explain CODE` shows why a rule exists and an example; `allow \"CODE\"` in a service silences it there."
    );
    EXIT_OK
}
