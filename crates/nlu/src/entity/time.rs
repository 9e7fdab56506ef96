//! Times of day: "7:30", "half past seven in the evening", "quarter to 8",
//! "noon", and their resolution to an instant.
//!
//! Parsing and resolving are separate steps. [`parse_expr`] reads what was
//! said into a [`TimeExpr`] (an hour as spoken, a minute offset, and an
//! optional am/pm or part of the day) without looking at any clock;
//! [`TimeExpr::minutes`] turns it into one or two candidate times of day, and
//! the caller picks one against now. The date-time and recurrence parsers
//! reuse both steps with their own rule for a bare hour.
//!
//! The key decision is how to read a bare hour from 1 to 12 with no am/pm and
//! no part of the day ("half past seven"):
//!
//! * [`Bare::Either`]: both 7:30 and 19:30 are candidates and the one that
//!   comes first after now wins. Used for a time alone (the [`Time`] kind)
//!   and for a time today. So "half past seven" at 08:00 is 19:30 today, and
//!   at 20:00 it is 07:30 tomorrow.
//! * [`Bare::Fixed`]: there is no now to compare against (another day, a
//!   recurrence), so the hour is read the way people use it: 6 to 11 are
//!   morning, 12 is noon, 1 to 5 are afternoon ("tomorrow at 7" is 07:00,
//!   "tomorrow at 3" is 15:00).
//!
//! An hour written in 24-hour form (0, 13–23, or zero-padded "07:30") is
//! taken as is and cannot take am/pm ("13 pm" is rejected). Parts of the day
//! place a 12-hour reading: "in the morning" is am (12 rejected), "in the
//! afternoon" and "in the evening" pm (12 rejected in the evening), and "at
//! night" is pm from 5 to 11, while 12 and 1–4 "at night" are after midnight.
//!
//! Minutes are counted from the start of the day the time is attached to and
//! may run past it: "midnight" is 24:00 (the *end* of its day, so "tonight at
//! midnight" is 00:00 tomorrow, while "12 am" is the start of the day), and
//! "quarter to 1 am" is 00:45. A time alone is reduced modulo a day.
//!
//! The resolved time is always *strictly after* now: a time equal to the
//! current minute (seconds count) or earlier is tomorrow's. Civil times that
//! a daylight-saving change skips or repeats are resolved by jiff's
//! "compatible" rule: a skipped 02:30 becomes 03:30, a repeated 02:30 is the
//! first of the two.
//!
//! [`Time`]: super::EntityKind::Time

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Zoned};

use super::number::{below_hundred, digits, unit_word};

/// Minutes in a day.
pub(crate) const DAY: i32 = 24 * 60;

/// A part of the day, said with a time or instead of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Period {
    /// "in the morning", "tomorrow morning".
    Morning,
    /// "in the afternoon".
    Afternoon,
    /// "in the evening", "this evening".
    Evening,
    /// "at night", "tonight".
    Night,
}

impl Period {
    /// The word naming this part of the day, singular or plural.
    pub fn from_word(w: &str) -> Option<Period> {
        Some(match w {
            "morning" | "mornings" => Period::Morning,
            "afternoon" | "afternoons" => Period::Afternoon,
            "evening" | "evenings" => Period::Evening,
            "night" | "nights" => Period::Night,
            _ => return None,
        })
    }

    /// The time meant when only the part of the day is said ("tomorrow
    /// morning"): 09:00, 15:00, 19:00 and 21:00.
    pub fn default_minutes(self) -> i32 {
        match self {
            Period::Morning => 9 * 60,
            Period::Afternoon => 15 * 60,
            Period::Evening => 19 * 60,
            Period::Night => 21 * 60,
        }
    }

    /// Whether a 24-hour `hour` lies in this part of the day.
    fn contains(self, hour: i32) -> bool {
        match self {
            Period::Morning => hour < 12,
            Period::Afternoon => (12..19).contains(&hour),
            Period::Evening => hour >= 16,
            Period::Night => hour >= 18 || hour < 5,
        }
    }
}

/// How a bare hour from 1 to 12 is read; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bare {
    /// Both am and pm are candidates.
    Either,
    /// 6–11 am, 12 noon, 1–5 pm.
    Fixed,
}

