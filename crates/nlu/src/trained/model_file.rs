//! A trained model as a file: JSON with a format name and version, its weights as base64 of
//! little-endian `f32` and its feature hashes as base64 of little-endian `u64`, so that a model
//! of a few hundred thousand weights loads in milliseconds and diffs as text where it is text
//! (intents, slots, entity values).
//!
//! [`VERSION`] changes whenever the features or the layout change: a newer file, or one older
//! than [`OLDEST_READ`], is refused with the versions named, never misread. Version 2 files
//! (before WordNet's supersenses and the carrier classifiers) still read, and parse exactly as
//! they did: with no WordNet table no supersense feature is made, and with no carrier
//! classifier a sentence the intent classifier turns down stays turned down. So upgrading hark
//! does not stop a server whose model was trained before.

use std::collections::BTreeMap;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::crf::Crf;
use super::data::Entity;
use super::features::{FeatureIndex, Gazetteer};
use super::lexicon::Lexicon;
use super::logreg::LogReg;
use super::senses::Senses;
use super::{Classifier, Model, SlotFiller};
use crate::grammar::Source;
use crate::Error;

/// The `format` field of a model file.
pub const FORMAT: &str = "hark-nlu-model";
/// The version of the model file this build writes.
pub const VERSION: u32 = 3;
/// The oldest version this build reads.
pub const OLDEST_READ: u32 = 2;

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
    intents: Vec<String>,
    entities: BTreeMap<String, Entity>,
    gazetteer: Gazetteer,
    lexicon: LexiconFile,
    /// Absent from version 2 files.
    #[serde(default)]
    senses: SensesFile,
    classifier: ClassifierFile,
    slot_fillers: Vec<SlotFillerFile>,
}

/// The word list's hashes ([`Lexicon`]); empty strings for a model trained without one.
#[derive(Serialize, Deserialize)]
struct LexiconFile {
    lower: String,
    proper: String,
}

/// WordNet's supersenses ([`Senses`]): the words' hashes and, in the same order, their masks;
/// empty strings for a model trained without WordNet.
#[derive(Default, Serialize, Deserialize)]
struct SensesFile {
    words: String,
    masks: String,
}

#[derive(Serialize, Deserialize)]
struct ClassifierFile {
    features: String,
    weights: String,
}

#[derive(Serialize, Deserialize)]
struct SlotFillerFile {
    slots: Vec<SlotFile>,
    features: String,
    state: String,
    transitions: String,
    /// Its carrier classifier: absent for an intent without slots, and from version 2 files.
    #[serde(default)]
    carrier: Option<ClassifierFile>,
}

#[derive(Serialize, Deserialize)]
struct SlotFile {
    slot: String,
    entity: String,
}

fn encode_f64(values: &[f64]) -> String {
    let bytes: Vec<u8> = values
        .iter()
        .flat_map(|v| (*v as f32).to_le_bytes())
        .collect();
    STANDARD.encode(bytes)
}

fn encode_u64(values: &[u64]) -> String {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    STANDARD.encode(bytes)
}

fn decode<const N: usize, T>(
    text: &str,
    what: &str,
    from: impl Fn([u8; N]) -> T,
) -> Result<Vec<T>, String> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| format!("{what} is not base64: {e}"))?;
    if bytes.len() % N != 0 {
        return Err(format!(
            "{what} has {} bytes, not a multiple of {N}",
            bytes.len()
        ));
    }
    Ok(bytes
        .chunks_exact(N)
        .map(|c| from(c.try_into().expect("chunks of N")))
        .collect())
}

fn weights(text: &str, what: &str, expected: usize) -> Result<Vec<f64>, String> {
    let values = decode::<4, f64>(text, what, |b| f64::from(f32::from_le_bytes(b)))?;
    if values.len() != expected {
        return Err(format!(
            "{what} holds {} weights where {expected} were expected",
            values.len()
        ));
    }
    Ok(values)
}

/// Little-endian `u64`s: feature and word hashes, WordNet's masks.
fn decode_u64(text: &str, what: &str) -> Result<Vec<u64>, String> {
    decode::<8, u64>(text, what, u64::from_le_bytes)
}

fn hashes(text: &str, what: &str) -> Result<FeatureIndex, String> {
    Ok(FeatureIndex::from_hashes(decode_u64(text, what)?))
}

impl Classifier {
    fn to_file(&self) -> ClassifierFile {
        ClassifierFile {
            features: encode_u64(self.index.hashes()),
            weights: encode_f64(&self.model.weights),
        }
    }

    /// A classifier of `classes` classes from its file; `what` names it in errors.
    fn from_file(file: &ClassifierFile, classes: usize, what: &str) -> Result<Classifier, String> {
        let index = hashes(&file.features, &format!("{what}'s features"))?;
        let weights = weights(&file.weights, what, index.len() * classes)?;
        Ok(Classifier {
            model: LogReg { classes, weights },
            index,
        })
    }
}

