//! Dates, money and numbers on screen as the person's browser writes them:
//! the platform's `Intl` formatters in the browser's languages
//! (`navigator.languages`), so the app carries no locale data of its own.
//!
//! Only the screen uses this module. Files written for other programs (CSV,
//! JSON, Markdown) keep ISO dates and plain numbers from the native model.
//! The formatters are built once per page: constructing an `Intl` object is
//! far slower than using one.

use std::cell::RefCell;

use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::workspace::history::{MessagePiece, message_pieces};
use crate::workspace::measurements::day_number;
use crate::workspace::model::{Objective, format_number};
use crate::workspace::resources::money_label;

/// Milliseconds in a day.
const DAY_MS: f64 = 86_400_000.0;

/// An option's value: a word ("medium") or a number (fraction digits).
enum Opt<'a> {
    /// A string value.
    Word(&'a str),
    /// A numeric value.
    Count(u32),
}

/// An options object for an `Intl` constructor.
fn options(pairs: &[(&str, Opt)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let value = match value {
            Opt::Word(word) => JsValue::from_str(word),
            Opt::Count(n) => JsValue::from_f64(f64::from(*n)),
        };
        let _ = Reflect::set(&object, &JsValue::from_str(key), &value);
    }
    object
}

/// The formatters the screen uses, each the bound `format` of one `Intl` object.
struct Formats {
    /// The browser's preferred languages, best first.
    locales: Array,
    /// A calendar date, read in UTC so that no time zone moves its day.
    date: Function,
    /// The day a moment falls on in the person's time zone.
    day_at: Function,
    /// A moment: day, time and time zone.
    moment: Function,
    /// A time of day with its zone.
    time: Function,
    /// A plain number with the locale's separators.
    number: Function,
    /// A whole percentage (of a 0–1 fraction).
    percent: Function,
    /// A percentage as entered, with its decimals (of a 0–1 fraction).
    percent_exact: Function,
    /// Money formatters by ISO 4217 code, made when a currency is first shown.
    money: RefCell<Vec<(String, Function)>>,
}

impl Formats {
    /// Builds the formatters for the browser's languages.
    fn new() -> Formats {
        let locales = web_sys::window()
            .map(|w| w.navigator().languages())
            .unwrap_or_default();
        let dates =
            |pairs: &[(&str, Opt)]| Intl::DateTimeFormat::new(&locales, &options(pairs)).format();
        let numbers =
            |pairs: &[(&str, Opt)]| Intl::NumberFormat::new(&locales, &options(pairs)).format();
        use Opt::{Count, Word};
        Formats {
            date: dates(&[("dateStyle", Word("medium")), ("timeZone", Word("UTC"))]),
            day_at: dates(&[("dateStyle", Word("medium"))]),
            moment: dates(&[
                ("day", Word("numeric")),
                ("month", Word("short")),
                ("year", Word("numeric")),
                ("hour", Word("2-digit")),
                ("minute", Word("2-digit")),
                ("timeZoneName", Word("short")),
            ]),
            time: dates(&[
                ("hour", Word("2-digit")),
                ("minute", Word("2-digit")),
                ("timeZoneName", Word("short")),
            ]),
            number: numbers(&[("maximumFractionDigits", Count(10))]),
            percent: numbers(&[
                ("style", Word("percent")),
                ("maximumFractionDigits", Count(0)),
            ]),
            percent_exact: numbers(&[
                ("style", Word("percent")),
                ("maximumFractionDigits", Count(10)),
            ]),
            money: RefCell::new(Vec::new()),
            locales,
        }
    }

    /// The money formatter for `currency`, made on first use. Every currency
    /// has two decimal places in Charter, so the formatter always shows two.
    fn money(&self, currency: &str) -> Function {
        let mut money = self.money.borrow_mut();
        if let Some((_, format)) = money.iter().find(|(code, _)| code == currency) {
            return format.clone();
        }
        let format = Intl::NumberFormat::new(
            &self.locales,
            &options(&[
                ("style", Opt::Word("currency")),
                ("currency", Opt::Word(currency)),
                ("minimumFractionDigits", Opt::Count(2)),
                ("maximumFractionDigits", Opt::Count(2)),
            ]),
        )
        .format();
        money.push((currency.to_owned(), format.clone()));
        format
    }
}

thread_local! {
    static FORMATS: Formats = Formats::new();
}

/// Calls a bound `format` with `value`; `None` if it did not give text.
fn apply(format: &Function, value: &JsValue) -> Option<String> {
    format.call1(&JsValue::UNDEFINED, value).ok()?.as_string()
}

