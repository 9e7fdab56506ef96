//! Lengths of time: "five and a half minutes", "an hour and 15 minutes".
//!
//! A duration is a run of segments, each a quantity and a unit, optionally
//! joined by "and": "two hours ten minutes and five seconds". Units must come
//! in strictly decreasing size and each at most once, which keeps spans like
//! "five minutes two hours" or "1 hour 30" out. A segment may end in "and a
//! half" ("an hour and a half"), and fraction words may take an article
//! ("half an hour", "quarter of an hour"). Vague amounts ("a few minutes") are
//! rejected rather than guessed.
//!
//! Days and weeks are kept apart from the clock units in [`Dur`]: when the
//! date-time parser adds "in 3 days" to now it adds calendar days (same wall
//! clock time across a daylight-saving change), while "in 72 hours" adds
//! elapsed time.

use super::number::{number_prefix, NumForm};

/// A parsed duration, split into calendar days and clock seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dur {
    /// Days from "day" and "week" units (a week is seven days).
    pub days: f64,
    /// Seconds from "hour", "minute" and "second" units.
    pub seconds: f64,
}

impl Dur {
    /// The whole length in seconds, counting a day as 86 400 seconds.
    pub fn total_seconds(self) -> f64 {
        self.days * 86_400.0 + self.seconds
    }
}

/// A unit word: its size rank (larger is bigger), whether it counts calendar
/// days, and its length in seconds or days.
fn unit(w: &str) -> Option<(u8, bool, f64)> {
    Some(match w {
        "second" | "seconds" | "sec" | "secs" => (0, false, 1.0),
        "minute" | "minutes" | "min" | "mins" => (1, false, 60.0),
        "hour" | "hours" | "hr" | "hrs" => (2, false, 3600.0),
        "day" | "days" => (3, true, 1.0),
        "week" | "weeks" => (4, true, 7.0),
        _ => return None,
    })
}

/// The quantity at `i` and where its unit starts.
fn quantity(w: &[&str], i: usize) -> Option<(f64, usize)> {
    let rest = w.get(i..)?;
    if let Some(num) = number_prefix(rest) {
        let mut j = i + num.len;
        match num.form {
            // "half an hour", "quarter of an hour", "three quarters of an hour".
            NumForm::Fraction => {
                if w.get(j) == Some(&"of") {
                    j += 1;
                }
                if matches!(w.get(j), Some(&"a" | &"an")) {
                    j += 1;
                }
            }
            // "a couple of minutes".
            NumForm::Couple => {
                if w.get(j) == Some(&"of") {
                    j += 1;
                }
            }
            NumForm::Plain => {}
        }
        return Some((num.value, j));
    }
    match *rest.first()? {
        "a" | "an" => Some((1.0, i + 1)),
        _ => None,
    }
}

