//! Multinomial logistic regression over binary features: the intent classifier.
//!
//! Each class has a weight per feature; a sentence's class probabilities are the softmax of
//! the sums of its features' weights. Training minimizes the class-balanced negative
//! log-likelihood plus an L2 penalty with L-BFGS: each class weighs as much in total as any
//! other, so a large set of "none" sentences does not drown a small intent.

use super::optimize::{self, Options};

/// A trained classifier.
#[derive(Debug, Clone)]
pub(crate) struct LogReg {
    pub classes: usize,
    /// `features × classes`, row by feature.
    pub weights: Vec<f64>,
}

impl LogReg {
    /// Trains on `samples` (feature indices below `features`, and the class). Each class
    /// weighs as much as any other in all, times its `emphasis` (1 when not given).
    pub fn train(
        samples: &[(Vec<u32>, usize)],
        emphasis: &[f64],
        classes: usize,
        features: usize,
        l2: f64,
        options: Options,
    ) -> (LogReg, optimize::Outcome) {
        let mut per_class = vec![0usize; classes];
        for (_, class) in samples {
            per_class[*class] += 1;
        }
        let present = per_class.iter().filter(|c| **c > 0).count().max(1);
        let balance: Vec<f64> = per_class
            .iter()
            .enumerate()
            .map(|(class, &c)| {
                if c == 0 {
                    0.0
                } else {
                    let emphasis = emphasis.get(class).copied().unwrap_or(1.0);
                    emphasis * samples.len() as f64 / (present as f64 * c as f64)
                }
            })
            .collect();
        let mut weights = vec![0.0; features * classes];
        let outcome = optimize::minimize(&mut weights, options, |w, gradient| {
            gradient.fill(0.0);
            let model = LogRegView {
                classes,
                weights: w,
            };
            let mut probabilities = vec![0.0; classes];
            let mut loss = 0.0;
            for (features, class) in samples {
                model.probabilities_into(features, &mut probabilities);
                let weight = balance[*class];
                loss -= weight * probabilities[*class].max(1e-300).ln();
                for (c, p) in probabilities.iter().enumerate() {
                    let d = weight * (p - if c == *class { 1.0 } else { 0.0 });
                    for &f in features {
                        gradient[f as usize * classes + c] += d;
                    }
                }
            }
            for (g, wi) in gradient.iter_mut().zip(w) {
                *g += l2 * wi;
            }
            loss + 0.5 * l2 * optimize::dot(w, w)
        });
        (LogReg { classes, weights }, outcome)
    }

    /// Each class's probability for a sentence with these features.
    pub fn probabilities(&self, features: &[u32]) -> Vec<f64> {
        let mut out = vec![0.0; self.classes];
        LogRegView {
            classes: self.classes,
            weights: &self.weights,
        }
        .probabilities_into(features, &mut out);
        out
    }
}

struct LogRegView<'w> {
    classes: usize,
    weights: &'w [f64],
}

impl LogRegView<'_> {
    fn probabilities_into(&self, features: &[u32], out: &mut [f64]) {
        out.fill(0.0);
        for &f in features {
            let row = &self.weights[f as usize * self.classes..(f as usize + 1) * self.classes];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w;
            }
        }
        let max = out.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for o in out.iter_mut() {
            *o = (*o - max).exp();
            sum += *o;
        }
        for o in out.iter_mut() {
            *o /= sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_classes_by_their_features_and_is_less_sure_of_what_it_never_saw() {
        // Feature 0 is the bias; 1 and 2 mark class 0, 3 marks class 1, 4 class 2.
        let samples = vec![
            (vec![0, 1], 0),
            (vec![0, 2], 0),
            (vec![0, 1, 2], 0),
            (vec![0, 3], 1),
            (vec![0, 3, 2], 1),
            (vec![0, 4], 2),
        ];
        let (model, _) = LogReg::train(&samples, &[], 3, 5, 0.01, Options::default());
        for (features, class) in &samples {
            let p = model.probabilities(features);
            let best = (0..3).max_by(|a, b| p[*a].total_cmp(&p[*b])).unwrap();
            assert_eq!(best, *class, "{features:?}: {p:?}");
        }
        // Only the bias: less sure than of any sentence it learned.
        let unknown = model.probabilities(&[0]);
        let top = |p: &[f64]| p.iter().copied().fold(0.0, f64::max);
        for (features, _) in &samples {
            assert!(
                top(&unknown) < top(&model.probabilities(features)),
                "{unknown:?}"
            );
        }
        assert!((unknown.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}