/// A moment (milliseconds since the epoch) as a JS `Date`.
fn js_date(ms: f64) -> JsValue {
    Date::new(&JsValue::from_f64(ms)).into()
}

/// A calendar date from the model (`YYYY-MM-DD`) as the person reads dates:
/// "31 Mar 2027" in en-GB, "31.03.2027" in de-DE. It is a day, not a moment,
/// so it is never shifted through a time zone; text that is not a real date
/// is shown as it is.
pub fn date(iso: &str) -> String {
    let Some(day) = day_number(iso) else {
        return iso.to_owned();
    };
    FORMATS
        .with(|f| apply(&f.date, &js_date(day as f64 * DAY_MS)))
        .unwrap_or_else(|| iso.to_owned())
}

/// The day a moment (milliseconds since the epoch) falls on in the person's
/// time zone, written as [`date`] writes days.
pub fn day_at(at: i64) -> String {
    FORMATS
        .with(|f| apply(&f.day_at, &js_date(at as f64)))
        .unwrap_or_else(|| crate::workspace::measurements::date_of(at))
}

/// A moment with its time zone: "2 Dec 2026, 14:03 GMT" in en-GB,
/// "2. Dez. 2026, 14:03 MEZ" in de-DE.
pub fn moment(at: i64) -> String {
    FORMATS
        .with(|f| apply(&f.moment, &js_date(at as f64)))
        .unwrap_or_else(|| crate::workspace::measurements::date_of(at))
}

/// A time of day with its zone: "14:03 GMT".
pub fn time(at: i64) -> String {
    FORMATS
        .with(|f| apply(&f.time, &js_date(at as f64)))
        .unwrap_or_default()
}

/// Money from minor units and an ISO 4217 code: "€12,500.00" in en-GB,
/// "12.500,00 €" in de-DE. A code that is not three letters (only a damaged
/// record has one) is shown as the export writes it.
pub fn money(minor: i64, currency: &str) -> String {
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return money_label(minor, currency);
    }
    let amount = JsValue::from_f64(minor as f64 / 100.0);
    FORMATS
        .with(|f| apply(&f.money(currency), &amount))
        .unwrap_or_else(|| money_label(minor, currency))
}

/// A number with the locale's separators: 1234.5 → "1,234.5" in en-GB,
/// "1.234,5" in de-DE.
pub fn number(value: f64) -> String {
    FORMATS
        .with(|f| apply(&f.number, &JsValue::from_f64(value)))
        .unwrap_or_else(|| format_number(value))
}

/// A whole percentage from a 0–100 figure: 74.6 → "75%" in en-GB, "75 %" in de-DE.
pub fn percent(percent: f64) -> String {
    FORMATS
        .with(|f| apply(&f.percent, &JsValue::from_f64(percent / 100.0)))
        .unwrap_or_else(|| format!("{percent:.0}%"))
}

/// A percentage as entered, decimals kept: 95.5 → "95.5%" in en-GB, "95,5 %" in de-DE.
pub fn percent_exact(percent: f64) -> String {
    FORMATS
        .with(|f| apply(&f.percent_exact, &JsValue::from_f64(percent / 100.0)))
        .unwrap_or_else(|| format!("{}%", format_number(percent)))
}

/// Hundredths of an FTE as a number: 150 → "1.5" in en-GB, "1,5" in de-DE.
pub fn fte(hundredths: i64) -> String {
    number(hundredths as f64 / 100.0)
}

/// A measured value in the objective's unit: "97.5%", "3 incidents".
pub fn measured(objective: &Objective, value: f64) -> String {
    match objective.unit.as_str() {
        "" => number(value),
        "%" => percent_exact(value),
        unit => format!("{} {unit}", number(value)),
    }
}

/// The objective's target in its unit, if it has one.
pub fn target(objective: &Objective) -> Option<String> {
    objective.target.map(|t| measured(objective, t))
}

/// A change's message with its dates and amounts in the person's language:
/// "Recorded 96.5% on 30.11.2026" in de-DE. The message itself, the audit
/// trail, stays as it was written.
pub fn message(text: &str) -> String {
    message_pieces(text)
        .into_iter()
        .map(|piece| match piece {
            MessagePiece::Text(text) => text.to_owned(),
            MessagePiece::Date(iso) => date(iso),
            MessagePiece::Money { minor, currency } => money(minor, currency),
        })
        .collect()
}
