//! The optional `deploy` node: where each generated file is deployed.
//!
//! ```kdl
//! deploy root="/srv/topo" {
//!     path "traefik/dynamic" "/etc/traefik/dynamic"
//!     path "authelia/configuration.topo.yml" "/etc/authelia/configuration.topo.yml"
//! }
//! ```

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Deploy, DeployPath, Spanned};

use super::reader::NodeReader;
use super::schema;

pub fn deploy(reader: &NodeReader<'_>, diags: &mut Diagnostics) -> Option<Deploy> {
    let root = reader
        .prop_str("root", diags)
        .and_then(|r| target(&r, diags));
    let mut paths: Vec<DeployPath> = Vec::new();
    for node in reader.children("path") {
        let spec = schema::find(schema::DEPLOY_CHILDREN, "path").expect("spec exists");
        let child = NodeReader::new(node, spec, &[], diags);
        let (Some(from), Some(to)) = (child.arg_str(0, diags), child.arg_str(1, diags)) else {
            continue;
        };
        let (Some(source), Some(to)) = (source(&from, diags), target(&to, diags)) else {
            continue;
        };
        if paths.iter().any(|p| p.source == source) {
            diags.push(
                Diagnostic::error(format!("`{source}` is mapped twice in `deploy`"))
                    .at(from.span)
                    .help(
                        "each file or directory of out/ is deployed to one place; keep one `path`",
                    ),
            );
            continue;
        }
        paths.push(DeployPath {
            source,
            target: to,
            span: child.name_span(),
        });
    }
    if root.is_none() && paths.is_empty() {
        diags.push(
            Diagnostic::error("`deploy` says nothing about where files go")
                .at(reader.name_span())
                .help("add root=\"/srv/topo\" (out/ mirrored there) or children like: path \"traefik\" \"/etc/traefik\""),
        );
        return None;
    }
    paths.sort_by(|a, b| a.source.cmp(&b.source));
    Some(Deploy {
        root,
        paths,
        span: reader.name_span(),
    })
}

/// An `out/`-relative file or directory: no absolute path, no `..`.
fn source(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    let trimmed = value.value.trim_end_matches('/');
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    let ok = !trimmed.is_empty()
        && !trimmed.starts_with('/')
        && trimmed
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !ok {
        diags.push(
            Diagnostic::error(format!("`{}` is not a path inside out/", value.value))
                .at(value.span)
                .label("expected a relative path such as traefik/dynamic")
                .help("the first argument names a generated file or directory relative to out/; the second says where it is deployed"),
        );
        return None;
    }
    Some(trimmed.to_string())
}

/// A deployed location: any non-empty path; relative ones are relative to the topology.
fn target(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<String> {
    if value.value.trim().is_empty() || value.value.contains('\0') {
        diags.push(
            Diagnostic::error("a deploy location must be a path")
                .at(value.span)
                .help(
                    "write an absolute path such as /etc/traefik, or one relative to topology.kdl",
                ),
        );
        return None;
    }
    Some(value.value.clone())
}
