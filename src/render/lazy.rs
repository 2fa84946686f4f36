//! Lists handed to a template without converting them up front. A view field
//! of type `Value` made by [`lazy_seq`] turns each item into template values
//! only when the template's loop reaches it, and drops them after: the whole
//! view never exists twice (as Rust data and as template values), which for
//! thousands of routers is most of a build's memory.

use std::fmt;
use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use serde::Serialize;

/// A template sequence over `items`, each converted on access.
pub fn lazy_seq<T>(items: Vec<T>) -> Value
where
    T: Serialize + Send + Sync + 'static,
{
    Value::from_object(LazySeq(items))
}

struct LazySeq<T>(Vec<T>);

// Objects must be Debug; printing thousands of items would help nobody.
impl<T> fmt::Debug for LazySeq<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LazySeq(len {})", self.0.len())
    }
}

impl<T> Object for LazySeq<T>
where
    T: Serialize + Send + Sync + 'static,
{
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(Value::from_serialize)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: &'static str,
        tags: Vec<&'static str>,
    }

    fn render(source: &str, items: Vec<Item>) -> String {
        let env = minijinja::Environment::new();
        env.render_str(source, minijinja::context! { items => lazy_seq(items) })
            .unwrap()
    }

    #[test]
    fn loops_truthiness_length_and_indexing_work_as_on_a_list() {
        let items = || {
            vec![
                Item {
                    name: "a",
                    tags: vec!["x"],
                },
                Item {
                    name: "b",
                    tags: vec![],
                },
            ]
        };
        let loop_ = "{% for i in items %}{{ i.name }}{% if i.tags %}+{% endif %}{% endfor %}";
        assert_eq!(render(loop_, items()), "a+b");
        assert_eq!(
            render("{{ items|length }} {{ items[1].name }}", items()),
            "2 b"
        );
        assert_eq!(
            render("{% if items %}some{% else %}none{% endif %}", vec![]),
            "none"
        );
        assert_eq!(render("{% if items %}some{% endif %}", items()), "some");
    }
}
