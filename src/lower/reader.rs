//! Reading one KDL node against its [`NodeSpec`]: arguments and properties by
//! type, with every mistake turned into a diagnostic at the right span.

use kdl::{KdlNode, KdlValue};

use super::schema::{self, NodeSpec};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Span, Spanned};

pub struct NodeReader<'a> {
    pub node: &'a KdlNode,
    pub spec: &'a NodeSpec,
}

pub fn node_span(node: &KdlNode) -> Span {
    // The node's own span covers its children too; point at its name instead.
    Span::from(node.name().span())
}

/// The span of an entry's value alone (`"http://x"` in `upstream="http://x"`),
/// so a bad value is underlined rather than the whole property.
pub fn value_span(entry: &kdl::KdlEntry) -> Span {
    let whole = Span::from(entry.span());
    let (Some(key), Some(format)) = (entry.name(), entry.format()) else {
        return whole;
    };
    if entry.ty().is_some() || format.value_repr.is_empty() {
        return whole;
    }
    let key_span = Span::from(key.span());
    let start = key_span.offset + key_span.len + format.after_key.len() + 1 + format.after_eq.len();
    let span = Span::new(start, format.value_repr.len());
    if span.offset >= whole.offset
        && span.offset + span.len <= whole.offset + whole.len.max(span.len)
    {
        span
    } else {
        whole
    }
}

fn kind_of(value: &KdlValue) -> &'static str {
    match value {
        KdlValue::String(_) => "a string",
        KdlValue::Integer(_) => "a number",
        KdlValue::Float(_) => "a number",
        KdlValue::Bool(_) => "a boolean",
        KdlValue::Null => "#null",
    }
}

impl<'a> NodeReader<'a> {
    /// Checks the node's shape (argument count, property and child names) and
    /// returns a reader for its values.
    pub fn new(
        node: &'a KdlNode,
        spec: &'a NodeSpec,
        child_specs: &'a [NodeSpec],
        diags: &mut Diagnostics,
    ) -> Self {
        let reader = Self { node, spec };
        let args: Vec<_> = node
            .entries()
            .iter()
            .filter(|e| e.name().is_none())
            .collect();
        let (min, max) = spec.args;
        if args.len() < min {
            diags.push(
                Diagnostic::error(format!("`{}` is missing a value", spec.name))
                    .at(node_span(node))
                    .label(if min == 1 {
                        "needs an argument"
                    } else {
                        "needs more arguments"
                    })
                    .help(format!("write it as: {}", spec.args_hint)),
            );
        }
        for extra in args.iter().skip(max) {
            diags.push(
                Diagnostic::error(format!(
                    "`{}` takes {} argument(s); this one is extra",
                    spec.name, max
                ))
                .at(extra.span().into())
                .help(format!("write it as: {}", spec.args_hint)),
            );
        }
        let mut seen: Vec<&str> = Vec::new();
        for entry in node.entries() {
            let Some(key) = entry.name() else { continue };
            let key_text = key.value();
            if !spec.properties.contains(&key_text) {
                let mut d =
                    Diagnostic::error(format!("unknown property `{key_text}` on `{}`", spec.name))
                        .at(key.span().into())
                        .label("not a property of this node");
                d = match did_you_mean(key_text, spec.properties.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if spec.properties.is_empty() => {
                        d.help(format!("`{}` takes no properties", spec.name))
                    }
                    None => d.help(format!(
                        "`{}` accepts: {}",
                        spec.name,
                        spec.properties.join(", ")
                    )),
                };
                diags.push(d);
            } else if seen.contains(&key_text) {
                diags.push(
                    Diagnostic::error(format!("property `{key_text}` is given twice"))
                        .at(key.span().into())
                        .help("keep one of them"),
                );
            }
            seen.push(key_text);
        }
        if let Some(children) = node.children() {
            for child in children.nodes() {
                let name = child.name().value();
                if schema::find(child_specs, name).is_none() || !spec.children.contains(&name) {
                    diags.push(unknown_node(child, spec.children, Some(spec.name)));
                }
            }
        }
        reader
    }

    pub fn name_span(&self) -> Span {
        node_span(self.node)
    }

    /// Positional argument `index` as a string.
    pub fn arg_str(&self, index: usize, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let entry = self
            .node
            .entries()
            .iter()
            .filter(|e| e.name().is_none())
            .nth(index)?;
        expect_string(
            entry.value(),
            entry.span().into(),
            &format!("argument of `{}`", self.spec.name),
            diags,
        )
    }

    /// All positional arguments from `from` on, as strings.
    pub fn args_str(&self, from: usize, diags: &mut Diagnostics) -> Vec<Spanned<String>> {
        self.node
            .entries()
            .iter()
            .filter(|e| e.name().is_none())
            .skip(from)
            .filter_map(|e| {
                expect_string(
                    e.value(),
                    e.span().into(),
                    &format!("argument of `{}`", self.spec.name),
                    diags,
                )
            })
            .collect()
    }