impl Model {
    /// The model as a file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let file = File {
            format: FORMAT.into(),
            version: VERSION,
            intents: self.intents.clone(),
            entities: self.entities.clone(),
            gazetteer: self.gazetteer.clone(),
            lexicon: {
                let (lower, proper) = self.lexicon.hashes();
                LexiconFile {
                    lower: encode_u64(&lower),
                    proper: encode_u64(&proper),
                }
            },
            senses: {
                let (words, masks) = self.senses.entries();
                SensesFile {
                    words: encode_u64(&words),
                    masks: encode_u64(&masks),
                }
            },
            classifier: self.classifier.to_file(),
            slot_fillers: self
                .fillers
                .iter()
                .map(|f| SlotFillerFile {
                    slots: f
                        .slots
                        .iter()
                        .map(|(slot, entity)| SlotFile {
                            slot: slot.clone(),
                            entity: entity.clone(),
                        })
                        .collect(),
                    features: encode_u64(f.index.hashes()),
                    state: encode_f64(&f.crf.state),
                    transitions: encode_f64(&f.crf.transitions),
                    carrier: f.carrier.as_ref().map(Classifier::to_file),
                })
                .collect(),
        };
        serde_json::to_vec(&file).expect("a model serializes")
    }

    /// A model from a file's bytes; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Model, Error> {
        let invalid = |message: String| Error::Invalid {
            at: Source {
                file: path.to_owned(),
                line: None,
            },
            message,
        };
        let header: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| invalid(format!("not a hark model file: {e}")))?;
        if header.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(invalid(format!(
                "not a hark model file (its \"format\" is not \"{FORMAT}\")"
            )));
        }
        let version = header.get("version").and_then(|v| v.as_u64());
        if !version.is_some_and(|v| (u64::from(OLDEST_READ)..=u64::from(VERSION)).contains(&v)) {
            return Err(invalid(format!(
                "model file version {}, but this hark reads versions {OLDEST_READ} to {VERSION}: train the model again",
                version.map_or("missing".to_owned(), |v| v.to_string())
            )));
        }
        let file: File = serde_json::from_value(header)
            .map_err(|e| invalid(format!("a damaged model file: {e}")))?;
        let classes = file.intents.len() + 1;
        if file.slot_fillers.len() != file.intents.len() {
            return Err(invalid(format!(
                "{} slot fillers for {} intents",
                file.slot_fillers.len(),
                file.intents.len()
            )));
        }
        let classifier =
            Classifier::from_file(&file.classifier, classes, "the classifier").map_err(invalid)?;
        let lexicon = Lexicon::from_hashes(
            &decode_u64(&file.lexicon.lower, "the word list").map_err(invalid)?,
            &decode_u64(&file.lexicon.proper, "the word list").map_err(invalid)?,
        );
        let words = decode_u64(&file.senses.words, "WordNet's words").map_err(invalid)?;
        let masks = decode_u64(&file.senses.masks, "WordNet's words").map_err(invalid)?;
        if words.len() != masks.len() {
            return Err(invalid(format!(
                "{} WordNet words but {} masks",
                words.len(),
                masks.len()
            )));
        }
        let senses = Senses::from_entries(&words, &masks);
        let mut fillers = Vec::new();
        for (filler, intent) in file.slot_fillers.into_iter().zip(&file.intents) {
            let slots: Vec<(String, String)> = filler
                .slots
                .into_iter()
                .map(|s| (s.slot, s.entity))
                .collect();
            let labels = Crf::label_count(slots.len());
            let what = format!("the slot filler of {intent}");
            let index = hashes(&filler.features, &what).map_err(invalid)?;
            let state = weights(&filler.state, &what, index.len() * labels).map_err(invalid)?;
            let transitions =
                weights(&filler.transitions, &what, (labels + 1) * labels).map_err(invalid)?;
            let carrier = filler
                .carrier
                .as_ref()
                .map(|c| {
                    Classifier::from_file(c, 2, &format!("the carrier classifier of {intent}"))
                })
                .transpose()
                .map_err(invalid)?;
            fillers.push(SlotFiller {
                slots,
                index,
                crf: Crf {
                    labels,
                    state,
                    transitions,
                },
                carrier,
            });
        }
        Ok(Model {
            intents: file.intents,
            classifier,
            fillers,
            gazetteer: file.gazetteer,
            lexicon: std::sync::Arc::new(lexicon),
            senses: std::sync::Arc::new(senses),
            canonical: super::canonical(&file.entities),
            entities: file.entities,
        })
    }

    /// Writes the model to `path`, through a temporary file renamed into place, so a crash
    /// never leaves half a model.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let io = |error| Error::Io {
            path: path.to_owned(),
            error,
        };
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(".partial");
        let temporary = std::path::PathBuf::from(temporary);
        let write = || -> std::io::Result<()> {
            use std::io::Write as _;
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&self.to_bytes())?;
            file.sync_all()?;
            std::fs::rename(&temporary, path)
        };
        write().map_err(io)
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(path: &Path) -> Result<Model, Error> {
        let bytes = std::fs::read(path).map_err(|error| Error::Io {
            path: path.to_owned(),
            error,
        })?;
        Model::from_bytes(&bytes, path)
    }
}
