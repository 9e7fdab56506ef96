//! The weather skill: current conditions and the forecast, for home or a
//! named place, in the household's units.
//!
//! `HassGetWeather` has four slots (see the grammar's weather.yaml):
//! `location` (a place's name; the runtime has already looked it up),
//! `date` (a day or a range of days, from hark's {date} entity), `day_part`
//! (morning, afternoon, evening, night) and `condition` (what the question
//! is about: rain, snow, cold, ...; "do I need an umbrella" is rain, told by
//! the slot's raw words).
//!
//! The runtime reads the forecast before the turn ([`Needs::weather`]), so
//! this skill only picks the days or hours asked about from a
//! [`WeatherReport`] and says them. The key decisions:
//!
//! * Without a date the question is about now: the current conditions, or
//!   for a yes-or-no question, now and the rest of today ("will it rain"
//!   when it does not rain yet).
//! * A question about rain is answered by its chance, the highest hourly
//!   probability over the period (yes from 50%, maybe from 20%), since that
//!   is what someone deciding on an umbrella needs; other conditions by the
//!   forecast's weather codes.
//! * Days the forecast does not reach (in the past, or beyond its 16 days)
//!   are said so, never guessed.
//! * A part of the day reads the hourly forecast: morning 6 to 12,
//!   afternoon 12 to 18, evening 18 to 22, night 22 to 6 the next morning.

use hark_core::skill::{Needs, Outcome, Skill, SkillError, Turn};
use hark_core::weather::{Condition, Forecast, Units, WeatherReport, FORECAST_DAYS};
use hark_core::{Intent, SlotName, SlotValue};
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use crate::responses::{Localized, ResponseFile, Responses, Spec};
use crate::slots::{self, DateSlot};
use crate::spoken;
use crate::Error;

/// The conditions, each with the name of its response keys (`is_<name>`,
/// `expect_<name>`).
const CONDITIONS: [(Condition, &str); 17] = [
    (Condition::Unknown, "unknown"),
    (Condition::Clear, "clear"),
    (Condition::MainlyClear, "mainly_clear"),
    (Condition::PartlyCloudy, "partly_cloudy"),
    (Condition::Overcast, "overcast"),
    (Condition::Fog, "fog"),
    (Condition::Drizzle, "drizzle"),
    (Condition::FreezingDrizzle, "freezing_drizzle"),
    (Condition::Rain, "rain"),
    (Condition::HeavyRain, "heavy_rain"),
    (Condition::FreezingRain, "freezing_rain"),
    (Condition::Snow, "snow"),
    (Condition::HeavySnow, "heavy_snow"),
    (Condition::RainShowers, "rain_showers"),
    (Condition::SnowShowers, "snow_showers"),
    (Condition::Thunderstorm, "thunderstorm"),
    (Condition::ThunderstormWithHail, "thunderstorm_with_hail"),
];

