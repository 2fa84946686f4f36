//! The `service` node and its children.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Auth, Exposure, Oidc, Policy, Route, RoutePath, Service, Spanned};
use crate::profiles::Catalog;

use super::reader::{NodeReader, keyword};
use super::schema;
use super::values;

const EXPOSURES: &[&str] = &["public-api", "public-app", "lan-only"];
const AUTHS: &[&str] = &["none", "app", "forward-auth", "oidc"];
const POLICIES: &[&str] = &["one_factor", "two_factor"];

fn child_reader<'a>(node: &'a kdl::KdlNode, name: &str, diags: &mut Diagnostics) -> NodeReader<'a> {
    let spec = schema::find(schema::SERVICE_CHILDREN, name).expect("service child spec exists");
    let children: &[schema::NodeSpec] = if name == "oidc" {
        schema::OIDC_CHILDREN
    } else {
        &[]
    };
    NodeReader::new(node, spec, children, diags)
}

fn exposure(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<Exposure> {
    keyword(value, "exposure class", Exposure::parse, EXPOSURES, diags)
}

fn auth(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<Auth> {
    keyword(value, "auth mode", Auth::parse, AUTHS, diags)
}

fn policy(value: &Spanned<String>, diags: &mut Diagnostics) -> Option<Policy> {
    keyword(value, "policy", Policy::parse, POLICIES, diags)
}

/// Reads a child that may appear once; a second one is reported.
fn single<'a>(
    reader: &NodeReader<'a>,
    name: &'static str,
    diags: &mut Diagnostics,
) -> Option<NodeReader<'a>> {
    let mut nodes = reader.children(name);
    let first = nodes.next()?;
    for extra in nodes {
        diags.push(
            Diagnostic::error(format!("`{name}` is given twice in service"))
                .at(super::reader::node_span(extra))
                .help(format!(
                    "a service has one `{name}`; use `route` for per-path settings"
                )),
        );
    }
    Some(child_reader(first, name, diags))
}

pub fn service(
    reader: &NodeReader<'_>,
    catalog: &Catalog,
    diags: &mut Diagnostics,
) -> Option<(Spanned<String>, Service)> {
    let name = reader.arg_str(0, diags);
    let ident = name
        .as_ref()
        .and_then(|n| values::identifier(n, "service", diags));
    let host = reader.require_str("host", "docker1", diags);
    let upstream = reader
        .require_str("upstream", "http://app:8080", diags)
        .and_then(|u| values::url(&u, "upstream URL", diags).map(|url| Spanned::new(url, u.span)));
    let listen = reader.prop_str("listen", diags).and_then(|l| {
        values::socket_addr(&l, "listen address", diags).map(|a| Spanned::new(a, l.span))
    });
    let container = match reader.prop_str("container", diags) {
        Some(c) => values::identifier(&c, "container", diags),
        None => ident.clone(),
    };

    // hostname: one or more nodes, each with one or more names.
    let mut hostnames = Vec::new();
    for node in reader.children("hostname") {
        let h = child_reader(node, "hostname", diags);
        for value in h.args_str(0, diags) {
            if let Some(hostname) = values::hostname(&value, diags) {
                if hostnames
                    .iter()
                    .any(|x: &crate::model::Hostname| x.name == hostname.name)
                {
                    diags.push(
                        Diagnostic::error(format!("hostname `{}` is listed twice", hostname.name))
                            .at(value.span)
                            .help("remove the repeated name"),
                    );
                } else {
                    hostnames.push(hostname);
                }
            }
        }
    }
    if hostnames.is_empty() && reader.children("hostname").next().is_none() {
        diags.push(
            Diagnostic::error("the service has no `hostname`")
                .at(reader.name_span())
                .help("add one: hostname \"app.example.com\""),
        );
    }

    let default_exposure = single(reader, "exposure", diags)
        .and_then(|e| e.arg_str(0, diags))
        .and_then(|v| exposure(&v, diags));
    let (default_auth, default_policy) = match single(reader, "auth", diags) {
        Some(a) => {
            let mode = a.arg_str(0, diags).and_then(|v| auth(&v, diags));
            let pol = a.prop_str("policy", diags).and_then(|v| policy(&v, diags));
            (mode, pol)
        }
        None => (None, None),
    };
    if reader.children("exposure").next().is_none() {
        diags.push(
            Diagnostic::error("the service has no `exposure`")
                .at(reader.name_span())
                .help("say who may reach it: exposure \"lan-only\" (or \"public-app\", \"public-api\")"),
        );
    }
    if reader.children("auth").next().is_none() {
        diags.push(
            Diagnostic::error("the service has no `auth`")
                .at(reader.name_span())
                .help("say who checks identity: auth \"forward-auth\" (or \"none\", \"app\", \"oidc\")"),
        );
    }
    let default_exposure = default_exposure.unwrap_or(Exposure::LanOnly);
    let default_auth = default_auth.unwrap_or(Auth::None);
    let default_policy = default_policy.unwrap_or_default();

    let mut routes = vec![Route {
        path: RoutePath::Root,
        exposure: default_exposure,
        auth: default_auth,
        policy: default_policy,
        span: reader.name_span(),
    }];
    let mut root_overridden = false;
    for node in reader.children("route") {
        let r = child_reader(node, "route", diags);
        let Some(path_value) = r.arg_str(0, diags) else {
            continue;
        };
        let Some(path) = values::route_path(&path_value, diags) else {
            continue;
        };
        let exposure = r.prop_str("exposure", diags).map(|v| exposure(&v, diags));
        let auth = r.prop_str("auth", diags).map(|v| auth(&v, diags));
        let pol = r.prop_str("policy", diags).map(|v| policy(&v, diags));
        let route = Route {
            path: if path == "/" {
                RoutePath::Root
            } else {
                RoutePath::Prefix(path.clone())
            },
            exposure: exposure.flatten().unwrap_or(default_exposure),
            auth: auth.flatten().unwrap_or(default_auth),
            policy: pol.flatten().unwrap_or(default_policy),
            span: path_value.span,
        };
        if route.path.is_root() {
            if root_overridden {
                diags.push(
                    Diagnostic::error("route \"/\" is given twice")
                        .at(path_value.span)
                        .help("keep one"),
                );
            }
            root_overridden = true;
            routes[0] = route;
            continue;
        }
        if routes.iter().any(|x| x.path == route.path) {
            diags.push(
                Diagnostic::error(format!("route `{path}` is given twice"))
                    .at(path_value.span)
                    .help(
                        "each path prefix may be routed once; `/v1` and `/v1/` are the same route",
                    ),
            );
            continue;
        }
        routes.push(route);
    }
    routes[1..].sort_by(|a, b| a.path.cmp(&b.path));

    let oidc_node = single(reader, "oidc", diags);
    let uses_oidc = routes.iter().any(|r| r.auth == Auth::Oidc);
    match (&oidc_node, uses_oidc) {
        (None, true) => diags.push(
            Diagnostic::error("the service uses auth `oidc` but has no `oidc` block")
                .at(routes.iter().find(|r| r.auth == Auth::Oidc).map_or(reader.name_span(), |r| r.span))
                .help("say how the app speaks OIDC: oidc profile=\"generic\" (or litellm, grafana, open-webui, …)"),
        ),
        (Some(o), false) => diags.push(
            Diagnostic::error("the service has an `oidc` block but no route uses auth `oidc`")
                .at(o.name_span())
                .help("set auth \"oidc\" on the service or a route, or remove the `oidc` block"),
        ),
        _ => {}
    }
    let oidc = oidc_node.and_then(|o| oidc(&o, catalog, diags));

    let mut env = BTreeMap::new();
    for node in reader.children("env") {
        let e = child_reader(node, "env", diags);
        let (Some(key), Some(value)) = (e.arg_str(0, diags), e.arg_str(1, diags)) else {
            continue;
        };
        let valid = key
            .value
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && key
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is not a valid environment variable name",
                    key.value
                ))
                .at(key.span)
                .help("use letters, digits and `_`, not starting with a digit"),
            );
        } else if env.insert(key.value.clone(), value.value).is_some() {
            diags.push(
                Diagnostic::error(format!("env `{}` is set twice", key.value))
                    .at(key.span)
                    .help("keep one"),
            );
        }
    }
    let mut allow = Vec::new();
    for node in reader.children("allow") {
        let a = child_reader(node, "allow", diags);
        allow.extend(a.args_str(0, diags).into_iter().map(|c| c.value));
    }

    let name = name?;
    Some((
        name,
        Service {
            name: ident?,
            span: reader.name_span(),
            host_span: host.as_ref()?.span,
            host: host?.value,
            upstream: upstream?,
            listen,
            container: container?,
            hostnames,
            routes,
            oidc,
            env,
            allow,
        },
    ))
}

