//! What to do for one OIDC client, from what the store and the lock hold.
//! Pure decisions; the argon2 work happens in `resolve`.

use super::Secret;
use super::store::StoredClient;

/// The next step for one client.
#[derive(Debug)]
pub enum Step {
    /// The store's secret is unchanged and was hashed to the locked hash: no work.
    Reuse { hash: String },
    /// Check the locked hash against the stored secret (one argon2 computation).
    Verify {
        secret: Secret,
        hash: String,
        on_mismatch: Mismatch,
    },
    /// Hash this secret (new when `generated`).
    Hash { secret: Secret, generated: bool },
    /// No usable secret here: render the lock's hash and say why.
    LockOnly { hash: String, warning: String },
    /// `build --check`: a build would change the hash, so out/ is stale.
    Pending { reason: String },
}

/// When a locked hash does not match the stored secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The secret was edited (or its provenance is unknown): it wins, hash it.
    Rehash,
    /// The secret is the one we hashed, but the lock changed (a rotation on
    /// another machine, a checkout): the committed lock wins.
    KeepLock,
}

/// Decides the step for `client`. `locked` is the lock's hash when it has
/// Authelia's parameters; `rotate` forces a new secret.
pub fn plan(
    client: &str,
    stored: Option<&StoredClient>,
    locked: Option<&str>,
    rotate: bool,
) -> Step {
    if rotate {
        return Step::Hash {
            secret: Secret::generate(),
            generated: true,
        };
    }
    match (stored, locked) {
        (Some(s), Some(h)) if s.is_unchanged() && s.hash.as_deref() == Some(h) => Step::Reuse {
            hash: h.to_string(),
        },
        (Some(s), Some(h)) => Step::Verify {
            secret: s.secret.clone(),
            hash: h.to_string(),
            on_mismatch: if s.is_unchanged() {
                Mismatch::KeepLock
            } else {
                Mismatch::Rehash
            },
        },
        (Some(s), None) => Step::Hash {
            secret: s.secret.clone(),
            generated: false,
        },
        (None, Some(h)) => Step::LockOnly {
            hash: h.to_string(),
            warning: missing_secret(client),
        },
        (None, None) => Step::Hash {
            secret: Secret::generate(),
            generated: true,
        },
    }
}

/// In `build --check` nothing may be generated or hashed: such a step means
/// `out/` would change.
pub fn read_only(client: &str, step: Step) -> Step {
    match step {
        Step::Hash {
            generated: true, ..
        } => Step::Pending {
            reason: format!(
                "OIDC client `{client}` has no hash in topo.lock: `topo build` would create its secret"
            ),
        },
        Step::Hash {
            generated: false, ..
        } => Step::Pending {
            reason: changed_secret(client),
        },
        other => other,
    }
}

pub fn changed_secret(client: &str) -> String {
    format!("the secret of OIDC client `{client}` changed: `topo build` would hash it again")
}

pub fn missing_secret(client: &str) -> String {
    format!(
        "no secret for OIDC client `{client}` in .topo-secrets/ (a fresh clone?): rendering its hash from topo.lock, \
         but its Compose env file cannot contain the secret; copy .topo-secrets/ from the machine that made it, \
         or run `topo secrets rotate {client}`"
    )
}

/// The fresh-clone warning for every client without a stored secret: one line
/// each for a few, one line in all for many (a clone of a large homelab would
/// otherwise print a screenful of the same advice).
pub fn missing_secrets(clients: &[&str]) -> Vec<String> {
    const LISTED: usize = 3;
    if clients.len() <= LISTED {
        return clients.iter().map(|c| missing_secret(c)).collect();
    }
    let named: Vec<String> = clients[..LISTED].iter().map(|c| format!("`{c}`")).collect();
    vec![format!(
        "no secret in .topo-secrets/ for {} OIDC clients ({} and {} more; a fresh clone?): rendering their hashes \
         from topo.lock, but their Compose env files cannot contain the secrets; copy .topo-secrets/ from the \
         machine that made them, or run `topo secrets rotate SERVICE` for each",
        clients.len(),
        named.join(", "),
        clients.len() - LISTED
    )]
}

pub fn lock_changed(client: &str) -> String {
    format!(
        "the secret of OIDC client `{client}` in .topo-secrets/ does not match topo.lock (rotated elsewhere?): \
         rendering the lock's hash and leaving the old secret out of the Compose env file; copy the current \
         .topo-secrets/ or run `topo secrets rotate {client}`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(secret: &str, hash: Option<&str>) -> StoredClient {
        let secret = Secret::new(secret.into());
        StoredClient {
            secret_sha256: Some(secret.sha256_hex()),
            secret,
            hash: hash.map(str::to_owned),
        }
    }

    #[test]
    fn unchanged_secret_with_matching_lock_is_reused_without_work() {
        let s = stored("abc", Some("$h"));
        assert!(
            matches!(plan("x", Some(&s), Some("$h"), false), Step::Reuse { hash } if hash == "$h")
        );
    }

    #[test]
    fn an_edited_secret_is_verified_then_rehashed() {
        let mut s = stored("abc", Some("$h"));
        s.secret = Secret::new("edited".into());
        assert!(matches!(
            plan("x", Some(&s), Some("$h"), false),
            Step::Verify {
                on_mismatch: Mismatch::Rehash,
                ..
            }
        ));
    }

    #[test]
    fn a_lock_changed_elsewhere_wins_unless_it_verifies() {
        let s = stored("abc", Some("$old"));
        assert!(matches!(
            plan("x", Some(&s), Some("$new"), false),
            Step::Verify {
                on_mismatch: Mismatch::KeepLock,
                ..
            }
        ));
    }

    #[test]
    fn many_missing_secrets_are_one_warning() {
        assert_eq!(
            missing_secrets(&["a", "b"]),
            [missing_secret("a"), missing_secret("b")]
        );
        let many = missing_secrets(&["a", "b", "c", "d", "e"]);
        assert_eq!(many.len(), 1);
        assert!(
            many[0].contains("for 5 OIDC clients (`a`, `b`, `c` and 2 more;"),
            "{}",
            many[0]
        );
    }

    #[test]
    fn fresh_clone_renders_the_lock_and_new_clients_get_secrets() {
        assert!(matches!(
            plan("x", None, Some("$h"), false),
            Step::LockOnly { .. }
        ));
        assert!(matches!(
            plan("x", None, None, false),
            Step::Hash {
                generated: true,
                ..
            }
        ));
        assert!(matches!(
            read_only("x", plan("x", None, None, false)),
            Step::Pending { .. }
        ));
    }

    #[test]
    fn rotate_always_makes_a_new_secret() {
        let s = stored("abc", Some("$h"));
        match plan("x", Some(&s), Some("$h"), true) {
            Step::Hash {
                secret,
                generated: true,
            } => assert_ne!(secret.expose(), "abc"),
            other => panic!("{other:?}"),
        }
    }
}