/// The keys of the weather's responses and the placeholders each one takes.
const SPEC: Spec = &[
    ("is_unknown", &[]),
    ("is_clear", &[]),
    ("is_mainly_clear", &[]),
    ("is_partly_cloudy", &[]),
    ("is_overcast", &[]),
    ("is_fog", &[]),
    ("is_drizzle", &[]),
    ("is_freezing_drizzle", &[]),
    ("is_rain", &[]),
    ("is_heavy_rain", &[]),
    ("is_freezing_rain", &[]),
    ("is_snow", &[]),
    ("is_heavy_snow", &[]),
    ("is_rain_showers", &[]),
    ("is_snow_showers", &[]),
    ("is_thunderstorm", &[]),
    ("is_thunderstorm_with_hail", &[]),
    ("expect_unknown", &[]),
    ("expect_clear", &[]),
    ("expect_mainly_clear", &[]),
    ("expect_partly_cloudy", &[]),
    ("expect_overcast", &[]),
    ("expect_fog", &[]),
    ("expect_drizzle", &[]),
    ("expect_freezing_drizzle", &[]),
    ("expect_rain", &[]),
    ("expect_heavy_rain", &[]),
    ("expect_freezing_rain", &[]),
    ("expect_snow", &[]),
    ("expect_heavy_snow", &[]),
    ("expect_rain_showers", &[]),
    ("expect_snow_showers", &[]),
    ("expect_thunderstorm", &[]),
    ("expect_thunderstorm_with_hail", &[]),
    ("noun_snow", &[]),
    ("noun_hail", &[]),
    ("noun_storm", &[]),
    ("noun_sunny", &[]),
    ("noun_cloudy", &[]),
    ("noun_fog", &[]),
    ("noun_wind", &[]),
    ("degrees", &["n"]),
    ("degree", &["n"]),
    ("minus", &["n"]),
    ("wind_metric", &["n"]),
    ("wind_imperial", &["n"]),
    ("percent", &["n"]),
    ("chance_a", &["n"]),
    ("chance_an", &["n"]),
    ("when_now", &[]),
    ("when_today", &[]),
    ("when_tomorrow", &[]),
    ("when_weekday", &["weekday"]),
    ("when_date", &["date"]),
    ("when_this_weekend", &[]),
    ("when_range", &["start", "end"]),
    ("when_this_part", &["part"]),
    ("when_tonight", &[]),
    ("when_part", &["when", "part"]),
    ("part_morning", &[]),
    ("part_afternoon", &[]),
    ("part_evening", &[]),
    ("part_night", &[]),
    (
        "current",
        &[
            "temperature",
            "condition",
            "place",
            "apparent",
            "wind",
            "humidity",
        ],
    ),
    ("day", &["when", "place", "condition", "max", "min"]),
    (
        "day_wet",
        &["when", "place", "condition", "max", "min", "chance"],
    ),
    ("range", &["when", "place", "condition", "min", "max"]),
    (
        "range_wet",
        &["when", "place", "condition", "min", "max", "chance"],
    ),
    ("around", &["when", "place", "condition", "max"]),
    (
        "around_wet",
        &["when", "place", "condition", "max", "chance"],
    ),
    ("temperature_now", &["temperature", "place", "apparent"]),
    ("between", &["when", "place", "min", "max"]),
    ("humidity_now", &["place", "humidity"]),
    ("rain_now", &["condition", "place"]),
    ("rain_yes", &["place", "when", "chance"]),
    ("rain_maybe", &["chance", "place", "when"]),
    ("rain_no", &["place", "when"]),
    ("rain_not_now", &["place"]),
    ("snow_not_now", &["place"]),
    ("umbrella_yes", &["chance", "place", "when"]),
    ("umbrella_maybe", &["chance", "place", "when"]),
    ("umbrella_no", &["place", "when"]),
    ("cold_yes", &["min", "place", "when"]),
    ("cold_no", &["min", "place", "when"]),
    ("hot_yes", &["max", "place", "when"]),
    ("hot_no", &["max", "place", "when"]),
    ("condition_now_yes", &["condition", "place"]),
    ("condition_yes", &["noun", "place", "when"]),
    ("condition_no", &["noun", "place", "when", "condition"]),
    ("too_far", &["days", "date"]),
    ("past", &["date"]),
    ("no_such_place", &["name"]),
    ("no_location", &[]),
    ("unavailable", &[]),
];

const FILES: &[ResponseFile] = &[(
    "en",
    "weather/responses/en.yaml",
    include_str!("responses/en.yaml"),
)];

/// Rain is "likely" from this chance, in percent.
const LIKELY: f64 = 50.0;
/// Rain is worth mentioning from this chance.
const POSSIBLE: f64 = 20.0;

/// The words of a `condition` slot that name something to wear or bring
/// rather than the weather itself, in the order they are looked for ("rain
/// coat" before "coat", "sun hat" before "hat").
const GEAR: [(Gear, &[&str]); 4] = [
    (
        Gear::Rain,
        &[
            "umbrella",
            "brolly",
            "raincoat",
            "rain coat",
            "rain jacket",
            "wellies",
            "rain boots",
        ],
    ),
    (
        Gear::Sun,
        &[
            "sunscreen",
            "sun cream",
            "sunblock",
            "suncream",
            "sunglasses",
            "sun hat",
        ],
    ),
    (Gear::Hot, &["shorts", "sandals", "flip flops", "t shirt"]),
    (
        Gear::Cold,
        &[
            "jacket",
            "coat",
            "gloves",
            "scarf",
            "hat",
            "sweater",
            "jumper",
            "hoodie",
            "layers",
            "warm clothes",
        ],
    ),
];

/// Something to wear or bring, which asks for a yes or no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gear {
    Rain,
    Sun,
    Hot,
    Cold,
}

/// The weather skill.
#[derive(Debug, Clone)]
pub struct Weather {
    responses: Localized,
}

