//! `--timings`: how long each phase of a build took, and the peak memory.

use std::time::{Duration, Instant};

/// Phase timings for `--timings`, printed when dropped (on every exit path).
pub struct Timings {
    enabled: bool,
    last: Instant,
    phases: Vec<(&'static str, Duration, Option<u64>)>,
}

/// Peak resident memory so far in KiB (Linux: VmHWM), for `--timings`.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Timings {
    pub fn new(enabled: bool) -> Self {
        Timings {
            enabled,
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    pub fn done(&mut self, phase: &'static str) {
        let now = Instant::now();
        let peak = if self.enabled { peak_kib() } else { None };
        self.phases.push((phase, now - self.last, peak));
        self.last = now;
    }
}

impl Drop for Timings {
    fn drop(&mut self) {
        if self.enabled {
            let total: Duration = self.phases.iter().map(|(_, d, _)| *d).sum();
            for (phase, d, peak) in &self.phases {
                let peak = peak.map_or(String::new(), |k| {
                    format!("  (peak memory {} MiB)", k / 1024)
                });
                eprintln!("  {phase:<8} {:>8.1} ms{peak}", d.as_secs_f64() * 1e3);
            }
            eprintln!("  {:<8} {:>8.1} ms", "total", total.as_secs_f64() * 1e3);
        }
    }
}
