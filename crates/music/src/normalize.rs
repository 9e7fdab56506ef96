//! How names compare: what is said and what the tags say go through the same function, so
//! "the beatles", "Beatles" and "The Beatles!" are one name, and so are "Simon & Garfunkel"
//! and "simon and garfunkel".

/// Lower case, accents folded for the common Latin letters, "&" and "+" read as "and",
/// apostrophes dropped ("don't" is "dont"), other punctuation a space, runs of spaces one,
/// and a leading "the" dropped when more words follow.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '+' => out.push_str(" and "),
            '\'' | '\u{2019}' | '`' => {}
            c if c.is_alphanumeric() => {
                for lower in c.to_lowercase() {
                    out.push(fold(lower));
                }
            }
            _ => out.push(' '),
        }
    }
    let mut words: Vec<&str> = out.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.join(" ")
}

/// The letter without its accent, for the accented letters of Western European languages.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'č' | 'ć' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        other => other,
    }
}

/// Edit distance (insertions, deletions, substitutions) between two short words.
pub(crate) fn levenshtein(a: &[char], b: &[char]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_name_however_written() {
        assert_eq!(normalize("The Beatles!"), "beatles");
        assert_eq!(normalize("  the   beatles "), "beatles");
        assert_eq!(normalize("The"), "the");
        assert_eq!(normalize("Simon & Garfunkel"), "simon and garfunkel");
        assert_eq!(normalize("Don't Stop Me Now"), "dont stop me now");
        assert_eq!(normalize("Beyoncé"), "beyonce");
        assert_eq!(normalize("AC/DC"), "ac dc");
        assert_eq!(
            normalize("Kind of Blue (Legacy Edition)"),
            "kind of blue legacy edition"
        );
    }

    #[test]
    fn edit_distance() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(levenshtein(&chars("road"), &chars("rode")), 2);
        assert_eq!(levenshtein(&chars("road"), &chars("road")), 0);
        assert_eq!(levenshtein(&chars(""), &chars("abc")), 3);
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
    }
}
