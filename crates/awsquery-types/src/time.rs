//! A small UTC timestamp and the three wire formats Smithy defines for it.
//!
//! [`DateTime`] is whole seconds since the Unix epoch plus nanoseconds within the second. Calendar
//! conversion uses the proleptic Gregorian calendar through the days-from-civil algorithm, so no
//! dependency and no time zone database is involved.

use std::error::Error as StdError;
use std::fmt::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// How a timestamp is written on the wire (Smithy `timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// RFC 3339 date-time, e.g. `2014-04-29T18:30:38Z`.
    DateTime,
    /// Seconds since the Unix epoch with an optional fraction, e.g. `1398796238.123`.
    EpochSeconds,
    /// RFC 7231 IMF-fixdate, e.g. `Tue, 29 Apr 2014 18:30:38 GMT`.
    HttpDate,
}

impl TimestampFormat {
    /// The Smithy name of the format, as used in error messages.
    fn name(self) -> &'static str {
        match self {
            TimestampFormat::DateTime => "date-time",
            TimestampFormat::EpochSeconds => "epoch-seconds",
            TimestampFormat::HttpDate => "http-date",
        }
    }
}

/// A point in time: whole seconds since the Unix epoch (UTC) and nanoseconds within that second.
///
/// Times before the epoch have negative `secs` and, as always, `nanos` counting forward: -1.5 s is
/// `secs = -2, nanos = 500_000_000`. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

impl DateTime {
    /// The instant `secs` seconds after the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// The instant `secs` seconds and `nanos` nanoseconds after the epoch. Whole seconds in `nanos`
    /// carry into `secs` (saturating at the ends of the `i64` range).
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs.saturating_add(i64::from(nanos / NANOS_PER_SEC)),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Whole seconds since the epoch (rounded towards the past).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`secs`](Self::secs), always below one second.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// Reads a timestamp written in `format`.
    ///
    /// * [`TimestampFormat::DateTime`]: `YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)`, with `t`
    ///   and `z` also accepted in lower case. Years run 0000–9999. Any number of fractional digits
    ///   is allowed; digits beyond the ninth are ignored. A leap second (`:60`) is accepted and read
    ///   as `:59`, since the epoch count has no place for it.
    /// * [`TimestampFormat::EpochSeconds`]: an optional sign, digits, an optional fraction and an
    ///   optional exponent (`1398796238`, `-1.5`, `1.3987962E9`).
    /// * [`TimestampFormat::HttpDate`]: `Tue, 29 Apr 2014 18:30:38 GMT`, optionally with a fraction
    ///   after the seconds. The weekday must be a valid name but is not checked against the date.
    pub fn parse(input: &str, format: TimestampFormat) -> Result<Self, TimeError> {
        let parsed = match format {
            TimestampFormat::DateTime => parse_date_time(input),
            TimestampFormat::EpochSeconds => parse_epoch_seconds(input),
            TimestampFormat::HttpDate => parse_http_date(input),
        };
        parsed.map_err(|reason| TimeError::new(input, format, reason))
    }

    /// Appends the timestamp in `format` to `out`.
    ///
    /// Fractions are written with trailing zeros trimmed and left out when zero; the HTTP date drops
    /// them. Years outside 0000–9999 (which [`parse`](Self::parse) never produces) are written with a
    /// sign and as many digits as they need.
    pub fn write(&self, format: TimestampFormat, out: &mut String) {
        // Writing to a `String` cannot fail.
        let _ = self.write_to(format, out);
    }

    /// Appends the compact UTC form SigV4 uses, `20150830T123600Z`.
    pub fn write_amz_date(&self, out: &mut String) {
        let c = Civil::from(*self);
        if !push_amz_day(&c, out) {
            let _ = write!(out, "{}", AmzDay(&c));
        }
        out.push('T');
        push_two_digits(c.hour, out);
        push_two_digits(c.minute, out);
        push_two_digits(c.second, out);
        out.push('Z');
    }

    /// Appends the compact UTC day SigV4 uses in credential scopes, `20150830`.
    pub fn write_amz_day(&self, out: &mut String) {
        let c = Civil::from(*self);
        if !push_amz_day(&c, out) {
            let _ = write!(out, "{}", AmzDay(&c));
        }
    }

    /// Writes `YYYY-MM-DDThh:mm:ss` (UTC), the part every ISO 8601 form shares.
    pub(crate) fn write_date_and_seconds(&self, w: &mut impl fmt::Write) -> fmt::Result {
        let c = Civil::from(*self);
        write!(
            w,
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}",
            Year(c.year),
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second
        )
    }

    fn write_to(&self, format: TimestampFormat, w: &mut impl fmt::Write) -> fmt::Result {
        match format {
            TimestampFormat::DateTime => {
                self.write_date_and_seconds(w)?;
                write_fraction(w, self.nanos)?;
                w.write_char('Z')
            }
            TimestampFormat::EpochSeconds => {
                if self.secs < 0 && self.nanos > 0 {
                    // -2 s + 0.5 s is -1.5 s: the magnitude is one second less, plus the complement.
                    write!(w, "-{}", -(self.secs + 1))?;
                    write_fraction(w, NANOS_PER_SEC - self.nanos)
                } else {
                    write!(w, "{}", self.secs)?;
                    write_fraction(w, self.nanos)
                }
            }
            TimestampFormat::HttpDate => {
                let c = Civil::from(*self);
                write!(
                    w,
                    "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
                    WEEKDAYS[c.weekday],
                    c.day,
                    MONTHS[c.month as usize - 1],
                    Year(c.year),
                    c.hour,
                    c.minute,
                    c.second
                )
            }
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime::from_secs_and_nanos(
                i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                after.subsec_nanos(),
            ),
            Err(before) => {
                let before = before.duration();
                let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => DateTime::from_secs(-secs),
                    nanos => DateTime {
                        secs: -secs - 1,
                        nanos: NANOS_PER_SEC - nanos,
                    },
                }
            }
        }
    }
}

