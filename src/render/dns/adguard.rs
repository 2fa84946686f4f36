//! AdGuard Home: `filtering.rewrites`, one entry per name and address. Each
//! carries `enabled: true`: since schema 31 (v0.107.68) a rewrite without it
//! is the Go zero value, false, and silently skipped (research §0.4). Exact
//! names only: AdGuard's `*.NAME` would answer the subtree but not NAME.

use super::{Context, Files, RenderError};
use crate::model::DnsOutput;

pub fn render(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    let text = cx.render("dns/adguard.yaml.j2", &cx.view(node))?;
    Ok(vec![(format!("dns/{}.yaml", node.name), text)])
}

#[cfg(test)]
mod tests {
    use crate::render::dns::{test_render, tests_common};

    #[test]
    fn rewrites_parse_and_are_all_enabled() {
        let out = test_render(&tests_common::topology("adguard"));
        let doc: serde_yaml::Value =
            serde_yaml::from_str(out.get("dns/lan.yaml").unwrap()).unwrap();
        assert_eq!(
            doc["filtering"]["rewrites_enabled"],
            serde_yaml::Value::Bool(true)
        );
        let rewrites: Vec<(String, String, bool)> = doc["filtering"]["rewrites"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["domain"].as_str().unwrap().to_string(),
                    r["answer"].as_str().unwrap().to_string(),
                    r["enabled"].as_bool().unwrap(),
                )
            })
            .collect();
        let expected: Vec<(String, String, bool)> = [
            ("api.example.com", "192.168.1.30"),
            ("api.example.com", "fd00::30"),
            ("auth.example.com", "192.168.1.30"),
            ("auth.example.com", "fd00::30"),
        ]
        .iter()
        .map(|(d, a)| (d.to_string(), a.to_string(), true))
        .collect();
        assert_eq!(rewrites, expected);
    }

    #[test]
    fn no_names_is_an_empty_list_not_null() {
        let mut topology = crate::render::dns::test_topology(&tests_common::topology("adguard"));
        topology.services.clear();
        topology.identity = None;
        let out = crate::render::dns::render_topology(&topology);
        let doc: serde_yaml::Value =
            serde_yaml::from_str(out.get("dns/lan.yaml").unwrap()).unwrap();
        assert_eq!(
            doc["filtering"]["rewrites"],
            serde_yaml::Value::Sequence(Vec::new())
        );
    }
}
