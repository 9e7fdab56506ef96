//! splitmix64: the small seeded generator behind hark-nlu's sampling (language-model sentences,
//! training examples from templates, noise sentences, value-swapped copies), the same on every
//! platform, so that a seed always gives the same output.

/// A splitmix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting at `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `from..=to`.
    pub fn between(&mut self, from: u64, to: u64) -> u64 {
        from + self.next_u64() % (to - from + 1)
    }

    /// True with probability `p`.
    pub fn coin(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One of `items` (not empty).
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Shuffles `items` in place (Fisher-Yates, from the end).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Of `choices`, the one taken least so far by `taken` (indexed by choice), looking from
/// `offset` round: the first of the least taken after it. The samplers take it half of the time
/// so that rare branches of a grammar are visited as often as common ones.
pub(crate) fn least_taken(taken: &[u32], choices: &[usize], offset: usize) -> usize {
    let mut best = choices[offset];
    for i in 0..choices.len() {
        let c = choices[(offset + i) % choices.len()];
        if taken[c] < taken[best] {
            best = c;
        }
    }
    best
}