impl fmt::Display for DateTime {
    /// The RFC 3339 form, as [`TimestampFormat::DateTime`] writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(TimestampFormat::DateTime, f)
    }
}

/// A timestamp that could not be read: the input (shortened if long), the format, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeError {
    input: String,
    format: TimestampFormat,
    reason: &'static str,
}

impl TimeError {
    const MAX_INPUT: usize = 64;

    fn new(input: &str, format: TimestampFormat, reason: &'static str) -> Self {
        let mut end = input.len().min(Self::MAX_INPUT);
        while !input.is_char_boundary(end) {
            end -= 1;
        }
        let mut shown = input[..end].to_owned();
        if end < input.len() {
            shown.push_str("...");
        }
        TimeError {
            input: shown,
            format,
            reason,
        }
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} timestamp {:?}: {}",
            self.format.name(),
            self.input,
            self.reason
        )
    }
}

impl StdError for TimeError {}

/// The calendar fields of a [`DateTime`], in UTC.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 is Sunday.
    weekday: usize,
}

impl From<DateTime> for Civil {
    fn from(time: DateTime) -> Self {
        let days = time.secs.div_euclid(SECS_PER_DAY);
        // In 0..86_400, so the narrowing below is lossless.
        let of_day = time.secs.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7) as usize,
        }
    }
}

/// Writes a year as four digits, or with a sign when it does not fit in 0000–9999.
struct Year(i64);

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9999).contains(&self.0) {
            write!(f, "{:04}", self.0)
        } else {
            write!(f, "{:+05}", self.0)
        }
    }
}

/// Writes `YYYYMMDD`.
struct AmzDay<'a>(&'a Civil);

impl fmt::Display for AmzDay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{:02}{:02}",
            Year(self.0.year),
            self.0.month,
            self.0.day
        )
    }
}

