//! What the lints read back from rendered YAML — the routers of a Traefik
//! dynamic file, the ingress rules of a cloudflared config — as a stream of
//! YAML events, keeping only those keys. At N = 5,000 the Traefik file is
//! 4 MB, and serde_yaml would first buffer every event of it (~70 MiB) to hand
//! over a few bytes per router.
//!
//! Anchors and aliases are not resolved by the stream; a file using them
//! (only a template override could) is read with serde_yaml instead.

use saphyr_parser::{Event, Parser, StrInput};

/// One router as written in the file.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RenderedRouter {
    pub name: String,
    pub rule: Option<String>,
    /// `None` when the key is absent (Traefik then attaches the router to
    /// every entrypoint) or is not a list of names.
    pub entry_points: Option<Vec<String>>,
}

/// Why the stream could not answer.
#[derive(Debug, PartialEq, Eq)]
enum Unread {
    /// Not YAML (Traefik and cloudflared refuse such a file whole).
    Invalid,
    /// Anchors or aliases: read it with a full parser.
    Anchors,
}

/// The routers of a Traefik dynamic file, in file order; `None` when it is
/// not YAML (Traefik drops such a file, so it serves nothing).
pub fn routers(text: &str) -> Option<Vec<RenderedRouter>> {
    match stream_routers(text) {
        Ok(routers) => Some(routers),
        Err(Unread::Invalid) => None,
        Err(Unread::Anchors) => {
            let doc: full::Dynamic = serde_yaml::from_str(text).ok()?;
            let routers = doc.http.and_then(|h| h.routers).unwrap_or_default();
            Some(
                routers
                    .into_iter()
                    .map(|(name, r)| RenderedRouter {
                        name,
                        rule: r.rule,
                        entry_points: r.entry_points,
                    })
                    .collect(),
            )
        }
    }
}

/// The `ingress` rules of a cloudflared config, in file order; `None` when
/// it is not YAML (cloudflared refuses to start, so it publishes nothing).
pub fn ingress(text: &str) -> Option<Vec<RenderedIngress>> {
    match stream_ingress(text) {
        Ok(rules) => Some(rules),
        Err(Unread::Invalid) => None,
        Err(Unread::Anchors) => serde_yaml::from_str::<full::Tunnel>(text)
            .ok()
            .map(|t| t.ingress),
    }
}

/// The same keys for serde_yaml, which resolves anchors.
mod full {
    #[derive(serde::Deserialize)]
    pub struct Dynamic {
        pub http: Option<Http>,
    }

    #[derive(serde::Deserialize)]
    pub struct Http {
        pub routers: Option<std::collections::BTreeMap<String, Router>>,
    }

    #[derive(serde::Deserialize)]
    pub struct Router {
        pub rule: Option<String>,
        #[serde(rename = "entryPoints")]
        pub entry_points: Option<Vec<String>>,
    }

    #[derive(serde::Deserialize)]
    pub struct Tunnel {
        #[serde(default)]
        pub ingress: Vec<super::RenderedIngress>,
    }
}

fn stream_routers(text: &str) -> Result<Vec<RenderedRouter>, Unread> {
    let mut out = Vec::new();
    let Some(mut stream) = Stream::over(text)? else {
        return Ok(out);
    };
    stream.mapping(|s, key| match key.as_str() {
        "http" => s.mapping_value(|s, key| match key.as_str() {
            "routers" => s.mapping_value(|s, name| {
                let router = s.router(name)?;
                out.push(router);
                Ok(())
            }),
            _ => s.skip_value(),
        }),
        _ => s.skip_value(),
    })?;
    Ok(out)
}

/// One cloudflared ingress rule as written in the file.
#[derive(Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct RenderedIngress {
    pub hostname: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub service: String,
}

fn stream_ingress(text: &str) -> Result<Vec<RenderedIngress>, Unread> {
    let mut out = Vec::new();
    let Some(mut stream) = Stream::over(text)? else {
        return Ok(out);
    };
    stream.mapping(|s, key| match key.as_str() {
        "ingress" => match s.next()? {
            Event::SequenceStart(..) => loop {
                match s.next()? {
                    Event::SequenceEnd => return Ok(()),
                    Event::MappingStart(..) => {
                        let mut rule = RenderedIngress::default();
                        s.mapping(|s, key| {
                            let slot = match key.as_str() {
                                "hostname" => &mut rule.hostname,
                                "path" => &mut rule.path,
                                "service" => {
                                    rule.service = s.scalar()?.unwrap_or_default();
                                    return Ok(());
                                }
                                _ => return s.skip_value(),
                            };
                            *slot = s.scalar()?;
                            Ok(())
                        })?;
                        out.push(rule);
                    }
                    other => s.skip(other)?,
                }
            },
            other => s.skip(other),
        },
        _ => s.skip_value(),
    })?;
    Ok(out)
}

