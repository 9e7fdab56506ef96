//! A small map of answers that expire, bounded in size.
//!
//! Entries carry the instant they expire (from the injected clock). When the
//! map is full, an insert first drops what has expired, then, if it is still
//! full, the entry closest to expiring: the one least worth keeping. A linear
//! scan is enough for a few hundred entries and a request per question.

use std::collections::HashMap;
use std::hash::Hash;

use jiff::Timestamp;

pub(crate) struct Cache<K, V> {
    entries: HashMap<K, (Timestamp, V)>,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: HashMap::new(),
            capacity: capacity.max(1),
        }
    }

    /// The value for `key`, unless it expired by `now`.
    pub(crate) fn get(&mut self, key: &K, now: Timestamp) -> Option<V> {
        match self.entries.get(key) {
            Some((expires, value)) if *expires > now => Some(value.clone()),
            Some(_) => {
                self.entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Keeps `value` for `key` until `expires`; it is `now`.
    pub(crate) fn insert(&mut self, key: K, value: V, now: Timestamp, expires: Timestamp) {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.capacity {
            self.entries.retain(|_, (at, _)| *at > now);
            if self.entries.len() >= self.capacity {
                if let Some(oldest) = self
                    .entries
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone())
                {
                    self.entries.remove(&oldest);
                }
            }
        }
        self.entries.insert(key, (expires, value));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).unwrap()
    }

    #[test]
    fn answers_until_expiry() {
        let mut cache = Cache::new(4);
        cache.insert("a", 1, t(0), t(100));
        assert_eq!(cache.get(&"a", t(99)), Some(1));
        assert_eq!(cache.get(&"a", t(100)), None);
        assert_eq!(cache.len(), 0, "an expired entry is dropped when found");
        assert_eq!(cache.get(&"b", t(0)), None);
    }

    #[test]
    fn stays_within_its_size_dropping_what_expires_first() {
        let mut cache = Cache::new(3);
        cache.insert("a", 1, t(0), t(300));
        cache.insert("b", 2, t(0), t(100));
        cache.insert("c", 3, t(0), t(200));
        cache.insert("d", 4, t(0), t(400));
        assert_eq!(cache.len(), 3);
        assert_eq!(
            cache.get(&"b", t(0)),
            None,
            "the one closest to expiring went"
        );
        assert_eq!(cache.get(&"a", t(0)), Some(1));
        assert_eq!(cache.get(&"d", t(0)), Some(4));
        // Replacing a key does not evict another.
        cache.insert("a", 5, t(0), t(500));
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get(&"a", t(0)), Some(5));
        // What expired goes before anything that still holds.
        cache.insert("e", 6, t(450), t(900));
        assert_eq!(cache.len(), 2, "c and d expired by 450");
        assert_eq!(cache.get(&"e", t(450)), Some(6));
    }
}