/// Appends `YYYYMMDD` digit by digit (signing writes it for every request), unless the year
/// is outside 0000–9999; then it appends nothing and returns `false`.
fn push_amz_day(c: &Civil, out: &mut String) -> bool {
    let Ok(year @ 0..=9999) = u32::try_from(c.year) else {
        return false;
    };
    push_two_digits(year / 100, out);
    push_two_digits(year % 100, out);
    push_two_digits(c.month, out);
    push_two_digits(c.day, out);
    true
}

/// Appends a number below 100 as two digits.
fn push_two_digits(n: u32, out: &mut String) {
    for digit in [n / 10 % 10, n % 10] {
        out.push(char::from_digit(digit, 10).unwrap_or('0'));
    }
}

/// Writes `.` and the fraction with trailing zeros trimmed, or nothing when `nanos` is zero.
fn write_fraction(w: &mut impl fmt::Write, nanos: u32) -> fmt::Result {
    if nanos == 0 {
        return Ok(());
    }
    let (mut digits, mut width) = (nanos, 9);
    while digits % 10 == 0 {
        digits /= 10;
        width -= 1;
    }
    write!(w, ".{digits:0width$}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (valid month and day assumed).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Count from 0000-03-01 so the leap day ends each (March-based) year.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01, as (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    // Both are small and non-negative.
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = ((month_from_march + 2) % 12 + 1) as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days since the epoch of a date read from input, after checking the month and day.
fn checked_days(year: u32, month: u32, day: u32) -> Result<i64, &'static str> {
    let year = i64::from(year);
    let month_len = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => return Err("month out of range"),
    };
    if day == 0 || day > month_len {
        return Err("day out of range for the month");
    }
    Ok(days_from_civil(year, month, day))
}

/// A forward-only reader over the bytes of a timestamp.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str) -> Self {
        Cursor {
            rest: input.as_bytes(),
        }
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        match self.rest.split_first() {
            Some((&first, rest)) if first == byte => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), &'static str> {
        if self.eat(byte) { Ok(()) } else { Err(reason) }
    }

    /// Consumes `text` if it comes next.
    fn eat_str(&mut self, text: &str) -> bool {
        match self.rest.strip_prefix(text.as_bytes()) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Reads exactly `count` ASCII digits as a number.
    fn digits(&mut self, count: usize, reason: &'static str) -> Result<u32, &'static str> {
        match self.rest.get(..count) {
            Some(digits) if digits.iter().all(u8::is_ascii_digit) => {
                self.rest = &self.rest[count..];
                Ok(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
            }
            _ => Err(reason),
        }
    }

    /// Reads an optional `.` and one or more digits, as nanoseconds (digits past nine ignored).
    fn fraction(&mut self) -> Result<u32, &'static str> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let count = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err("expected digits after the decimal point");
        }
        let nanos = fraction_nanos(&self.rest[..count]);
        self.rest = &self.rest[count..];
        Ok(nanos)
    }

    /// Reads `hh:mm:ss[.fraction]` as (seconds into the day, nanoseconds).
    fn time_of_day(&mut self) -> Result<(i64, u32), &'static str> {
        let hour = self.digits(2, "expected a two-digit hour")?;
        self.expect(b':', "expected ':' after the hour")?;
        let minute = self.digits(2, "expected two-digit minutes")?;
        self.expect(b':', "expected ':' after the minutes")?;
        let second = self.digits(2, "expected two-digit seconds")?;
        let nanos = self.fraction()?;
        if hour > 23 {
            return Err("hour out of range");
        }
        if minute > 59 {
            return Err("minutes out of range");
        }
        if second > 60 {
            return Err("seconds out of range");
        }
        // A leap second has no place in a count of seconds; read it as the second before.
        let second = second.min(59);
        Ok((i64::from(hour * 3600 + minute * 60 + second), nanos))
    }

    fn finish(&self) -> Result<(), &'static str> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err("unexpected characters after the timestamp")
        }
    }
}

/// Nanoseconds from fractional digits: the first nine count, the rest are ignored.
fn fraction_nanos(digits: &[u8]) -> u32 {
    (0..9).fold(0, |nanos, i| {
        nanos * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0'))
    })
}

