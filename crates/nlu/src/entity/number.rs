//! Cardinal and ordinal numbers, in digits or in English words.
//!
//! The other parsers read quantities ("five and a half minutes", "twenty five
//! past nine") out of the front of a span, so the core here is a *prefix*
//! parser, [`number_prefix`], that returns the longest number at the start of
//! the words. It is a small recursive-descent grammar rather than a running
//! accumulator, because an accumulator happily reads "five five" as ten and a
//! parser that must reject whole spans cannot afford that: every optional part
//! ("and three", "point five", "and a half") is only taken when what follows
//! it parses, otherwise the parse stops before it.
//!
//! Integer values are computed in `u64` (bounded well below overflow by the
//! grammar: at most four digits of groups times a trillion), and digit tokens
//! as `f64`; a non-finite value is never returned.

/// A number read from the front of a span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    /// The value, finite.
    pub value: f64,
    /// How many words it took.
    pub len: usize,
    /// What kind of phrase it was, which decides what may follow it in a
    /// quantity: "half" takes "an hour", "a couple" takes "of minutes".
    pub form: NumForm,
}

/// The shape of a number phrase, where it matters to a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumForm {
    /// Anything not listed below.
    Plain,
    /// A bare fraction word: "half", "a quarter", "three quarters".
    Fraction,
    /// "a couple".
    Couple,
}

/// 0..=9 for "zero".."nine".
pub(crate) fn unit_word(w: &str) -> Option<u64> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        _ => return None,
    })
}

