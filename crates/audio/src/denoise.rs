//! Noise suppression in front of the endpointer and the recognizer: RNNoise, through the
//! pure-Rust `nnnoiseless`, switchable by the caller.
//!
//! RNNoise works on 48 kHz audio in 480-sample (10 ms) frames, so a buffer goes 16 kHz -> 48 kHz
//! -> RNNoise -> 16 kHz with [`crate::resample`]. RNNoise's output lags its input by one frame;
//! that frame is dropped so the output lines up with the input sample for sample (give or take
//! the filter's rounding), and is as long.
//!
//! Why on by default: in the shared voice measurements, denoising the whole clip before the
//! endpointer raised commands recognized at 6 dB SNR from 68.7% to 75.9% and cost about 0.01
//! of real time on one core. Whole buffers only for now.

use nnnoiseless::DenoiseState;

use crate::resample::resample;

/// Which noise suppression runs before endpointing and recognition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NoiseSuppression {
    /// None: the audio passes through unchanged.
    Off,
    /// RNNoise.
    #[default]
    Rnnoise,
}

impl NoiseSuppression {
    /// Applies this suppression to 16 kHz mono samples.
    pub fn apply(self, samples: &[i16]) -> Vec<i16> {
        match self {
            NoiseSuppression::Off => samples.to_vec(),
            NoiseSuppression::Rnnoise => denoise(samples),
        }
    }
}

/// Runs RNNoise over 16 kHz mono samples; the output is as long as the input.
pub fn denoise(samples: &[i16]) -> Vec<i16> {
    if samples.is_empty() {
        return Vec::new();
    }
    const FRAME: usize = DenoiseState::FRAME_SIZE;
    let mut high: Vec<f32> = resample(
        &samples.iter().map(|&s| f32::from(s)).collect::<Vec<_>>(),
        16_000,
        48_000,
    );
    let wanted = high.len();
    // One extra frame flushes the lag out; the rest pads to whole frames.
    high.resize((wanted / FRAME + 2) * FRAME, 0.0);
    let mut state = DenoiseState::new();
    let mut out = Vec::with_capacity(high.len());
    let mut frame_out = [0.0f32; FRAME];
    for frame in high.chunks_exact(FRAME) {
        state.process_frame(&mut frame_out, frame);
        out.extend_from_slice(&frame_out);
    }
    let aligned = &out[FRAME..FRAME + wanted];
    let low = resample(aligned, 48_000, 16_000);
    low.iter()
        .take(samples.len())
        .map(|&v| v.round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}