impl Weather {
    /// The skill's name.
    pub const NAME: &'static str = "weather";

    /// Builds the skill, checking its response files.
    pub fn new() -> Result<Self, Error> {
        Ok(Self {
            responses: Localized::new(Self::NAME, SPEC, FILES)?,
        })
    }
}

impl Skill for Weather {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn intents(&self) -> &[&'static str] {
        &["HassGetWeather"]
    }

    fn needs(&self, intent: &Intent) -> Needs {
        Needs {
            weather: intent.name.as_str() == "HassGetWeather",
            ..Needs::default()
        }
    }

    fn handle(&self, turn: &Turn<'_>) -> Result<Outcome, SkillError> {
        if turn.intent.name.as_str() != "HassGetWeather" {
            return Err(slots::unsupported(Self::NAME, turn.intent));
        }
        let r = self.responses.get(turn.language);
        let forecast = match turn.weather {
            Some(WeatherReport::Forecast(forecast)) => forecast,
            Some(WeatherReport::NoSuchPlace { name }) => {
                return Ok(Outcome::say(r.render("no_such_place", &[("name", name)])))
            }
            Some(WeatherReport::NoLocation) => {
                return Ok(Outcome::say(r.render("no_location", &[])))
            }
            // No report at all (a runtime that reads none) is as good as no answer.
            Some(WeatherReport::Unavailable) | None => {
                return Ok(Outcome::say(r.render("unavailable", &[])))
            }
        };
        let today = turn.now.to_zoned(turn.household.tz()).date();
        let question = Question::read(turn.intent)?;
        let say = Say { r, forecast, today };
        Ok(Outcome::say(say.answer(&question)))
    }
}

/// What was asked.
#[derive(Debug, Clone, PartialEq)]
struct Question {
    date: Option<DateSlot>,
    part: Option<Part>,
    condition: Option<String>,
    /// What the condition's words name to wear or bring, if anything.
    gear: Option<Gear>,
    /// Whether the condition was said as happening ("is it raining").
    ongoing: bool,
}

impl Question {
    fn read(intent: &Intent) -> Result<Question, SkillError> {
        let date = slots::date(intent, "date")?;
        let part = match intent.slots.get(&SlotName::new("day_part")) {
            None => None,
            Some(value) => Some(Part::read(value)?),
        };
        let condition = match intent.slots.get(&SlotName::new("condition")) {
            None => None,
            Some(SlotValue::String(c)) => Some(c.clone()),
            Some(other) => return Err(slots::invalid_slot("condition", other, "a string")),
        };
        let said = intent
            .raw
            .get(&SlotName::new("condition"))
            .map(|s| s.to_lowercase())
            .unwrap_or_default();
        let gear = GEAR
            .iter()
            .find(|(_, words)| words.iter().any(|w| said.contains(w)))
            .map(|(gear, _)| *gear);
        Ok(Question {
            date,
            part,
            condition,
            gear,
            ongoing: said.ends_with("ing"),
        })
    }
}

/// A part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl Part {
    fn read(value: &SlotValue) -> Result<Part, SkillError> {
        match value.as_str() {
            Some("morning") => Ok(Part::Morning),
            Some("afternoon") => Ok(Part::Afternoon),
            Some("evening") => Ok(Part::Evening),
            Some("night") => Ok(Part::Night),
            _ => Err(slots::invalid_slot(
                "day_part",
                value,
                "morning, afternoon, evening or night",
            )),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Part::Morning => "part_morning",
            Part::Afternoon => "part_afternoon",
            Part::Evening => "part_evening",
            Part::Night => "part_night",
        }
    }

    /// Its hours on its day, and on the next (the night's small hours).
    fn hours(self) -> ((i8, i8), Option<(i8, i8)>) {
        match self {
            Part::Morning => ((6, 12), None),
            Part::Afternoon => ((12, 18), None),
            Part::Evening => ((18, 22), None),
            Part::Night => ((22, 24), Some((0, 6))),
        }
    }
}

/// The weather over the period asked about, summed up.
#[derive(Debug, Clone, PartialEq)]
struct Period {
    min: f64,
    max: f64,
    /// The most severe condition.
    condition: Condition,
    /// The highest chance of rain, percent.
    chance: Option<f64>,
    /// The strongest wind (days only).
    wind: Option<f64>,
    /// Every condition seen.
    conditions: Vec<Condition>,
}

