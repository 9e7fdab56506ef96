//! Parsing sentence templates written in Home Assistant's hassil syntax.
//!
//! A template such as `set [a] {timer_name:name} timer for {duration:seconds}`
//! is parsed into an [`Expr`] tree, character for character: text keeps its
//! spaces, because in hassil `hour[s]` means "hour" or "hours" while
//! `hour [s]` would be two words. Turning text into words happens later, when
//! the tree is compiled (see [`crate::compile`]).
//!
//! Syntax:
//! - `(a|b)` alternatives, `[a]` or `[a|b]` optional, `(a;b)` permutation (any
//!   order, separated by spaces);
//! - `{list}` fills a slot named like the list, `{list:slot}` names the slot;
//! - `<rule>` refers to an expansion rule;
//! - `\` escapes the next character.

use std::fmt;

/// A parsed template, or a part of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Literal text, spaces included.
    Text(String),
    /// Parts in order.
    Seq(Vec<Expr>),
    /// One of the parts.
    Alt(Vec<Expr>),
    /// All parts, in any order, separated by whitespace.
    Perm(Vec<Expr>),
    /// A slot filled from a list.
    List(ListRef),
    /// A reference to an expansion rule.
    Rule(String),
}

/// A `{list}` or `{list:slot}` reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRef {
    /// The list the value comes from.
    pub list: String,
    /// The slot the value goes to.
    pub slot: String,
}

impl Expr {
    /// The empty sequence, which matches nothing at all.
    pub fn empty() -> Self {
        Expr::Seq(Vec::new())
    }

    /// The lists this expression refers to, directly (not through rules).
    pub fn list_refs(&self) -> Vec<&ListRef> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::List(r) = e {
                out.push(r);
            }
        });
        out
    }

    /// The rules this expression refers to, directly.
    pub fn rule_refs(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Rule(r) = e {
                out.push(r.as_str());
            }
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Seq(items) | Expr::Alt(items) | Expr::Perm(items) => {
                items.iter().for_each(|i| i.walk(f));
            }
            Expr::Text(_) | Expr::List(_) | Expr::Rule(_) => {}
        }
    }
}

/// Why a template could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// What is wrong.
    pub message: String,
    /// The character position (0-based) in the template where it went wrong.
    pub column: usize,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.column + 1)
    }
}

impl std::error::Error for TemplateError {}

/// The longest template accepted; longer ones are certainly mistakes.
pub const MAX_TEMPLATE_CHARS: usize = 16 * 1024;
/// The deepest nesting of groups accepted.
pub const MAX_DEPTH: usize = 64;

/// Parses one template.
pub fn parse(template: &str) -> Result<Expr, TemplateError> {
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(TemplateError {
            message: format!("template is longer than {MAX_TEMPLATE_CHARS} characters"),
            column: 0,
        });
    }
    let chars: Vec<char> = template.chars().collect();
    let mut parser = Parser {
        chars: &chars,
        pos: 0,
        depth: 0,
    };
    let expr = parser.alternatives()?;
    if parser.pos < chars.len() {
        return Err(parser.error(format!("unexpected '{}'", chars[parser.pos])));
    }
    Ok(expr)
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: String) -> TemplateError {
        TemplateError {
            message,
            column: self.pos,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Parses `seq (| seq)*` or `seq (; seq)*` up to a closing bracket or the
    /// end, which it does not consume. At the top level too, as hassil does:
    /// `a|b` is a template of two alternatives.
    fn alternatives(&mut self) -> Result<Expr, TemplateError> {
        let mut options = vec![self.sequence()?];
        let mut separator = None;
        while let Some(c) = self.peek() {
            if c != '|' && c != ';' {
                break;
            }
            if separator.is_some_and(|s| s != c) {
                return Err(self.error("a group mixes '|' and ';'".to_string()));
            }
            separator = Some(c);
            self.pos += 1;
            options.push(self.sequence()?);
        }
        Ok(match separator {
            Some(';') => Expr::Perm(options),
            _ if options.len() == 1 => options.pop().unwrap_or_else(Expr::empty),
            _ => Expr::Alt(options),
        })
    }

    fn sequence(&mut self) -> Result<Expr, TemplateError> {
        let mut items = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            match c {
                '|' | ';' | ')' | ']' => break,
                '(' | '[' => {
                    flush(&mut text, &mut items);
                    items.push(self.group(c)?);
                }
                '{' => {
                    flush(&mut text, &mut items);
                    items.push(self.list_ref()?);
                }
                '<' => {
                    flush(&mut text, &mut items);
                    items.push(self.rule_ref()?);
                }
                '}' | '>' => return Err(self.error(format!("unmatched '{c}'"))),
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some(escaped) => text.push(escaped),
                        None => return Err(self.error("template ends with '\\'".to_string())),
                    }
                    self.pos += 1;
                }
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut text, &mut items);
        Ok(if items.len() == 1 {
            items.pop().unwrap_or_else(Expr::empty)
        } else {
            Expr::Seq(items)
        })
    }

    fn group(&mut self, open: char) -> Result<Expr, TemplateError> {
        let close = if open == '(' { ')' } else { ']' };
        let start = self.pos;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("groups nested deeper than {MAX_DEPTH}")));
        }
        self.pos += 1;
        let inner = self.alternatives()?;
        if self.peek() != Some(close) {
            return Err(TemplateError {
                message: format!("'{open}' is never closed"),
                column: start,
            });
        }
        self.pos += 1;
        self.depth -= 1;
        if open == '[' {
            if matches!(inner, Expr::Perm(_)) {
                return Ok(Expr::Alt(vec![inner, Expr::empty()]));
            }
            let mut options = match inner {
                Expr::Alt(options) => options,
                other => vec![other],
            };
            options.push(Expr::empty());
            return Ok(Expr::Alt(options));
        }
        Ok(inner)
    }

    fn list_ref(&mut self) -> Result<Expr, TemplateError> {
        let name = self.name_until('{', '}')?;
        let (list, slot) = match name.split_once(':') {
            Some((list, slot)) => (list.trim().to_string(), slot.trim().to_string()),
            None => (name.trim().to_string(), name.trim().to_string()),
        };
        if list.is_empty() || slot.is_empty() {
            return Err(self.error(format!("empty list or slot name in '{{{name}}}'")));
        }
        Ok(Expr::List(ListRef { list, slot }))
    }

    fn rule_ref(&mut self) -> Result<Expr, TemplateError> {
        let name = self.name_until('<', '>')?;
        if name.trim().is_empty() {
            return Err(self.error("empty rule name '<>'".to_string()));
        }
        Ok(Expr::Rule(name.trim().to_string()))
    }

    /// Reads a `{name}` or `<name>`; on return `pos` is after the closer.
    fn name_until(&mut self, open: char, close: char) -> Result<String, TemplateError> {
        let start = self.pos;
        self.pos += 1;
        let mut name = String::new();
        loop {
            match self.peek() {
                Some(c) if c == close => break,
                Some(c) if c == open || matches!(c, '(' | ')' | '[' | ']' | '|') => {
                    return Err(self.error(format!("'{c}' inside '{open}{close}'")));
                }
                Some(c) => name.push(c),
                None => {
                    return Err(TemplateError {
                        message: format!("'{open}' is never closed"),
                        column: start,
                    })
                }
            }
            self.pos += 1;
        }
        self.pos += 1;
        Ok(name)
    }
}