/// The hour as spoken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hour {
    /// 1..=12, which am/pm or a part of the day may place; `padded` when
    /// written "07", which reads as 24-hour time when nothing else is said.
    Twelve { hour: i32, padded: bool },
    /// 0 or 13..=23.
    TwentyFour(i32),
    /// "noon", "midday".
    Noon,
    /// "midnight".
    Midnight,
}

/// What follows the time: am/pm or a part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Am,
    Pm,
    Period(Period),
}

/// A time of day as spoken, before it is placed on a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeExpr {
    hour: Hour,
    /// Minutes after (or, negative, before) the hour.
    offset: i32,
    marker: Option<Marker>,
}

impl TimeExpr {
    /// The candidate times, in minutes from the start of the day (may be
    /// negative or past 24:00), given a part of the day said elsewhere in the
    /// phrase ("tomorrow *morning* at 7") and the rule for a bare hour.
    ///
    /// Returns one candidate, or two (am first) for [`Bare::Either`].
    /// `None` when the parts contradict each other ("7 am in the evening").
    pub fn minutes(&self, period: Option<Period>, bare: Bare) -> Option<([i32; 2], usize)> {
        let one = |h: i32| Some(([h * 60 + self.offset, 0], 1));
        match (self.hour, self.marker) {
            (Hour::Noon, None) => one(12),
            (Hour::Midnight, None) => one(24),
            (Hour::Noon | Hour::Midnight, Some(_)) => None,
            (Hour::TwentyFour(_), Some(Marker::Am | Marker::Pm)) => None,
            (Hour::TwentyFour(h), Some(Marker::Period(p))) => self.in_period(h, p, period),
            (Hour::TwentyFour(h), None) => match period {
                Some(p) => self.in_period(h, p, None),
                None => one(h),
            },
            (Hour::Twelve { hour, .. }, Some(Marker::Am)) => self.check_period(hour % 12, period),
            (Hour::Twelve { hour, .. }, Some(Marker::Pm)) => {
                self.check_period(hour % 12 + 12, period)
            }
            (Hour::Twelve { hour, .. }, Some(Marker::Period(p))) => {
                if period.is_some_and(|q| q != p) {
                    return None;
                }
                one(twelve_in_period(hour, p)?)
            }
            (Hour::Twelve { hour, padded }, None) => match (period, bare) {
                (Some(p), _) => one(twelve_in_period(hour, p)?),
                (None, _) if padded => one(hour),
                (None, Bare::Either) => Some((
                    [
                        (hour % 12) * 60 + self.offset,
                        (hour % 12 + 12) * 60 + self.offset,
                    ],
                    2,
                )),
                (None, Bare::Fixed) => one(match hour {
                    6..=12 => hour,
                    _ => hour + 12,
                }),
            },
        }
    }

    /// A 24-hour `hour` said with part of the day `p` (and maybe `also`).
    fn in_period(&self, hour: i32, p: Period, also: Option<Period>) -> Option<([i32; 2], usize)> {
        if !p.contains(hour) || also.is_some_and(|q| q != p) {
            return None;
        }
        // Small hours "at night" belong to the night after the day.
        let h = if p == Period::Night && hour < 5 {
            hour + 24
        } else {
            hour
        };
        Some(([h * 60 + self.offset, 0], 1))
    }

    /// A 24-hour `hour` from am/pm, checked against a part of the day said
    /// elsewhere.
    fn check_period(&self, hour: i32, period: Option<Period>) -> Option<([i32; 2], usize)> {
        match period {
            Some(p) => self.in_period(hour, p, None),
            None => Some(([hour * 60 + self.offset, 0], 1)),
        }
    }
}

/// A 12-hour `hour` placed in part of the day `p`, as a 24-hour hour that
/// may pass 24 for the small hours of the night.
fn twelve_in_period(hour: i32, p: Period) -> Option<i32> {
    match (p, hour) {
        (Period::Morning, 12) | (Period::Evening, 12) => None,
        (Period::Morning, h) => Some(h),
        (Period::Afternoon, 12) => Some(12),
        (Period::Afternoon | Period::Evening, h) => Some(h + 12),
        (Period::Night, 12) => Some(24),
        (Period::Night, h @ 1..=4) => Some(h + 24),
        (Period::Night, h) => Some(h + 12),
    }
}