/// Why there is no period to tell.
enum Missing {
    Past(Date),
    TooFar(Date),
}

struct Say<'a> {
    r: &'a Responses,
    forecast: &'a Forecast,
    today: Date,
}

impl Say<'_> {
    fn answer(&self, q: &Question) -> String {
        let place = self.forecast.place.as_str();
        // Now: no date and no part of the day.
        if q.date.is_none() && q.part.is_none() {
            if let Some(answer) = self.now(q) {
                return answer;
            }
        }
        let (first, last) = match q.date {
            None => (self.today, self.today),
            Some(DateSlot::Day(d)) => (d, d),
            Some(DateSlot::Range(a, b)) => (a, b),
        };
        let period = self.period(first, last, q.part);
        // What of a range lies within the forecast is what is told.
        let end = self.forecast.days.last().map_or(last, |d| d.date);
        let (first, last) = (first.max(self.today), last.min(end));
        let when = self.when(first, last, q.part);
        let period = match period {
            Ok(period) => period,
            Err(Missing::Past(d)) => {
                return self.r.render("past", &[("date", &self.date_words(d))]);
            }
            Err(Missing::TooFar(d)) => {
                return self.r.render(
                    "too_far",
                    &[
                        ("days", &FORECAST_DAYS.to_string()),
                        ("date", &self.date_words(d)),
                    ],
                );
            }
        };
        let min = self.temperature(period.min);
        let max = self.temperature(period.max);
        let chance = period.chance.map(|c| self.chance(c));
        let args = |extra: &[(&'static str, String)]| {
            let mut all: Vec<(&'static str, String)> = vec![
                ("place", place.to_string()),
                ("when", when.clone()),
                ("min", min.clone()),
                ("max", max.clone()),
            ];
            all.extend(extra.iter().cloned());
            all
        };
        let render = |key: &str, extra: &[(&'static str, String)]| {
            let all = args(extra);
            let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            self.r.render(key, &pairs)
        };
        let rain_chance = period.chance.unwrap_or(if period.condition.is_rain() {
            100.0
        } else {
            0.0
        });
        match q.condition.as_deref() {
            Some("rain") => {
                let prefix = if q.gear == Some(Gear::Rain) {
                    "umbrella"
                } else {
                    "rain"
                };
                let chance = chance.unwrap_or_else(|| self.chance(rain_chance));
                let key = if rain_chance >= LIKELY {
                    "yes"
                } else if rain_chance >= POSSIBLE {
                    "maybe"
                } else {
                    "no"
                };
                render(&format!("{prefix}_{key}"), &[("chance", chance)])
            }
            Some("cold") => {
                // Gear against the cold ("do I need a coat") is a yes or no; a
                // question about the cold ("how cold") gets the temperatures.
                if q.gear.is_some() {
                    let cold = period.min < self.units_value(10.0, 50.0);
                    render(if cold { "cold_yes" } else { "cold_no" }, &[])
                } else {
                    capitalized(render("between", &[]))
                }
            }
            Some("hot") => {
                if q.gear.is_some() {
                    let hot = period.max >= self.units_value(25.0, 77.0);
                    render(if hot { "hot_yes" } else { "hot_no" }, &[])
                } else {
                    capitalized(render("between", &[]))
                }
            }
            Some(other @ ("snow" | "hail" | "storm" | "sunny" | "cloudy" | "fog" | "wind")) => {
                let seen = match other {
                    "snow" => period.conditions.iter().any(|c| c.is_snow()),
                    "hail" => period.conditions.contains(&Condition::ThunderstormWithHail),
                    "storm" => period.conditions.iter().any(|c| c.is_storm()),
                    "sunny" => period.conditions.iter().any(|c| c.is_sunny()),
                    "cloudy" => period.conditions.iter().any(|c| c.is_cloudy()),
                    "fog" => period.conditions.contains(&Condition::Fog),
                    _ => period
                        .wind
                        .is_some_and(|w| w >= self.units_value(40.0, 25.0)),
                };
                let noun = self.r.render(&format!("noun_{other}"), &[]);
                if seen {
                    render("condition_yes", &[("noun", noun)])
                } else {
                    let condition = self.expect(period.condition);
                    render("condition_no", &[("noun", noun), ("condition", condition)])
                }
            }
            // Anything else (a plain "what's the weather", "humid" on
            // another day): the summary.
            _ => {
                let condition = self.expect(period.condition);
                let single = first == last && q.part.is_none();
                let wet = rain_chance >= POSSIBLE && period.chance.is_some();
                let flat = min == max;
                let key = match (single, flat, wet) {
                    (true, _, false) => "day",
                    (true, _, true) => "day_wet",
                    (false, true, false) => "around",
                    (false, true, true) => "around_wet",
                    (false, false, false) => "range",
                    (false, false, true) => "range_wet",
                };
                let mut extra = vec![("condition", condition)];
                if let Some(chance) = chance {
                    extra.push(("chance", chance));
                }
                capitalized(render(key, &extra))
            }
        }
    }

    /// A question about now, or `None` when it is better answered by today's
    /// forecast ("will it rain" when it does not rain yet).
    fn now(&self, q: &Question) -> Option<String> {
        let place = self.forecast.place.as_str();
        let c = &self.forecast.current;
        let temperature = self.temperature(c.temperature);
        let apparent = self.temperature(c.apparent_temperature);
        match q.condition.as_deref() {
            None => {
                let condition = self.is(c.condition);
                let wind = self.wind(c.wind_speed);
                let humidity = self.percent(c.humidity);
                Some(self.r.render(
                    "current",
                    &[
                        ("temperature", &temperature),
                        ("condition", &condition),
                        ("place", place),
                        ("apparent", &apparent),
                        ("wind", &wind),
                        ("humidity", &humidity),
                    ],
                ))
            }
            Some("cold" | "hot") if q.gear.is_none() => Some(self.r.render(
                "temperature_now",
                &[
                    ("temperature", &temperature),
                    ("place", place),
                    ("apparent", &apparent),
                ],
            )),
            Some("humid") => Some(self.r.render(
                "humidity_now",
                &[("place", place), ("humidity", &self.percent(c.humidity))],
            )),
            Some("rain") if c.condition.is_rain() && q.gear.is_none() => Some(self.r.render(
                "rain_now",
                &[("condition", &self.is(c.condition)), ("place", place)],
            )),
            Some("rain") if q.ongoing => Some(self.r.render("rain_not_now", &[("place", place)])),
            Some("snow") if q.ongoing && !c.condition.is_snow() => {
                Some(self.r.render("snow_not_now", &[("place", place)]))
            }
            Some("snow") if c.condition.is_snow() => Some(self.r.render(
                "condition_now_yes",
                &[("condition", &self.is(c.condition)), ("place", place)],
            )),
            Some("sunny") if c.condition.is_sunny() => Some(self.r.render(
                "condition_now_yes",
                &[("condition", &self.is(c.condition)), ("place", place)],
            )),
            // The rest of today tells.
            _ => None,
        }
    }

    /// The days (or hours) from `first` to `last`, summed up.
    fn period(&self, first: Date, last: Date, part: Option<Part>) -> Result<Period, Missing> {
        let f = self.forecast;
        let Some(end) = f.days.last().map(|d| d.date) else {
            return Err(Missing::TooFar(first));
        };
        if last < self.today {
            return Err(Missing::Past(first));
        }
        if first > end {
            return Err(Missing::TooFar(first));
        }
        // What of the range lies within the forecast.
        let first = first.max(self.today);
        let last = last.min(end);
        if let Some(part) = part {
            let ((from, to), next) = part.hours();
            let mut hours: Vec<_> = f.hours_of(first, from, to).collect();
            if let Some((from, to)) = next {
                if let Ok(tomorrow) = first.checked_add(1.day()) {
                    hours.extend(f.hours_of(tomorrow, from, to));
                }
            }
            if !hours.is_empty() {
                let conditions: Vec<Condition> = hours.iter().map(|h| h.condition).collect();
                return Ok(Period {
                    min: hours
                        .iter()
                        .map(|h| h.temperature)
                        .fold(f64::INFINITY, f64::min),
                    max: hours
                        .iter()
                        .map(|h| h.temperature)
                        .fold(f64::NEG_INFINITY, f64::max),
                    condition: conditions
                        .iter()
                        .copied()
                        .max()
                        .unwrap_or(Condition::Unknown),
                    chance: hours
                        .iter()
                        .filter_map(|h| h.precipitation_probability)
                        .reduce(f64::max),
                    wind: None,
                    conditions,
                });
            }
            // No hourly forecast: the whole day tells.
        }
        let days: Vec<_> = f
            .days
            .iter()
            .filter(|d| (first..=last).contains(&d.date))
            .collect();
        if days.is_empty() {
            return Err(Missing::TooFar(first));
        }
        let conditions: Vec<Condition> = days.iter().map(|d| d.condition).collect();
        Ok(Period {
            min: days.iter().map(|d| d.min).fold(f64::INFINITY, f64::min),
            max: days.iter().map(|d| d.max).fold(f64::NEG_INFINITY, f64::max),
            condition: conditions
                .iter()
                .copied()
                .max()
                .unwrap_or(Condition::Unknown),
            chance: days
                .iter()
                .filter_map(|d| d.precipitation_probability)
                .reduce(f64::max),
            wind: days.iter().map(|d| d.wind_max).reduce(f64::max),
            conditions,
        })
    }

    /// "today", "tomorrow morning", "on Friday", "this weekend".
    fn when(&self, first: Date, last: Date, part: Option<Part>) -> String {
        let r = self.r;
        if first != last {
            let weekend = first.weekday() == Weekday::Saturday
                && last == first.tomorrow().unwrap_or(first)
                && first <= self.today.checked_add(6.days()).unwrap_or(first);
            if weekend {
                return r.render("when_this_weekend", &[]);
            }
            return r.render(
                "when_range",
                &[
                    ("start", &self.day_words(first)),
                    ("end", &self.day_words(last)),
                ],
            );
        }
        let day = if first == self.today {
            r.render("when_today", &[])
        } else if Some(first) == self.today.tomorrow().ok() {
            r.render("when_tomorrow", &[])
        } else {
            r.render("when_weekday", &[("weekday", &self.day_words(first))])
        };
        match part {
            None => day,
            Some(Part::Night) if first == self.today => r.render("when_tonight", &[]),
            Some(part) if first == self.today => {
                r.render("when_this_part", &[("part", &r.render(part.key(), &[]))])
            }
            Some(part) => r.render(
                "when_part",
                &[("when", &day), ("part", &r.render(part.key(), &[]))],
            ),
        }
    }

    /// A weekday within the coming week ("Friday"), else a weekday and date
    /// ("Friday, December 4th").
    fn day_words(&self, date: Date) -> String {
        let soon = self
            .today
            .checked_add(6.days())
            .is_ok_and(|week| (self.today..=week).contains(&date));
        if soon {
            spoken::weekday(date.weekday()).to_string()
        } else {
            spoken::full_date(date, date.year() != self.today.year())
        }
    }

    /// "December 4th" (with its year when it is not this year's).
    fn date_words(&self, date: Date) -> String {
        spoken::month_day(date, date.year() != self.today.year())
    }

    fn temperature(&self, value: f64) -> String {
        let n = value.round() as i64;
        let key = if n.abs() == 1 { "degree" } else { "degrees" };
        let magnitude = n.abs().to_string();
        let number = if n < 0 {
            self.r.render("minus", &[("n", &magnitude)])
        } else {
            magnitude
        };
        self.r.render(key, &[("n", &number)])
    }

    fn wind(&self, value: f64) -> String {
        let key = match self.forecast.units {
            Units::Metric => "wind_metric",
            Units::Imperial => "wind_imperial",
        };
        self.r
            .render(key, &[("n", &(value.round() as i64).to_string())])
    }

    fn percent(&self, value: f64) -> String {
        self.r
            .render("percent", &[("n", &(value.round() as i64).to_string())])
    }

    /// "a 90%", "an 80%": English says "an" before eight, eleven and
    /// eighteen, and the numbers that start with their sound.
    fn chance(&self, value: f64) -> String {
        let n = (value.round() as i64).clamp(0, 100);
        let text = n.to_string();
        let an = text.starts_with('8') || n == 11 || n == 18;
        let key = if an { "chance_an" } else { "chance_a" };
        self.r.render(key, &[("n", &text)])
    }

    /// A threshold in the forecast's units.
    fn units_value(&self, metric: f64, imperial: f64) -> f64 {
        match self.forecast.units {
            Units::Metric => metric,
            Units::Imperial => imperial,
        }
    }

    fn is(&self, condition: Condition) -> String {
        self.r.render(&format!("is_{}", name(condition)), &[])
    }

    fn expect(&self, condition: Condition) -> String {
        self.r.render(&format!("expect_{}", name(condition)), &[])
    }
}

fn name(condition: Condition) -> &'static str {
    CONDITIONS
        .iter()
        .find(|(c, _)| *c == condition)
        .map_or("unknown", |(_, name)| name)
}

