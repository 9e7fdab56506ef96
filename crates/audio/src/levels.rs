//! Signal levels in dBFS, for a whole buffer or frame by frame.
//!
//! Full scale is 32768 (the magnitude of `i16::MIN`), and RMS is not corrected for sine waves:
//! a full-scale sine is 0 dBFS peak and -3.01 dBFS RMS. Digital silence has no logarithm, so
//! every level is floored at [`FLOOR_DBFS`], below the -90.3 dBFS of one least significant bit.

/// The lowest level reported, in dBFS: what digital silence measures.
pub const FLOOR_DBFS: f32 = -100.0;

/// The level of one stretch of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// Root mean square, in dBFS.
    pub rms_dbfs: f32,
    /// Largest magnitude, in dBFS.
    pub peak_dbfs: f32,
}

impl Level {
    /// Measures `samples`; an empty buffer measures [`FLOOR_DBFS`].
    pub fn of(samples: &[i16]) -> Level {
        Level {
            rms_dbfs: rms_dbfs(samples),
            peak_dbfs: peak_dbfs(samples),
        }
    }
}

/// The RMS level of `samples` in dBFS.
pub fn rms_dbfs(samples: &[i16]) -> f32 {
    if samples.is_empty() {
        return FLOOR_DBFS;
    }
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    to_dbfs((sum / samples.len() as f64).sqrt())
}

/// The peak level of `samples` in dBFS.
pub fn peak_dbfs(samples: &[i16]) -> f32 {
    let peak = samples
        .iter()
        .map(|&s| i32::from(s).unsigned_abs())
        .max()
        .unwrap_or(0);
    to_dbfs(f64::from(peak))
}

/// The level of each `frame_len`-sample frame of `samples`; a shorter last frame is measured
/// too. A `frame_len` of zero is taken as one.
pub fn frames(samples: &[i16], frame_len: usize) -> impl Iterator<Item = Level> + '_ {
    samples.chunks(frame_len.max(1)).map(Level::of)
}

/// Converts a linear magnitude (in sample units) to dBFS, floored.
pub(crate) fn to_dbfs(magnitude: f64) -> f32 {
    if magnitude <= 0.0 {
        return FLOOR_DBFS;
    }
    ((20.0 * (magnitude / 32768.0).log10()) as f32).max(FLOOR_DBFS)
}

/// Power of `x` at `freq` Hz by the Goertzel filter (unnormalized), for tests that check where
/// a tone's energy went.
#[cfg(test)]
pub(crate) fn goertzel_power(x: &[f32], rate: u32, freq: f64) -> f32 {
    let w = 2.0 * std::f64::consts::PI * freq / f64::from(rate);
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &v in x {
        let s = f64::from(v) + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    (s1 * s1 + s2 * s2 - coeff * s1 * s2) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_scale_sine_is_minus_3_db_rms_and_0_db_peak() {
        let sine: Vec<i16> = (0..16_000)
            .map(|i| {
                (32767.0 * (2.0 * std::f64::consts::PI * 1000.0 * i as f64 / 16_000.0).sin()) as i16
            })
            .collect();
        let level = Level::of(&sine);
        assert!((level.rms_dbfs + 3.01).abs() < 0.02, "{level:?}");
        assert!(level.peak_dbfs.abs() < 0.01, "{level:?}");
    }

    #[test]
    fn silence_and_extremes() {
        assert_eq!(rms_dbfs(&[0; 100]), FLOOR_DBFS);
        assert_eq!(peak_dbfs(&[]), FLOOR_DBFS);
        assert_eq!(peak_dbfs(&[i16::MIN]), 0.0);
        assert!((rms_dbfs(&[1, -1]) + 90.31).abs() < 0.01);
        // Half scale is -6.02 dB.
        assert!((rms_dbfs(&[16384, -16384]) + 6.02).abs() < 0.01);
    }

    #[test]
    fn frames_are_measured_one_by_one() {
        let mut x = vec![0i16; 320];
        x.extend(std::iter::repeat_n(16384, 320));
        x.extend([16384; 10]);
        let levels: Vec<Level> = frames(&x, 320).collect();
        assert_eq!(levels.len(), 3);
        assert_eq!(levels[0].rms_dbfs, FLOOR_DBFS);
        assert!((levels[1].rms_dbfs + 6.02).abs() < 0.01);
        assert!((levels[2].peak_dbfs + 6.02).abs() < 0.01);
    }
}
