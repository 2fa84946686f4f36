//! The summary a reviewer reads first: what changed in who can reach what
//! and who checks identity, computed from two compiled models (not files).
//! Changes that let more people in, or check them less, are *widening*.

mod infra;
mod services;
#[cfg(test)]
mod tests;

use crate::model::Topology;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Reachable by more clients, or checked less.
    Widening,
    /// Reachable by fewer clients, or checked more.
    Narrowing,
    Neutral,
}

/// One reviewer-facing change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// `exposure`, `auth`, `service`, `hostname`, `client`, `dns`, `tunnel`, …
    pub aspect: &'static str,
    /// What changed: `litellm /ui`, `hostname api.example.com`, `client litellm`.
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub effect: Effect,
    /// The whole line, e.g. `litellm /ui: lan-only → public-app`.
    pub text: String,
}

impl Change {
    fn new(
        aspect: &'static str,
        subject: impl Into<String>,
        from: Option<String>,
        to: Option<String>,
        effect: Effect,
    ) -> Self {
        let subject = subject.into();
        // Subjects like `litellm /ui` need the aspect said; `client litellm policy` does not.
        let prefix = match aspect {
            "auth" | "host" | "upstream" | "container" | "listen" | "issuer" => {
                format!("{aspect} ")
            }
            _ => String::new(),
        };
        let text = match (&from, &to) {
            (Some(f), Some(t)) => format!("{subject}: {prefix}{f} → {t}"),
            (None, Some(t)) if t.is_empty() => format!("{subject} added"),
            (None, Some(t)) => format!("{subject} added: {t}"),
            (Some(f), None) if f.is_empty() => format!("{subject} removed"),
            (Some(f), None) => format!("{subject} removed: {f}"),
            (None, None) => format!("{subject} changed"),
        };
        Self {
            aspect,
            subject,
            from,
            to,
            effect,
            text,
        }
    }
}

/// Every change from `old` to `new`, in a stable order.
pub fn compare(old: &Topology, new: &Topology) -> Vec<Change> {
    let mut out = Vec::new();
    services::services(old, new, &mut out);
    infra::clients(old, new, &mut out);
    infra::identity(old, new, &mut out);
    infra::networks(old, new, &mut out);
    infra::proxy(old, new, &mut out);
    infra::tunnel(old, new, &mut out);
    infra::dns(old, new, &mut out);
    out
}
