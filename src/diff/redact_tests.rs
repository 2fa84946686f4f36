//! Redaction of single files: keys, env files, blocks, rotations.

use super::*;

fn secrets(values: &[&str]) -> Secrets {
    Secrets {
        values: values.iter().map(|v| v.to_string()).collect(),
        ..Secrets::default()
    }
}

#[test]
fn secret_keys_and_their_neighbours() {
    assert!(is_secret_key("GENERIC_CLIENT_SECRET"));
    assert!(is_secret_key("client_secret"));
    assert!(is_secret_key("DB_PASSWORD"));
    assert!(is_secret_key("LITELLM_MASTER_KEY"));
    assert!(!is_secret_key("GENERIC_TOKEN_ENDPOINT"));
    assert!(!is_secret_key("token_endpoint_auth_method"));
    assert!(!is_secret_key("PROXY_BASE_URL"));
}

#[test]
fn yaml_env_and_json_values_are_masked_with_quotes_kept() {
    let s = Secrets::default();
    let text = "a: 1\nclient_secret: 'hunter2hunter2'\n  - GENERIC_CLIENT_SECRET=abc\n\"api_token\": \"xyz\",\nX_FILE: /run/s\n";
    let r = redact("authelia/c.yml", text, &s, None).lines.concat();
    assert_eq!(
        r,
        "a: 1\nclient_secret: '(secret)'\n  - GENERIC_CLIENT_SECRET=(secret)\n\"api_token\": \"(secret)\",\nX_FILE: /run/s\n"
    );
}

#[test]
fn every_env_value_is_secret_but_references_are_not() {
    let r = redact(
        "compose/h/.env",
        "PORT=8080\nexport A=\"b c\"\nB=${C}\n",
        &Secrets::default(),
        None,
    );
    assert_eq!(
        r.lines.concat(),
        "PORT=(secret)\nexport A=\"(secret)\"\nB=${C}\n"
    );
}

#[test]
fn a_changed_secret_is_marked_on_the_new_side_only() {
    let s = Secrets::default();
    let old = redact("a.env", "K=one\nL=same\n", &s, None);
    let new = redact("a.env", "K=two\nL=same\n", &s, Some(&old.slots));
    assert_eq!(old.lines.concat(), "K=(secret)\nL=(secret)\n");
    assert_eq!(new.lines.concat(), "K=(secret changed)\nL=(secret)\n");
}

#[test]
fn store_secrets_are_masked_anywhere_and_blocks_entirely() {
    let s = secrets(&["s3cr3t-value"]);
    let text = "url: https://x/?k=s3cr3t-value\nkey: |\n  line1\n  line2\nnext: ok\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
    let r = redact("a.yml", text, &s, None).lines.concat();
    assert!(!r.contains("s3cr3t-value") && !r.contains("MIIE"), "{r}");
    assert!(r.contains("url: https://x/?k=(secret)\n"));
    // `key` is not a secret-looking key: its block stays, the PEM does not.
    assert!(r.contains("  line1\n"));
    assert!(r.contains("next: ok\n"));
    assert_eq!(s.mask("a s3cr3t-value b"), "a (secret) b");
}

#[test]
fn block_scalars_under_secret_keys_are_masked() {
    let r = redact(
        "a.yml",
        "hmac_secret: |\n  abc\n  def\nother: 1\n",
        &Secrets::default(),
        None,
    );
    assert_eq!(
        r.lines.concat(),
        "hmac_secret: |\n  (secret)\n  (secret)\nother: 1\n"
    );
}

#[test]
fn the_automaton_masks_the_longest_secret_where_several_start() {
    let s = secrets(&["abcd1234", "abcd1234xyz9", "zzzz0000"]);
    assert_eq!(
        s.mask("a abcd1234xyz9 b abcd1234 c zzzz0000"),
        "a (secret) b (secret) c (secret)"
    );
    // Learning a new value after a mask rebuilds the automaton.
    let mut s = s;
    s.add("qqqq7777", 4);
    assert_eq!(s.mask("qqqq7777"), "(secret)");
}
