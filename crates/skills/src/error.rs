//! The errors of building skills: bad response files and clashing intents.
//!
//! These are construction errors, found once when the skills are built (and,
//! for the built-in files, by the tests); answering a turn reports its own
//! problems as a [`hark_core::skill::SkillError`] instead, which the user hears
//! as a short apology.

/// Why the skills could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A response file is not valid YAML, or not a map of keys to variants.
    #[error("{file}: {source}")]
    Yaml {
        /// The response file, such as `clock/responses/en.yaml`.
        file: String,
        /// What the YAML parser said.
        source: serde_yaml::Error,
    },
    /// A response the skill needs is absent from a file.
    #[error("{file}: missing response `{key}`")]
    MissingKey {
        /// The response file.
        file: String,
        /// The key the skill needs.
        key: String,
    },
    /// A file writes the same response twice (YAML would keep the last).
    #[error("{file}: response `{key}` is written twice")]
    DuplicateKey {
        /// The response file.
        file: String,
        /// The key.
        key: String,
    },
    /// A file has a response no skill asks for (a typo, most likely).
    #[error("{file}: unknown response `{key}` (known: {known})")]
    UnknownKey {
        /// The response file.
        file: String,
        /// The key found in the file.
        key: String,
        /// The keys the skill knows, comma-separated.
        known: String,
    },
    /// A response has an empty list of variants.
    #[error("{file}: response `{key}` has no variants")]
    NoVariants {
        /// The response file.
        file: String,
        /// The key.
        key: String,
    },
    /// A variant names a placeholder the skill does not fill for that key.
    #[error("{file}: response `{key}` uses unknown placeholder `{{{placeholder}}}` (allowed: {allowed})")]
    UnknownPlaceholder {
        /// The response file.
        file: String,
        /// The key.
        key: String,
        /// The placeholder's name.
        placeholder: String,
        /// The placeholders the skill fills for this key, comma-separated.
        allowed: String,
    },
    /// A variant has an unbalanced or malformed brace.
    #[error("{file}: response `{key}`: {message}")]
    BadTemplate {
        /// The response file.
        file: String,
        /// The key.
        key: String,
        /// What is wrong with it.
        message: String,
    },
    /// A skill was built without English responses, the fallback language.
    #[error("{skill}: no English responses (English is the fallback language)")]
    NoEnglish {
        /// The skill.
        skill: String,
    },
    /// Two skills claim the same intent.
    #[error("intent `{intent}` is claimed by both `{first}` and `{second}`")]
    DuplicateIntent {
        /// The intent.
        intent: String,
        /// The skill registered first.
        first: &'static str,
        /// The skill registered second.
        second: &'static str,
    },
}
