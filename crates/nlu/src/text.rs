//! Normalizing text into tokens, the same way for sentences and templates.
//!
//! The matcher works on words, not characters. Both the user's sentence and
//! every literal in a template go through [`tokenize`], so whatever the
//! normalization does ("What's" → `what` `is`, "7pm" → `7` `pm`, "5-minute" →
//! `5` `minute`) it does to both sides, and a template written either way still
//! matches. Each token remembers where it came from in the original text, so a
//! slot can report the words exactly as they were spoken.

use std::ops::Range;

/// One normalized word and the bytes of the original text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized word: lower case, without surrounding punctuation.
    pub text: String,
    /// Where the word was in the original text (several tokens may share a
    /// span when one word expanded into several, like "what's").
    pub span: Range<usize>,
}

/// Characters that always stand as a token of their own: "50%" is `50` `%`.
const SYMBOLS: &[char] = &['%', '°', '$', '€', '£', '&', '+', '#', '@'];

/// Characters that separate words like whitespace does.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '–'
                | '—'
                | ','
                | '!'
                | '?'
                | ';'
                | '"'
                | '“'
                | '”'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '<'
                | '>'
                | '¿'
                | '¡'
                | '…'
                | '*'
                | '_'
                | '|'
                | '\\'
                | '='
                | '~'
                | '`'
                | '，'
                | '。'
                | '？'
                | '！'
        )
}

/// Punctuation that belongs inside a word ("7:30", "2.5", "1/2", "o'clock")
/// but not at its edges.
fn is_inner_punctuation(c: char) -> bool {
    matches!(c, ':' | '.' | '/' | '\'')
}

/// Splits `text` into normalized tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word_start = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // A minus sign starting a word is part of the number: "-5".
        let minus = c == '-'
            && word_start.is_none()
            && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        if minus {
            word_start = Some(i);
        } else if is_separator(c) || SYMBOLS.contains(&c) {
            if let Some(start) = word_start.take() {
                push_word(text, start..i, &mut tokens);
            }
            if SYMBOLS.contains(&c) {
                tokens.push(Token {
                    text: c.to_string(),
                    span: i..i + c.len_utf8(),
                });
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(start) = word_start {
        push_word(text, start..text.len(), &mut tokens);
    }
    tokens
}

/// The normalized words of `text`, without their spans.
pub fn words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.text).collect()
}

/// Normalizes one whitespace-free chunk and pushes the token(s) it yields.
fn push_word(text: &str, span: Range<usize>, tokens: &mut Vec<Token>) {
    let raw = &text[span.clone()];
    // Trim punctuation at the edges, keeping the span honest.
    let trimmed_start = raw.len() - raw.trim_start_matches(is_edge_punctuation).len();
    let inner = raw
        .trim_start_matches(is_edge_punctuation)
        .trim_end_matches(is_edge_punctuation);
    if inner.is_empty() {
        return;
    }
    let start = span.start + trimmed_start;
    let span = start..start + inner.len();
    let mut word: String = inner.chars().flat_map(char::to_lowercase).collect();
    word = word.replace(['’', '‘', '`'], "'");
    if is_dotted_initialism(&word) {
        word.retain(|c| c != '.');
    }
    // A trailing period left by "etc." or "p.m." handled above; strip others.
    while word.ends_with('.') {
        word.pop();
    }
    if let Some(parts) = expand_contraction(&word) {
        for part in parts {
            tokens.push(Token {
                text: (*part).to_string(),
                span: span.clone(),
            });
        }
        return;
    }
    for (part, part_span) in split_number_suffix(&word, span) {
        tokens.push(Token {
            text: part,
            span: part_span,
        });
    }
}

fn is_edge_punctuation(c: char) -> bool {
    is_inner_punctuation(c) || matches!(c, '’' | '‘')
}

/// "a.m." and "p.m" read as "am" and "pm"; "u.s." as "us".
fn is_dotted_initialism(word: &str) -> bool {
    let mut chars = word.chars();
    let mut letters = 0;
    loop {
        match chars.next() {
            Some(c) if c.is_alphabetic() => letters += 1,
            None => return letters > 1,
            _ => return false,
        }
        match chars.next() {
            Some('.') => {}
            None => return letters > 1,
            _ => return false,
        }
    }
}