fn teen_word(w: &str) -> Option<u64> {
    Some(match w {
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn tens_word(w: &str) -> Option<u64> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn scale_word(w: &str) -> Option<u64> {
    Some(match w {
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        "trillion" => 1_000_000_000_000,
        _ => return None,
    })
}

/// Whether `w` can be the first word of a number phrase; lets callers reject
/// a span in one comparison.
pub(crate) fn can_start_number(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_digit())
        || unit_word(w).is_some()
        || teen_word(w).is_some()
        || tens_word(w).is_some()
        || matches!(w, "a" | "half" | "quarter" | "minus" | "negative" | "point")
}

/// A token made only of digits: "25", "007".
pub(crate) fn digits(w: &str) -> Option<u64> {
    if w.is_empty() || w.len() > 18 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok()
}

/// A numeric token: "25", "2.5", "1/2".
fn numeric_token(w: &str) -> Option<(f64, NumForm)> {
    if let Some(n) = digits(w) {
        return Some((n as f64, NumForm::Plain));
    }
    if let Some((whole, frac)) = w.split_once('.') {
        if digits(whole).is_some() && digits(frac).is_some() {
            let v: f64 = w.parse().ok()?;
            return v.is_finite().then_some((v, NumForm::Plain));
        }
        return None;
    }
    if let Some((num, den)) = w.split_once('/') {
        let (num, den) = (digits(num)?, digits(den)?);
        if den == 0 {
            return None;
        }
        let v = num as f64 / den as f64;
        let form = if v < 1.0 {
            NumForm::Fraction
        } else {
            NumForm::Plain
        };
        return Some((v, form));
    }
    None
}

/// 1..=99 in words at `i`: "seven", "twelve", "forty", "forty two".
pub(crate) fn below_hundred(w: &[&str], i: usize) -> Option<(u64, usize)> {
    let first = *w.get(i)?;
    if let Some(t) = tens_word(first) {
        return match w.get(i + 1).and_then(|u| unit_word(u)) {
            Some(u) if u > 0 => Some((t + u, i + 2)),
            _ => Some((t, i + 1)),
        };
    }
    if let Some(t) = teen_word(first) {
        return Some((t, i + 1));
    }
    match unit_word(first) {
        Some(u) if u > 0 => Some((u, i + 1)),
        _ => None,
    }
}

/// A group below a thousand, or "twelve hundred" style (up to 9999):
/// "a hundred", "two hundred and three", "forty two", "twenty five hundred".
fn group(w: &[&str], i: usize) -> Option<(u64, usize)> {
    let (mut v, mut j) = if w.get(i) == Some(&"a") && w.get(i + 1) == Some(&"hundred") {
        (1, i + 1)
    } else {
        below_hundred(w, i)?
    };
    if w.get(j) == Some(&"hundred") {
        v *= 100;
        j += 1;
        // "and" only counts when a number follows it: "two hundred and three".
        let k = if w.get(j) == Some(&"and") { j + 1 } else { j };
        if let Some((r, next)) = below_hundred(w, k) {
            v += r;
            j = next;
        }
    }
    Some((v, j))
}

/// A whole number in words at `i`, with scales: "one thousand two hundred",
/// "a million", "one thousand and one".
fn word_integer(w: &[&str], i: usize) -> Option<(u64, usize)> {
    if w.get(i) == Some(&"zero") {
        return Some((0, i + 1));
    }
    let mut total = 0u64;
    let mut j = i;
    let mut last_scale = u64::MAX;
    loop {
        let first = j == i;
        // "and" may join the last group to a scale: "one thousand and one".
        let start = if !first && w.get(j) == Some(&"and") {
            j + 1
        } else {
            j
        };
        let parsed = if first
            && w.get(j) == Some(&"a")
            && w.get(j + 1).and_then(|s| scale_word(s)).is_some()
        {
            Some((1, j + 1))
        } else {
            group(w, start)
        };
        let Some((g, k)) = parsed else {
            // Nothing after the scale: stop before the dangling "and".
            return (!first).then_some((total, j));
        };
        match w.get(k).and_then(|s| scale_word(s)) {
            Some(s) if s < last_scale && g < 1000 => {
                total += g * s;
                last_scale = s;
                j = k + 1;
            }
            _ => {
                if !first && g >= last_scale {
                    // "one thousand twelve hundred": stop at the thousand.
                    return Some((total, j));
                }
                return Some((total + g, k));
            }
        }
    }
}

/// "a half", "one quarter", "three quarters" at `i`, as used after "and".
fn fraction_words(w: &[&str], i: usize) -> Option<(f64, usize)> {
    let first = *w.get(i)?;
    let second = *w.get(i + 1)?;
    match (first, second) {
        ("a" | "one", "half") => Some((0.5, i + 2)),
        ("a" | "one", "quarter") => Some((0.25, i + 2)),
        ("three", "quarters") => Some((0.75, i + 2)),
        _ => None,
    }
}

/// The longest number at the start of `w`.
pub(crate) fn number_prefix(w: &[&str]) -> Option<Num> {
    let first = *w.first()?;
    if !can_start_number(first) {
        return None;
    }
    let (sign, i) = match first {
        "minus" | "negative" => (-1.0, 1),
        _ => (1.0, 0),
    };
    let mut num = magnitude(w, i)?;
    num.value *= sign;
    Some(num)
}

fn magnitude(w: &[&str], i: usize) -> Option<Num> {
    let first = *w.get(i)?;
    let num = |value, len, form| Some(Num { value, len, form });

    // Fractions on their own, and "half a dozen".
    if first == "half" {
        if w.get(i + 1) == Some(&"a") && w.get(i + 2) == Some(&"dozen") {
            return num(6.0, i + 3, NumForm::Plain);
        }
        return num(0.5, i + 1, NumForm::Fraction);
    }
    if first == "quarter" {
        return num(0.25, i + 1, NumForm::Fraction);
    }
    if let Some((f, j)) = fraction_words(w, i) {
        return num(f, j, NumForm::Fraction);
    }
    if first == "a" {
        match w.get(i + 1) {
            Some(&"dozen") => return num(12.0, i + 2, NumForm::Plain),
            Some(&"couple") => return num(2.0, i + 2, NumForm::Couple),
            _ => {}
        }
    }
    if first == "point" {
        let (f, j) = decimals(w, i + 1, 0)?;
        return num(f, j, NumForm::Plain);
    }

    let (mut value, mut j, form) = if let Some((v, form)) = numeric_token(first) {
        let mut v = v;
        let mut j = i + 1;
        // "5 thousand", "2.5 million", "3 hundred".
        if let Some(s) = w.get(j).and_then(|s| scale_word(s)) {
            v *= s as f64;
            j += 1;
        } else if w.get(j) == Some(&"hundred") {
            v *= 100.0;
            j += 1;
        }
        (v, j, form)
    } else {
        let (v, j) = word_integer(w, i)?;
        match w.get(j) {
            Some(&"point") => match decimals(w, j + 1, v) {
                Some((v, k)) => (v, k, NumForm::Plain),
                None => (v as f64, j, NumForm::Plain),
            },
            _ => (v as f64, j, NumForm::Plain),
        }
    };
    if w.get(j) == Some(&"and") {
        if let Some((f, k)) = fraction_words(w, j + 1) {
            value += f;
            j = k;
        }
    } else if w.get(j) == Some(&"dozen") {
        value *= 12.0;
        j += 1;
    }
    value.is_finite().then_some(Num {
        value,
        len: j,
        form,
    })
}

/// `whole` plus the digits after "point": "five", "two five", "oh five".
///
/// The digits are gathered as an integer and divided once, so "three point
/// one four" is exactly the `f64` nearest 3.14, as "3.14" would be.
fn decimals(w: &[&str], i: usize, whole: u64) -> Option<(f64, usize)> {
    let mut scaled = whole;
    let mut divisor = 1u64;
    let mut j = i;
    while let Some(d) = w.get(j).and_then(|d| match *d {
        "oh" => Some(0),
        d => unit_word(d),
    }) {
        scaled = scaled.checked_mul(10)?.checked_add(d)?;
        divisor = divisor.checked_mul(10)?;
        j += 1;
    }
    (j > i).then_some((scaled as f64 / divisor as f64, j))
}

/// The whole span read as a cardinal number.
pub(crate) fn cardinal(w: &[&str]) -> Option<f64> {
    let num = number_prefix(w)?;
    (num.len == w.len()).then_some(num.value)
}

/// The cardinal word an ordinal word stands for: "third" → "three".
fn ordinal_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "first" => "one",
        "second" => "two",
        "third" => "three",
        "fourth" => "four",
        "fifth" => "five",
        "sixth" => "six",
        "seventh" => "seven",
        "eighth" => "eight",
        "ninth" => "nine",
        "tenth" => "ten",
        "eleventh" => "eleven",
        "twelfth" => "twelve",
        "thirteenth" => "thirteen",
        "fourteenth" => "fourteen",
        "fifteenth" => "fifteen",
        "sixteenth" => "sixteen",
        "seventeenth" => "seventeen",
        "eighteenth" => "eighteen",
        "nineteenth" => "nineteen",
        "twentieth" => "twenty",
        "thirtieth" => "thirty",
        "fortieth" => "forty",
        "fiftieth" => "fifty",
        "sixtieth" => "sixty",
        "seventieth" => "seventy",
        "eightieth" => "eighty",
        "ninetieth" => "ninety",
        "hundredth" => "hundred",
        "thousandth" => "thousand",
        "millionth" => "million",
        _ => return None,
    })
}

