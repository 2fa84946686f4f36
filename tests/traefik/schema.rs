//! The generated static and dynamic files validate against SchemaStore's
//! Traefik v3 schemas (typos, wrong types, miscased keys), for the example,
//! the fixtures and every version gate.

use std::path::Path;
use std::process::Command;

use super::{example, fixture};
use crate::support::{Project, require_shared, require_tool};

fn validate(checker: &Path, schema: &Path, file: &Path) {
    let out = Command::new(checker)
        .arg("--schemafile")
        .arg(schema)
        .arg(file)
        .output()
        .expect("run check-jsonschema");
    assert!(
        out.status.success(),
        "{} does not validate against {}:\n{}{}\n--- file\n{}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(file).unwrap_or_default()
    );
}

#[test]
fn generated_files_validate_against_the_traefik_schemas() {
    let test = "traefik::schema";
    let Some(checker) = require_tool(test, "check-jsonschema") else {
        return;
    };
    let Some(dynamic_schema) =
        require_shared(test, "schemas/traefik/traefik-v3-file-provider.json")
    else {
        return;
    };
    let Some(static_schema) = require_shared(test, "schemas/traefik/traefik-v3.json") else {
        return;
    };
    let mut topologies = vec![example(), fixture("several-hosts"), fixture("mixed-paths")];
    for version in ["3.0", "3.6.9", "3.7"] {
        topologies.push(example().replace("version=\"3.7\"", &format!("version=\"{version}\"")));
    }
    // The other ACME challenges, where the CA can reach every name (no tunnel,
    // nothing lan-only), with a staging CA and a storage path.
    for resolver in [
        r#"cert-resolver "le" challenge="tls" ca-server="https://acme-staging-v02.api.letsencrypt.org/directory""#,
        r#"cert-resolver "le" email="a@example.com" challenge="http" entrypoint="web" storage="/data/acme.json""#,
    ] {
        topologies.push(format!(
            r#"domain "example.com"
network "lan" "192.168.1.0/24"
host "docker1" address="192.168.1.30" docker=#true
proxy "traefik" host="docker1" {{
    entrypoint "web" address=":80"
    entrypoint "websecure" address=":443"
    {resolver}
}}
service "site" host="docker1" upstream="http://site:80" {{
    hostname "www.example.com"
    exposure "public-app"
    auth "app"
}}
"#
        ));
    }
    for text in topologies {
        let project = Project::with_topology(&text);
        project.run(&["build"]).assert_code(0);
        validate(
            &checker,
            &dynamic_schema,
            &project.join("out/traefik/dynamic/topo.yml"),
        );
        validate(
            &checker,
            &static_schema,
            &project.join("out/traefik/traefik.yml"),
        );
    }
}