/// The whole span read as a duration; `None` for negative lengths. Zero is a
/// length ("a timer for 0 seconds"): refusing it is the skill's answer to give,
/// not a reason to read the words as something else.
pub(crate) fn parse(w: &[&str]) -> Option<Dur> {
    let mut dur = Dur {
        days: 0.0,
        seconds: 0.0,
    };
    let mut i = 0;
    let mut last_rank = u8::MAX;
    while i < w.len() {
        if last_rank != u8::MAX && w[i] == "and" {
            i += 1;
        }
        let (mut qty, j) = quantity(w, i)?;
        let (rank, calendar, size) = unit(w.get(j)?)?;
        if rank >= last_rank || qty < 0.0 {
            return None;
        }
        last_rank = rank;
        i = j + 1;
        // "an hour and a half", "two minutes and a quarter".
        if w.get(i) == Some(&"and") {
            if let Some(f) = match (w.get(i + 1), w.get(i + 2)) {
                (Some(&"a" | &"one"), Some(&"half")) => Some(0.5),
                (Some(&"a" | &"one"), Some(&"quarter")) => Some(0.25),
                (Some(&"three"), Some(&"quarters")) => Some(0.75),
                _ => None,
            } {
                qty += f;
                i += 3;
            }
        }
        if calendar {
            dur.days += qty * size;
        } else {
            dur.seconds += qty * size;
        }
    }
    let total = dur.total_seconds();
    (last_rank != u8::MAX && total >= 0.0 && total.is_finite()).then_some(dur)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> Option<f64> {
        parse(&s.split_whitespace().collect::<Vec<_>>()).map(Dur::total_seconds)
    }

    #[test]
    fn single_units() {
        assert_eq!(secs("90 seconds"), Some(90.0));
        assert_eq!(secs("five minutes"), Some(300.0));
        assert_eq!(secs("a minute"), Some(60.0));
        assert_eq!(secs("an hour"), Some(3600.0));
        assert_eq!(secs("0 minutes"), Some(0.0));
        assert_eq!(secs("zero seconds"), Some(0.0));
        assert_eq!(secs("5 mins"), Some(300.0));
        assert_eq!(secs("10 secs"), Some(10.0));
        assert_eq!(secs("2 hrs"), Some(7200.0));
        assert_eq!(secs("1 hr"), Some(3600.0));
        assert_eq!(secs("a day"), Some(86400.0));
        assert_eq!(secs("3 days"), Some(259_200.0));
        assert_eq!(secs("a week"), Some(604_800.0));
        assert_eq!(secs("twenty five minutes"), Some(1500.0));
        assert_eq!(secs("a couple of minutes"), Some(120.0));
        assert_eq!(secs("a couple minutes"), Some(120.0));
    }

    #[test]
    fn fractions() {
        assert_eq!(secs("five and a half minutes"), Some(330.0));
        assert_eq!(secs("half an hour"), Some(1800.0));
        assert_eq!(secs("half a minute"), Some(30.0));
        assert_eq!(secs("a half hour"), Some(1800.0));
        assert_eq!(secs("half hour"), Some(1800.0));
        assert_eq!(secs("quarter of an hour"), Some(900.0));
        assert_eq!(secs("a quarter of an hour"), Some(900.0));
        assert_eq!(secs("a quarter hour"), Some(900.0));
        assert_eq!(secs("three quarters of an hour"), Some(2700.0));
        assert_eq!(secs("an hour and a half"), Some(5400.0));
        assert_eq!(secs("a minute and a half"), Some(90.0));
        assert_eq!(secs("an hour and a quarter"), Some(4500.0));
        assert_eq!(secs("1.5 hours"), Some(5400.0));
        assert_eq!(secs("one and a half hours"), Some(5400.0));
        assert_eq!(secs("1/2 hour"), Some(1800.0));
        assert_eq!(secs("2.5 seconds"), Some(2.5));
    }

    #[test]
    fn compound() {
        assert_eq!(secs("an hour and 15 minutes"), Some(4500.0));
        assert_eq!(secs("1 hour 30 minutes"), Some(5400.0));
        assert_eq!(secs("two hours ten minutes and five seconds"), Some(7805.0));
        assert_eq!(secs("an hour and a minute"), Some(3660.0));
        assert_eq!(secs("a week and 2 days"), Some(777_600.0));
        assert_eq!(secs("1 hour 0 minutes"), Some(3600.0));
    }

    #[test]
    fn keeps_days_apart_from_clock_time() {
        let d = parse(&["a", "day", "and", "2", "hours"]).unwrap();
        assert_eq!((d.days, d.seconds), (1.0, 7200.0));
        let d = parse(&["2", "weeks"]).unwrap();
        assert_eq!((d.days, d.seconds), (14.0, 0.0));
    }

    #[test]
    fn rejects() {
        for s in [
            "",
            "minutes",
            "five",
            "five minutes please",
            "a few minutes",
            "some minutes",
            "minus five minutes",
            "five minutes two hours",
            "1 hour 30",
            "an hour and",
            "an hour and a half minutes",
            "two minutes two minutes",
            "half",
            "an an hour",
            "five an hour",
            "hour",
            "the hour",
            "and five minutes",
            "a minute and a half and a half",
            "five minutes and",
        ] {
            assert_eq!(secs(s), None, "{s:?}");
        }
    }

    #[test]
    fn huge_values_do_not_overflow() {
        assert_eq!(secs("a trillion weeks").map(f64::is_finite), Some(true));
        assert_eq!(
            secs("999999999999999999 weeks").map(f64::is_finite),
            Some(true)
        );
    }
}