/// "5th", "21st", "2nd", "3rd" → 5, 21, 2, 3.
///
/// The suffix is not checked against the number ("21th" is read as 21):
/// the words come from a recognizer or a person typing, and a wrong suffix
/// never makes the number itself unclear.
fn digit_ordinal(w: &str) -> Option<u64> {
    let body = w
        .strip_suffix("st")
        .or_else(|| w.strip_suffix("nd"))
        .or_else(|| w.strip_suffix("rd"))
        .or_else(|| w.strip_suffix("th"))?;
    digits(body)
}

/// The whole span read as an ordinal (1 or more): "first", "5th",
/// "twenty third", "one hundred and first".
pub(crate) fn ordinal(w: &[&str]) -> Option<u64> {
    let (&last, head) = w.split_last()?;
    if head.is_empty() {
        if let Some(n) = digit_ordinal(last) {
            return (n >= 1).then_some(n);
        }
    }
    // Only the last word carries the ordinal suffix; read the span as the
    // cardinal it would be with that word made cardinal.
    let card = ordinal_word(last)?;
    if head.len() >= crate::entity::MAX_WORDS || head.first() == Some(&"a") {
        return None;
    }
    let mut buf = [""; crate::entity::MAX_WORDS];
    buf[..head.len()].copy_from_slice(head);
    buf[head.len()] = card;
    let span = &buf[..=head.len()];
    let num = number_prefix(span)?;
    if num.len != span.len() || num.form != NumForm::Plain {
        return None;
    }
    let v = num.value;
    (v >= 1.0 && v.fract() == 0.0 && v < 1e15).then_some(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    fn card(s: &str) -> Option<f64> {
        cardinal(&words(s))
    }

    fn ord(s: &str) -> Option<u64> {
        ordinal(&words(s))
    }

    #[test]
    fn small_numbers_in_words() {
        assert_eq!(card("zero"), Some(0.0));
        assert_eq!(card("seven"), Some(7.0));
        assert_eq!(card("twelve"), Some(12.0));
        assert_eq!(card("twenty"), Some(20.0));
        assert_eq!(card("twenty five"), Some(25.0));
        assert_eq!(card("ninety nine"), Some(99.0));
    }

    #[test]
    fn hundreds_thousands_and_scales() {
        assert_eq!(card("a hundred"), Some(100.0));
        assert_eq!(card("one hundred"), Some(100.0));
        assert_eq!(card("two hundred and three"), Some(203.0));
        assert_eq!(card("two hundred three"), Some(203.0));
        assert_eq!(card("twelve hundred"), Some(1200.0));
        assert_eq!(card("one thousand two hundred"), Some(1200.0));
        assert_eq!(card("one thousand and one"), Some(1001.0));
        assert_eq!(card("a thousand"), Some(1000.0));
        assert_eq!(card("a million"), Some(1e6));
        assert_eq!(
            card("three million four hundred thousand and twelve"),
            Some(3_400_012.0)
        );
        assert_eq!(card("5 thousand"), Some(5000.0));
        assert_eq!(card("2.5 million"), Some(2_500_000.0));
    }

    #[test]
    fn digits_decimals_and_fractions() {
        assert_eq!(card("25"), Some(25.0));
        assert_eq!(card("007"), Some(7.0));
        assert_eq!(card("2.5"), Some(2.5));
        assert_eq!(card("1/2"), Some(0.5));
        assert_eq!(card("two point five"), Some(2.5));
        assert_eq!(card("point five"), Some(0.5));
        assert_eq!(card("three point one four"), Some(3.14));
        assert_eq!(card("one and a half"), Some(1.5));
        assert_eq!(card("2 and a quarter"), Some(2.25));
        assert_eq!(card("three and three quarters"), Some(3.75));
        assert_eq!(card("half"), Some(0.5));
        assert_eq!(card("a half"), Some(0.5));
        assert_eq!(card("three quarters"), Some(0.75));
    }

    #[test]
    fn dozens_couples_and_signs() {
        assert_eq!(card("a dozen"), Some(12.0));
        assert_eq!(card("half a dozen"), Some(6.0));
        assert_eq!(card("two dozen"), Some(24.0));
        assert_eq!(card("a couple"), Some(2.0));
        assert_eq!(card("minus five"), Some(-5.0));
        assert_eq!(card("negative 2.5"), Some(-2.5));
    }

    #[test]
    fn rejects_what_is_not_one_number() {
        for s in [
            "",
            "a",
            "an",
            "the",
            "oh",
            "five five",
            "twenty twenty",
            "seven thirty",
            "minus",
            "point",
            "hundred",
            "and",
            "five and",
            "one hundred and",
            "dozen",
            "1/0",
            "1.2.3",
            "7:30",
            "5th",
            "a few",
            "two hundred and a",
            "one thousand twelve hundred",
            "abc",
            "five minutes",
            "twenty and",
            "1e5",
            "-5",
        ] {
            assert_eq!(card(s), None, "{s:?}");
        }
    }

    #[test]
    fn prefix_stops_before_what_does_not_belong() {
        let n = number_prefix(&words("five and a half minutes")).unwrap();
        assert_eq!((n.value, n.len), (5.5, 4));
        let n = number_prefix(&words("two hundred and ten seconds")).unwrap();
        assert_eq!((n.value, n.len), (210.0, 4));
        // The "and" is left for the caller when no number follows it.
        let n = number_prefix(&words("two hundred and a minute")).unwrap();
        assert_eq!((n.value, n.len), (200.0, 2));
        let n = number_prefix(&words("one thousand and")).unwrap();
        assert_eq!((n.value, n.len), (1000.0, 2));
        let n = number_prefix(&words("half an hour")).unwrap();
        assert_eq!((n.value, n.len, n.form), (0.5, 1, NumForm::Fraction));
        let n = number_prefix(&words("a couple of minutes")).unwrap();
        assert_eq!((n.value, n.len, n.form), (2.0, 2, NumForm::Couple));
    }

    #[test]
    fn huge_inputs_stay_finite() {
        assert_eq!(card("999999999999999999"), Some(999999999999999999.0));
        assert_eq!(card("9999999999999999999999"), None);
        let v = card("nine hundred ninety nine trillion nine hundred billion").unwrap();
        assert_eq!(v, 999_900_000_000_000.0);
        assert_eq!(
            card("99999999999999999.9 trillion").map(f64::is_finite),
            Some(true)
        );
    }

    #[test]
    fn ordinals() {
        assert_eq!(ord("first"), Some(1));
        assert_eq!(ord("second"), Some(2));
        assert_eq!(ord("twelfth"), Some(12));
        assert_eq!(ord("twentieth"), Some(20));
        assert_eq!(ord("twenty third"), Some(23));
        assert_eq!(ord("thirty first"), Some(31));
        assert_eq!(ord("one hundredth"), Some(100));
        assert_eq!(ord("one hundred and first"), Some(101));
        assert_eq!(ord("5th"), Some(5));
        assert_eq!(ord("21st"), Some(21));
        assert_eq!(ord("2nd"), Some(2));
        assert_eq!(ord("3rd"), Some(3));
    }

    #[test]
    fn rejects_non_ordinals() {
        for s in [
            "",
            "five",
            "the first",
            "hundredth",
            "a hundredth",
            "0th",
            "th",
            "5",
            "first second",
            "twenty",
            "third twenty",
            "half first",
            "5th 6th",
            "fifth five",
        ] {
            assert_eq!(ord(s), None, "{s:?}");
        }
    }
}
