//! The example's dynamic file, reviewed as a whole.

use crate::support::Project;

#[test]
fn example_dynamic_file() {
    let project = Project::example();
    project.run(&["build"]).assert_code(0);
    insta::assert_snapshot!(project.read("out/traefik/dynamic/topo.yml"));
}
