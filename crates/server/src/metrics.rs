//! Prometheus metrics: requests, errors by code, and the time of each stage.
//!
//! Written by hand rather than with a metrics crate: the handful of series
//! hark exports are atomics and one small map, and the text format is simple.
//! Labels come only from fixed sets (routes, stages, error codes), so the
//! number of series stays bounded whatever clients send.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025,
    0.05, 0.1, 1.0,
];

/// The stages of a conversation turn that are timed.
pub const STAGES: [&str; 3] = ["parse", "skill", "total"];

/// All of hark's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    stages: [Histogram; 3],
    utterances_understood: AtomicU64,
    utterances_not_understood: AtomicU64,
}

#[derive(Debug, Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// Sum in nanoseconds, to stay an integer.
    sum_nanos: AtomicU64,
}

impl Histogram {
    fn observe(&self, seconds: f64) {
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_nanos
            .fetch_add((seconds * 1e9) as u64, Ordering::Relaxed);
    }
}

impl Metrics {
    /// Counts a finished HTTP request.
    pub fn request(&self, route: &str, status: u16) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        let key = (route.to_string(), status);
        *requests.entry(key).or_default() += 1;
    }

    /// Counts an API error by its code.
    pub fn error(&self, code: &'static str) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(code)
            .or_default() += 1;
    }

    /// Records how long a stage took.
    pub fn stage(&self, stage: &str, seconds: f64) {
        if let Some(i) = STAGES.iter().position(|s| *s == stage) {
            self.stages[i].observe(seconds);
        }
    }

    /// Counts an utterance, understood or not.
    pub fn utterance(&self, understood: bool) {
        let counter = if understood {
            &self.utterances_understood
        } else {
            &self.utterances_not_understood
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The metrics in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP hark_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE hark_http_requests_total counter\n");
        for ((route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "hark_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP hark_api_errors_total API errors by stable code.\n");
        out.push_str("# TYPE hark_api_errors_total counter\n");
        for (code, n) in self.errors.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(out, "hark_api_errors_total{{code=\"{code}\"}} {n}");
        }
        out.push_str(
            "# HELP hark_utterances_total Utterances, by whether an intent was understood.\n",
        );
        out.push_str("# TYPE hark_utterances_total counter\n");
        let understood = self.utterances_understood.load(Ordering::Relaxed);
        let not = self.utterances_not_understood.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "hark_utterances_total{{understood=\"true\"}} {understood}"
        );
        let _ = writeln!(out, "hark_utterances_total{{understood=\"false\"}} {not}");
        out.push_str(
            "# HELP hark_stage_seconds Time spent in each stage of a conversation turn.\n",
        );
        out.push_str("# TYPE hark_stage_seconds histogram\n");
        for (stage, histogram) in STAGES.iter().zip(&self.stages) {
            for (bound, bucket) in BUCKETS.iter().zip(&histogram.buckets) {
                let n = bucket.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "hark_stage_seconds_bucket{{stage=\"{stage}\",le=\"{bound}\"}} {n}"
                );
            }
            let count = histogram.count.load(Ordering::Relaxed);
            let sum = histogram.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
            let _ = writeln!(
                out,
                "hark_stage_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(out, "hark_stage_seconds_sum{{stage=\"{stage}\"}} {sum}");
            let _ = writeln!(out, "hark_stage_seconds_count{{stage=\"{stage}\"}} {count}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("/v1/converse", 200);
        m.request("/v1/converse", 200);
        m.request("/v1/converse", 401);
        m.error("unauthorized");
        m.stage("parse", 0.000_02);
        m.stage("parse", 0.003);
        m.stage("nonsense", 1.0);
        m.utterance(true);
        let text = m.render();
        assert!(
            text.contains("hark_http_requests_total{route=\"/v1/converse\",status=\"200\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("hark_http_requests_total{route=\"/v1/converse\",status=\"401\"} 1\n")
        );
        assert!(text.contains("hark_api_errors_total{code=\"unauthorized\"} 1\n"));
        assert!(text.contains("hark_stage_seconds_bucket{stage=\"parse\",le=\"0.00001\"} 0\n"));
        assert!(text.contains("hark_stage_seconds_bucket{stage=\"parse\",le=\"0.000025\"} 1\n"));
        assert!(text.contains("hark_stage_seconds_bucket{stage=\"parse\",le=\"0.005\"} 2\n"));
        assert!(text.contains("hark_stage_seconds_count{stage=\"parse\"} 2\n"));
        assert!(text.contains("hark_stage_seconds_count{stage=\"skill\"} 0\n"));
        assert!(text.contains("hark_utterances_total{understood=\"true\"} 1\n"));
    }
}
