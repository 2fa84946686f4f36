//! `out/smoke.sh`: a script that checks, from where it runs, that every route
//! answers as the topology says — public APIs answer, lan-only routes fail
//! from outside, forward-auth asks for a login, the IP allow-list rejects
//! strangers, OIDC callbacks exist. Expectations come from the same verdicts
//! as ROUTES.md.

use serde::Serialize;

use super::{RenderError, RenderInput, Target};
use crate::explain::{Origin, Outcome, route_verdict};
use crate::model::{Auth, Topology};
use crate::output::OutputTree;

pub struct Smoke;

#[derive(Serialize)]
struct Probe {
    from: &'static str,
    host: String,
    path: String,
    expect: Outcome,
    what: String,
}

fn probes(t: &Topology) -> Vec<Probe> {
    let mut probes = Vec::new();
    for s in &t.services {
        for host in &s.hostnames {
            for route in &s.routes {
                let path = route.path.as_str().to_string();
                for (origin, from) in [(Origin::Internet, "internet"), (Origin::Lan, "lan")] {
                    let verdict = route_verdict(t, s, route, origin);
                    probes.push(Probe {
                        from,
                        host: host.to_string(),
                        path: path.clone(),
                        expect: verdict.outcome,
                        what: verdict.text,
                    });
                }
            }
            if let Some(oidc) = &s.oidc {
                let callback = oidc.callback_path().to_string();
                let route = s.route_for(&callback);
                if route.auth == Auth::Oidc {
                    for (origin, from) in [(Origin::Internet, "internet"), (Origin::Lan, "lan")] {
                        let verdict = route_verdict(t, s, route, origin);
                        let what = match verdict.outcome {
                            Outcome::Reaches => "the OIDC callback path exists".to_string(),
                            _ => format!("OIDC callback: {}", verdict.text),
                        };
                        probes.push(Probe {
                            from,
                            host: host.to_string(),
                            path: callback.clone(),
                            expect: verdict.outcome,
                            what,
                        });
                    }
                }
            }
        }
    }
    probes
}

impl Target for Smoke {
    fn name(&self) -> &'static str {
        "smoke"
    }

    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError> {
        let context =
            minijinja::context! { probes => super::lazy::lazy_seq(probes(input.topology)) };
        let text = input
            .templates
            .render("smoke/smoke.sh.j2", &context)
            .map_err(|e| RenderError::new(self.name(), e))?;
        out.insert("smoke.sh", text)
            .map_err(|e| RenderError::new(self.name(), e))
    }
}