/// Whether `w` can start a time phrase.
pub(crate) fn can_start(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_digit())
        || below_hundred(&[w], 0).is_some()
        || matches!(w, "noon" | "midday" | "midnight" | "half" | "quarter" | "a")
}

/// Splits a trailing am/pm or part of the day off `w`.
fn split_marker<'a, 'w>(w: &'a [&'w str]) -> (&'a [&'w str], Option<Marker>) {
    let n = w.len();
    let tail = |k: usize| &w[n.saturating_sub(k)..];
    if n >= 2 {
        match tail(1) {
            ["am"] => return (&w[..n - 1], Some(Marker::Am)),
            ["pm"] => return (&w[..n - 1], Some(Marker::Pm)),
            _ => {}
        }
    }
    if n >= 3 {
        match tail(2) {
            ["a", "m"] => return (&w[..n - 2], Some(Marker::Am)),
            ["p", "m"] => return (&w[..n - 2], Some(Marker::Pm)),
            ["at", "night"] => return (&w[..n - 2], Some(Marker::Period(Period::Night))),
            _ => {}
        }
    }
    if n >= 4 {
        if let ["in", "the", p] = tail(3) {
            if let Some(p @ (Period::Morning | Period::Afternoon | Period::Evening)) =
                Period::from_word(p)
            {
                return (&w[..n - 3], Some(Marker::Period(p)));
            }
        }
    }
    (w, None)
}

/// An hour word or token: "seven", "7", "07", "19", "twenty three".
/// Returns the hour and the words it took.
fn hour_at(w: &[&str], i: usize) -> Option<(Hour, usize)> {
    let first = *w.get(i)?;
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        if first.len() > 2 {
            return None;
        }
        let h = digits(first)? as i32;
        let padded = first.len() == 2 && first.starts_with('0');
        return Some((hour_value(h, padded)?, 1));
    }
    let (h, next) = below_hundred(w, i)?;
    Some((hour_value(h as i32, false)?, next - i))
}

fn hour_value(h: i32, padded: bool) -> Option<Hour> {
    match h {
        1..=12 => Some(Hour::Twelve { hour: h, padded }),
        0 | 13..=23 => Some(Hour::TwentyFour(h)),
        _ => None,
    }
}

/// The minutes of "seven *thirty*", "7 *05*", "seven *oh five*": 0..=59.
fn clock_minutes(w: &[&str]) -> Option<i32> {
    match w {
        [m] if m.starts_with(|c: char| c.is_ascii_digit()) => {
            // Two digits, as a clock shows them: "7 05", not "7 5".
            (m.len() == 2).then_some(())?;
            let m = digits(m)? as i32;
            (m < 60).then_some(m)
        }
        ["oh" | "o" | "zero", u] => match unit_word(u)? {
            0 => None,
            u => Some(u as i32),
        },
        _ => {
            let (m, next) = below_hundred(w, 0)?;
            (next == w.len() && (10..60).contains(&m)).then_some(m as i32)
        }
    }
}

/// The minutes of "*twenty five* past", "*10 minutes* to", "*a quarter* to".
fn relative_minutes(w: &[&str]) -> Option<i32> {
    let w = match w {
        [rest @ .., "minute" | "minutes"] => rest,
        _ => w,
    };
    match w {
        ["quarter"] | ["a", "quarter"] => return Some(15),
        ["half"] => return Some(30),
        _ => {}
    }
    let m = match w {
        [m] if m.starts_with(|c: char| c.is_ascii_digit()) => digits(m)? as i32,
        _ => {
            let (m, next) = below_hundred(w, 0)?;
            (next == w.len()).then_some(m as i32)?
        }
    };
    (1..60).contains(&m).then_some(m)
}

/// An "H:MM" or "H.MM" token.
fn colon_time(w: &str) -> Option<(Hour, i32)> {
    let (h, m) = w.split_once(':').or_else(|| w.split_once('.'))?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (digits(h)? as i32, digits(m)? as i32);
    if m >= 60 {
        return None;
    }
    let padded = w.starts_with('0') && h != 0;
    Some((hour_value(h, padded)?, m))
}

