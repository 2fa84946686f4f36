//! argon2id hashing of client secrets with Authelia's parameters, in parallel
//! when several are needed.

use std::io::IsTerminal as _;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore as _;
use rand::rngs::OsRng;
use rayon::prelude::*;

use super::Secret;

/// Authelia's `crypto hash generate argon2` defaults: 64 MiB, 3 passes, 4 lanes.
pub const MEMORY_KIB: u32 = 65536;
pub const ITERATIONS: u32 = 3;
pub const PARALLELISM: u32 = 4;
pub const KEY_LEN: usize = 32;
pub const SALT_LEN: usize = 16;

/// Every hash topo writes starts with this; a locked hash with other
/// parameters is re-made rather than reused.
pub const PHC_PREFIX: &str = "$argon2id$v=19$m=65536,t=3,p=4$";

#[derive(Debug, thiserror::Error)]
#[error("argon2id hashing failed: {0}")]
pub struct HashError(String);

impl HashError {
    /// A hash that was asked for and not produced: a bug, reported rather than panicking.
    pub fn missing() -> Self {
        Self("a requested hash was not computed".into())
    }
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(KEY_LEN))
        .expect("Authelia's argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `secret` with a fixed salt: unpadded standard base64,
/// exactly what Authelia (go-crypt) and argon2-cffi read and write.
pub fn hash_with_salt(secret: &Secret, salt: &[u8; SALT_LEN]) -> Result<String, HashError> {
    let salt = SaltString::encode_b64(salt).map_err(|e| HashError(e.to_string()))?;
    hasher()
        .hash_password(secret.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// The PHC string of `secret` with a fresh 16-byte salt from the OS.
pub fn hash(secret: &Secret) -> Result<String, HashError> {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    hash_with_salt(secret, &salt)
}

/// True when `phc` is an argon2id hash with topo's parameters that `secret`
/// matches (parameters come from the string, so this costs one hash).
pub fn verify(secret: &Secret, phc: &str) -> bool {
    if !has_authelia_params(phc) {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    hasher()
        .verify_password(secret.expose().as_bytes(), &parsed)
        .is_ok()
}

/// True when `phc` has the layout Authelia's schema and topo expect:
/// `$argon2id$v=19$m=65536,t=3,p=4$<22 chars>$<43 chars>`.
pub fn has_authelia_params(phc: &str) -> bool {
    let Some(rest) = phc.strip_prefix(PHC_PREFIX) else {
        return false;
    };
    let b64 = |s: &str, len: usize| {
        s.len() == len
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    };
    matches!(rest.split_once('$'), Some((salt, key)) if b64(salt, 22) && b64(key, 43))
}

/// Runs `work` over `items` across all cores, with a progress bar on stderr
/// when there are several and stderr is a terminal. Results keep the order.
pub fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    message: &str,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let bar = (items.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(items.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message.to_string());
        bar
    });
    let results = items
        .par_iter()
        .map(|item| {
            let result = work(item);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            result
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    /// authelia.md §4.4: password `insecure_secret`, salt 00..0f, Authelia's
    /// defaults; argon2-cffi and Authelia's docs give this exact string.
    #[test]
    fn matches_the_authelia_test_vector() {
        let salt: [u8; 16] = std::array::from_fn(|i| i as u8);
        let phc = hash_with_salt(&Secret::new("insecure_secret".into()), &salt).unwrap();
        assert_eq!(
            phc,
            "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcICQoLDA0ODw$B0mpg0LMF1bHh6JST3S+wssSppUigJ/4vRVxS5nKbTE"
        );
        assert!(has_authelia_params(&phc));
    }

    #[test]
    fn random_salts_verify_and_differ() {
        let secret = Secret::new("a-secret".into());
        let (a, b) = (hash(&secret).unwrap(), hash(&secret).unwrap());
        assert_ne!(a, b);
        assert!(verify(&secret, &a));
        assert!(!verify(&Secret::new("other".into()), &a));
    }

    #[test]
    fn other_layouts_are_not_reused() {
        for phc in [
            "",
            "$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$B0mpg0LMF1bHh6JST3S+wssSppUigJ/4vRVxS5nKbTE",
            "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcICQoLDA0ODw==$B0mpg0LMF1bHh6JST3S+wssSppUigJ/4vRVxS5nKbTE",
            "$pbkdf2-sha512$310000$abc$def",
        ] {
            assert!(!has_authelia_params(phc), "{phc}");
            assert!(!verify(&Secret::new("insecure_secret".into()), phc));
        }
    }

    #[test]
    fn in_parallel_keeps_order() {
        let out = in_parallel(&[1, 2, 3, 4], "x", |n| n * 10);
        assert_eq!(out, vec![10, 20, 30, 40]);
    }
}