/// Common English contractions, expanded so that "what's" and "what is" are one.
fn expand_contraction(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "what's" => &["what", "is"],
        "whats" => &["what", "is"],
        "where's" => &["where", "is"],
        "when's" => &["when", "is"],
        "who's" => &["who", "is"],
        "how's" => &["how", "is"],
        "that's" => &["that", "is"],
        "there's" => &["there", "is"],
        "here's" => &["here", "is"],
        "it's" => &["it", "is"],
        "let's" => &["let", "us"],
        "i'm" => &["i", "am"],
        "you're" => &["you", "are"],
        "we're" => &["we", "are"],
        "they're" => &["they", "are"],
        "i've" => &["i", "have"],
        "you've" => &["you", "have"],
        "we've" => &["we", "have"],
        "i'll" => &["i", "will"],
        "you'll" => &["you", "will"],
        "we'll" => &["we", "will"],
        "it'll" => &["it", "will"],
        "i'd" => &["i", "would"],
        "you'd" => &["you", "would"],
        "we'd" => &["we", "would"],
        "don't" => &["do", "not"],
        "doesn't" => &["does", "not"],
        "didn't" => &["did", "not"],
        "isn't" => &["is", "not"],
        "aren't" => &["are", "not"],
        "wasn't" => &["was", "not"],
        "weren't" => &["were", "not"],
        "won't" => &["will", "not"],
        "wouldn't" => &["would", "not"],
        "can't" => &["can", "not"],
        "cannot" => &["can", "not"],
        "couldn't" => &["could", "not"],
        "shouldn't" => &["should", "not"],
        "haven't" => &["have", "not"],
        "hasn't" => &["has", "not"],
        "gonna" => &["going", "to"],
        "wanna" => &["want", "to"],
        _ => return None,
    })
}

/// Splits a number glued to a unit ("7pm", "5min", "10am", "7:30pm") into two
/// tokens, but keeps ordinals ("5th", "21st") and decimals ("2.5") whole.
fn split_number_suffix(word: &str, span: Range<usize>) -> Vec<(String, Range<usize>)> {
    let digits_end = word
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == ':' || c == '.' || c == '/'))
        .map_or(word.len(), |(i, _)| i);
    let starts_with_digit = word.starts_with(|c: char| c.is_ascii_digit());
    if !starts_with_digit || digits_end == word.len() {
        return vec![(word.to_string(), span)];
    }
    let (number, suffix) = word.split_at(digits_end);
    let is_ordinal = matches!(suffix, "st" | "nd" | "rd" | "th");
    let suffix_is_alpha = suffix.chars().all(char::is_alphabetic);
    if is_ordinal || !suffix_is_alpha || number.ends_with([':', '.', '/']) {
        return vec![(word.to_string(), span)];
    }
    // Byte offsets in the lowercased word match the original for ASCII digits.
    let cut = (span.start + number.len()).min(span.end);
    vec![
        (number.to_string(), span.start..cut),
        (suffix.to_string(), cut..span.end),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Vec<String> {
        words(text)
    }

    #[test]
    fn lowercases_and_strips_punctuation() {
        assert_eq!(w("Set a Timer, please!"), ["set", "a", "timer", "please"]);
        assert_eq!(w("  \"Hello\"...  world?  "), ["hello", "world"]);
    }

    #[test]
    fn keeps_inner_punctuation_of_numbers_and_words() {
        assert_eq!(w("at 7:30."), ["at", "7:30"]);
        assert_eq!(w("2.5 hours"), ["2.5", "hours"]);
        assert_eq!(w("1/2 hour"), ["1/2", "hour"]);
        assert_eq!(w("seven o'clock"), ["seven", "o'clock"]);
        assert_eq!(w("rock 'n' roll"), ["rock", "n", "roll"]);
    }

    #[test]
    fn expands_contractions_with_either_apostrophe() {
        assert_eq!(w("What's the time"), ["what", "is", "the", "time"]);
        assert_eq!(w("what’s the time"), ["what", "is", "the", "time"]);
        assert_eq!(w("I'd like"), ["i", "would", "like"]);
        assert_eq!(w("don't"), ["do", "not"]);
    }

    #[test]
    fn splits_hyphens_symbols_and_units() {
        assert_eq!(w("a 5-minute timer"), ["a", "5", "minute", "timer"]);
        assert_eq!(
            w("offset -5, then --3 or x-4"),
            ["offset", "-5", "then", "-3", "or", "x", "4"]
        );
        assert_eq!(w("twenty-five"), ["twenty", "five"]);
        assert_eq!(w("volume 50%"), ["volume", "50", "%"]);
        assert_eq!(w("wake me at 7pm"), ["wake", "me", "at", "7", "pm"]);
        assert_eq!(w("7:30am"), ["7:30", "am"]);
        assert_eq!(w("5th"), ["5th"]);
        assert_eq!(w("21st"), ["21st"]);
        assert_eq!(w("7 p.m."), ["7", "pm"]);
        assert_eq!(w("A.M."), ["am"]);
    }

    #[test]
    fn spans_point_at_the_original_words() {
        let text = "Add Milk to my list";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[1].span.clone()], "Milk");
        let text = "at 7pm!";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[1].span.clone()], "7");
        assert_eq!(&text[tokens[2].span.clone()], "pm");
    }

    #[test]
    fn garbage_gives_no_tokens_and_never_panics() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("   \t\n ").is_empty());
        assert!(tokenize("?!.,;:").is_empty());
        let bytes: Vec<u8> = (0..=255).collect();
        let _ = tokenize(&String::from_utf8_lossy(&bytes));
        let _ = tokenize("'''...:::///");
        let _ = tokenize("ǅǈǋ İstanbul ΣΑΣ");
    }
}