/// The hour after "past"/"to": a number, "noon" or "midnight".
fn target_hour(w: &[&str]) -> Option<Hour> {
    match w {
        ["noon" | "midday"] => Some(Hour::Noon),
        ["midnight"] => Some(Hour::Midnight),
        _ => {
            let (h, len) = hour_at(w, 0)?;
            (len == w.len()).then_some(h)
        }
    }
}

/// Reads the whole span as a time of day (no leading "at": callers strip it).
pub(crate) fn parse_expr(w: &[&str]) -> Option<TimeExpr> {
    if !can_start(w.first()?) {
        return None;
    }
    let (core, marker) = split_marker(w);
    let expr = |hour, offset| {
        Some(TimeExpr {
            hour,
            offset,
            marker,
        })
    };
    match core {
        ["noon" | "midday"] | ["twelve" | "12", "noon" | "midday"] => return expr(Hour::Noon, 0),
        ["midnight"] | ["twelve" | "12", "midnight"] => return expr(Hour::Midnight, 0),
        [t] if t.contains([':', '.']) => {
            let (h, m) = colon_time(t)?;
            return expr(h, m);
        }
        _ => {}
    }
    // "quarter past 8", "ten to six", "twenty five minutes after nine".
    if let Some(k) = core.iter().position(|w| {
        matches!(
            *w,
            "past" | "after" | "to" | "till" | "til" | "before" | "of"
        )
    }) {
        let m = relative_minutes(&core[..k])?;
        let h = target_hour(&core[k + 1..])?;
        let after = matches!(core[k], "past" | "after");
        // "half to seven" means nothing; "30 minutes to seven" is 6:30.
        if core[..k] == ["half"] && core[k] != "past" {
            return None;
        }
        return expr(h, if after { m } else { -m });
    }
    // British "half seven" is 7:30.
    if let ["half", h @ ..] = core {
        return match target_hour(h)? {
            h @ (Hour::Twelve { .. } | Hour::TwentyFour(_)) => expr(h, 30),
            Hour::Noon | Hour::Midnight => None,
        };
    }
    // "seven", "7 o'clock", "seven thirty", "7 30", "twenty three fifteen".
    let (h, len) = hour_at(core, 0)?;
    match &core[len..] {
        [] | ["o'clock" | "oclock"] | ["o", "clock"] => expr(h, 0),
        rest => expr(h, clock_minutes(rest)?),
    }
}

/// `date` at `minutes` from its start (which may fall on a following day).
pub(crate) fn at_minutes(date: Date, minutes: i32, tz: &TimeZone) -> Option<Zoned> {
    let days = minutes.div_euclid(DAY);
    let tod = minutes.rem_euclid(DAY);
    let date = if days == 0 {
        date
    } else {
        date.checked_add(Span::new().try_days(i64::from(days)).ok()?)
            .ok()?
    };
    let time = Time::new((tod / 60) as i8, (tod % 60) as i8, 0, 0).ok()?;
    DateTime::from_parts(date, time).to_zoned(tz.clone()).ok()
}

/// The first instant strictly after `now` whose local time of day is one of
/// the candidate `minutes` (reduced modulo a day).
pub(crate) fn next_occurrence(now: &Zoned, minutes: &[i32]) -> Option<Zoned> {
    let today = now.date();
    let tomorrow = today.tomorrow().ok()?;
    let tz = now.time_zone();
    minutes
        .iter()
        .filter_map(|&m| {
            let tod = m.rem_euclid(DAY);
            match at_minutes(today, tod, tz) {
                Some(t) if t > *now => Some(t),
                _ => at_minutes(tomorrow, tod, tz),
            }
        })
        .min()
}

