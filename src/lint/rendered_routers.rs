//! The routers of a rendered Traefik dynamic file, read as a stream of YAML
//! events. Only `http.routers.*.{rule,entryPoints}` is kept: at N = 5,000 the
//! file is 4 MB, and serde_yaml would first buffer every event of it (~70 MiB)
//! to hand over a few kilobytes per router.
//!
//! Anchors and aliases are not resolved here; a file using them (only a
//! template override could) is read by the caller with serde_yaml instead.

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
pub enum Unread {
    /// Not YAML (Traefik drops such a file whole).
    Invalid,
    /// Anchors or aliases: read it with a full parser.
    Anchors,
}

/// The routers of `text`, in file order.
pub fn routers(text: &str) -> Result<Vec<RenderedRouter>, Unread> {
    let mut stream = Stream {
        parser: Parser::new_from_str(text),
    };
    let mut out = Vec::new();
    loop {
        match stream.next()? {
            Event::StreamStart | Event::DocumentStart(_) => continue,
            Event::MappingStart(..) => break,
            // An empty file or a scalar document has no routers.
            _ => return Ok(out),
        }
    }
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

struct Stream<'a> {
    parser: Parser<'a, StrInput<'a>>,
}

impl<'a> Stream<'a> {
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
                match s.next()? {
                    Event::Scalar(rule, ..) => router.rule = Some(rule.into_owned()),
                    other => s.skip(other)?,
                }
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
        let routers = routers(FILE).unwrap();
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
        let got: Vec<_> = routers(&text)
            .unwrap()
            .into_iter()
            .map(|r| (r.name, r.rule, r.entry_points))
            .collect();
        assert!(!got.is_empty());
        assert_eq!(got, expected);
    }

    #[test]
    fn anchors_and_broken_yaml_are_left_to_the_caller() {
        let anchored = "http:\n  routers:\n    a:\n      entryPoints: &eps [tunnel]\n    b:\n      entryPoints: *eps\n";
        assert_eq!(routers(anchored), Err(Unread::Anchors));
        assert_eq!(routers("http:\n  routers: [\n"), Err(Unread::Invalid));
        assert_eq!(routers(""), Ok(vec![]));
        assert_eq!(routers("http: ~\n"), Ok(vec![]));
    }
}
