//! A plaintext client secret: generated from the OS CSPRNG, never printed.

use rand::Rng as _;
use rand::distributions::Alphanumeric;
use rand::rngs::OsRng;
use sha2::{Digest as _, Sha256};

/// Length of a generated secret: 64 characters of `[A-Za-z0-9]` (about 381
/// bits), the size Authelia's docs recommend.
pub const SECRET_LEN: usize = 64;

/// A plaintext OIDC client secret. Its `Debug` is redacted and it has no
/// `Display`, so it cannot slip into an error message or a log line by
/// accident; [`Secret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A new secret from the OS random source over `[A-Za-z0-9]`: nothing in it
    /// needs escaping in YAML, a Compose env file, interpolation or a URL
    /// (`client_secret_basic` URL-encodes the secret).
    pub fn generate() -> Self {
        let text = OsRng
            .sample_iter(&Alphanumeric)
            .take(SECRET_LEN)
            .map(char::from)
            .collect();
        Self(text)
    }

    /// Wraps a secret read from the store.
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The plaintext, for the secrets store, the env file and hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Hex SHA-256 of the plaintext: the store keeps it next to the hash so an
    /// unchanged secret is recognised without an argon2 computation.
    pub fn sha256_hex(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// True when the text is usable as a client secret anywhere topo puts it:
    /// non-empty RFC 3986 unreserved characters (`A-Za-z0-9-._~`), which
    /// Authelia recommends and nothing needs to escape.
    pub fn is_well_formed(&self) -> bool {
        !self.0.is_empty()
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_are_long_alphanumeric_and_distinct() {
        let a = Secret::generate();
        let b = Secret::generate();
        assert_eq!(a.expose().len(), SECRET_LEN);
        assert!(a.expose().bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        assert!(a.is_well_formed());
    }

    #[test]
    fn debug_never_shows_the_plaintext() {
        let s = Secret::new("hunter2hunter2".into());
        let shown = format!("{s:?} {:?}", Some(&s));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn sha256_is_hex_of_the_plaintext() {
        let s = Secret::new("abc".into());
        assert_eq!(
            s.sha256_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn rejects_characters_that_need_escaping() {
        for bad in ["", "a b", "a$b", "a#b", "a'b", "a\"b", "a=b", "a\nb", "a%b"] {
            assert!(!Secret::new(bad.into()).is_well_formed(), "{bad:?}");
        }
    }
}