    fn prop(&self, key: &str) -> Option<&'a kdl::KdlEntry> {
        // The first one: duplicates are reported in `new`.
        self.node
            .entries()
            .iter()
            .find(|e| e.name().is_some_and(|n| n.value() == key))
    }

    pub fn prop_str(&self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let entry = self.prop(key)?;
        expect_string(entry.value(), value_span(entry), &format!("`{key}`"), diags)
    }

    /// A required string property; reports it missing.
    pub fn require_str(
        &self,
        key: &str,
        example: &str,
        diags: &mut Diagnostics,
    ) -> Option<Spanned<String>> {
        if self.prop(key).is_none() {
            diags.push(
                Diagnostic::error(format!("`{}` needs `{key}`", self.spec.name))
                    .at(self.name_span())
                    .label(format!("no `{key}` here"))
                    .help(format!("add {key}=\"{example}\"")),
            );
            return None;
        }
        self.prop_str(key, diags)
    }

    pub fn prop_bool(&self, key: &str, diags: &mut Diagnostics) -> Option<Spanned<bool>> {
        let entry = self.prop(key)?;
        match entry.value() {
            KdlValue::Bool(b) => Some(Spanned::new(*b, value_span(entry))),
            KdlValue::String(s) if matches!(s.as_str(), "true" | "false" | "yes" | "no") => {
                diags.push(
                    Diagnostic::error(format!("`{key}` must be a boolean, not the string \"{s}\""))
                        .at(value_span(entry))
                        .help(format!(
                            "write {key}=#{}",
                            matches!(s.as_str(), "true" | "yes")
                        )),
                );
                None
            }
            other => {
                diags.push(
                    Diagnostic::error(format!("`{key}` must be a boolean, not {}", kind_of(other)))
                        .at(value_span(entry))
                        .help(format!("write {key}=#true or {key}=#false")),
                );
                None
            }
        }
    }

    /// Child nodes with `name`.
    pub fn children(&self, name: &'a str) -> impl Iterator<Item = &'a KdlNode> + 'a {
        self.node
            .children()
            .into_iter()
            .flat_map(|c| c.nodes().iter())
            .filter(move |n| n.name().value() == name)
    }
}

fn expect_string(
    value: &KdlValue,
    span: Span,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Spanned<String>> {
    match value {
        KdlValue::String(s) => Some(Spanned::new(s.clone(), span)),
        other => {
            let shown = match other {
                KdlValue::Integer(i) => format!("\"{i}\""),
                KdlValue::Float(f) => format!("\"{f}\""),
                KdlValue::Bool(b) => format!("\"{b}\""),
                _ => "\"…\"".to_string(),
            };
            diags.push(
                Diagnostic::error(format!("{what} must be a string, not {}", kind_of(other)))
                    .at(span)
                    .label("wrong type")
                    .help(format!("quote it: {shown}")),
            );
            None
        }
    }
}

/// An unknown node name, with the closest known one as a hint.
pub fn unknown_node(node: &KdlNode, allowed: &[&str], parent: Option<&str>) -> Diagnostic {
    let name = node.name().value();
    let place = match parent {
        Some(p) => format!("inside `{p}`"),
        None => "at the top level".to_string(),
    };
    let d = Diagnostic::error(format!("unknown node `{name}` {place}"))
        .at(node_span(node))
        .label("not part of the topology language");
    match did_you_mean(name, allowed.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None if allowed.is_empty() => d.help(format!(
            "`{}` takes no children",
            parent.unwrap_or("this node")
        )),
        None => d.help(format!("expected one of: {}", allowed.join(", "))),
    }
}

/// Parses a keyword (exposure class, auth mode, …) with a hint for near misses
/// such as `lan_only`.
pub fn keyword<T: Copy>(
    value: &Spanned<String>,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
    all: &[&'static str],
    diags: &mut Diagnostics,
) -> Option<T> {
    if let Some(v) = parse(&value.value) {
        return Some(v);
    }
    let normalized = value.value.to_lowercase().replace('_', "-");
    let normalized_alt = value.value.to_lowercase().replace('-', "_");
    let hint = all
        .iter()
        .find(|k| **k == normalized || **k == normalized_alt)
        .copied()
        .or_else(|| did_you_mean(&value.value, all.iter().copied()));
    let d = Diagnostic::error(format!("`{}` is not a valid {what}", value.value))
        .at(value.span)
        .label(format!("unknown {what}"));
    diags.push(match hint {
        Some(h) => d.help(format!("did you mean `{h}`? (valid: {})", all.join(", "))),
        None => d.help(format!("valid values: {}", all.join(", "))),
    });
    None
}
