//! How long each stage of a build took, for `wegwijs build --timings` and for
//! finding where the time goes.

use std::time::{Duration, Instant};

/// Stage names and their durations, in the order they ran.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Run `stage`, note how long it took under `name`, and return its result.
    pub fn time<T>(&mut self, name: &'static str, stage: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = stage();
        self.record(name, started.elapsed());
        result
    }

    /// Note that stage `name` took `took`.
    pub fn record(&mut self, name: &'static str, took: Duration) {
        self.stages.push((name, took));
    }

    /// The stages, in order.
    pub fn stages(&self) -> &[(&'static str, Duration)] {
        &self.stages
    }
}

impl std::fmt::Display for Timings {
    /// `load 210 ms, check 4 ms, ...`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (name, took)) in self.stages.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{name} {} ms", took.as_millis())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_kept_in_order() {
        let mut timings = Timings::default();
        assert_eq!(timings.time("een", || 1), 1);
        timings.time("twee", || ());
        let names: Vec<&str> = timings.stages().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["een", "twee"]);
        assert!(timings.to_string().starts_with("een "), "{timings}");
    }
}