fn parse_date_time(input: &str) -> Result<DateTime, &'static str> {
    let mut c = Cursor::new(input);
    let year = c.digits(4, "expected a four-digit year")?;
    c.expect(b'-', "expected '-' after the year")?;
    let month = c.digits(2, "expected a two-digit month")?;
    c.expect(b'-', "expected '-' after the month")?;
    let day = c.digits(2, "expected a two-digit day")?;
    if !(c.eat(b'T') || c.eat(b't')) {
        return Err("expected 'T' between the date and the time");
    }
    let (of_day, nanos) = c.time_of_day()?;
    let offset = if c.eat(b'Z') || c.eat(b'z') {
        0
    } else {
        let sign = if c.eat(b'+') {
            1
        } else if c.eat(b'-') {
            -1
        } else {
            return Err("expected 'Z' or a numeric offset such as +01:00");
        };
        let hours = c.digits(2, "expected a two-digit offset hour")?;
        c.expect(b':', "expected ':' in the offset")?;
        let minutes = c.digits(2, "expected two-digit offset minutes")?;
        if hours > 23 || minutes > 59 {
            return Err("offset out of range");
        }
        sign * i64::from(hours * 3600 + minutes * 60)
    };
    c.finish()?;
    let days = checked_days(year, month, day)?;
    // Local time minus its offset is UTC.
    Ok(DateTime {
        secs: days * SECS_PER_DAY + of_day - offset,
        nanos,
    })
}

fn parse_http_date(input: &str) -> Result<DateTime, &'static str> {
    let mut c = Cursor::new(input);
    if !WEEKDAYS.iter().any(|name| c.eat_str(name)) {
        return Err("expected a weekday name such as Tue");
    }
    c.expect(b',', "expected ',' after the weekday")?;
    c.expect(b' ', "expected ' ' after the weekday")?;
    let day = c.digits(2, "expected a two-digit day")?;
    c.expect(b' ', "expected ' ' after the day")?;
    let month = MONTHS
        .iter()
        .position(|name| c.eat_str(name))
        .ok_or("expected a month name such as Apr")?;
    c.expect(b' ', "expected ' ' after the month")?;
    let year = c.digits(4, "expected a four-digit year")?;
    c.expect(b' ', "expected ' ' after the year")?;
    let (of_day, nanos) = c.time_of_day()?;
    if !c.eat_str(" GMT") {
        return Err("expected ' GMT' after the time");
    }
    c.finish()?;
    // `position` in a twelve-element array fits in u32.
    let days = checked_days(year, month as u32 + 1, day)?;
    Ok(DateTime {
        secs: days * SECS_PER_DAY + of_day,
        nanos,
    })
}

fn parse_epoch_seconds(input: &str) -> Result<DateTime, &'static str> {
    const OUT_OF_RANGE: &str = "out of range";
    let (negative, unsigned) = match input.as_bytes().first() {
        Some(b'-') => (true, &input[1..]),
        Some(b'+') => (false, &input[1..]),
        _ => (false, input),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, parse_exponent(exponent)?),
        None => (unsigned, 0),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((_, "")) => return Err("expected digits after the decimal point"),
        Some(parts) => parts,
        None => (mantissa, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) {
        return Err("expected digits with an optional fraction and exponent");
    }

    // Shift the decimal point by the exponent, then split the digits around it.
    let point = int.len() as i64 + exponent;
    let (mut whole, mut nanos) = (0i64, 0u32);
    let digits = int.bytes().chain(frac.bytes()).map(|b| b - b'0');
    for (place, digit) in (-point..).zip(digits) {
        if place < 0 {
            whole = whole
                .checked_mul(10)
                .and_then(|w| w.checked_add(i64::from(digit)))
                .ok_or(OUT_OF_RANGE)?;
        } else if place < 9 {
            nanos += u32::from(digit) * 10u32.pow(8 - place as u32);
        }
    }
    for _ in (int.len() + frac.len()) as i64..point {
        whole = whole.checked_mul(10).ok_or(OUT_OF_RANGE)?;
    }

    Ok(match (negative, nanos) {
        (false, _) => DateTime { secs: whole, nanos },
        (true, 0) => DateTime::from_secs(-whole),
        (true, _) => DateTime {
            secs: -whole - 1,
            nanos: NANOS_PER_SEC - nanos,
        },
    })
}