fn oidc(reader: &NodeReader<'_>, catalog: &Catalog, diags: &mut Diagnostics) -> Option<Oidc> {
    let profile_name = reader.require_str("profile", "generic", diags);
    let pol = reader
        .prop_str("policy", diags)
        .and_then(|v| policy(&v, diags));
    let redirect_path = reader.prop_str("redirect-path", diags).and_then(|p| {
        if p.value.starts_with('/') {
            Some(p.value)
        } else {
            diags.push(
                Diagnostic::error(format!("redirect-path `{}` must start with `/`", p.value))
                    .at(p.span)
                    .help(format!("did you mean `/{}`?", p.value)),
            );
            None
        }
    });
    let mut scopes: Option<Vec<String>> = reader.prop_str("scopes", diags).map(|s| {
        s.value
            .split([' ', ','])
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    });
    for node in reader.children("scopes") {
        let spec = schema::find(schema::OIDC_CHILDREN, "scopes").expect("spec exists");
        let s = NodeReader::new(node, spec, &[], diags);
        scopes
            .get_or_insert_with(Vec::new)
            .extend(s.args_str(0, diags).into_iter().map(|v| v.value));
    }
    let pkce = reader.prop_bool("pkce", diags).map(|b| b.value);
    let profile_name = profile_name?;
    let Some(profile) = catalog.get(&profile_name.value) else {
        let d = Diagnostic::error(format!("unknown app profile `{}`", profile_name.value))
            .at(profile_name.span)
            .label("no such profile");
        let names: Vec<&str> = catalog.names().collect();
        diags.push(match did_you_mean(&profile_name.value, names.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`? (profiles: {})", names.join(", "))),
            None => d.help(format!(
                "built-in and local profiles: {}; add your own as profiles/{}.toml next to the topology",
                names.join(", "),
                profile_name.value
            )),
        });
        return None;
    };
    Some(Oidc {
        profile,
        policy: pol.unwrap_or_default(),
        redirect_path,
        scopes,
        pkce,
        span: reader.name_span(),
    })
}