struct Stream<'a> {
    parser: Parser<'a, StrInput<'a>>,
}

impl<'a> Stream<'a> {
    /// A stream positioned inside the document's top mapping; `None` when
    /// the document is empty or not a mapping (nothing to read).
    fn over(text: &'a str) -> Result<Option<Self>, Unread> {
        let mut stream = Stream {
            parser: Parser::new_from_str(text),
        };
        loop {
            match stream.next()? {
                Event::StreamStart | Event::DocumentStart(_) => continue,
                Event::MappingStart(..) => return Ok(Some(stream)),
                _ => return Ok(None),
            }
        }
    }

    /// A scalar value; `None` (and the value skipped) for anything else.
    fn scalar(&mut self) -> Result<Option<String>, Unread> {
        match self.next()? {
            Event::Scalar(text, ..) => Ok(Some(text.into_owned())),
            other => {
                self.skip(other)?;
                Ok(None)
            }
        }
    }

    fn next(&mut self) -> Result<Event<'a>, Unread> {
        let event = match self.parser.next_event() {
            Some(Ok((event, _))) => event,
            _ => return Err(Unread::Invalid),
        };
        match &event {
            Event::Alias(_) => Err(Unread::Anchors),
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if *anchor != 0 =>
            {
                Err(Unread::Anchors)
            }
            _ => Ok(event),
        }
    }

    /// Skips the rest of a node whose first event is `first`.
    fn skip(&mut self, first: Event<'a>) -> Result<(), Unread> {
        let mut depth = usize::from(matches!(
            first,
            Event::MappingStart(..) | Event::SequenceStart(..)
        ));
        while depth > 0 {
            match self.next()? {
                Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                Event::MappingEnd | Event::SequenceEnd => depth -= 1,
                Event::StreamEnd => return Err(Unread::Invalid),
                _ => {}
            }
        }
        Ok(())
    }

    fn skip_value(&mut self) -> Result<(), Unread> {
        let value = self.next()?;
        self.skip(value)
    }

    /// After a `MappingStart`: calls `entry` with each scalar key; `entry`
    /// consumes the value. Entries with a non-scalar key are skipped.
    fn mapping(
        &mut self,
        mut entry: impl FnMut(&mut Self, String) -> Result<(), Unread>,
    ) -> Result<(), Unread> {
        loop {
            match self.next()? {
                Event::MappingEnd => return Ok(()),
                Event::Scalar(key, ..) => entry(self, key.into_owned())?,
                Event::StreamEnd => return Err(Unread::Invalid),
                other => {
                    self.skip(other)?;
                    self.skip_value()?;
                }
            }
        }
    }

    /// A value that is read as a mapping when it is one, skipped otherwise.
    fn mapping_value(
        &mut self,
        entry: impl FnMut(&mut Self, String) -> Result<(), Unread>,
    ) -> Result<(), Unread> {
        match self.next()? {
            Event::MappingStart(..) => self.mapping(entry),
            other => self.skip(other),
        }
    }

    fn router(&mut self, name: String) -> Result<RenderedRouter, Unread> {
        let mut router = RenderedRouter {
            name,
            ..RenderedRouter::default()
        };
        self.mapping_value(|s, key| match key.as_str() {
            "rule" => {
                router.rule = s.scalar()?;
                Ok(())
            }
            "entryPoints" => {
                router.entry_points = s.names()?;
                Ok(())
            }
            _ => s.skip_value(),
        })?;
        Ok(router)
    }

    /// A list of scalars; `None` when the value is anything else.
    fn names(&mut self) -> Result<Option<Vec<String>>, Unread> {
        match self.next()? {
            Event::SequenceStart(..) => {
                let mut names = Some(Vec::new());
                loop {
                    match self.next()? {
                        Event::SequenceEnd => return Ok(names),
                        Event::Scalar(name, ..) => {
                            if let Some(list) = &mut names {
                                list.push(name.into_owned());
                            }
                        }
                        other => {
                            names = None;
                            self.skip(other)?;
                        }
                    }
                }
            }
            other => {
                self.skip(other)?;
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# Generated by topo
http:
  middlewares:
    lan-allow:
      ipAllowList:
        sourceRange: ["192.168.0.0/16"]
  routers:
    a:
      rule: "Host(`a.example.com`)"
      entryPoints:
        - websecure
        - tunnel
      middlewares: [x]
      tls: {certResolver: le}
    b:
      service: b@file
      rule: 'Host(`b.example.com`) && PathPrefix(`/x/`)'
    c:
      entryPoints: websecure
  services:
    a: {loadBalancer: {servers: [{url: "http://a:1"}]}}
"#;

    #[test]
    fn keeps_rules_and_entrypoints_in_file_order() {
        let routers = stream_routers(FILE).unwrap();
        assert_eq!(
            routers,
            vec![
                RenderedRouter {
                    name: "a".into(),
                    rule: Some("Host(`a.example.com`)".into()),
                    entry_points: Some(vec!["websecure".into(), "tunnel".into()]),
                },
                RenderedRouter {
                    name: "b".into(),
                    rule: Some("Host(`b.example.com`) && PathPrefix(`/x/`)".into()),
                    entry_points: None,
                },
                RenderedRouter {
                    name: "c".into(),
                    rule: None,
                    entry_points: None,
                },
            ]
        );
    }

    #[test]
    fn agrees_with_serde_yaml_on_the_example_output() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/out/traefik/dynamic/topo.yml"
        ))
        .unwrap();
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let expected: Vec<(String, Option<String>, Option<Vec<String>>)> = doc["http"]["routers"]
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(name, r)| {
                (
                    name.as_str().unwrap().to_string(),
                    r["rule"].as_str().map(str::to_string),
                    r["entryPoints"]
                        .as_sequence()
                        .map(|s| s.iter().map(|e| e.as_str().unwrap().to_string()).collect()),
                )
            })
            .collect();
        let got: Vec<_> = stream_routers(&text)
            .unwrap()
            .into_iter()
            .map(|r| (r.name, r.rule, r.entry_points))
            .collect();
        assert!(!got.is_empty());
        assert_eq!(got, expected);
    }

    #[test]
    fn reads_ingress_rules_in_order_with_the_catch_all() {
        let text = "tunnel: \"x\"\ncredentials-file: /c.json\ningress:\n  - hostname: a.example.com\n    path: \"^/v1(/|$)\"\n    service: \"http://10.0.0.1:8443\"\n    originRequest:\n      httpHostHeader: a.example.com\n  - service: http_status:404\n";
        assert_eq!(
            stream_ingress(text).unwrap(),
            vec![
                RenderedIngress {
                    hostname: Some("a.example.com".into()),
                    path: Some("^/v1(/|$)".into()),
                    service: "http://10.0.0.1:8443".into(),
                },
                RenderedIngress {
                    hostname: None,
                    path: None,
                    service: "http_status:404".into(),
                },
            ]
        );
        assert_eq!(stream_ingress("tunnel: x\n"), Ok(vec![]));
    }

    #[test]
    fn agrees_with_serde_yaml_on_the_example_tunnel() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/out/cloudflared/config.yml"
        ))
        .unwrap();
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let expected: Vec<RenderedIngress> = doc["ingress"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|r| RenderedIngress {
                hostname: r["hostname"].as_str().map(str::to_string),
                path: r["path"].as_str().map(str::to_string),
                service: r["service"].as_str().unwrap().to_string(),
            })
            .collect();
        assert!(expected.len() > 1);
        assert_eq!(stream_ingress(&text).unwrap(), expected);
    }

    #[test]
    fn anchors_go_through_serde_yaml_and_broken_yaml_reads_as_nothing() {
        let anchored = "http:\n  routers:\n    a:\n      rule: Host(`a.x`)\n      entryPoints: &eps [tunnel]\n    b:\n      rule: Host(`b.x`)\n      entryPoints: *eps\n";
        assert_eq!(stream_routers(anchored), Err(Unread::Anchors));
        let read = routers(anchored).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].entry_points, Some(vec!["tunnel".to_string()]));
        let tunnel = "defaults: &d {service: \"http://x:1\"}\ningress:\n  - <<: *d\n    hostname: a.x\n  - service: http_status:404\n";
        assert_eq!(stream_ingress(tunnel), Err(Unread::Anchors));
        assert_eq!(ingress(tunnel).map(|r| r.len()), Some(2));
        assert_eq!(
            stream_routers("http:\n  routers: [\n"),
            Err(Unread::Invalid)
        );
        assert!(routers("http: [\n").is_none());
        assert_eq!(routers(""), Some(vec![]));
        assert_eq!(routers("http: ~\n"), Some(vec![]));
    }
}