/// An exponent of at most three digits with an optional sign.
fn parse_exponent(text: &str) -> Result<i64, &'static str> {
    const BAD: &str = "expected an exponent of one to three digits";
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BAD);
    }
    let value = digits
        .bytes()
        .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    Ok(sign * value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &str, format: TimestampFormat) -> DateTime {
        match DateTime::parse(input, format) {
            Ok(time) => time,
            Err(err) => panic!("{err}"),
        }
    }

    fn written(time: DateTime, format: TimestampFormat) -> String {
        let mut out = String::new();
        time.write(format, &mut out);
        out
    }

    use TimestampFormat::{DateTime as Iso, EpochSeconds as Epoch, HttpDate as Http};

    #[test]
    fn known_values() {
        assert_eq!(
            parse("2015-08-30T12:36:00Z", Iso),
            DateTime::from_secs(1_440_938_160)
        );
        assert_eq!(
            parse("2014-04-29T18:30:38Z", Iso),
            DateTime::from_secs(1_398_796_238)
        );
        assert_eq!(parse("1970-01-01T00:00:00Z", Iso), DateTime::from_secs(0));
        assert_eq!(
            parse("0000-01-01T00:00:00Z", Iso),
            DateTime::from_secs(-62_167_219_200)
        );
        assert_eq!(
            parse("9999-12-31T23:59:59Z", Iso),
            DateTime::from_secs(253_402_300_799)
        );
        assert_eq!(
            parse("Tue, 29 Apr 2014 18:30:38 GMT", Http),
            DateTime::from_secs(1_398_796_238)
        );
        assert_eq!(
            parse("1398796238", Epoch),
            DateTime::from_secs(1_398_796_238)
        );
    }

    #[test]
    fn writes_each_format() {
        let time = DateTime::from_secs(1_398_796_238);
        assert_eq!(written(time, Iso), "2014-04-29T18:30:38Z");
        assert_eq!(written(time, Epoch), "1398796238");
        assert_eq!(written(time, Http), "Tue, 29 Apr 2014 18:30:38 GMT");
        assert_eq!(time.to_string(), "2014-04-29T18:30:38Z");

        let fractional = DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000);
        assert_eq!(written(fractional, Iso), "2014-04-29T18:30:38.123Z");
        assert_eq!(written(fractional, Epoch), "1398796238.123");
        assert_eq!(written(fractional, Http), "Tue, 29 Apr 2014 18:30:38 GMT");
        let micro = DateTime::from_secs_and_nanos(0, 1_000);
        assert_eq!(written(micro, Iso), "1970-01-01T00:00:00.000001Z");
        assert_eq!(
            written(DateTime::from_secs_and_nanos(0, 1), Epoch),
            "0.000000001"
        );

        let mut amz = String::new();
        DateTime::from_secs(1_440_938_160).write_amz_date(&mut amz);
        DateTime::from_secs(1_440_938_160).write_amz_day(&mut amz);
        assert_eq!(amz, "20150830T123600Z20150830");

        // Years that do not fit in four digits take the same sign and digits as the other forms.
        for (secs, date) in [
            (253_402_300_800, "+100000101T000000Z"),
            (-62_167_219_201, "-00011231T235959Z"),
            (0, "19700101T000000Z"),
            (253_402_300_799, "99991231T235959Z"),
        ] {
            let mut amz = String::new();
            DateTime::from_secs(secs).write_amz_date(&mut amz);
            assert_eq!(amz, date, "{secs}");
            let mut day = String::new();
            DateTime::from_secs(secs).write_amz_day(&mut day);
            assert_eq!(Some(day.as_str()), date.split('T').next(), "{secs}");
        }
    }

    #[test]
    fn round_trips() {
        let samples = [
            DateTime::from_secs(0),
            DateTime::from_secs(1_440_938_160),
            DateTime::from_secs_and_nanos(1_398_796_238, 5),
            DateTime::from_secs_and_nanos(951_782_400, 999_999_999),
            DateTime::from_secs_and_nanos(-1, 1),
            DateTime::from_secs(-62_167_219_200),
            DateTime::from_secs_and_nanos(253_402_300_799, 100_000_000),
        ];
        for time in samples {
            assert_eq!(parse(&written(time, Iso), Iso), time);
            assert_eq!(parse(&written(time, Epoch), Epoch), time);
            let whole = DateTime::from_secs(time.secs());
            assert_eq!(parse(&written(time, Http), Http), whole);
        }
        // Every day of a few centuries, through the calendar and back.
        for days in -800_000..800_000 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn offsets_convert_to_utc() {
        let utc = DateTime::from_secs(1_440_938_160);
        assert_eq!(parse("2015-08-30T14:36:00+02:00", Iso), utc);
        assert_eq!(parse("2015-08-30T07:06:00-05:30", Iso), utc);
        assert_eq!(parse("2015-08-30t12:36:00z", Iso), utc);
        assert_eq!(parse("2015-08-30T12:36:00-00:00", Iso), utc);
        // Across a day and a year boundary.
        assert_eq!(
            parse("2015-12-31T23:30:00-01:00", Iso),
            parse("2016-01-01T00:30:00Z", Iso)
        );
    }

    #[test]
    fn fractions() {
        let time = parse("2014-04-29T18:30:38.123456789123Z", Iso);
        assert_eq!(time.subsec_nanos(), 123_456_789);
        assert_eq!(
            parse("2014-04-29T18:30:38.5Z", Iso).subsec_nanos(),
            500_000_000
        );
        assert_eq!(
            parse("Tue, 29 Apr 2014 18:30:38.123 GMT", Http),
            DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000)
        );
        assert_eq!(
            DateTime::from_secs_and_nanos(10, 2_500_000_000),
            DateTime::from_secs_and_nanos(12, 500_000_000)
        );
    }

    #[test]
    fn leap_years_and_leap_seconds() {
        assert!(DateTime::parse("2000-02-29T00:00:00Z", Iso).is_ok());
        assert!(DateTime::parse("2016-02-29T00:00:00Z", Iso).is_ok());
        assert!(DateTime::parse("1900-02-29T00:00:00Z", Iso).is_err());
        assert!(DateTime::parse("2015-02-29T00:00:00Z", Iso).is_err());
        assert_eq!(
            written(parse("2000-02-29T12:00:00Z", Iso), Http),
            "Tue, 29 Feb 2000 12:00:00 GMT"
        );
        assert_eq!(
            parse("2016-12-31T23:59:60Z", Iso),
            parse("2016-12-31T23:59:59Z", Iso)
        );
    }

    #[test]
    fn negative_epoch() {
        let time = parse("-1.5", Epoch);
        assert_eq!((time.secs(), time.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(written(time, Epoch), "-1.5");
        assert_eq!(
            written(DateTime::from_secs_and_nanos(-1, 500_000_000), Epoch),
            "-0.5"
        );
        assert_eq!(
            parse("-0.5", Epoch),
            DateTime::from_secs_and_nanos(-1, 500_000_000)
        );
        assert_eq!(parse("-86400", Epoch), DateTime::from_secs(-86_400));
        assert_eq!(
            written(DateTime::from_secs(-86_400), Iso),
            "1969-12-31T00:00:00Z"
        );
        assert_eq!(
            written(DateTime::from_secs_and_nanos(-1, 900_000_000), Iso),
            "1969-12-31T23:59:59.9Z"
        );
        assert_eq!(parse("-0", Epoch), DateTime::from_secs(0));
    }

    #[test]
    fn epoch_exponents() {
        assert_eq!(
            parse("1.3987962E9", Epoch),
            DateTime::from_secs(1_398_796_200)
        );
        assert_eq!(
            parse("15e-1", Epoch),
            DateTime::from_secs_and_nanos(1, 500_000_000)
        );
        assert_eq!(parse("+2e+0", Epoch), DateTime::from_secs(2));
    }

    #[test]
    fn extreme_values_write_without_panicking() {
        for secs in [i64::MIN, i64::MAX, -62_167_219_201, 253_402_300_800] {
            for nanos in [0, 1] {
                let time = DateTime::from_secs_and_nanos(secs, nanos);
                for format in [Iso, Epoch, Http] {
                    assert!(!written(time, format).is_empty());
                }
            }
        }
        assert_eq!(
            written(DateTime::from_secs(i64::MIN), Epoch),
            i64::MIN.to_string()
        );
        assert_eq!(
            written(DateTime::from_secs_and_nanos(i64::MIN, 1), Epoch),
            "-9223372036854775807.999999999"
        );
        assert_eq!(
            written(DateTime::from_secs(253_402_300_800), Iso),
            "+10000-01-01T00:00:00Z"
        );
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let cases = [
            ("", Iso),
            ("2014-04-29", Iso),
            ("2014-04-29T18:30:38", Iso),
            ("2014-04-29 18:30:38Z", Iso),
            ("14-04-29T18:30:38Z", Iso),
            ("2014-13-29T18:30:38Z", Iso),
            ("2014-00-29T18:30:38Z", Iso),
            ("2014-04-31T18:30:38Z", Iso),
            ("2014-04-00T18:30:38Z", Iso),
            ("2014-04-29T24:00:00Z", Iso),
            ("2014-04-29T18:60:00Z", Iso),
            ("2014-04-29T18:30:61Z", Iso),
            ("2014-04-29T18:30:38.Z", Iso),
            ("2014-04-29T18:30:38+0100", Iso),
            ("2014-04-29T18:30:38+24:00", Iso),
            ("2014-04-29T18:30:38Zjunk", Iso),
            ("2014-04-29T18:30:38ZZ", Iso),
            ("+2014-04-29T18:30:38Z", Iso),
            ("2014-04-29T18:3:38Z", Iso),
            ("２０１４-04-29T18:30:38Z", Iso),
            ("", Epoch),
            ("-", Epoch),
            ("1.", Epoch),
            (".5", Epoch),
            ("1.2.3", Epoch),
            ("12a", Epoch),
            (" 12", Epoch),
            ("1e", Epoch),
            ("1e1000", Epoch),
            ("9223372036854775808", Epoch),
            ("1e19", Epoch),
            ("NaN", Epoch),
            ("", Http),
            ("Tue, 29 Apr 2014 18:30:38", Http),
            ("Tue 29 Apr 2014 18:30:38 GMT", Http),
            ("Tuesday, 29 Apr 2014 18:30:38 GMT", Http),
            ("Tue, 29 April 2014 18:30:38 GMT", Http),
            ("Tue, 9 Apr 2014 18:30:38 GMT", Http),
            ("Tue, 31 Apr 2014 18:30:38 GMT", Http),
            ("Tue, 29 Apr 2014 18:30:38 UTC", Http),
            ("Tue, 29 Apr 2014 18:30:38 GMT ", Http),
            ("2014-04-29T18:30:38Z", Http),
        ];
        for (input, format) in cases {
            assert!(
                DateTime::parse(input, format).is_err(),
                "{input:?} as {format:?}"
            );
        }
    }

    #[test]
    fn error_names_the_input_and_the_problem() {
        let err = DateTime::parse("2014-02-30T00:00:00Z", Iso).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"invalid date-time timestamp "2014-02-30T00:00:00Z": day out of range for the month"#
        );
        let long = "é".repeat(100);
        let message = DateTime::parse(&long, Epoch).unwrap_err().to_string();
        // 64 bytes of two-byte characters, cut on a character boundary.
        let shown = format!("\"{}...\"", "é".repeat(32));
        assert!(message.contains(&shown), "{message}");
    }
}