/// `text` with its first letter a capital, for a sentence that starts with
/// a `{when}`.
fn capitalized(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{intent, Home};
    use hark_core::weather::{Current, Day};
    use serde_json::json;

    const NOW: &str = "2026-11-25T07:00:00Z";

    fn home_with(report: Option<WeatherReport>) -> Home {
        let mut home = Home::new("Europe/Paris");
        home.weather = report;
        home
    }

    fn two_days() -> WeatherReport {
        let day = |d: i8, condition| Day {
            date: jiff::civil::date(2026, 11, d),
            min: 1.0,
            max: 1.4,
            condition,
            precipitation_probability: None,
            precipitation_sum: 0.0,
            wind_max: 45.0,
        };
        WeatherReport::Forecast(Forecast {
            place: "Paris".into(),
            units: Units::Metric,
            current: Current {
                time: jiff::civil::date(2026, 11, 25).at(8, 0, 0, 0),
                temperature: -0.4,
                apparent_temperature: -1.0,
                condition: Condition::Snow,
                wind_speed: 30.0,
                humidity: 90.0,
                precipitation: 0.2,
            },
            days: vec![day(25, Condition::Snow), day(26, Condition::Rain)],
            hours: Vec::new(),
        })
    }

    fn answer(home: &Home, slots: serde_json::Value) -> String {
        let i = intent("HassGetWeather", slots);
        Weather::new()
            .unwrap()
            .handle(&home.turn(&i, NOW))
            .unwrap()
            .speech
    }

    #[test]
    fn days_outside_the_forecast_are_said_so() {
        let home = home_with(Some(two_days()));
        assert_eq!(
            answer(&home, json!({"date": "2026-11-24"})),
            "I can only tell the weather from today on, not for November 24th."
        );
        assert_eq!(
            answer(&home, json!({"date": "2026-11-27"})),
            "I can only forecast 16 days ahead, and November 27th is too far away."
        );
        // A range that starts yesterday tells what it can.
        let told = answer(
            &home,
            json!({"date": {"start": "2026-11-24", "end": "2026-11-26"}}),
        );
        assert_eq!(
            told,
            "From Wednesday to Thursday in Paris, expect snow, at around 1 degree."
        );
    }

    #[test]
    fn without_hours_a_part_of_the_day_is_the_whole_day_and_chances_follow_the_codes() {
        let home = home_with(Some(two_days()));
        assert_eq!(
            answer(
                &home,
                json!({"date": "2026-11-26", "day_part": "morning", "condition": "rain"})
            ),
            "Yes, rain is likely in Paris tomorrow morning, with a 100% chance."
        );
        assert_eq!(
            answer(&home, json!({"day_part": "night"})),
            "Tonight in Paris, expect snow, at around 1 degree."
        );
        assert_eq!(
            answer(&home, json!({"condition": "snow"})),
            "Yes, it's snowing in Paris right now."
        );
        assert_eq!(
            answer(&home, json!({"condition": "wind", "date": "2026-11-26"})),
            "Yes, expect strong wind in Paris tomorrow."
        );
        assert_eq!(
            answer(&home, json!({})),
            "It's 0 degrees and snowing in Paris, and it feels like minus 1 degree, with wind at \
             30 kilometers per hour and 90% humidity."
        );
    }

    #[test]
    fn no_report_is_the_service_unavailable_and_bad_slots_are_errors() {
        let home = home_with(None);
        assert_eq!(
            answer(&home, json!({})),
            "I can't reach the weather service right now."
        );
        let home = home_with(Some(two_days()));
        for bad in [
            json!({"day_part": "noon"}),
            json!({"condition": 3}),
            json!({"date": "soon"}),
        ] {
            let i = intent("HassGetWeather", bad.clone());
            let error = Weather::new()
                .unwrap()
                .handle(&home.turn(&i, NOW))
                .unwrap_err();
            assert_eq!(error.code, "slot_invalid", "{bad}");
        }
        let other = intent("HassGetCurrentTime", json!({}));
        assert!(Weather::new()
            .unwrap()
            .handle(&home.turn(&other, NOW))
            .is_err());
        assert!(!Weather::new().unwrap().needs(&other).weather);
    }
}
