//! Calendar dates as editors write them (`2026-06-08`), and "today".

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date without time or zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// Parse `YYYY-MM-DD`; the error says what is wrong in an editor's words.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let well_formed = text.len() == 10
            && text.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !well_formed {
            return Err(format!(
                "`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2026-06-08"
            ));
        }
        text.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| format!("`{text}` is not a day in the calendar"))
    }

    /// Today in Europe/Amsterdam (falling back to the system zone if the time-zone
    /// database lacks it).
    pub fn today() -> Self {
        let now = jiff::Zoned::now();
        let local = match jiff::tz::TimeZone::get("Europe/Amsterdam") {
            Ok(tz) => now.with_time_zone(tz),
            Err(_) => now,
        };
        Date(local.date())
    }

    /// The start of this day in Europe/Amsterdam as an RFC 3339 timestamp
    /// (`2026-06-08T00:00:00+02:00`), as Atom feeds want it; UTC if the time-zone
    /// database lacks the zone.
    pub fn rfc3339_midnight(self) -> String {
        let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
        match self.0.to_zoned(tz) {
            Ok(zoned) => zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            Err(_) => format!("{}T00:00:00Z", self.0),
        }
    }

    /// The date one year earlier (29 February becomes 28 February).
    pub fn a_year_before(self) -> Self {
        Date(self.0.saturating_sub(jiff::Span::new().years(1)))
    }
}

impl Date {
    /// The date `months` months earlier (31 May minus a month is 30 April).
    pub fn months_before(self, months: u32) -> Self {
        Date(
            self.0
                .saturating_sub(jiff::Span::new().months(i64::from(months))),
        )
    }
}

impl Date {
    /// The date `days` days later.
    pub fn days_after(self, days: u32) -> Self {
        Date(
            self.0
                .saturating_add(jiff::Span::new().days(i64::from(days))),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates_only() {
        assert_eq!(
            Date::parse("2026-06-08").map(|d| d.to_string()),
            Ok("2026-06-08".into())
        );
        assert!(Date::parse("8 juni 2026").is_err());
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("2026-6-8").is_err());
    }

    #[test]
    fn midnight_in_amsterdam_follows_summer_time() {
        let winter = Date::parse("2026-01-15").map(Date::rfc3339_midnight);
        let summer = Date::parse("2026-06-08").map(Date::rfc3339_midnight);
        assert_eq!(winter, Ok("2026-01-15T00:00:00+01:00".into()));
        assert_eq!(summer, Ok("2026-06-08T00:00:00+02:00".into()));
    }

    #[test]
    fn a_year_before_handles_leap_days() {
        let d = Date::parse("2028-02-29").map(Date::a_year_before);
        assert_eq!(d.map(|d| d.to_string()), Ok("2027-02-28".into()));
    }
}
