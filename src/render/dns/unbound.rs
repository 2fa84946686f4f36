//! Unbound: per name a `transparent` local-zone holding its `local-data`.
//! `local-data` answers the exact name only (a name below it still resolves
//! upstream), a missing type gets NODATA, and zones are per name so the file
//! never claims a whole domain that the user's own config may also declare.

use super::{Context, Files, RenderError};
use crate::model::DnsOutput;

pub fn render(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    let text = cx.render("dns/unbound.conf.j2", &cx.view(node))?;
    Ok(vec![(format!("dns/{}.conf", node.name), text)])
}

#[cfg(test)]
mod tests {
    use crate::render::dns::{test_render, tests_common};

    #[test]
    fn a_transparent_zone_and_local_data_per_name() {
        let out = test_render(&tests_common::topology("unbound"));
        let text = out.get("dns/lan.conf").unwrap();
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        assert_eq!(
            lines,
            [
                "server:",
                r#"local-zone: "api.example.com." transparent"#,
                r#"local-data: "api.example.com. 300 IN A 192.168.1.30""#,
                r#"local-data: "api.example.com. 300 IN AAAA fd00::30""#,
                r#"local-zone: "auth.example.com." transparent"#,
                r#"local-data: "auth.example.com. 300 IN A 192.168.1.30""#,
                r#"local-data: "auth.example.com. 300 IN AAAA fd00::30""#,
            ]
        );
    }
}