/// The whole span as a time of day, resolved to its next occurrence.
pub(crate) fn parse(w: &[&str], now: &Zoned) -> Option<Zoned> {
    let expr = parse_expr(w)?;
    let (cands, n) = expr.minutes(None, Bare::Either)?;
    next_occurrence(now, &cands[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    /// The candidate times of day as "HH:MM" (reduced modulo a day), with
    /// the bare-hour rule `bare`.
    fn cands(s: &str, bare: Bare) -> Option<Vec<String>> {
        let expr = parse_expr(&w(s))?;
        let (c, n) = expr.minutes(None, bare)?;
        Some(
            c[..n]
                .iter()
                .map(|m| {
                    let m = m.rem_euclid(DAY);
                    format!("{:02}:{:02}", m / 60, m % 60)
                })
                .collect(),
        )
    }

    fn either(s: &str) -> Option<Vec<String>> {
        cands(s, Bare::Either)
    }

    fn fixed(s: &str) -> Option<String> {
        let c = cands(s, Bare::Fixed)?;
        assert_eq!(c.len(), 1);
        Some(c[0].clone())
    }

    #[test]
    fn bare_hours_give_am_and_pm() {
        assert_eq!(either("7").unwrap(), ["07:00", "19:00"]);
        assert_eq!(either("seven").unwrap(), ["07:00", "19:00"]);
        assert_eq!(either("7:30").unwrap(), ["07:30", "19:30"]);
        assert_eq!(either("seven thirty").unwrap(), ["07:30", "19:30"]);
        assert_eq!(either("7 30").unwrap(), ["07:30", "19:30"]);
        assert_eq!(either("seven oh five").unwrap(), ["07:05", "19:05"]);
        assert_eq!(either("7 05").unwrap(), ["07:05", "19:05"]);
        assert_eq!(either("seven forty five").unwrap(), ["07:45", "19:45"]);
        assert_eq!(either("seven o'clock").unwrap(), ["07:00", "19:00"]);
        assert_eq!(either("7 o clock").unwrap(), ["07:00", "19:00"]);
        assert_eq!(either("twelve").unwrap(), ["00:00", "12:00"]);
        assert_eq!(either("12:15").unwrap(), ["00:15", "12:15"]);
    }

    #[test]
    fn relative_to_the_hour() {
        assert_eq!(either("half past seven").unwrap(), ["07:30", "19:30"]);
        assert_eq!(either("quarter past 8").unwrap(), ["08:15", "20:15"]);
        assert_eq!(either("quarter to eight").unwrap(), ["07:45", "19:45"]);
        assert_eq!(either("a quarter to eight").unwrap(), ["07:45", "19:45"]);
        assert_eq!(either("ten to six").unwrap(), ["05:50", "17:50"]);
        assert_eq!(either("twenty five past nine").unwrap(), ["09:25", "21:25"]);
        assert_eq!(either("5 minutes past 9").unwrap(), ["09:05", "21:05"]);
        assert_eq!(either("ten after six").unwrap(), ["06:10", "18:10"]);
        assert_eq!(either("quarter of six").unwrap(), ["05:45", "17:45"]);
        assert_eq!(either("quarter to one").unwrap(), ["00:45", "12:45"]);
        assert_eq!(either("quarter to twelve").unwrap(), ["23:45", "11:45"]);
        assert_eq!(either("half seven").unwrap(), ["07:30", "19:30"]);
        assert_eq!(either("quarter past noon").unwrap(), ["12:15"]);
        assert_eq!(either("ten to midnight").unwrap(), ["23:50"]);
    }

    #[test]
    fn am_pm_and_parts_of_the_day() {
        assert_eq!(either("7 pm").unwrap(), ["19:00"]);
        assert_eq!(either("7:30 am").unwrap(), ["07:30"]);
        assert_eq!(either("7 p m").unwrap(), ["19:00"]);
        assert_eq!(either("12 am").unwrap(), ["00:00"]);
        assert_eq!(either("12 pm").unwrap(), ["12:00"]);
        assert_eq!(either("12:30 am").unwrap(), ["00:30"]);
        assert_eq!(either("half past seven in the evening").unwrap(), ["19:30"]);
        assert_eq!(
            either("twenty past nine in the morning").unwrap(),
            ["09:20"]
        );
        assert_eq!(either("7 o'clock in the morning").unwrap(), ["07:00"]);
        assert_eq!(either("3 in the afternoon").unwrap(), ["15:00"]);
        assert_eq!(either("12 in the afternoon").unwrap(), ["12:00"]);
        assert_eq!(either("10 at night").unwrap(), ["22:00"]);
        assert_eq!(either("12 at night").unwrap(), ["00:00"]);
        assert_eq!(either("2 at night").unwrap(), ["02:00"]);
        assert_eq!(either("quarter to one pm").unwrap(), ["12:45"]);
    }

    #[test]
    fn twenty_four_hour_and_named_times() {
        assert_eq!(either("19:45").unwrap(), ["19:45"]);
        assert_eq!(either("07:30").unwrap(), ["07:30"]);
        assert_eq!(either("0:15").unwrap(), ["00:15"]);
        assert_eq!(either("00:00").unwrap(), ["00:00"]);
        assert_eq!(either("19").unwrap(), ["19:00"]);
        assert_eq!(either("seventeen thirty").unwrap(), ["17:30"]);
        assert_eq!(either("twenty three fifteen").unwrap(), ["23:15"]);
        assert_eq!(either("twenty thirty").unwrap(), ["20:30"]);
        assert_eq!(either("7.30").unwrap(), ["07:30", "19:30"]);
        assert_eq!(either("19:45 in the evening").unwrap(), ["19:45"]);
        assert_eq!(either("noon").unwrap(), ["12:00"]);
        assert_eq!(either("midday").unwrap(), ["12:00"]);
        assert_eq!(either("12 noon").unwrap(), ["12:00"]);
        assert_eq!(either("midnight").unwrap(), ["00:00"]);
        assert_eq!(either("twelve midnight").unwrap(), ["00:00"]);
    }

    #[test]
    fn fixed_rule_for_bare_hours() {
        assert_eq!(fixed("7").unwrap(), "07:00");
        assert_eq!(fixed("6").unwrap(), "06:00");
        assert_eq!(fixed("11:30").unwrap(), "11:30");
        assert_eq!(fixed("12").unwrap(), "12:00");
        assert_eq!(fixed("1").unwrap(), "13:00");
        assert_eq!(fixed("3").unwrap(), "15:00");
        assert_eq!(fixed("5:45").unwrap(), "17:45");
        assert_eq!(fixed("quarter to six").unwrap(), "05:45");
        assert_eq!(fixed("5 am").unwrap(), "05:00");
        assert_eq!(fixed("19:00").unwrap(), "19:00");
    }

    #[test]
    fn part_of_the_day_from_elsewhere() {
        let e = parse_expr(&w("7")).unwrap();
        assert_eq!(
            e.minutes(Some(Period::Evening), Bare::Fixed),
            Some(([19 * 60, 0], 1))
        );
        assert_eq!(
            e.minutes(Some(Period::Night), Bare::Either),
            Some(([19 * 60, 0], 1))
        );
        let e = parse_expr(&w("12")).unwrap();
        assert_eq!(
            e.minutes(Some(Period::Night), Bare::Fixed),
            Some(([24 * 60, 0], 1))
        );
        let e = parse_expr(&w("7 am")).unwrap();
        assert_eq!(
            e.minutes(Some(Period::Morning), Bare::Fixed),
            Some(([7 * 60, 0], 1))
        );
        assert_eq!(e.minutes(Some(Period::Evening), Bare::Fixed), None);
        let e = parse_expr(&w("7 in the morning")).unwrap();
        assert_eq!(e.minutes(Some(Period::Evening), Bare::Fixed), None);
        let e = parse_expr(&w("19:00")).unwrap();
        assert_eq!(e.minutes(Some(Period::Morning), Bare::Fixed), None);
        assert_eq!(
            e.minutes(Some(Period::Evening), Bare::Fixed),
            Some(([19 * 60, 0], 1))
        );
    }

    #[test]
    fn rejects() {
        for s in [
            "",
            "at",
            "the",
            "25:00",
            "7:75",
            "7:99",
            "13 pm",
            "thirteen pm",
            "19:45 pm",
            "0 am",
            "24",
            "7 5",
            "seven five",
            "half past",
            "past seven",
            "half to seven",
            "7:3",
            "seven thirty five minutes",
            "noon pm",
            "midnight am",
            "12 in the morning",
            "12 in the evening",
            "19:45 in the morning",
            "seven am pm",
            "am",
            "pm",
            "seven seven",
            "sixty past seven",
            "quarter past twenty five",
            "7 o'clock 30",
            "seven thirty please",
            "five minutes",
            "in the morning",
            "7:30:00",
            "123",
            "2.5",
            "a",
            "half",
            "quarter",
            "seven sixty",
            "seventy",
            "1/2",
        ] {
            assert_eq!(
                parse_expr(&w(s)).and_then(|e| e.minutes(None, Bare::Either)),
                None,
                "{s:?}"
            );
        }
    }
}