fn flush(text: &mut String, items: &mut Vec<Expr>) {
    if !text.is_empty() {
        items.push(Expr::Text(std::mem::take(text)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Expr {
        Expr::Text(s.to_string())
    }

    fn list(list: &str, slot: &str) -> Expr {
        Expr::List(ListRef {
            list: list.to_string(),
            slot: slot.to_string(),
        })
    }

    #[test]
    fn plain_text_is_one_chunk_with_its_spaces() {
        assert_eq!(parse("what time is it").unwrap(), t("what time is it"));
    }

    #[test]
    fn alternatives_optionals_and_glued_suffixes() {
        assert_eq!(
            parse("(set|start) [a] timer[s]").unwrap(),
            Expr::Seq(vec![
                Expr::Alt(vec![t("set"), t("start")]),
                t(" "),
                Expr::Alt(vec![t("a"), Expr::empty()]),
                t(" timer"),
                Expr::Alt(vec![t("s"), Expr::empty()]),
            ])
        );
        assert_eq!(
            parse("[a|an]").unwrap(),
            Expr::Alt(vec![t("a"), t("an"), Expr::empty()])
        );
    }

    #[test]
    fn lists_with_and_without_slot_names() {
        assert_eq!(
            parse("{timer_name:name} for {duration}").unwrap(),
            Expr::Seq(vec![
                list("timer_name", "name"),
                t(" for "),
                list("duration", "duration")
            ])
        );
    }

    #[test]
    fn rules_and_permutations() {
        assert_eq!(
            parse("<what_is> (the weather;today)").unwrap(),
            Expr::Seq(vec![
                Expr::Rule("what_is".to_string()),
                t(" "),
                Expr::Perm(vec![t("the weather"), t("today")]),
            ])
        );
    }

    #[test]
    fn top_level_alternatives_and_optional_permutations_as_hassil_reads_them() {
        assert_eq!(parse("a|b").unwrap(), Expr::Alt(vec![t("a"), t("b")]));
        assert_eq!(parse("a;b").unwrap(), Expr::Perm(vec![t("a"), t("b")]));
        assert_eq!(
            parse("[a;b]").unwrap(),
            Expr::Alt(vec![Expr::Perm(vec![t("a"), t("b")]), Expr::empty()])
        );
    }

    #[test]
    fn escapes_make_brackets_literal() {
        assert_eq!(parse(r"a \(b\) \{c\}").unwrap(), t("a (b) {c}"));
    }

    #[test]
    fn errors_name_the_position() {
        let cases = [
            ("set (a timer", "'(' is never closed", 4),
            ("set a timer)", "unexpected ')'", 11),
            ("set [a timer", "'[' is never closed", 4),
            ("{name", "'{' is never closed", 0),
            ("(a|b;c)", "a group mixes '|' and ';'", 4),
            ("<>", "empty rule name '<>'", 2),
            ("{:slot}", "empty list or slot name in '{:slot}'", 7),
            ("a }", "unmatched '}'", 2),
            ("trailing \\", "template ends with '\\'", 10),
            ("{a(b}", "'(' inside '{}'", 2),
        ];
        for (template, message, column) in cases {
            let err = parse(template).unwrap_err();
            assert_eq!(
                (err.message.as_str(), err.column),
                (message, column),
                "{template}"
            );
        }
    }

    #[test]
    fn deep_nesting_and_huge_templates_are_refused_not_overflowed() {
        let deep = "(".repeat(5_000) + &")".repeat(5_000);
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        let huge = "a".repeat(MAX_TEMPLATE_CHARS + 1);
        assert!(parse(&huge).unwrap_err().message.contains("longer than"));
    }

    #[test]
    fn empty_template_is_empty_sequence() {
        assert_eq!(parse("").unwrap(), Expr::empty());
        assert_eq!(parse("()").unwrap(), Expr::empty());
    }
}
